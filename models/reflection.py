"""Reflections (心得体会): written in conversation, part by part, then submitted and reviewed."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from models.base import UTCDateTime, db, utcnow
from models.roster import Member


class ReflectionStatus(enum.StrEnum):
    """Where a reflection stands (members see 已提交 / 已点评 / 优秀 / 退回)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    FEATURED = "featured"
    RETURNED = "returned"


class SubjectKind(enum.StrEnum):
    """What a reflection is about."""

    MATERIAL = "material"
    LECTURE = "lecture"
    CAMPAIGN = "campaign"
    FREE = "free"


class Reflection(db.Model):
    """One reflection; its text is the concatenation of its current parts."""

    __tablename__ = "reflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16), default=SubjectKind.FREE)
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))
    subject_title: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(default=0)
    image_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default=ReflectionStatus.DRAFT, index=True)
    consent_public: Mapped[bool] = mapped_column(default=False)  # name shown when featured
    featured: Mapped[bool] = mapped_column(default=False)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    review_comment: Mapped[str | None] = mapped_column(Text)
    submit_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    reviewer: Mapped[Member | None] = relationship(foreign_keys=[reviewer_id])
    parts: Mapped[list[ReflectionPart]] = relationship(
        back_populates="reflection", order_by="ReflectionPart.id", cascade="all, delete-orphan")

    @property
    def number(self) -> str:
        """The number members and reviewers quote, e.g. XD-2026-000123."""
        year = clock.year_of(self.submitted_at or self.created_at or utcnow())
        return f"XD-{year}-{self.id:06d}"


class ReflectionPart(db.Model):
    """One message of a reflection as it arrived: a text or a photo; never deleted."""

    __tablename__ = "reflection_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    reflection_id: Mapped[int] = mapped_column(ForeignKey("reflections.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # text | image
    text: Mapped[str] = mapped_column(Text, default="")
    media_id: Mapped[str | None] = mapped_column(String(200))
    image: Mapped[bytes | None] = mapped_column(LargeBinary)
    image_type: Mapped[str | None] = mapped_column(String(50))
    superseded: Mapped[bool] = mapped_column(default=False)  # replaced by a revision
    source_key: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reflection: Mapped[Reflection] = relationship(back_populates="parts")



