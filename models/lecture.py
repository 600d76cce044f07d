"""Lectures ordered from the red-lecturer pool: topics, orders, lectures, ratings, applications."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

import clock
from models.base import UTCDateTime, db, utcnow
from models.roster import Member, Organization


class OrderStatus(enum.StrEnum):
    """An order's place in its life (待受理 → 已派单 → 已确认 → 已完成 → 已评价)."""

    PENDING = "pending"
    DISPATCHED = "dispatched"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    RATED = "rated"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class LectureMode(enum.StrEnum):
    """Offline in a room, or online in the red live room (红色直播间)."""

    OFFLINE = "offline"
    LIVE = "live"


class Topic(db.Model):
    """An orderable lecture topic (宣讲菜单), offered by one or more lecturers."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(50), default="")
    minutes: Mapped[int] = mapped_column(default=60)
    modes: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    # The console and content/topics.yaml both write topics: `topics sync` leaves alone a
    # topic edited in the console since it was last imported (unless --force), and never
    # retires one that was never imported (created in the console).
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last console change
    imported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last written by sync
    create_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # console form's

    lecturers: Mapped[list[TopicLecturer]] = relationship(
        back_populates="topic", cascade="all, delete-orphan")

    @property
    def edited_since_import(self) -> bool:
        """True when the console changed the topic after the file last wrote it (or the
        console created it)."""
        return self.edited_at is not None and (self.imported_at is None
                                               or self.edited_at > self.imported_at)


class TopicLecturer(db.Model):
    """A lecturer who offers a topic."""

    __tablename__ = "topic_lecturers"
    __table_args__ = (UniqueConstraint("topic_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)

    topic: Mapped[Topic] = relationship(back_populates="lecturers")
    member: Mapped[Member] = relationship()


class LectureOrder(db.Model):
    """An organisation's request for a lecture (点单), run through dispatch to rating."""

    __tablename__ = "lecture_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO start times, UTC
    audience: Mapped[int] = mapped_column(default=0)
    mode: Mapped[str] = mapped_column(String(16), default=LectureMode.OFFLINE)
    address: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=OrderStatus.PENDING, index=True)
    reason: Mapped[str | None] = mapped_column(Text)  # of a rejection or the last decline
    submit_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organization: Mapped[Organization] = relationship()
    contact: Mapped[Member] = relationship()
    topic: Mapped[Topic] = relationship()
    lecture: Mapped[Lecture | None] = relationship(back_populates="order", uselist=False)

    @property
    def number(self) -> str:
        """The number contacts and admins quote, e.g. DD-2026-0042."""
        return f"DD-{clock.year_of(self.created_at or utcnow())}-{self.id:04d}"


class Lecture(db.Model):
    """One held session: the dispatched lecturer, time, place and what happened."""

    __tablename__ = "lectures"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("lecture_orders.id"), unique=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), index=True)
    lecturer_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(300), default="")
    mode: Mapped[str] = mapped_column(String(16), default=LectureMode.OFFLINE)
    expected_audience: Mapped[int] = mapped_column(default=0)
    attendance: Mapped[int | None]
    live_viewers: Mapped[int | None]
    checkin_code: Mapped[str] = mapped_column(String(6))
    checkin_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # 结束签到 early
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    order: Mapped[LectureOrder | None] = relationship(back_populates="lecture")
    topic: Mapped[Topic] = relationship()
    lecturer: Mapped[Member] = relationship()


class Rating(db.Model):
    """The ordering organisation's score (1–5) and comment after the lecture (评单)."""

    __tablename__ = "ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("lecture_orders.id"), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LecturerApplication(db.Model):
    """A member's application to join the next batch of red lecturers (讲师报名)."""

    __tablename__ = "lecturer_applications"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    specialties: Mapped[str] = mapped_column(String(200))
    experience: Mapped[str] = mapped_column(Text)
    sample_topic: Mapped[str] = mapped_column(String(200))
    batch: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="pending")  # approved, declined
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    member: Mapped[Member] = relationship()


class ApplicationRound(db.Model):
    """A round of lecturer applications (第三批红色讲师报名): members may apply in chat only
    while one is open; at most one is open at a time (`is_open` is True, or NULL once closed)."""

    __tablename__ = "application_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    batch: Mapped[int]  # the batch its applicants apply for
    is_open: Mapped[bool | None] = mapped_column(unique=True)  # True while open: one at a time
    opened_by: Mapped[str] = mapped_column(String(100))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_by: Mapped[str | None] = mapped_column(String(100))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
