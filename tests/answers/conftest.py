"""Fixtures of the 问答 tests: the demo library in the database, a member, and the index
compared with the library on every question (ANSWERS_FRESH_S=0) so a change is seen at once."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from models import Material, Member, db
from study.library import sync_library


@pytest.fixture
def library(app: Flask) -> dict[str, int]:
    """The 26 demo materials (content/materials/), synced; their ids by slug."""
    app.config["ANSWERS_FRESH_S"] = 0
    with app.app_context():
        sync_library()
        db.session.commit()
        return {m.slug: m.id for m in db.session.scalars(select(Material))}


@pytest.fixture
def zhang(make_member: Any) -> Member:
    """A roster member."""
    return make_member("zhangsan", "张三")
