"""Demo participation: four months of reads, reflections and a lecture's check-ins for the demo
committee, and the 2026年冬训 campaign with its requirements — reproducible from a fixed seed.

Every material is pushed to the committee first (pioneer/demo_deliveries.py, through the push
code) and read only after it arrived; reflections are composed from fragments
(pioneer/demo_reflections.py) and some were reviewed by 陈静. Rows are written in bulk
(points capped per kind and committee day, as `ledger.record` does), then the yearly totals
are rebuilt from the ledger. Named people get fixed stories: 张伟 has
done everything 冬训 asks (his first 冬训进度 records the completion), 李娜 is on her way, 王芳
has not started. Run once per database (it does nothing when the campaign exists).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert, select

import clock
from campaigns import campaigns
from content.titles import quoted
from models import (
    CheckIn,
    Lecture,
    Material,
    MaterialRead,
    Member,
    Membership,
    MemberStatus,
    Participation,
    ParticipationKind,
    Reflection,
    ReflectionPart,
    ReflectionStatus,
    SubjectKind,
    Topic,
    db,
)
from participation import ledger
from participation.rules import default_rule
from participation.settings import ParticipationSettings, participation_settings
from pioneer import demo_deliveries, demo_reflections
from reflections.drafts import count_chars
from study import reading_time

SEED = 2026
DAYS = 120
ACTOR = "demo"
CAMPAIGN = "2026年冬训"
CAMPAIGN_MATERIALS = ("shoudaoren", "xinde-tihui")
CAMPAIGN_HOURS = 6.0
CAMPAIGN_DAYS_AGO = 21  # the campaign began three weeks ago and runs another fourteen
CAMPAIGN_DAYS_LEFT = 98
LECTURE_TOPIC = "red-boat-to-revival"
LECTURE_DAYS_AGO = 9
REVIEWER = "chenjing"  # the admin who reviewed some of the reflections
READ_DELAY_DAYS = 9.0  # members open a pushed material on average this many days after it came


@dataclass
class Plan:
    """What the demo writes, before it is written."""

    reads: list[dict[str, Any]] = field(default_factory=list)
    reflections: list[tuple[int, int, datetime]] = field(default_factory=list)  # member, mat
    check_ins: list[tuple[int, datetime]] = field(default_factory=list)
    # member, kind, source, when, and hours when they are the time read (else the kind's)
    events: list[tuple[int, str, str, datetime, float | None]] = field(default_factory=list)
    delivered: dict[int, datetime] = field(default_factory=dict)  # material id: pushed at
    settings: ParticipationSettings = field(default_factory=participation_settings)


def _moment(rng: random.Random, day: date) -> datetime:
    """A daytime moment (08:00–21:59 committee time) on `day`, in UTC."""
    return clock.at(day, time(rng.randint(8, 21), rng.randint(0, 59)))


def _after_push(plan: Plan, rng: random.Random, material: Material, today: date) -> datetime:
    """A moment a member opened the material: some days after its push, before today."""
    pushed = plan.delivered[material.id]
    since = (today - clock.today(pushed)).days
    delay = min(int(rng.expovariate(1 / READ_DELAY_DAYS)), max(since - 1, 0))
    return _moment(rng, clock.today(pushed) + timedelta(days=delay))


def _read(plan: Plan, member_id: int, material: Material, opened: datetime,
          finished: bool) -> datetime | None:
    pushed = plan.delivered.get(material.id)
    if pushed is not None and opened <= pushed:  # never before it reached the member
        opened = pushed + timedelta(minutes=30 + opened.minute)
    settings = plan.settings
    seconds = _seconds_read(member_id, material, finished, settings)
    done = opened + timedelta(seconds=seconds) if finished else None
    plan.reads.append({"member_id": member_id, "material_id": material.id,
                       "first_opened_at": opened, "last_opened_at": done or opened, "opens": 1,
                       "completed_at": done, "seconds_spent": seconds})
    if seconds >= settings.reading_read_s:  # as the heartbeats would have recorded it
        plan.events.append((member_id, ParticipationKind.MATERIAL_READ,
                            f"material:{material.id}",
                            opened + timedelta(seconds=settings.reading_read_s), None))
    if done is not None:
        plan.events.append((member_id, ParticipationKind.MATERIAL_COMPLETED,
                            f"material:{material.id}", done, seconds / 3600))
    return done


def _seconds_read(member_id: int, material: Material, finished: bool,
                  settings: ParticipationSettings) -> int:
    """Time on the reading page: a finished read took between the minimum and a little more
    than the material's minutes; an unfinished one stopped before the minimum (some only
    glanced). The same for the same member and material on every seed."""
    rng = random.Random(member_id * 100_003 + material.id)
    needed = reading_time.needed_seconds(material.minutes, settings)
    if finished:
        return max(needed, int(material.minutes * 60 * rng.uniform(0.6, 1.3)))
    return int(needed * rng.uniform(0, 0.9))


def _random_member(plan: Plan, rng: random.Random, member_id: int, materials: list[Material],
                   today: date) -> None:
    """A member's four months: some read often, some now and then, a quarter not at all;
    the keener ones take up the campaign's materials (and write on them) since it began."""
    zeal = rng.random()
    if zeal < 0.25:
        return
    ordinary = [m for m in materials if m.slug not in CAMPAIGN_MATERIALS]
    count = min(len(ordinary), int(zeal * 12) + 1)
    for material in rng.sample(ordinary, count):
        opened = _after_push(plan, rng, material, today)
        done = _read(plan, member_id, material, opened, rng.random() < 0.3 + zeal * 0.6)
        if done is not None and rng.random() < zeal * 0.35:
            plan.reflections.append((member_id, material.id, done + timedelta(hours=2)))
    for material in (m for m in materials if m.slug in CAMPAIGN_MATERIALS):
        if rng.random() < zeal:
            opened = _after_push(plan, rng, material, today)
            done = _read(plan, member_id, material, opened, rng.random() < 0.4 + zeal / 2)
            if done is not None and rng.random() < zeal * 0.8:
                plan.reflections.append((member_id, material.id, done + timedelta(hours=3)))


