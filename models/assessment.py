"""考核: the targets and weights admins set for the measures of the organisations' scorecard.

A measure without a row here counts with its documented default (assessment/measures.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class ScoreRule(db.Model):
    """One measure's target and weight as an admin set them in the console."""

    __tablename__ = "score_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure: Mapped[str] = mapped_column(String(32), unique=True)
    target: Mapped[float] = mapped_column(Float)
    weight: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
