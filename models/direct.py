"""Statements of the hottest paths, run straight on the session's DBAPI cursor.

SQLAlchemy's execution machinery (execution context, result object, events) costs about as
much CPU per statement as psycopg itself: ~180 µs of ~330 µs on the 2-core bench machine
(bench/README.md, "This stop: round trips and machinery"). For the few statements every chat
message runs (the processed record, a reflection part, the draft read) a `DirectStatement` is a Core
statement compiled once per dialect and run on the DBAPI cursor of the session's own
connection (same transaction, same SQL, the column types' own bind processors, DBAPI errors
raised as SQLAlchemy's, a dropped connection invalidated as SQLAlchemy would), or, standalone,
on an autocommit connection of its own, which each thread keeps (`_Held`). Everything else
keeps the ORM.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app, g
from sqlalchemy import create_engine, exc
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import ClauseElement, Insert, Update

from models.base import db

WROTE = "pioneer_flushed"  # session.info flag: this transaction flushed or executed writes
# app context flag (flask.g): a standalone write wrote the processed record too
PROCESSED_WRITTEN = "pioneer_processed_written"


def mark_processed_written() -> None:
    """Note that this request's standalone write also wrote the message's processed record.

    Kept on the app context (one per callback), not in `session.info`: a write that runs
    standalone needs no Session, and making one just for the flag costs as much as the
    statement's own bookkeeping."""
    setattr(g, PROCESSED_WRITTEN, True)


def take_processed_written() -> bool:
    """Whether a standalone write of this request wrote its processed record (and forget it)."""
    return bool(g.pop(PROCESSED_WRITTEN, False))


