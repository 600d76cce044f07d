"""Which databases the demo may fill: its own, told by a mark it writes, never by the URL.

The demo (`./dev demo`, `flask demo seed`) writes 500 fictional members, months of records
and a console admin. Written into a real deployment's database they would be taken for the
committee's own figures and hand out an admin login, so the demo claims a database first:
- a database already marked "demo" is the demo's;
- an empty one (a fresh schema: no row in any table) is marked and becomes the demo's;
- any other one is refused, unless the caller names the override for test environments.
"""

from __future__ import annotations

import re

from sqlalchemy import inspect, select, table

from models import InstanceMark, db

DEMO = "demo"
DEMO_CONSOLE_USER = "demo-admin"  # the demo's local console admin (a random password each start)
DEMO_NAMES = re.compile(r"demo(?:[-_.].*)?", re.IGNORECASE)  # accounts named like the demo's
SHOWN_TABLES = 3
UNCOUNTED = {InstanceMark.__tablename__, "alembic_version"}


class NotADemoDatabase(RuntimeError):
    """The database holds rows the demo did not write; the message names the tables."""


def is_demo_database() -> bool:
    """Does the database carry the demo's mark (read before or after migrating)?"""
    if not inspect(db.engine).has_table(InstanceMark.__tablename__):
        return False
    return db.session.get(InstanceMark, DEMO) is not None


def filled_tables() -> list[str]:
    """The tables holding at least one row, the marks and Alembic's version aside (read from
    the database itself, so an older schema is judged before it is migrated)."""
    names = sorted(set(inspect(db.engine).get_table_names()) - UNCOUNTED)
    return [name for name in names
            if db.session.execute(select(1).select_from(table(name)).limit(1)).first()]


def check_demo_database(allow_other: bool = False) -> None:
    """NotADemoDatabase unless the demo may write here: marked as the demo's, or empty (or
    `allow_other`, the override for test environments). Reads only."""
    if allow_other or is_demo_database():
        return
    filled = filled_tables()
    if filled:
        shown = ", ".join(filled[:SHOWN_TABLES]) + (", …" if len(filled) > SHOWN_TABLES else "")
        raise NotADemoDatabase(
            f"this database holds data the demo did not write (rows in {shown}); the demo only "
            "fills an empty database or one it marked itself")


def mark_demo() -> None:
    """Mark the (migrated) database as the demo's (not committed)."""
    if db.session.get(InstanceMark, DEMO) is None:
        db.session.add(InstanceMark(kind=DEMO))
        db.session.flush()


def claim_for_demo(allow_other: bool = False) -> None:
    """Check the migrated database may be the demo's, then mark it (not committed)."""
    check_demo_database(allow_other)
    mark_demo()


def is_demo_account_name(username: str) -> bool:
    """Is this console account named like the demo's (demo-admin, demo, demo_x …)?"""
    return DEMO_NAMES.fullmatch(username) is not None
