"""Statements of the hottest paths, run straight on the session's DBAPI cursor.

SQLAlchemy's execution machinery (execution context, result object, events) costs about as
much CPU per statement as psycopg itself: ~180 µs of ~330 µs on the 2-core bench machine
(bench/README.md, "This stop: round trips and machinery"). For the few statements every chat
message runs (the processed record, a reflection part, the draft read) a `DirectStatement` is a Core
statement compiled once per dialect and run on the DBAPI cursor of the session's own
connection (same transaction, same SQL, the column types' own bind processors, DBAPI errors
raised as SQLAlchemy's, a dropped connection invalidated as SQLAlchemy would), or, standalone,
on an autocommit connection of its own. Everything else keeps the ORM.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import Any

from flask import current_app
from sqlalchemy import create_engine, exc
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.orm import Session, scoped_session
from sqlalchemy.sql import ClauseElement, Insert, Update

from models.base import db

WROTE = "pioneer_flushed"  # session.info flag: this transaction flushed or executed writes
# session.info flag: a standalone write wrote the processed record too
PROCESSED_WRITTEN = "pioneer_processed_written"


class _Plan:
    """One statement compiled for one dialect."""

    def __init__(self, statement: ClauseElement, dialect: Dialect) -> None:
        self.compiled = statement.compile(dialect=dialect)
        self.sql = str(self.compiled)
        self.order: list[str] | None = (
            list(self.compiled.positiontup or []) if dialect.positional else None)
        self.processors: Mapping[str, Callable[[Any], Any]] = self.compiled._bind_processors

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
        atomic on its own and carries the message's processed record (the caller sets
        PROCESSED_WRITTEN).
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
        raw = engine.raw_connection()
        try:
            return self._run(engine.dialect, raw, raw.invalidate, params)
        finally:
            raw.close()

    def _run(self, dialect: Dialect, dbapi_connection: Any,
             invalidate: Callable[[BaseException], None],
             params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Execute on a cursor of `dbapi_connection`; a DBAPI error is raised as SQLAlchemy's
        own class, and a dropped connection is invalidated as SQLAlchemy would."""
        plan = self._plan(dialect)
        values = plan.parameters(params)
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(plan.sql, values)
            return list(cursor.fetchall()) if cursor.description else []
        except dialect.loaded_dbapi.Error as error:
            disconnect = dialect.is_disconnect(error, dbapi_connection, cursor)
            if disconnect:
                invalidate(error)
            raise exc.DBAPIError.instance(plan.sql, values, error, dialect.loaded_dbapi.Error,
                                          connection_invalidated=disconnect,
                                          dialect=dialect) from error
        finally:
            cursor.close()

    def _plan(self, dialect: Dialect) -> _Plan:
        plan = self.plans.get(dialect.name)
        if plan is None:
            plan = self.plans[dialect.name] = _Plan(self.statement, dialect)
        return plan


_autocommit: dict[tuple[int, str], Engine] = {}


def _autocommit_engine(bind: Engine) -> Engine:
    """An engine like `bind` (same URL and options) whose connections autocommit; one per
    process, made on first use (so never shared across a fork)."""
    key = (os.getpid(), bind.url.render_as_string(hide_password=False))
    engine = _autocommit.get(key)
    if engine is None:
        options = dict(current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
        options["pool_reset_on_return"] = None  # an autocommit connection has nothing to undo
        engine = _autocommit[key] = create_engine(bind.url, isolation_level="AUTOCOMMIT",
                                                  **options)
    return engine