class _Plan:
    """One statement compiled for one dialect."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        self.compiled = statement.compile(dialect=dialect)
        self.sql = str(self.compiled)
        self.order: list[str] | None = (
            list(self.compiled.positiontup or []) if dialect.positional else None)
        self.processors: Mapping[str, Callable[[Any], Any]] = self.compiled._bind_processors
        # known from the statement, so the cursor's description is never built to ask
        self.returns_rows = bool(statement.is_select or self.compiled.effective_returning)

    def parameters(self, given: Mapping[str, Any]) -> list[Any] | dict[str, Any]:
        values = self.compiled.construct_params(dict(given))  # raises if a bind is missing
        for name, process in self.processors.items():
            if name in values:
                values[name] = process(values[name])
        if self.order is None:
            return values
        return [values[name] for name in self.order]


class DirectStatement:
    """A Core statement (every value a bind or a literal) run on the session's DBAPI cursor."""

    def __init__(self, statement: ClauseElement) -> None:
        self.statement = statement
        self.writes = isinstance(statement, Insert | Update)
        self.plans: dict[str, _Plan] = {}

    def execute(self, session: Session | scoped_session[Session], params: Mapping[str, Any],
                standalone: bool = False) -> list[tuple[Any, ...]]:
        """Run in the session's transaction; the rows it returns (RETURNING or SELECT).

        `standalone` (PostgreSQL): run as a transaction of its own, on an autocommit
        connection apart from the session's: one round trip instead of BEGIN, statement,
        COMMIT, and no session connection to check out. For a single read, or a write that is
        atomic on its own and carries the message's processed record (the caller calls
        `mark_processed_written`).
        Elsewhere it runs in the session's transaction like any statement.
        """
        if standalone and db.engine.dialect.name == "postgresql":  # no Session is made
            return self._standalone(_autocommit_engine(db.engine), params)
        if isinstance(session, scoped_session):
            session = session()
        connection = session.connection()
        if self.writes:
            session.info[WROTE] = True
        return self._run(connection.dialect, connection.connection, connection.invalidate, params)

    def _standalone(self, engine: Engine, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        held = _held(engine)
        return self._run(engine.dialect, held.dbapi, held.invalidate, params, held.cursor)

    def _run(self, dialect: Dialect, dbapi_connection: Any,
             invalidate: Callable[[BaseException], None],
             params: Mapping[str, Any], cursor: Any = None) -> list[tuple[Any, ...]]:
        """Execute on `cursor` (kept by its owner) or a new cursor of `dbapi_connection`; a
        DBAPI error is raised as SQLAlchemy's own class, and a dropped connection is
        invalidated as SQLAlchemy would."""
        plan = self._plan(dialect)
        values = plan.parameters(params)
        own = cursor is None
        if own:
            cursor = dbapi_connection.cursor()
        try:
            cursor.execute(plan.sql, values)
            return list(cursor.fetchall()) if plan.returns_rows else []
        except dialect.loaded_dbapi.Error as error:
            disconnect = dialect.is_disconnect(error, dbapi_connection, cursor)
            if disconnect:
                invalidate(error)
            raise exc.DBAPIError.instance(plan.sql, values, error, dialect.loaded_dbapi.Error,
                                          connection_invalidated=disconnect,
                                          dialect=dialect) from error
        finally:
            if own:
                cursor.close()

    def _plan(self, dialect: Dialect) -> _Plan:
        plan = self.plans.get(dialect.name)
        if plan is None:
            plan = self.plans[dialect.name] = _Plan(self.statement, dialect)
        return plan


_autocommit: dict[tuple[int, str], Engine] = {}
# The same, by the app's engine: no URL rendered per statement (a fork is told by the pid).
_by_bind: weakref.WeakKeyDictionary[Engine, tuple[int, Engine]] = weakref.WeakKeyDictionary()


def _autocommit_engine(bind: Engine) -> Engine:
    """An engine like `bind` (same URL and options) whose connections autocommit; one per
    process, made on first use (so never shared across a fork)."""
    pid = os.getpid()
    known = _by_bind.get(bind)
    if known is not None and known[0] == pid:
        return known[1]
    key = (pid, bind.url.render_as_string(hide_password=False))
    engine = _autocommit.get(key)
    if engine is None:
        options = dict(current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["pool_reset_on_return"] = None  # an autocommit connection has nothing to undo
        engine = _autocommit[key] = create_engine(bind.url, isolation_level="AUTOCOMMIT",
                                                  **options)
    _by_bind[bind] = (pid, engine)
    return engine


class _Held(threading.local):
    """This thread's autocommit connection, kept checked out of its engine's pool between
    standalone statements, with one cursor: a checkout, a proxied cursor and a check-in per
    statement were measured at about a quarter of a reflection part's CPU in-process
    (bench/README.md, "Held connection").

    It is given back and taken again once it is older than the pool's `pool_recycle` (so the
    pool still recycles it), and dropped when a statement finds it disconnected (the next
    statement takes a fresh one); a fork is told by the pid, as for the engine."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.pid = 0
        self.fairy: PoolProxiedConnection | None = None
        self.dbapi: Any = None
        self.cursor: Any = None
        self.renew_at = 0.0

    def take(self, engine: Engine) -> None:
        """Check a connection out of `engine`'s pool (giving back any held before)."""
        self.give_back()
        self.fairy = engine.raw_connection()
        self.engine, self.pid = engine, os.getpid()
        self.dbapi = self.fairy.dbapi_connection
        self.cursor = self.dbapi.cursor()
        recycle = engine.pool._recycle  # the engine's pool_recycle (-1: never)
        self.renew_at = time.monotonic() + (recycle if recycle > 0 else float("inf"))

    def _forget(self) -> PoolProxiedConnection | None:
        """Hold nothing any more; the connection that was held, if any."""
        fairy, self.fairy, self.dbapi, self.cursor, self.engine = (
            self.fairy, None, None, None, None)
        return fairy

    def give_back(self) -> None:
        """Return the held connection to its pool (nothing when none is held)."""
        fairy = self._forget()
        if fairy is None:
            return
        if self.pid == os.getpid():
            fairy.close()
        else:  # the parent's, inherited by a fork: never closed here (its socket is shared)
            _INHERITED.append(fairy)

    def invalidate(self, error: BaseException) -> None:
        """The connection is gone: tell the pool and hold nothing."""
        fairy = self._forget()
        if fairy is not None:
            fairy.invalidate(error)


_HELD = _Held()
_INHERITED: list[PoolProxiedConnection] = []  # kept from garbage collection, never used


def _held(engine: Engine) -> _Held:
    """This thread's held connection of `engine`, taken or renewed when needed."""
    held = _HELD
    if (held.engine is not engine or held.pid != os.getpid()
            or time.monotonic() >= held.renew_at):
        held.take(engine)
    return held
