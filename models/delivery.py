"""Material deliveries: one row per member and material the first time the material reached
the member, whatever way it went out (a push, a 群发, the featured-reflections digest, a nudge
card). Counted once however many times it was sent again (docs/deliveries.md)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class DeliveryVia(enum.StrEnum):
    """The way a material first reached a member."""

    PUSH = "push"  # a scheduled push (推送)
    BROADCAST = "broadcast"  # a 群发 of the material, in chat, the console or the CLI
    DIGEST = "digest"  # the featured-reflections digest (优秀心得选登), sent by its push
    NUDGE = "nudge"  # the weekly reminder card to an idle member (提醒卡片)


class MaterialDelivery(db.Model):
    """Material M reached member X: first at, by which way and which send (e.g. broadcast:12)."""

    __tablename__ = "material_deliveries"
    __table_args__ = (UniqueConstraint("member_id", "material_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"), index=True)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    via: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(100))  # occurrence:7, broadcast:12, nudge:2026-W47
