"""The scorecard's measures (考核指标): what each one counts for an organisation and a committee
quarter, read for every organisation at once, one grouped SQL aggregate per measure.

Every measure is a count over a base (参学党员 over 党员, meetings held over required, ...): the
value is count / base, None when the base is 0 (the measure does not apply that quarter and
its weight drops out). Members are those counted everywhere else: active, by their main,
active organisation (participation.rates). docs/assessment.md gives each definition.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, exists, func, select

import clock
from lectures.stats import held  # the one definition of a lecture held
from meetings.recording import KINDS as MEETING_KINDS
from meetings.requirements import held_counts
from meetings.settings import FREQUENCIES, meeting_settings
from models import (
    BookDistribution,
    CheckIn,
    CheckInStatus,
    Lecture,
    LectureOrder,
    Member,
    Membership,
    Organization,
    OrgMeeting,
    QiangguoReport,
    QuizAttempt,
    Rating,
    Reflection,
    ReflectionStatus,
    db,
)
from participation import rates

SUBMITTED = (ReflectionStatus.SUBMITTED, ReflectionStatus.REVIEWED, ReflectionStatus.FEATURED)


@dataclass(frozen=True)
class Count:
    """An organisation's count over its base for one measure."""

    count: float
    base: float

    @property
    def value(self) -> float | None:
        """count / base, or None when the base is 0 (the measure does not apply)."""
        return self.count / self.base if self.base else None


Counts = dict[int, Count]  # per organisation id


@dataclass(frozen=True)
class Measure:
    """One scorecard measure: its key, documented default target and weight, and how it is
    read for a quarter (a function of the quarter's span and the organisations' member
    counts)."""

    key: str
    target: float  # the value that earns the full weight
    weight: float
    read: Callable[[clock.Period, dict[int, int]], Counts]


def members_by_org(organization_ids: list[int]) -> dict[int, int]:
    """Counted (active) members per organisation."""
    rows = db.session.execute(
        rates.counted_members(Organization.id, func.count(Member.id))
        .where(Organization.id.in_(organization_ids)).group_by(Organization.id))
    found = {org: 0 for org in organization_ids}
    found.update({int(org): int(count) for org, count in rows})
    return found


def _counted(members: dict[int, int], rows: object) -> Counts:
    """Per organisation: the grouped count over its members (0 where no row)."""
    found = {int(org): float(count) for org, count in rows}  # type: ignore[attr-defined]
    return {org: Count(found.get(org, 0.0), float(total)) for org, total in members.items()}


def _member_org() -> ColumnElement[int]:
    return Membership.organization_id


def _members_with(found: ColumnElement[bool], members: dict[int, int]) -> Counts:
    """Members per main organisation for whom `found` (an EXISTS correlated on members.id)
    holds, over members."""
    rows = db.session.execute(
        rates.counted_members(_member_org(), func.coalesce(func.sum(case((found, 1), else_=0)), 0))
        .where(_member_org().in_(list(members))).group_by(_member_org()))
    return _counted(members, rows)


def participation(period: clock.Period, members: dict[int, int]) -> Counts:
    """参学率: members with a participation in the quarter, over members."""
    return _members_with(rates.took_part(period), members)


def meetings(period: clock.Period, members: dict[int, int]) -> Counts:
    """三会一课完成度: required meetings held (each kind counted up to what it requires), over
    the meetings required in the quarter."""
    settings = meeting_settings()
    year, quarter = clock.quarter_number(period.start)
    held = held_counts(list(members), year, quarter)
    required = {kind: FREQUENCIES[settings.requirements[kind]] for kind in MEETING_KINDS
                if kind in settings.requirements}
    total = float(sum(required.values()))
    return {org: Count(float(sum(min(held[org].get(kind, 0), need)
                                 for kind, need in required.items())), total)
            for org in members}


def reflections(period: clock.Period, members: dict[int, int]) -> Counts:
    """人均心得: reflections submitted in the quarter by members, over members."""
    rows = db.session.execute(
        rates.counted_members(_member_org(), func.count(Reflection.id))
        .join(Reflection, Reflection.member_id == Member.id)
        .where(_member_org().in_(list(members)), Reflection.status.in_(SUBMITTED),
               Reflection.submitted_at >= period.start, Reflection.submitted_at < period.end)
        .group_by(_member_org()))
    return _counted(members, rows)


def _held_lectures(period: clock.Period) -> ColumnElement[bool]:
    return held() & (Lecture.starts_at >= period.start) & (Lecture.starts_at < period.end)


