"""The demo's year of activities: about thirty screenings of the library's films across the
demo organisations, each attended by a realistic share of the organisation's members, and
ten lectures the committee ran with invited speakers for a few audience organisations —
two of each kind this month (one still ahead). Reproducible from a fixed seed; the check-ins
are credited in the ledger as a member's own would be. Commits nothing (the caller does)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

import clock
from activities import records
from checkins import codes
from models import (
    Activity,
    ActivityAudience,
    ActivityKind,
    CheckIn,
    CheckInStatus,
    Member,
    Membership,
    MemberStatus,
    Organization,
    ParticipationKind,
    db,
)
from participation import ledger

SEED = 2026
ACTOR = "demo"
SCREENINGS = 30
LECTURES = 10
PLACES = ("党员活动室", "三楼会议室", "职工之家", "党群服务中心放映厅", "厂区报告厅", "培训教室")
LECTURE_PLACES = ("高新区党群服务中心", "区委党校报告厅", "外企党员政治生活馆", "科创中心会议厅")
SPEAKERS = ("江南大学马克思主义学院 周教授", "市委党校 吴老师", "区委宣讲团 许讲师",
            "无锡革命陈列馆 钱馆长", "市党史研究室 孙研究员", "苏州大学 郑教授",
            "区老干部宣讲团 王老", "南京大学 林副教授")
TITLES = ("百年党史中的初心使命", "学习贯彻党的二十大精神", "新时代的伟大变革",
          "党的自我革命", "中国式现代化的本质要求", "无锡红色故事", "伟大建党精神",
          "全面从严治党永远在路上", "以高质量党建引领企业发展", "党员的权利和义务")


def _members_by_org() -> dict[int, list[int]]:
    """Active members by main organisation."""
    found: dict[int, list[int]] = defaultdict(list)
    for member_id, organization_id in db.session.execute(
            select(Member.id, Membership.organization_id)
            .join(Membership, Membership.member_id == Member.id)
            .where(Membership.is_main, Member.status == MemberStatus.ACTIVE)
            .order_by(Member.id)):
        found[int(organization_id)].append(int(member_id))
    return found


def _code(rng: random.Random, start: datetime, now: datetime) -> str:
    """A six-digit code; one whose window is near now is kept apart from the live ones."""
    while True:
        code = f"{rng.randrange(10**6):06d}"
        if abs(start - now) > timedelta(days=5) or codes.find_target(code, now) is None:
            return code


def _days(rng: random.Random, today: date, count: int) -> list[date]:
    """`count` days of this year up to today, the last two in this month (one ahead)."""
    first = date(today.year, 1, 1)
    span = max((today - first).days, 1)
    days = sorted(first + timedelta(days=rng.randrange(span)) for _ in range(count - 2))
    month_start = today.replace(day=1)
    days.append(month_start + timedelta(days=rng.randrange(max((today - month_start).days, 1))))
    days.append(today + timedelta(days=3))
    return days


def _check_in(member_id: int, activity: Activity, at: datetime, kind: str) -> int:
    """One present check-in and its ledger row; rows written."""
    db.session.add(CheckIn(member_id=member_id, activity_id=activity.id,
                           status=CheckInStatus.PRESENT, checked_at=at))
    written = 1
    if ledger.record(member_id, kind, records.source(activity), at) is not None:
        written += 1
    return written


def _attend(rng: random.Random, activity: Activity, members: list[int], share: float,
            kind: str, now: datetime) -> int:
    """Check a share of `members` in (nothing for one still ahead); rows written."""
    if activity.starts_at > now:
        return 0
    written = 0
    for member_id in members:
        if rng.random() < share:
            at = activity.starts_at + timedelta(minutes=rng.randint(-25, 10))
            written += _check_in(member_id, activity, at, kind)
    return written


def _screenings(rng: random.Random, today: date, now: datetime,
                by_org: dict[int, list[int]], organizations: list[int]) -> int:
    films = records.films()
    if not films or not organizations:
        return 0
    written = 0
    for day in _days(rng, today, SCREENINGS):
        organization_id = rng.choice(organizations)
        film = rng.choice(films)
        start = clock.at(day, time(rng.choice((9, 14, 15)), rng.choice((0, 30))))
        activity = Activity(kind=ActivityKind.SCREENING, title=records.film_name(film),
                            organization_id=organization_id, material_id=film.id,
                            starts_at=start, ends_at=start + timedelta(minutes=film.minutes or 90),
                            place=rng.choice(PLACES), checkin_code=_code(rng, start, now),
                            created_by=ACTOR, created_at=start - timedelta(days=5))
        db.session.add(activity)
        db.session.flush()
        written += 1 + _attend(rng, activity, by_org[organization_id], rng.uniform(0.4, 0.9),
                               ParticipationKind.SCREENING, now)
    return written


def _lectures(rng: random.Random, today: date, now: datetime,
              by_org: dict[int, list[int]], organizations: list[int]) -> int:
    if not organizations:
        return 0
    written = 0
    for n, day in enumerate(_days(rng, today, LECTURES)):
        audience = rng.sample(organizations, min(len(organizations), rng.randint(3, 8)))
        start = clock.at(day, time(rng.choice((9, 14)), 30))
        activity = Activity(kind=ActivityKind.LECTURE, title=TITLES[n % len(TITLES)],
                            speaker=rng.choice(SPEAKERS), starts_at=start,
                            ends_at=start + timedelta(minutes=90),
                            place=rng.choice(LECTURE_PLACES), checkin_code=_code(rng, start, now),
                            guests=rng.randint(0, 20) if start <= now else 0, created_by=ACTOR,
                            created_at=start - timedelta(days=10))
        activity.audience = [ActivityAudience(organization_id=o) for o in audience]
        db.session.add(activity)
        db.session.flush()
        written += 1 + len(audience)
        invited = [m for o in audience for m in by_org[o]]
        written += _attend(rng, activity, invited, rng.uniform(0.3, 0.7),
                           ParticipationKind.LECTURE, now)
        others = [m for o in organizations if o not in audience for m in by_org[o]]
        written += _attend(rng, activity, rng.sample(others, min(len(others), 3)), 0.5,
                           ParticipationKind.LECTURE, now)
    return written


def seed_demo_year(today: date) -> int:
    """Write the demo's screenings and committee lectures of the year up to `today` (and two
    ahead); the number of rows written (activities, audiences, check-ins, ledger rows)."""
    rng = random.Random(SEED)
    now = min(clock.utcnow(), clock.at(today + timedelta(days=1)))  # held: up to `today`
    by_org = _members_by_org()
    organizations = [o for o in db.session.scalars(select(Organization.id).where(
        Organization.active).order_by(Organization.id)) if len(by_org.get(o, ())) >= 2]
    written = _screenings(rng, today, now, by_org, organizations)
    written += _lectures(rng, today, now, by_org, organizations)
    db.session.flush()
    return written
