"""Participation (参学): the ledger, yearly totals, check-ins, meetings, live sessions,
campaign requirements, 学习强国 self-reports and nudges."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow
from models.roster import Member, Organization


class ParticipationKind(enum.StrEnum):
    """What a member took part in (one ledger row each)."""

    MATERIAL_READ = "material_read"
    MATERIAL_COMPLETED = "material_completed"
    REFLECTION = "reflection"
    LECTURE = "lecture"  # checked in at a lecture
    LIVE = "live"  # watched a live session (红色直播间)
    MEETING = "meeting"  # attended an organisation meeting (三会一课)
    CAMPAIGN_ITEM = "campaign_item"  # a campaign activity not covered above
    QIANGGUO = "qiangguo"  # reported a week's 学习强国 score
    QUIZ = "quiz"  # answered a question of 每日答题 or 专项答题 right
    SCREENING = "screening"  # watched an education film at a screening (教育片观看)
    TRAINING = "training"  # attended a session of a training (培训班)
    VISIT = "visit"  # visited the hall (政治生活馆参访)


class Participation(db.Model):
    """One ledger row: who took part in what (kind + source), when, hours and points credited.

    Unique per member, kind and source, so nothing counts twice. `organization_id` is the
    member's main organisation when the row was written, so figures per organisation need
    no join through memberships."""

    __tablename__ = "participations"
    __table_args__ = (
        UniqueConstraint("member_id", "kind", "source"),
        Index("ix_participations_member_time", "member_id", "occurred_at"),
        Index("ix_participations_org_time", "organization_id", "occurred_at"),
        Index("ix_participations_time_kind", "occurred_at", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(String(24))
    source: Mapped[str] = mapped_column(String(64))  # e.g. "material:12", "lecture:5"
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    hours: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False), default=0)
    points: Mapped[int] = mapped_column(default=0)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[Member] = relationship()


class ParticipationTotal(db.Model):
    """A member's running totals for one year, kept with every ledger row (for fast ranks)."""

    __tablename__ = "participation_totals"
    __table_args__ = (
        UniqueConstraint("member_id", "year"),
        Index("ix_participation_totals_rank", "year", "points"),
        Index("ix_participation_totals_org_rank", "year", "organization_id", "points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    year: Mapped[int]
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    points: Mapped[int] = mapped_column(default=0)
    hours: Mapped[float] = mapped_column(Numeric(8, 2, asdecimal=False), default=0)
    count: Mapped[int] = mapped_column(default=0)


class CheckInStatus(enum.StrEnum):
    """Present (签到, possibly by a contact: 代签) or excused (请假)."""

    PRESENT = "present"
    LEAVE = "leave"


class CheckIn(db.Model):
    """A member's presence at (or leave from) a lecture, an organisation meeting or an activity."""

    __tablename__ = "check_ins"
    __table_args__ = (
        UniqueConstraint("member_id", "lecture_id", name="uq_check_ins_member_lecture"),
        UniqueConstraint("member_id", "meeting_id", name="uq_check_ins_member_meeting"),
        UniqueConstraint("member_id", "activity_id", name="uq_check_ins_member_activity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    lecture_id: Mapped[int | None] = mapped_column(ForeignKey("lectures.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("org_meetings.id"), index=True)
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=CheckInStatus.PRESENT)
    proxy_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))  # who did 代签
    # who did 代签 (or entered the leave) from a console account, which is no member
    proxy_actor: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")  # of a leave
    message_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[Member] = relationship(foreign_keys=[member_id])
    proxy: Mapped[Member | None] = relationship(foreign_keys=[proxy_id])


class MeetingKind(enum.StrEnum):
    """三会一课 and the monthly 主题党日."""

    ASSEMBLY = "assembly"  # 支部党员大会
    COMMITTEE = "committee"  # 支委会
    GROUP = "group"  # 党小组会
    LESSON = "lesson"  # 党课
    THEME_DAY = "theme_day"  # 主题党日


class OrgMeeting(db.Model):
    """An organisation's meeting (三会一课), recorded by its contact; members check in to it."""

    __tablename__ = "org_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    topic: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    checkin_code: Mapped[str | None] = mapped_column(String(6), index=True)
    checkin_closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # 结束签到 early
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    submit_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The written record (台账), kept by the console: where, the minutes, the photos' keys in
    # the private meeting-photo store, and the members absent (member id → reason; None: a
    # meeting recorded in chat or by the CLI, whose absences were never listed).
    place: Mapped[str] = mapped_column(String(100), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    photos: Mapped[list[str] | None] = mapped_column(JSON)
    absences: Mapped[dict[str, str] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organization: Mapped[Organization] = relationship()
    recorded_by: Mapped[Member] = relationship()


class LiveSession(db.Model):
    """A red live room session (红色直播间) whose viewer list was imported."""

    __tablename__ = "live_sessions"
    # A session is imported once: two imports of one list racing past the check still meet here.
    __table_args__ = (UniqueConstraint("title", "starts_at", name="uq_live_sessions_title_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    lecture_id: Mapped[int | None] = mapped_column(ForeignKey("lectures.id"))
    viewers: Mapped[int] = mapped_column(default=0)  # every row of the imported list
    unmatched_viewers: Mapped[int] = mapped_column(default=0)  # not in the roster
    source_file: Mapped[str] = mapped_column(String(300), default="")
    imported_by: Mapped[str] = mapped_column(String(100))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class CampaignItemKind(enum.StrEnum):
    """What a campaign requires: read a material, attend a lecture, submit reflections."""

    MATERIAL = "material"
    LECTURE = "lecture"
    REFLECTION = "reflection"


class CampaignItem(db.Model):
    """One required item of a campaign (e.g. 冬训: read these materials, submit 2 reflections)."""

    __tablename__ = "campaign_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"))
    lecture_id: Mapped[int | None] = mapped_column(ForeignKey("lectures.id"))
    count: Mapped[int] = mapped_column(default=1)  # for reflections: how many
    title: Mapped[str] = mapped_column(String(200), default="")


class QiangguoReport(db.Model):
    """A member's self-reported 学习强国 score for one week (Monday's date)."""

    __tablename__ = "qiangguo_reports"
    __table_args__ = (UniqueConstraint("member_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"),
                                                         index=True)
    week: Mapped[date]
    score: Mapped[int | None]
    media_id: Mapped[str | None] = mapped_column(String(255))  # a screenshot
    image: Mapped[bytes | None] = mapped_column(LargeBinary)  # the screenshot, once fetched
    image_type: Mapped[str | None] = mapped_column(String(50))
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[Member] = relationship()


class Nudge(db.Model):
    """A reminder sent to a member, keyed by kind and period so it goes at most once."""

    __tablename__ = "nudges"
    __table_args__ = (UniqueConstraint("member_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # idle, contact_digest, meeting, qiangguo
    period: Mapped[str] = mapped_column(String(16))  # e.g. 2026-W47, 2026-11, 2026-Q4
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
