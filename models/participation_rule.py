"""The admins' participation rules: per kind, the hours and points of one item and the daily
caps on points and hours, each from a start date on (the committee's day).

A kind without a rule in force counts with the settings (participation/settings.py). A rule
never changes a ledger row already written: it applies to participations on or after its day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Float, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class ParticipationRule(db.Model):
    """One kind's hours, points and daily caps from `starts_on` until the next rule's day."""

    __tablename__ = "participation_rules"
    __table_args__ = (UniqueConstraint("kind", "starts_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    starts_on: Mapped[date] = mapped_column(Date)
    hours: Mapped[float] = mapped_column(Float)  # study hours of one item (学时)
    points: Mapped[int]  # points of one item (积分)
    daily_points: Mapped[int]  # at most this many points of the kind a day
    daily_hours: Mapped[float] = mapped_column(Float)  # at most this many hours of it a day
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
