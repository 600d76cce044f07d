"""Fixtures of the lecture tests: the people of the ordering tests and their synced menu
(test_lecture_orders, test_lecture_loop; a module with people of its own defines `people`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from lectures.topics import sync_topics
from models import Member, Topic, db
from tests.lectures.lecture_helpers import write_menu


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """An admin, a contact of 华芯 and one of 锡东, a plain member, two lecturers."""
    return {
        "admin": make_member("chenjing", "陈静", org="高新区企业党委", roles=("admin",)),
        "contact": make_member("lina", "李娜", org="华芯微电子党支部", roles=("contact",)),
        "other": make_member("wangfang", "王芳", org="锡东精密机械党支部", roles=("contact",)),
        "plain": make_member("zhangwei", "张伟", org="华芯微电子党支部"),
        "lecturer": make_member("liuyang", "刘洋", org="新吴物流党支部", roles=("lecturer",)),
        "lecturer2": make_member("zhaolei", "赵磊", org="新吴物流党支部", roles=("lecturer",)),
    }


@pytest.fixture
def menu(app: Flask, people, tmp_path: Path) -> dict[str, int]:
    """The three-topic menu, synced: slug → topic id."""
    with app.app_context():
        sync_topics(write_menu(tmp_path))
        db.session.commit()
        return {t.slug: t.id for t in db.session.scalars(select(Topic))}
