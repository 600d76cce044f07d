"""Admin broadcasts (群发) and the branch group robots (群机器人) they can also reach."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from models.base import UTCDateTime, db, utcnow
from models.outbound import OutboundMessage
from models.roster import Organization


class BroadcastStatus(enum.StrEnum):
    """Where a broadcast stands."""

    SCHEDULED = "scheduled"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    RECALLED = "recalled"


class Broadcast(db.Model):
    """One broadcast: content, audience (definition and the userids resolved at 确认), outcome."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender: Mapped[str] = mapped_column(String(100))  # a userid, or cli:<os user>
    content_kind: Mapped[str] = mapped_column(String(16))  # text | markdown | material | digest
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the message/send body
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)  # the definition
    audience_size: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=BroadcastStatus.SCHEDULED,
                                        index=True)
    send_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    confirm_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    outbound_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id"))
    robot_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # group chats too
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    outbound: Mapped[OutboundMessage | None] = relationship()

    @property
    def number(self) -> str:
        """The number admins quote, e.g. QF-2026-0017."""
        return f"QF-{clock.year_of(self.created_at or utcnow())}-{self.id:04d}"


class GroupRobot(db.Model):
    """A branch's WeCom group robot: broadcasts can also go to its group chat."""

    __tablename__ = "group_robots"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    webhook_key: Mapped[str] = mapped_column(String(200), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organization: Mapped[Organization | None] = relationship()


class GroupMessage(db.Model):
    """What was sent to one group chat for one broadcast (sent once; 20 a minute per robot)."""

    __tablename__ = "group_messages"
    __table_args__ = (UniqueConstraint("broadcast_id", "robot_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    broadcast_id: Mapped[int] = mapped_column(ForeignKey("broadcasts.id"), index=True)
    robot_id: Mapped[int] = mapped_column(ForeignKey("group_robots.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # sent | failed
    error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
