"""Study materials, their series, who read them, and scheduled pushes of them."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow


class MaterialKind(enum.StrEnum):
    """What a material is (docs/glossary.md: 学习材料, 微党课, 教育片, ...)."""

    ARTICLE = "article"
    BOOK_CHAPTER = "book_chapter"
    SPEECH = "speech"
    MICRO_LESSON = "micro_lesson"
    FILM = "film"
    LIVE_REPLAY = "live_replay"


class Series(db.Model):
    """A run of materials pushed in order (专题 / 系列)."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)

    materials: Mapped[list[Material]] = relationship(
        back_populates="series", order_by="Material.series_position")


class Material(db.Model):
    """One study material, loaded from content/materials/<slug>.md by `content sync`."""

    __tablename__ = "materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"), index=True)
    series_position: Mapped[int | None]
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str] = mapped_column(Text, default="")
    cover: Mapped[str | None] = mapped_column(String(500))
    published_on: Mapped[date]
    campaign: Mapped[str | None] = mapped_column(String(100))
    minutes: Mapped[int] = mapped_column(default=5)
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The sync's conflict rule: a console save after the last import of the file is not
    # overwritten by the file (unless forced). No imported_at: created in the console.
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last console save
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last file import

    series: Mapped[Series | None] = relationship(back_populates="materials")

    @property
    def edited_since_import(self) -> bool:
        """True when a console save came after the file's last import (or there is no file)."""
        return self.edited_at is not None and (self.imported_at is None
                                               or self.edited_at > self.imported_at)


class MaterialVersion(db.Model):
    """One saved state of a material (console save, file import, restore): its fields as JSON."""

    __tablename__ = "material_versions"
    __table_args__ = (UniqueConstraint("material_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"), index=True)
    number: Mapped[int]  # 1, 2, 3, ... per material
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    actor: Mapped[str] = mapped_column(String(100))
    # The create form's one-time key: the same form submitted twice makes one material.
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    material: Mapped[Material] = relationship()


class MaterialRead(db.Model):
    """A member's reading of a material: once per member and material."""

    __tablename__ = "material_reads"
    __table_args__ = (UniqueConstraint("member_id", "material_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"), index=True)
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opens: Mapped[int] = mapped_column(default=1)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    seconds_spent: Mapped[int] = mapped_column(default=0)

    material: Mapped[Material] = relationship()


class PushStatus(enum.StrEnum):
    """Where a scheduled push stands."""

    ACTIVE = "active"
    PAUSED = "paused"  # nothing is sent until resumed (the tick sends active pushes only)
    DONE = "done"
    CANCELLED = "cancelled"


class Push(db.Model):
    """A scheduled delivery of a material (or a series' next item) to an audience."""

    __tablename__ = "pushes"

    id: Mapped[int] = mapped_column(primary_key=True)
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"kind": ..., "values": [...]}
    msgtype: Mapped[str] = mapped_column(String(16), default="news")
    repeat: Mapped[str] = mapped_column(String(16), default="once")  # once | daily | weekly
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)  # 0 = Monday
    next_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    status: Mapped[str] = mapped_column(String(16), default=PushStatus.ACTIVE, index=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    material: Mapped[Material | None] = relationship()
    series: Mapped[Series | None] = relationship()


class PushOccurrence(db.Model):
    """One due time of a push, sent exactly once (the unique key is the guard)."""

    __tablename__ = "push_occurrences"
    __table_args__ = (UniqueConstraint("push_id", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    push_id: Mapped[int] = mapped_column(ForeignKey("pushes.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    outbound_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_messages.id"))
    recipients: Mapped[int] = mapped_column(default=0)
    note: Mapped[str | None] = mapped_column(String(200))  # why nothing was sent, if so
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    push: Mapped[Push] = relationship()
    material: Mapped[Material | None] = relationship()


class PushDelivery(db.Model):
    """A member a push occurrence was sent to (for delivered / opened figures and link checks)."""

    __tablename__ = "push_deliveries"
    __table_args__ = (UniqueConstraint("occurrence_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    occurrence_id: Mapped[int] = mapped_column(ForeignKey("push_occurrences.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