def _named(plan: Plan, people: dict[str, int], by_slug: dict[str, Material], today: date,
           lecture_at: datetime) -> None:
    """Fixed stories for the named people (so the demo script can talk about them)."""
    rng = random.Random(SEED + 1)
    slugs = [s for s in by_slug if s not in CAMPAIGN_MATERIALS]
    if "zhangwei" in people:
        member_id = people["zhangwei"]
        for n, slug in enumerate([*CAMPAIGN_MATERIALS, *slugs[:6]]):
            if slug in by_slug:
                day = today - timedelta(days=1 + 2 * n)
                done = _read(plan, member_id, by_slug[slug], _moment(rng, day), True)
                if n < 4 and done is not None:  # the keen one writes on most
                    plan.reflections.append((member_id, by_slug[slug].id,
                                             done + timedelta(hours=1)))
        plan.check_ins.append((member_id, lecture_at))
    if "lina" in people:
        for n, slug in enumerate([CAMPAIGN_MATERIALS[0], *slugs[6:9]]):
            if slug in by_slug:
                _read(plan, people["lina"], by_slug[slug],
                      _moment(rng, today - timedelta(days=3 + 5 * n)), n > 0)
        plan.check_ins.append((people["lina"], lecture_at))
    if "wangfang" in people:  # read a little, long before the campaign
        for n, slug in enumerate(slugs[9:11]):
            _read(plan, people["wangfang"], by_slug[slug],
                  _moment(rng, today - timedelta(days=60 + 7 * n)), True)


def _lecture(people: dict[str, int], today: date) -> Lecture | None:
    """A confirmed lecture held in the campaign (刘洋 on the red boat), if the menu is loaded."""
    topic = (db.session.scalars(select(Topic).where(Topic.slug == LECTURE_TOPIC)).first()
             or db.session.scalars(select(Topic).where(Topic.active).order_by(Topic.id)).first())
    if topic is None or "liuyang" not in people:
        return None
    starts = clock.at(today - timedelta(days=LECTURE_DAYS_AGO), time(14, 30))
    lecture = Lecture(topic_id=topic.id, lecturer_id=people["liuyang"], starts_at=starts,
                      ends_at=starts + timedelta(minutes=topic.minutes), place="党群服务中心",
                      checkin_code="520126", accepted_at=starts - timedelta(days=7))
    db.session.add(lecture)
    db.session.flush()
    return lecture


