"""Outbound messages: what the bot sends through message/send, and what became of it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class OutboundStatus(enum.StrEnum):
    """Where an outbound message stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class OutboundMessage(db.Model):
    """One message to send to users/parties/tags; a re-run job never sends it twice."""

    __tablename__ = "outbound_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    touser: Mapped[str] = mapped_column(Text, default="")
    toparty: Mapped[str] = mapped_column(Text, default="")
    totag: Mapped[str] = mapped_column(Text, default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    source_key: Mapped[str | None] = mapped_column(String(255), index=True)
    status: Mapped[str] = mapped_column(String(16), default=OutboundStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    wecom_msgids: Mapped[list[str]] = mapped_column(JSON, default=list)
    invalid_users: Mapped[str] = mapped_column(Text, default="")
    invalid_parties: Mapped[str] = mapped_column(Text, default="")
    invalid_tags: Mapped[str] = mapped_column(Text, default="")
    unlicensed_users: Mapped[str] = mapped_column(Text, default="", server_default="")
    sent_batches: Mapped[int] = mapped_column(default=0)
    # Send with WeCom's enable_duplicate_check: content meant once per source (docs/reliability.md)
    duplicate_check: Mapped[bool] = mapped_column(default=False, server_default=false())
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
