"""Do statements run straight on the DBAPI cursor behave as SQLAlchemy would run them?"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import DBAPIError, IntegrityError, InvalidRequestError

from models import ProcessedMessage, db, direct
from models.direct import (
    WROTE,
    DirectStatement,
    _autocommit_engine,
    mark_processed_written,
    take_processed_written,
)

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


def test_processed_flag_lives_on_the_app_context(app: Flask):
    """Is the self-recorded flag read once, made without a Session, and gone in the next
    app context (the next callback)?"""
    with app.app_context():
        mark_processed_written()
        assert not db.session.registry.has()
        assert take_processed_written() is True
        assert take_processed_written() is False
        mark_processed_written()
    with app.app_context():
        assert take_processed_written() is False


def test_autocommit_engine_kept_per_engine_and_process(app: Flask,
                                                       monkeypatch: pytest.MonkeyPatch):
    """Is the autocommit engine made once for the app's engine, and anew after a fork?"""
    with app.app_context():
        first = _autocommit_engine(db.engine)
        assert _autocommit_engine(db.engine) is first
        assert first.url == db.engine.url
        monkeypatch.setattr(direct.os, "getpid", lambda: -1)  # as in a forked worker
        forked = _autocommit_engine(db.engine)
        assert forked is not first and _autocommit_engine(db.engine) is forked


def _write_standalone(key: str) -> None:
    """One processed record written by a standalone statement."""
    DirectStatement(PROCESSED).execute(db.session, {"key": key, "userid": "u",
                                                    "handled_at": WHEN}, standalone=True)


def _postgresql_only() -> None:
    if db.engine.dialect.name != "postgresql":
        pytest.skip("standalone statements run apart only on PostgreSQL")


def test_standalone_holds_one_connection_per_thread(app: Flask):
    """Do standalone statements of one thread share one checked-out connection (one cursor),
    taken again once older than the pool's recycle time, the old one given back?"""
    statement = DirectStatement(BY_KEY)
    with app.app_context():
        _postgresql_only()
        engine = _autocommit_engine(db.engine)
        statement.execute(db.session, {"key": "h:0"}, standalone=True)
        first = direct._HELD.dbapi
        statement.execute(db.session, {"key": "h:0"}, standalone=True)
        assert direct._HELD.dbapi is first and engine.pool.checkedout() == 1
        direct._HELD.renew_at = 0.0  # as if pool_recycle had passed
        statement.execute(db.session, {"key": "h:0"}, standalone=True)
        assert engine.pool.checkedout() == 1
        assert direct._HELD.renew_at > 0.0


def test_held_connection_survives_an_integrity_error(app: Flask):
    """After a duplicate key, does the same held connection go on writing?"""
    with app.app_context():
        _postgresql_only()
        _write_standalone("h:1")
        held = direct._HELD.dbapi
        with pytest.raises(IntegrityError):
            _write_standalone("h:1")
        _write_standalone("h:2")
        assert direct._HELD.dbapi is held and _row("h:2") == ("u", WHEN)


def test_a_dropped_held_connection_fails_once_then_is_replaced(app: Flask):
    """When PostgreSQL has dropped the held connection, does the statement fail as a
    disconnect (the connection invalidated) and the next one run on a fresh connection?"""
    with app.app_context():
        _postgresql_only()
        _write_standalone("h:3")
        gone = direct._HELD.dbapi
        with db.engine.connect() as admin:  # as a restart of PostgreSQL would
            admin.exec_driver_sql("SELECT pg_terminate_backend(%s)", (gone.info.backend_pid,))
        with pytest.raises(DBAPIError) as failed:
            _write_standalone("h:4")
        assert failed.value.connection_invalidated and direct._HELD.fairy is None
        _write_standalone("h:4")
        assert direct._HELD.dbapi is not gone and _row("h:4") == ("u", WHEN)


def test_a_fork_never_uses_or_closes_the_parents_connection(app: Flask,
                                                            monkeypatch: pytest.MonkeyPatch):
    """In a forked worker, is the inherited connection left alone (not closed: its socket is
    the parent's) and a connection of the child's own taken?"""
    statement = DirectStatement(BY_KEY)
    with app.app_context():
        _postgresql_only()
        statement.execute(db.session, {"key": "h:5"}, standalone=True)
        inherited = direct._HELD.dbapi
        monkeypatch.setattr(direct, "_INHERITED", [])
        monkeypatch.setattr(direct.os, "getpid", lambda: -1)
        statement.execute(db.session, {"key": "h:5"}, standalone=True)
        assert direct._HELD.dbapi is not inherited and not inherited.closed
        assert [fairy.dbapi_connection for fairy in direct._INHERITED] == [inherited]
        direct._HELD.give_back()  # the "child's", while it is still the child
        direct._INHERITED[0].close()
