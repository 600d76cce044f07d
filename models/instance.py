"""Marks a tool leaves on the database it owns (the demo marks the databases it filled)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class InstanceMark(db.Model):
    """One mark, by kind: "demo" on a database every row of which the demo wrote."""

    __tablename__ = "instance_marks"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
