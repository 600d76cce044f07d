"""Campaigns (冬训, 主题活动): a named period with an audience, required items and hours."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class CampaignKind(enum.StrEnum):
    """What kind of campaign (docs/glossary.md: 冬训 / 主题活动)."""

    WINTER_TRAINING = "winter_training"
    THEME = "theme"


class Campaign(db.Model):
    """A campaign: its name (materials name it in their front matter), period and audience."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=CampaignKind.WINTER_TRAINING)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)
    required_hours: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False), default=0)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
