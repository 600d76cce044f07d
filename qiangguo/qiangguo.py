"""学习强国 self-reports: a member's weekly total (or a screenshot), the organisation's weekly
summary, and the weekly reminder to active members who have not reported.

The committee cannot read 学习强国's data, so members report it. A week is the committee's
week from Monday; one report per member and week, a later one replacing the score. The first
report of a week writes one QIANGGUO ledger row (source "qiangguo:<Monday>").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

import clock
from bot.jobs import enqueue_deliveries, run_tick
from bot.outbox import Outbox
from content import qiangguo_texts as texts
from models import (
    Member,
    Membership,
    MemberStatus,
    Nudge,
    Organization,
    ParticipationKind,
    QiangguoReport,
    db,
    utcnow,
)
from participation import ledger
from participation.settings import in_quiet_hours, participation_settings
from roster.manage import main_organization_id

MAX_SCORE = 100_000  # far above any real weekly total; more is a typo
NUDGE_KIND = "qiangguo"
SCORE = re.compile(r"\d+")
THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")


class ScoreError(ValueError):
    """A report that is not a score; `reason` is not_a_number, negative or too_big."""

    def __init__(self, reason: str, text: str) -> None:
        super().__init__(f"{reason}: {text!r}")
        self.reason = reason
        self.text = text


@dataclass(frozen=True)
class QiangguoSettings:
    """When the weekly reminder goes: local weekday (Monday = 0) and hour; the quiet hours."""

    weekday: int = 4  # Friday
    hour: int = 10
    quiet_hours: tuple[time, time] = (time(21), time(8))


def qiangguo_settings() -> QiangguoSettings:
    """QIANGGUO_REMIND_WEEKDAY (0 = Monday … 6 = Sunday) and QIANGGUO_REMIND_HOUR (0–23)."""
    config = current_app.config
    defaults = QiangguoSettings()
    weekday = int(config.get("QIANGGUO_REMIND_WEEKDAY", defaults.weekday))
    hour = int(config.get("QIANGGUO_REMIND_HOUR", defaults.hour))
    if not 0 <= weekday <= 6:
        raise ValueError(f"QIANGGUO_REMIND_WEEKDAY must be 0 (Monday) to 6 (Sunday), not {weekday}")
    if not 0 <= hour <= 23:
        raise ValueError(f"QIANGGUO_REMIND_HOUR must be 0 to 23, not {hour}")
    return QiangguoSettings(weekday, hour, participation_settings().quiet_hours)


def week_of(moment: datetime) -> date:
    """The Monday of the committee's week holding `moment`."""
    return clock.week_of(moment).first_day


def period_of(week: date) -> str:
    """The ISO week of a Monday, as nudges name it: 2026-W47."""
    year, number, _ = week.isocalendar()
    return f"{year}-W{number:02d}"


def week_label(week: date) -> str:
    """The week as members read it: 11月16日—11月22日."""
    end = week + timedelta(days=6)
    return texts.WEEK.format(start=texts.WEEK_DAY.format(month=week.month, day=week.day),
                             end=texts.WEEK_DAY.format(month=end.month, day=end.day))


def parse_score(text: str) -> int:
    """A weekly score from "1234", "１２３４", "1,234", "1234分"; ScoreError otherwise."""
    value = unicodedata.normalize("NFKC", text)
    value = re.sub(r"\s+", "", value).rstrip("。.!！").removesuffix("分")
    value = THOUSANDS.sub("", value)
    if value.startswith(("-", "−", "负")) and SCORE.fullmatch(value[1:]):
        raise ScoreError("negative", text)
    if not SCORE.fullmatch(value):
        raise ScoreError("not_a_number", text)
    score = int(value)
    if score > MAX_SCORE:
        raise ScoreError("too_big", text)
    return score


@dataclass(frozen=True)
class Reported:
    """What a report did: the week, the row, the score it replaced, and whether it was first."""

    week: date
    report: QiangguoReport
    first: bool
    old_score: int | None = None
    had_screenshot: bool = False


def find_report(member_id: int, week: date) -> QiangguoReport | None:
    """The member's report for that week, or None."""
    return db.session.scalars(select(QiangguoReport).where(
        QiangguoReport.member_id == member_id, QiangguoReport.week == week)).first()


