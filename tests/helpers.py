"""Small helpers shared by tests: the repository's root, the test app's WeCom token and key,
counting what was written, collecting the SQL run, the committee's default zone, letting go
of ended tests' engines."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import Select, event, func, select

from bot.extensions import redis_store
from models import Base, db

# The checkout's root (tests/ sits in it; the test modules are in folders below tests/).
ROOT = Path(__file__).resolve().parent.parent

# The callback's token and AES key of the test app (tests/conftest.py's `app`).
AES_KEY = base64.b64encode(b"pioneer-test-key-32-bytes-long!!").decode()[:43]
TOKEN = "pioneer-test-token"

# The committee's zone by default (COMMITTEE_TIMEZONE unset): tests state times in it.
SHANGHAI = ZoneInfo("Asia/Shanghai")


@contextmanager
def sql_statements(app: Flask) -> Iterator[list[str]]:
    """Collect the SQL statements the app's engine runs while inside."""
    seen: list[str] = []
    with app.app_context():
        engine = db.engine

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


@cache
def _row_counts() -> tuple[list[str], Select[tuple[int, ...]]]:
    """The table names and one statement counting the rows of each, in that order."""
    tables = Base.metadata.sorted_tables
    return [table.name for table in tables], select(*[
        select(func.count()).select_from(table).scalar_subquery().label(f"t{index}")
        for index, table in enumerate(tables)])


def written(app: Flask) -> dict[str, int]:
    """Row counts of every table plus the number of Redis keys (to prove nothing was written).

    One statement counts every table (a round trip instead of one per table)."""
    names, statement = _row_counts()
    with app.app_context():
        counts = dict(zip(names, db.session.execute(statement).one(), strict=True))
        counts["redis_keys"] = redis_store.client.dbsize()
        return counts


def forget_test_engines() -> None:
    """Drop what the ORM compiled for the engines of tests that have ended.

    Each mapper keeps the INSERT/UPDATE/DELETE statements its flushes compiled (up to ~150 per
    mapper), keyed by dialect, and every test's app brings a new engine and dialect. So each
    cached statement kept a dead test's dialect alive, and with it every type processor that
    dialect made: by the end of a whole run over a million objects no test used again, which
    the collector scanned on every full collection (1-1.5 minutes per worker). A production
    process has one engine, so only the tests need this."""
    for mapper in Base.registry.mappers:
        cache = mapper.__dict__.get("_compiled_cache")  # SQLAlchemy 2.0's memoized LRU cache
        if cache is not None:
            cache.clear()
