"""The suite lets go of each ended test's engine (tests/helpers.forget_test_engines, run after
every test by tests/conftest.py), so the collector does not scan dead tests' objects."""

from __future__ import annotations

import gc
import weakref

from flask import Flask
from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from models import Organization, db
from tests.helpers import forget_test_engines


def test_an_ended_engine_is_not_kept_alive_by_the_orm(app: Flask) -> None:
    """Does an engine that flushed a row stay alive only until its compiled statements are
    forgotten?"""
    with app.app_context():
        url = db.engine.url
    engine = create_engine(url)
    session = Session(engine)
    session.add(Organization(name="一个测试党支部"))
    session.flush()  # the mapper compiles its INSERT for this engine's dialect
    session.rollback()
    session.close()
    dialect = weakref.ref(engine.dialect)
    engine.dispose()
    del engine, session  # nothing of the test holds the engine now
    gc.collect()
    assert dialect() is not None  # what the helper is for: the mapper's cache holds it
    forget_test_engines()
    gc.collect()
    assert dialect() is None
