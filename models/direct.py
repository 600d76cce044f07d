"""Statements of the hottest paths, run straight on the session's DBAPI cursor.

SQLAlchemy's execution machinery (execution context, result object, events) costs about as
much CPU per statement as psycopg itself: ~180 µs of ~330 µs on the 2-core bench machine
(bench/README.md, "The write path"). For the few statements every chat message runs (the
ledger row, a reflection part) a `DirectStatement` is a Core statement compiled once per
dialect and run on the DBAPI cursor of the session's own connection: same transaction, same
SQL, the column types' own bind processors, DBAPI errors raised as SQLAlchemy's (a dropped
connection is invalidated as SQLAlchemy would). Everything else keeps the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement, Insert, Update

WROTE = "pioneer_flushed"  # session.info flag: this transaction flushed or executed writes


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

    def execute(self, session: Session, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        """Run in the session's transaction; the rows it returns (RETURNING or SELECT)."""
        connection = session.connection()
        dialect = connection.dialect
        plan = self.plans.get(dialect.name)
        if plan is None:
            plan = self.plans[dialect.name] = _Plan(self.statement, dialect)
        values = plan.parameters(params)
        if self.writes:
            session.info[WROTE] = True
        dbapi_connection = connection.connection
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(plan.sql, values)
            return list(cursor.fetchall()) if cursor.description else []
        except dialect.loaded_dbapi.Error as error:
            raise _translated(connection, cursor, plan.sql, values, error) from error
        finally:
            cursor.close()


def _translated(connection: Connection, cursor: Any, sql: str, values: Any,
                error: Exception) -> exc.DBAPIError:
    """The DBAPI error as SQLAlchemy's own class; a dropped connection is invalidated."""
    dialect = connection.dialect
    disconnect = dialect.is_disconnect(error, connection.connection, cursor)
    if disconnect:
        connection.invalidate(error)
    return exc.DBAPIError.instance(sql, values, error, dialect.loaded_dbapi.Error,
                                   connection_invalidated=disconnect, dialect=dialect)
