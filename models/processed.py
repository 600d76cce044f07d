"""Processed-message records: the database half of exactly-once handling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class ProcessedMessage(db.Model):
    """One inbound WeCom message or event that was handled; its key is unique."""

    __tablename__ = "processed_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    userid: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    handler: Mapped[str | None] = mapped_column(String(64))
    reply: Mapped[str | None] = mapped_column(Text)  # rendered inner reply XML, for replays
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


def find_processed(key: str) -> ProcessedMessage | None:
    """The processed record for this message key, or None if it was never handled."""
    return db.session.scalars(select(ProcessedMessage).where(ProcessedMessage.key == key)).first()
