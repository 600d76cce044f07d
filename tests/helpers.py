"""Small helpers shared by tests: counting what was written."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from bot.extensions import redis_store
from models import Base, db


def written(app: Flask) -> dict[str, int]:
    """Row counts of every table plus the number of Redis keys (to prove nothing was written)."""
    with app.app_context():
        counts = {
            table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }
        counts["redis_keys"] = redis_store.client.dbsize()
        return counts