def _write(plan: Plan, lecture: Lecture | None, main_org: dict[int, int],
           materials: list[Material], today: date) -> int:
    """Insert the planned rows and the ledger with capped points; the number of ledger rows."""
    settings = participation_settings()
    if plan.reads:
        db.session.execute(insert(MaterialRead), plan.reads)
    events = list(plan.events)
    rng = random.Random(SEED + 2)
    by_id = {m.id: m for m in materials}
    positions = dict(db.session.execute(select(Member.id, Member.position)).all())
    written = []
    for n, (member_id, material_id, at) in enumerate(plan.reflections):
        text = demo_reflections.compose(rng, by_id[material_id], positions.get(member_id))
        reflection = Reflection(
            member_id=member_id, subject_kind=SubjectKind.MATERIAL, material_id=material_id,
            subject_title=quoted(by_id[material_id].title),
            text=text, word_count=count_chars(text), status=ReflectionStatus.SUBMITTED,
            consent_public=n % 3 != 0, submit_key=f"demo:submit:{n}", created_at=at,
            updated_at=at, submitted_at=at)
        reflection.parts.append(ReflectionPart(kind="text", text=text,
                                               source_key=f"demo:part:{n}", created_at=at))
        db.session.add(reflection)
        db.session.flush()
        written.append(reflection)
        events.append((member_id, ParticipationKind.REFLECTION, f"reflection:{reflection.id}",
                       at, None))
    if lecture is not None:
        for member_id, at in plan.check_ins:
            db.session.add(CheckIn(member_id=member_id, lecture_id=lecture.id, checked_at=at))
            events.append((member_id, ParticipationKind.LECTURE, f"lecture:{lecture.id}", at,
                           None))
        lecture.attendance = len(plan.check_ins)
    reviewer = db.session.scalar(select(Member).where(Member.userid == REVIEWER))
    demo_reflections.review_some(rng, written, reviewer, clock.at(today, time(8)))
    used: dict[tuple[int, str, date], int] = defaultdict(int)
    used_hours: dict[tuple[int, str, date], float] = defaultdict(float)
    rules = {kind: default_rule(kind, settings) for kind in ParticipationKind}
    rows = []
    for member_id, kind, source, at, read_hours in sorted(events, key=lambda e: (e[3], e[0])):
        day = (member_id, kind, clock.today(at))  # the ledger's caps, as ledger.record has them
        points = ledger.points_for(rules[kind], used[day])
        hours = ledger.hours_for(rules[kind], read_hours, used_hours[day])
        used[day] += points
        used_hours[day] += hours
        rows.append({"member_id": member_id, "organization_id": main_org.get(member_id),
                     "kind": kind, "source": source, "occurred_at": at,
                     "hours": hours, "points": points, "details": {},
                     "recorded_at": at})
    if rows:
        db.session.execute(insert(Participation), rows)
    for year in sorted({clock.year_of(row["occurred_at"]) for row in rows}):
        ledger.rebuild_totals(year)
    return len(rows)


def seed_participation(today: date | None = None) -> int:
    """Write the demo's participation and its 冬训 campaign; the number of ledger rows."""
    if campaigns.find_campaign(CAMPAIGN) is not None:
        return 0
    today = today or clock.today()
    rng = random.Random(SEED)
    members = db.session.execute(
        select(Member.id, Member.userid).where(Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)).all()
    people = {userid: member_id for member_id, userid in members}
    main_org = dict(db.session.execute(
        select(Membership.member_id, Membership.organization_id).where(Membership.is_main)).all())
    materials = list(db.session.scalars(select(Material).where(Material.active)
                                        .order_by(Material.id)))
    by_slug = {m.slug: m for m in materials}
    plan = Plan(delivered=demo_deliveries.schedule(materials, CAMPAIGN_MATERIALS, DAYS + 2,
                                                   CAMPAIGN_DAYS_AGO, today))
    demo_deliveries.send(ACTOR, plan.delivered)
    lecture = _lecture(people, today)
    named = {"zhangwei", "lina", "wangfang", "liuyang", "chenjing"}
    for member_id, userid in members:
        if userid not in named:
            _random_member(plan, rng, member_id, materials, today)
    if lecture is not None:  # about half the members of every third organisation came
        for member_id, userid in members:
            if userid not in named and main_org.get(member_id, 0) % 3 == 0 \
                    and rng.random() < 0.5:
                plan.check_ins.append(
                    (member_id, lecture.starts_at + timedelta(minutes=rng.randint(-25, 10))))
    _named(plan, people, by_slug, today, lecture.starts_at if lecture else _moment(rng, today))
    written = _write(plan, lecture, main_org, materials, today)
    campaign = campaigns.create_campaign(ACTOR, CAMPAIGN, "winter_training",
                                         today - timedelta(days=CAMPAIGN_DAYS_AGO),
                                         today + timedelta(days=CAMPAIGN_DAYS_LEFT),
                                         {"kind": "all"})
    db.session.flush()
    for slug in CAMPAIGN_MATERIALS:
        if slug in by_slug:
            campaigns.require(ACTOR, campaign, material=slug)
    if lecture is not None:
        campaigns.require(ACTOR, campaign, lecture=lecture.id)
    campaigns.require(ACTOR, campaign, reflections=1)
    campaigns.set_required_hours(ACTOR, campaign, CAMPAIGN_HOURS)
    db.session.commit()
    return written
