"""The year's standing from the existing records: 学习强国 self-reports week by week, each
campaign's results, each organisation's 三会一课 against the requirements, and the lecturer pool.

Campaign results are campaigns.progress's, the meetings required are meetings.settings' and
the quarters meetings.requirements' — counted here only for the year, never a second way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import distinct, func, select

import clock
from campaigns import progress
from meetings import requirements
from meetings.recording import KINDS
from meetings.settings import FREQUENCIES, meeting_settings
from models import (
    Campaign,
    Member,
    MemberStatus,
    Organization,
    QiangguoReport,
    Role,
    RoleGrant,
    db,
)
from participation import rates
from report.records import counted_ids, counted_total, percent


@dataclass(frozen=True)
class WeekLine:
    """One week's 学习强国 self-reports: counted members who reported, of the counted."""

    week: date  # its Monday
    reporting: int
    members: int

    @property
    def share(self) -> str:
        """Reporting members over counted members."""
        return percent(self.reporting, self.members)


@dataclass(frozen=True)
class CampaignLine:
    """One campaign of the year: its audience by status (campaigns.progress)."""

    campaign_id: int
    name: str
    starts_on: date
    ends_on: date
    members: int
    done: int
    in_progress: int
    not_started: int

    @property
    def share(self) -> str:
        """Members done over the audience."""
        return percent(self.done, self.members)


@dataclass(frozen=True)
class MeetingLine:
    """One organisation's 三会一课 of the year's finished quarters against the requirements."""

    organization_id: int
    name: str
    held: dict[str, int]  # per required kind, over the counted quarters
    required: dict[str, int]
    met: int  # required meetings held (each quarter's shortfall not made up by another's surplus)

    @property
    def needed(self) -> int:
        """Meetings required over the counted quarters."""
        return sum(self.required.values())

    @property
    def complete(self) -> bool:
        """Every required meeting of every counted quarter held."""
        return self.needed > 0 and self.met >= self.needed

    @property
    def share(self) -> str:
        """Required meetings held over required meetings."""
        return percent(self.met, self.needed)

    @property
    def fraction(self) -> float:
        """The same share as a number from 0 to 1 (0 when nothing is required yet)."""
        return self.met / self.needed if self.needed else 0.0


@dataclass
class Standing:
    """The figures and lines of the year's standing."""

    figures: dict[str, Any] = field(default_factory=dict)
    weeks: list[WeekLine] = field(default_factory=list)
    campaigns: list[CampaignLine] = field(default_factory=list)
    meetings: list[MeetingLine] = field(default_factory=list)
    quarters: list[int] = field(default_factory=list)
    batches: dict[int | None, int] = field(default_factory=dict)  # lecturers per batch


def year_weeks(year: int, now: datetime) -> list[date]:
    """The Mondays of the year's weeks that have begun (a week is its Monday's year's)."""
    monday = date(year, 1, 1)
    monday += timedelta(days=(7 - monday.weekday()) % 7)
    last = min(date(year, 12, 31), clock.today(now))
    weeks = []
    while monday <= last:
        weeks.append(monday)
        monday += timedelta(days=7)
    return weeks


def qiangguo(year: int, now: datetime, members: int) -> tuple[dict[str, Any], list[WeekLine]]:
    """学习强国: each week's reporting counted members; those who never reported this year."""
    weeks = year_weeks(year, now)
    counted = counted_ids()
    in_year = [QiangguoReport.week >= weeks[0], QiangguoReport.week <= weeks[-1]] if weeks else [
        QiangguoReport.id.is_(None)]
    reported = dict(db.session.execute(
        select(QiangguoReport.week, func.count(distinct(QiangguoReport.member_id)))
        .where(*in_year, QiangguoReport.member_id.in_(counted))
        .group_by(QiangguoReport.week)).all())
    lines = [WeekLine(week, int(reported.get(week, 0)), members) for week in weeks]
    reporters = int(db.session.scalar(
        select(func.count(distinct(QiangguoReport.member_id)))
        .where(*in_year, QiangguoReport.member_id.in_(counted))) or 0)
    reports = sum(line.reporting for line in lines)
    never = members - reporters if weeks else 0
    return {"qiangguo_weeks": len(lines), "qiangguo_reporters": reporters,
            "qiangguo_average": round(reports / len(lines), 1) if lines else 0,
            "qiangguo_average_share": percent(reports, members * len(lines)),
            "qiangguo_never": never,
            "qiangguo_never_share": percent(never, members) if lines else "—"}, lines