def report(member: Member, now: datetime, score: int | None = None,
           media_id: str | None = None) -> Reported:
    """Record this week's score and/or screenshot (runs in the caller's transaction).

    A later report in the same week replaces the score (a screenshot replaces the screenshot
    and keeps the score); only the week's first report writes a ledger row."""
    if score is None and not media_id:
        raise ValueError("a report needs a score or a screenshot")
    week = week_of(now)
    existing = find_report(member.id, week)
    if existing is None:
        row = QiangguoReport(member_id=member.id, week=week, score=score, media_id=media_id,
                             organization_id=main_organization_id(member.id),
                             reported_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
        except IntegrityError:  # the member's other message of this week got there first
            existing = find_report(member.id, week)
            assert existing is not None
        else:
            ledger.record(member, ParticipationKind.QIANGGUO, f"qiangguo:{week.isoformat()}",
                          now, details={"week": week.isoformat()})
            return Reported(week, row, first=True)
    old_score, had_screenshot = existing.score, bool(existing.media_id)
    if score is not None:
        existing.score = score
    if media_id:
        existing.media_id = media_id
        existing.image = existing.image_type = None  # fetched again, from the new media id
    existing.reported_at = now
    return Reported(week, existing, first=False, old_score=old_score,
                    had_screenshot=had_screenshot)


@dataclass(frozen=True)
class MemberLine:
    """One member of an organisation and their report this week (None: not reported)."""

    name: str
    userid: str
    score: int | None
    screenshot: bool
    reported: bool
    report_id: int | None = None
    kept: bool = False  # the screenshot's bytes are Pioneer's (downloaded from WeCom)


@dataclass(frozen=True)
class OrganizationWeek:
    """An organisation's active members and their reports for one week."""

    organization: Organization
    week: date
    lines: list[MemberLine]

    @property
    def reported(self) -> list[MemberLine]:
        """Members who reported, highest score first (screenshots without a score last)."""
        done = [line for line in self.lines if line.reported]
        return sorted(done, key=lambda line: (line.score is None, -(line.score or 0), line.name))

    @property
    def missing(self) -> list[MemberLine]:
        """Members who have not reported, by name."""
        return sorted((line for line in self.lines if not line.reported),
                      key=lambda line: (line.name, line.userid))


def organization_week(organization: Organization, week: date) -> OrganizationWeek:
    """The organisation's active members (any membership) and their reports of that week."""
    rows = db.session.execute(
        select(Member.name, Member.userid, QiangguoReport.score, QiangguoReport.media_id,
               QiangguoReport.id, QiangguoReport.image.is_not(None))
        .join(Membership, Membership.member_id == Member.id)
        .outerjoin(QiangguoReport, (QiangguoReport.member_id == Member.id)
                   & (QiangguoReport.week == week))
        .where(Membership.organization_id == organization.id,
               Member.status == MemberStatus.ACTIVE)).all()
    lines = [MemberLine(name, userid, score, bool(media), report_id is not None, report_id,
                        bool(kept))
             for name, userid, score, media, report_id, kept in rows]
    return OrganizationWeek(organization, week, lines)


@dataclass(frozen=True)
class OverviewLine:
    """One organisation's count of reports against its active members."""

    organization: Organization
    reported: int
    members: int


def overview(week: date) -> tuple[list[OverviewLine], int, int]:
    """Per organisation with active members: reported/members; then committee-wide counts."""
    active = (select(Membership.organization_id, Membership.member_id)
              .join(Member, Member.id == Membership.member_id)
              .where(Member.status == MemberStatus.ACTIVE).subquery())
    reported = select(QiangguoReport.member_id).where(QiangguoReport.week == week)
    counts = db.session.execute(
        select(active.c.organization_id, func.count(),
               func.count().filter(active.c.member_id.in_(reported)))
        .group_by(active.c.organization_id)).all()
    orgs = {org.id: org for org in db.session.scalars(
        select(Organization).where(Organization.id.in_([row[0] for row in counts])))}
    lines = sorted((OverviewLine(orgs[org_id], int(done), int(total))
                    for org_id, total, done in counts),
                   key=lambda line: (line.organization.name, line.organization.id))
    members = db.session.scalar(select(func.count()).select_from(Member).where(
        Member.status == MemberStatus.ACTIVE)) or 0
    done = db.session.scalar(select(func.count()).select_from(QiangguoReport).join(
        Member, Member.id == QiangguoReport.member_id).where(
        QiangguoReport.week == week, Member.status == MemberStatus.ACTIVE)) or 0
    return lines, int(done), int(members)


def reminder_due_at(week: date, settings: QiangguoSettings) -> datetime:
    """When this week's reminder may first go (UTC)."""
    day = week + timedelta(days=settings.weekday)
    return clock.at(day, time(settings.hour))


def members_to_remind(week: date) -> list[tuple[int, str]]:
    """Active members with no report this week and no reminder this week: (id, userid)."""
    period = period_of(week)
    reported = select(QiangguoReport.member_id).where(QiangguoReport.week == week)
    reminded = select(Nudge.member_id).where(Nudge.kind == NUDGE_KIND, Nudge.period == period)
    return [(mid, uid) for mid, uid in db.session.execute(
        select(Member.id, Member.userid).where(
            Member.status == MemberStatus.ACTIVE, Member.id.not_in(reported),
            Member.id.not_in(reminded)).order_by(Member.id))]


@dataclass(frozen=True)
class Reminded:
    """What a reminder run did: members reminded and the outbound messages to deliver."""

    members: int = 0
    outbound_ids: tuple[int, ...] = ()


def send_reminders(now: datetime, settings: QiangguoSettings | None = None) -> Reminded:
    """Remind this week's non-reporters once, if the reminder is due and it is not night.

    Writes a Nudge per member (kind "qiangguo", period the ISO week) and one outbound message
    to all of them (the delivery job sends it in batches of WeCom's limit). Runs in the
    caller's transaction; the caller commits, then enqueues the deliveries."""
    settings = settings or qiangguo_settings()
    week = week_of(now)
    if now < reminder_due_at(week, settings) or in_quiet_hours(now, settings.quiet_hours):
        return Reminded()
    recipients = members_to_remind(week)
    if not recipients:
        return Reminded()
    period = period_of(week)
    db.session.execute(insert(Nudge), [
        {"member_id": mid, "kind": NUDGE_KIND, "period": period, "sent_at": now,
         "details": {"week": week.isoformat()}} for mid, _ in recipients])
    outbox = Outbox(db.session, source_key=f"qiangguo:{period}")
    outbox.text([uid for _, uid in recipients], texts.REMINDER.format(week=week_label(week)),
                once=True)
    db.session.flush()
    return Reminded(len(recipients), tuple(outbox.pending_ids()))


def qiangguo_tick() -> int:
    """Cron tick: send this week's 学习强国 reminder when due; returns the members reminded."""
    def work() -> int:
        result = send_reminders(utcnow())
        db.session.commit()
        enqueue_deliveries(list(result.outbound_ids))
        return result.members

    return run_tick("qiangguo_tick", 300, work)
