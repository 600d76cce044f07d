"""The demo's 三会一课: the year's organisation meetings recorded by each branch's contact
with gaps, as meetings.recording writes them (the record, its attendance check-ins and
participations; the named people's branches this quarter through record_meeting itself).

Past quarters are nearly all complete; this quarter every branch has held what its months so
far call for, except about one in four, each missing a required meeting (so the 三会一课 page
shows 缺项 in red and the quarter's reminder has someone to remind) — among them 李娜's
华芯微电子党支部, still without this quarter's 党课.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

import clock
from meetings.recording import record_meeting
from meetings.settings import meeting_settings
from models import (
    CheckIn,
    CheckInStatus,
    MeetingKind,
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrgMeeting,
    Participation,
    ParticipationKind,
    Role,
    RoleGrant,
    db,
)
from participation import ledger
from participation.settings import participation_settings

SEED = 2028
GAP_ORG = "华芯微电子党支部"  # 李娜's branch: this quarter's 党课 not held yet
GAP_SHARE = 0.25
NAMED = ("zhangwei", "lina", "wangfang", "liuyang")  # their branches' records go the long way
LEAVE_REASONS = ("出差", "倒班", "外出培训", "病假", "事假")
MONTHLY = (MeetingKind.COMMITTEE, MeetingKind.GROUP)
QUARTERLY = (MeetingKind.ASSEMBLY, MeetingKind.LESSON)
TOPICS = {
    MeetingKind.ASSEMBLY: ("学习贯彻党的二十届四中全会精神", "讨论接收预备党员", "民主评议党员",
                           "支部年度工作总结", "选举支部委员会", "党费收缴情况通报"),
    MeetingKind.COMMITTEE: ("研究本月支部工作安排", "讨论发展党员工作计划", "研究主题党日活动方案",
                            "分析党员思想动态", "研究困难党员帮扶", "部署冬训学习"),
    MeetingKind.GROUP: ("学习《中国共产党章程》", "交流学习心得", "学习先进典型事迹",
                        "讨论岗位建功举措", "学习安全生产相关要求", "谈心谈话"),
    MeetingKind.LESSON: ("从红船到复兴号", "新时代党员的责任与担当", "党纪学习教育专题党课",
                         "弘扬工匠精神", "坚定理想信念"),
}


def _months(year: int, quarter: int) -> list[int]:
    return [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]


def _day(rng: random.Random, year: int, month: int, last: date) -> datetime | None:
    """A weekday afternoon in the month, not after `last`; None if the month has none yet."""
    options = [date(year, month, d) for d in range(1, 29)
               if date(year, month, d) <= last and date(year, month, d).weekday() < 5]
    if not options:
        return None
    return clock.at(rng.choice(options), rng.choice((time(14), time(15), time(16, 30))))


def _planned(rng: random.Random, year: int, quarter: int, last: date,
             gap: str | None) -> list[tuple[str, datetime]]:
    """The meetings of one branch in one quarter up to `last`, without the `gap` kind once."""
    plan: list[tuple[str, datetime]] = []
    months = _months(year, quarter)
    for month in months:
        for kind in MONTHLY:
            at = _day(rng, year, month, last)
            if at is not None:
                plan.append((kind, at))
    for kind in QUARTERLY:
        at = _day(rng, year, rng.choice(months[:2]), last) or _day(rng, year, months[0], last)
        if at is not None:
            plan.append((kind, at))
    if gap is not None:
        dropped = [item for item in plan if item[0] == gap]
        if dropped:
            plan.remove(rng.choice(dropped) if gap in QUARTERLY else dropped[-1])
    return plan


@dataclass
class Planned:
    """One meeting to write: who recorded it, when, who came and who was on leave."""

    org: Organization
    recorder: Member
    kind: str
    at: datetime
    topic: str
    attendees: list[int]
    leaves: dict[int, str]


def _plan(rng: random.Random, today: date) -> list[Planned]:
    """Every branch's meetings this year up to yesterday, with this quarter's gaps."""
    contacts = dict(db.session.execute(
        select(RoleGrant.organization_id, Member).join(Member, Member.id == RoleGrant.member_id)
        .where(RoleGrant.role == Role.CONTACT, Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)).all())
    people: dict[int, list[int]] = {}
    for org_id, member_id in db.session.execute(
            select(Membership.organization_id, Membership.member_id)
            .join(Member, Member.id == Membership.member_id)
            .where(Member.status == MemberStatus.ACTIVE).order_by(Member.id)):
        people.setdefault(org_id, []).append(member_id)
    year, current = clock.quarter_number(clock.at(today))
    plan = []
    for org in db.session.scalars(select(Organization).where(Organization.active)
                                  .order_by(Organization.id)):
        recorder, members = contacts.get(org.id), people.get(org.id, [])
        if recorder is None or not members:
            continue
        for quarter in range(1, current + 1):
            gap = None
            if quarter == current and (org.name == GAP_ORG or rng.random() < GAP_SHARE):
                gap = MeetingKind.LESSON if org.name == GAP_ORG else rng.choice(
                    (*MONTHLY, *QUARTERLY))
            elif quarter < current and rng.random() < 0.05:
                gap = rng.choice(MONTHLY)
            for kind, at in _planned(rng, year, quarter, today - timedelta(days=1), gap):
                attendees = [m for m in members if m == recorder.id or rng.random() < 0.85]
                leaves = {m: rng.choice(LEAVE_REASONS) for m in members
                          if m not in attendees and rng.random() < 0.5}
                plan.append(Planned(org, recorder, kind, at, rng.choice(TOPICS[kind]),
                                    attendees, leaves))
    return plan


def _bulk(plan: list[Planned], minutes: int) -> None:
    """Write meetings as record_meeting does (the meeting, present and leave check-ins flagged
    as recorded by the contact, one capped participation per attendee), in a few statements."""
    if not plan:
        return
    ids = db.session.scalars(insert(OrgMeeting).returning(
        OrgMeeting.id, sort_by_parameter_order=True), [
        {"organization_id": p.org.id, "kind": p.kind, "topic": p.topic, "starts_at": p.at,
         "ends_at": p.at + timedelta(minutes=minutes), "recorded_by_id": p.recorder.id,
         "created_at": p.at + timedelta(hours=3), "place": f"{p.org.name}党员活动室",
         "notes": "", "photos": [], "absences": None} for p in plan]).all()
    settings = participation_settings()
    main_org = dict(db.session.execute(
        select(Membership.member_id, Membership.organization_id).where(Membership.is_main)).all())
    checks, ledger_rows = [], []
    used: dict[tuple[int, date], int] = defaultdict(int)
    for p, meeting_id in zip(plan, ids, strict=True):
        marks = [(m, CheckInStatus.PRESENT, "") for m in p.attendees]
        marks += [(m, CheckInStatus.LEAVE, r) for m, r in p.leaves.items()]
        checks += [{"member_id": m, "meeting_id": meeting_id, "checked_at": p.at,
                    "status": status, "reason": reason, "proxy_id": p.recorder.id}
                   for m, status, reason in marks]
        for member_id in p.attendees:
            day = (member_id, clock.today(p.at))
            points = max(0, min(settings.points.get(ParticipationKind.MEETING, 0),
                                settings.daily_caps.get(ParticipationKind.MEETING, 0)
                                - used[day]))
            used[day] += points
            ledger_rows.append({
                "member_id": member_id, "organization_id": main_org.get(member_id, p.org.id),
                "kind": ParticipationKind.MEETING, "source": f"meeting:{meeting_id}",
                "occurred_at": p.at, "hours": settings.hours.get(ParticipationKind.MEETING, 0.0),
                "points": points, "details": {"recorded_by": p.recorder.userid},
                "recorded_at": p.at + timedelta(hours=3)})
    if checks:
        db.session.execute(insert(CheckIn), checks)
    if ledger_rows:
        db.session.execute(insert(Participation), ledger_rows)


def seed_meetings(today: date | None = None) -> int:
    """Record the year's meetings of every branch (gaps this quarter); the meetings written
    (0 when the demo has meetings already). The named people's branches this quarter go
    through meetings.recording.record_meeting (audited, as a contact's record is); the other
    thousands are written in bulk with the same rows (through record_meeting they took 50 s)."""
    if db.session.scalar(select(OrgMeeting.id).limit(1)) is not None:
        return 0
    today = today or clock.today()
    settings = meeting_settings()
    plan = _plan(random.Random(SEED), today)
    named = set(db.session.scalars(select(Membership.organization_id)
                                   .join(Member, Member.id == Membership.member_id)
                                   .where(Member.userid.in_(NAMED))))
    this_quarter = clock.quarter_of(clock.at(today))
    recorded = [p for p in plan if p.org.id in named and p.at in this_quarter]
    _bulk([p for p in plan if p not in recorded], settings.minutes)
    for p in recorded:
        record_meeting(p.recorder, p.org, p.kind, p.at, p.topic, p.attendees,
                       p.at + timedelta(hours=3), settings=settings,
                       place=f"{p.org.name}党员活动室", leaves=p.leaves)
    db.session.flush()
    ledger.rebuild_totals(clock.year_of(clock.at(today)))
    return len(plan)
