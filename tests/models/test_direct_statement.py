"""Do statements run straight on the DBAPI cursor behave as SQLAlchemy would run them?"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError, InvalidRequestError

from models import ProcessedMessage, db
from models.direct import WROTE, DirectStatement

PROCESSED = insert(ProcessedMessage.__table__).values(
    key=bindparam("key"), userid=bindparam("userid"), kind="text",
    handled_at=bindparam("handled_at"))
BY_KEY = select(ProcessedMessage.__table__.c.userid, ProcessedMessage.__table__.c.handled_at
                ).where(ProcessedMessage.__table__.c.key == bindparam("key"))
WHEN = datetime(2026, 11, 22, 8, 30, 15, tzinfo=UTC)


def _row(key: str) -> tuple[str, datetime] | None:
    found = db.session.execute(select(ProcessedMessage.userid, ProcessedMessage.handled_at)
                               .where(ProcessedMessage.key == key)).first()
    return (found[0], found[1]) if found else None


def test_binds_go_through_the_column_types(app: Flask):
    """Is an aware datetime stored as the ORM would store it, and read back the same?"""
    with app.app_context():
        DirectStatement(PROCESSED).execute(db.session, {"key": "d:1", "userid": "u1",
                                                     "handled_at": WHEN})
        assert db.session.info.get(WROTE) is True
        db.session.commit()
        assert _row("d:1") == ("u1", WHEN)
        [(userid, _at)] = DirectStatement(BY_KEY).execute(db.session, {"key": "d:1"})
        assert userid == "u1"


def test_in_the_session_it_shares_the_transaction(app: Flask):
    """Is a non-standalone write undone by the session's rollback?"""
    with app.app_context():
        DirectStatement(PROCESSED).execute(db.session, {"key": "d:2", "userid": "u",
                                                     "handled_at": WHEN})
        db.session.rollback()
        assert _row("d:2") is None


def test_duplicate_key_is_sqlalchemy_integrity_error(app: Flask):
    """Is a unique violation raised as SQLAlchemy's IntegrityError, standalone or not?"""
    statement = DirectStatement(PROCESSED)
    with app.app_context():
        statement.execute(db.session, {"key": "d:3", "userid": "u", "handled_at": WHEN})
        db.session.commit()
        for standalone in (False, True):
            with pytest.raises(IntegrityError):
                statement.execute(db.session, {"key": "d:3", "userid": "u", "handled_at": WHEN},
                                  standalone=standalone)
            db.session.rollback()
        assert _row("d:3") == ("u", WHEN)


def test_standalone_commits_on_its_own_on_postgresql(app: Flask):
    """Standalone: on PostgreSQL committed at once (a session rollback keeps it); elsewhere part
    of the session's transaction like any statement."""
    with app.app_context():
        DirectStatement(PROCESSED).execute(db.session, {"key": "d:4", "userid": "u",
                                                     "handled_at": WHEN}, standalone=True)
        db.session.rollback()
        kept = _row("d:4")
        if db.engine.dialect.name == "postgresql":
            assert kept == ("u", WHEN)
        else:
            assert kept is None


def test_a_missing_bind_is_refused_before_anything_runs(app: Flask):
    """Does a statement given too few values fail without touching the database?"""
    with app.app_context(), pytest.raises(InvalidRequestError):
        DirectStatement(PROCESSED).execute(db.session, {"key": "d:5", "handled_at": WHEN})
    with app.app_context():
        db.session.rollback()
        assert _row("d:5") is None