def campaigns(year: int) -> list[CampaignLine]:
    """Every campaign whose period overlaps the year, with its audience's progress now."""
    found = db.session.scalars(select(Campaign).where(
        Campaign.starts_on <= date(year, 12, 31), Campaign.ends_on >= date(year, 1, 1))
        .order_by(Campaign.starts_on, Campaign.id))
    lines = []
    for campaign in found:
        total = progress.totals(progress.by_organization(
            progress.progress(campaign, progress.audience_ids(campaign))))
        lines.append(CampaignLine(campaign.id, campaign.name, campaign.starts_on,
                                  campaign.ends_on, total.members, total.done,
                                  total.in_progress, total.not_started))
    return lines


def finished_quarters(year: int, now: datetime) -> list[int]:
    """The quarters of the year that have ended by `now` (all four of a past year)."""
    return [q for q in range(1, 5) if requirements.quarter_bounds(year, q)[1] <= now]


def meetings(year: int, now: datetime) -> tuple[list[int], list[MeetingLine]]:
    """Each counted organisation's required meetings held in the year's finished quarters."""
    quarters = finished_quarters(year, now)
    wanted = {kind: FREQUENCIES[frequency]
              for kind, frequency in meeting_settings().requirements.items()}
    kinds = [kind for kind in KINDS if kind in wanted]
    orgs = list(db.session.execute(rates.counted_members(Organization.id, Organization.name)
                                   .group_by(Organization.id, Organization.name)
                                   .order_by(Organization.name, Organization.id)))
    ids = [org_id for org_id, _ in orgs]
    by_quarter = [requirements.held_counts(ids, year, q) for q in quarters] if ids else []
    lines = []
    for org_id, name in orgs:
        held = {kind: sum(q[org_id].get(kind, 0) for q in by_quarter) for kind in kinds}
        met = sum(min(q[org_id].get(kind, 0), wanted[kind]) for q in by_quarter
                  for kind in kinds)
        lines.append(MeetingLine(org_id, name, held,
                                 {kind: wanted[kind] * len(quarters) for kind in kinds}, met))
    return quarters, lines


def lecturer_pool() -> dict[int | None, int]:
    """Active lecturers (the lecturer role) per batch they were trained in (None: unknown)."""
    rows = db.session.execute(
        select(RoleGrant.batch, func.count(distinct(RoleGrant.member_id)))
        .join(Member, Member.id == RoleGrant.member_id)
        .where(RoleGrant.role == Role.LECTURER, Member.status == MemberStatus.ACTIVE)
        .group_by(RoleGrant.batch))
    return dict(sorted(((batch, int(n)) for batch, n in rows),
                       key=lambda item: (item[0] is None, item[0] or 0)))


def build_standing(year: int, now: datetime, members: int | None = None) -> Standing:
    """The year's standing from the existing records."""
    members = counted_total() if members is None else members
    found = Standing()
    found.figures, found.weeks = qiangguo(year, now, members)
    found.campaigns = campaigns(year)
    found.quarters, found.meetings = meetings(year, now)
    found.batches = lecturer_pool()
    pool = int(db.session.scalar(
        select(func.count(distinct(RoleGrant.member_id)))
        .join(Member, Member.id == RoleGrant.member_id)
        .where(RoleGrant.role == Role.LECTURER, Member.status == MemberStatus.ACTIVE)) or 0)
    found.figures.update({
        "campaigns": len(found.campaigns),
        "meeting_quarters": len(found.quarters),
        "meeting_organizations": len(found.meetings),
        "meeting_complete": sum(1 for line in found.meetings if line.complete),
        "lecturer_pool": pool,
        "lecturer_batches": len([b for b in found.batches if b is not None]),
    })
    return found
