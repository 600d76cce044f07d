"""宣传成果 and 评选: what was published outside about the committee's work, and the year's
honours admins decided."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow
from models.roster import Member, Organization


class PublicationPlatform(enum.StrEnum):
    """Where a publicity result appeared."""

    QIANGGUO_PROVINCE = "qiangguo_province"  # 学习强国 省级平台
    QIANGGUO_CITY = "qiangguo_city"  # 学习强国 市级平台
    NEWSPAPER = "newspaper"  # 报刊
    WEBSITE = "website"  # 网站 (人民网 …)
    TV = "tv"  # 电视台


class PublicationLevel(enum.StrEnum):
    """The level of the outlet (学习强国 platforms carry theirs)."""

    NATIONAL = "national"
    PROVINCE = "province"
    CITY = "city"
    DISTRICT = "district"


class Publication(db.Model):
    """宣传成果: an article or video published outside, recorded by staff."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    media: Mapped[str] = mapped_column(String(16), default="article")  # article or video
    platform: Mapped[str] = mapped_column(String(24), index=True)
    level: Mapped[str] = mapped_column(String(16))
    outlet: Mapped[str] = mapped_column(String(100), default="")  # 人民网, 无锡日报 …
    published_on: Mapped[date] = mapped_column(index=True)
    url: Mapped[str] = mapped_column(String(500), default="")
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    organization: Mapped[Organization | None] = relationship()
    member: Mapped[Member | None] = relationship()


class AwardKind(enum.StrEnum):
    """The year's honours (评选)."""

    EXCELLENT_BRANCH = "excellent_branch"  # 优秀党支部 (an organisation)
    ADVANCED_COLLECTIVE = "advanced_collective"  # 学习先进集体 (an organisation)
    STUDY_STAR = "study_star"  # 学习达人 (a member)
    STUDY_MODEL = "study_model"  # 学习标兵 (a member)


class Award(db.Model):
    """One honour of a year, to an organisation or a member, with the rule it was chosen by
    and the figure the candidate stood on when it was decided.

    `subject` is "org:<id>" or "member:<id>": unique per year and kind, so nobody is honoured
    twice with the same title. `published_at` is set when the list went out by broadcast."""

    __tablename__ = "awards"
    __table_args__ = (UniqueConstraint("year", "kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(40))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"), index=True)
    rule: Mapped[str] = mapped_column(String(300), default="")
    figure: Mapped[str] = mapped_column(String(200), default="")
    decided_by: Mapped[str] = mapped_column(String(100))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id"))

    organization: Mapped[Organization | None] = relationship()
    member: Mapped[Member | None] = relationship()