def lectures(period: clock.Period, members: dict[int, int]) -> Counts:
    """点单宣讲: lectures the organisation ordered that were held in the quarter, over one
    (the target says how many a quarter earn the full weight)."""
    rows = db.session.execute(
        select(LectureOrder.organization_id, func.count(Lecture.id))
        .join(Lecture, Lecture.order_id == LectureOrder.id)
        .where(LectureOrder.organization_id.in_(list(members)), _held_lectures(period))
        .group_by(LectureOrder.organization_id))
    found = {int(org): float(count) for org, count in rows}
    return {org: Count(found.get(org, 0.0), 1.0) for org in members}


def ratings(period: clock.Period, members: dict[int, int]) -> Counts:
    """评单均分: the mean score (1–5) of the organisation's ratings of lectures held in the
    quarter; does not apply without a rating."""
    rows = db.session.execute(
        select(LectureOrder.organization_id, func.sum(Rating.score), func.count(Rating.id))
        .join(Lecture, Lecture.order_id == LectureOrder.id)
        .join(Rating, Rating.order_id == LectureOrder.id)
        .where(LectureOrder.organization_id.in_(list(members)), _held_lectures(period))
        .group_by(LectureOrder.organization_id))
    found = {int(org): Count(float(total), float(count)) for org, total, count in rows}
    return {org: found.get(org, Count(0.0, 0.0)) for org in members}


def attendance(period: clock.Period, members: dict[int, int]) -> Counts:
    """签到出勤率: present check-ins at the organisation's meetings with a check-in in the
    quarter, over members × those meetings."""
    meeting_rows = db.session.execute(
        select(OrgMeeting.organization_id, func.count(OrgMeeting.id))
        .where(OrgMeeting.organization_id.in_(list(members)),
               OrgMeeting.checkin_code.is_not(None), OrgMeeting.starts_at >= period.start,
               OrgMeeting.starts_at < period.end)
        .group_by(OrgMeeting.organization_id))
    held = {int(org): int(count) for org, count in meeting_rows}
    present_rows = db.session.execute(
        select(OrgMeeting.organization_id, func.count(CheckIn.id))
        .join(CheckIn, CheckIn.meeting_id == OrgMeeting.id)
        .where(OrgMeeting.organization_id.in_(list(members)),
               OrgMeeting.checkin_code.is_not(None), OrgMeeting.starts_at >= period.start,
               OrgMeeting.starts_at < period.end, CheckIn.status == CheckInStatus.PRESENT)
        .group_by(OrgMeeting.organization_id))
    present = {int(org): float(count) for org, count in present_rows}
    return {org: Count(min(present.get(org, 0.0), float(total * held.get(org, 0))),
                       float(total * held.get(org, 0)))
            for org, total in members.items()}


def quiz(period: clock.Period, members: dict[int, int]) -> Counts:
    """答题参与率: members who answered a quiz question in the quarter, over members."""
    return _members_with(exists().where(QuizAttempt.member_id == Member.id,
                                        QuizAttempt.answered_at >= period.start,
                                        QuizAttempt.answered_at < period.end), members)


def qiangguo(period: clock.Period, members: dict[int, int]) -> Counts:
    """学习强国自报: members who reported a week's 学习强国 score in the quarter, over members."""
    return _members_with(exists().where(QiangguoReport.member_id == Member.id,
                                        QiangguoReport.reported_at >= period.start,
                                        QiangguoReport.reported_at < period.end), members)


def books(period: clock.Period, members: dict[int, int]) -> Counts:
    """用书签收: study-book distributions sent to the organisation by the quarter's end whose
    receipt was confirmed by then, over those sent; does not apply without one."""
    last_day = clock.local(period.end).date()  # the day after the quarter: sent before it
    rows = db.session.execute(
        select(BookDistribution.organization_id, func.count(BookDistribution.id),
               func.count(BookDistribution.confirmed_at).filter(
                   BookDistribution.confirmed_at < period.end))
        .where(BookDistribution.organization_id.in_(list(members)),
               BookDistribution.sent_on < last_day)
        .group_by(BookDistribution.organization_id))
    found = {int(org): Count(float(confirmed), float(sent)) for org, sent, confirmed in rows}
    return {org: found.get(org, Count(0.0, 0.0)) for org in members}


# The measures in the order the card shows them, with their documented defaults.
MEASURES: tuple[Measure, ...] = (
    Measure("participation", 0.9, 25, participation),
    Measure("meetings", 1.0, 20, meetings),
    Measure("reflections", 0.5, 10, reflections),
    Measure("lectures", 1.0, 10, lectures),
    Measure("ratings", 4.5, 5, ratings),
    Measure("attendance", 0.8, 10, attendance),
    Measure("quiz", 0.5, 10, quiz),
    Measure("qiangguo", 0.6, 5, qiangguo),
    Measure("books", 1.0, 5, books),
)
BY_KEY = {measure.key: measure for measure in MEASURES}
