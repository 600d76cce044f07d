"""Activities: events the committee or an organisation runs that members check in to — a
screening of an education film (教育片观看), a session of a training (培训班), a visit to the
committee's hall (政治生活馆参访) and a lecture the committee organises itself (党委组织的宣讲,
not a 点单) — and the trainings with their enrolments."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow
from models.roster import Member, Organization
from models.study import Material


class ActivityKind(enum.StrEnum):
    """What an activity is (docs/glossary.md)."""

    SCREENING = "screening"  # 教育片观看: an organisation's group viewing of a film
    TRAINING = "training"  # one session of a training (培训班)
    VISIT = "visit"  # a confirmed visit to the hall (政治生活馆参访)
    LECTURE = "lecture"  # a lecture the committee organises itself (党委组织的宣讲)


class Activity(db.Model):
    """One held event with a check-in window: when, where, who runs it, its check-in code.

    `organization_id` is the organisation that holds it (a screening) or visits (a hall
    visit); None when the committee runs it. `guests` counts attendees who are not in the
    roster (non-member visitors, an outside audience), entered by staff or the contact;
    members are counted by their check-ins."""

    __tablename__ = "activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"),
                                                        index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(100), default="")
    checkin_code: Mapped[str | None] = mapped_column(String(6), index=True)
    checkin_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    guests: Mapped[int] = mapped_column(default=0)
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"), index=True)
    training_id: Mapped[int | None] = mapped_column(ForeignKey("trainings.id"), index=True)
    speaker: Mapped[str] = mapped_column(String(100), default="")  # may be outside the roster
    speaker_member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # console create

    organization: Mapped[Organization | None] = relationship()
    material: Mapped[Material | None] = relationship()
    training: Mapped[Training | None] = relationship(back_populates="sessions")
    speaker_member: Mapped[Member | None] = relationship()
    audience: Mapped[list[ActivityAudience]] = relationship(
        cascade="all, delete-orphan", order_by="ActivityAudience.organization_id")


class ActivityAudience(db.Model):
    """An organisation invited to an activity (a committee lecture's audience)."""

    __tablename__ = "activity_audiences"
    __table_args__ = (UniqueConstraint("activity_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activities.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))

    organization: Mapped[Organization] = relationship()


class TrainingKind(enum.StrEnum):
    """Who a training is for."""

    WORKERS = "workers"  # 党务工作者
    ACTIVISTS = "activists"  # 入党积极分子
    LECTURERS = "lecturers"  # 红色讲师


class Training(db.Model):
    """A training (培训班): its kind, planned sessions and the study hours each credits.

    Its sessions are activities of kind training; only enrolled members check in to them."""

    __tablename__ = "trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(200))
    planned_sessions: Mapped[int] = mapped_column(default=1)
    session_hours: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False), default=2.0)
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    place: Mapped[str] = mapped_column(String(100), default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    sessions: Mapped[list[Activity]] = relationship(back_populates="training",
                                                    order_by="Activity.starts_at")


class TrainingEnrolment(db.Model):
    """A member enrolled in a training (报名 / 录取)."""

    __tablename__ = "training_enrolments"
    __table_args__ = (UniqueConstraint("training_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    enrolled_by: Mapped[str] = mapped_column(String(100))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[Member] = relationship()
    training: Mapped[Training] = relationship()
