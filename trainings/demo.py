"""The demo's year of trainings, after the committee's report ("举办两期红色讲师培训班 … 开展
党务工作者和入党积极分子培训班"): two 红色讲师 trainings, three for 党务工作者 and three for
入党积极分子, each with enrolled demo members, its sessions, and most of the enrolled (a few
never come) checked in at most sessions held, the ledger crediting the hours as a check-in
does. Deterministic (random.Random(SEED)); commits nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import insert, select

import clock
from checkins.checkin import of_activity
from models import (
    Activity,
    CheckIn,
    CheckInStatus,
    Member,
    MemberStatus,
    Role,
    RoleGrant,
    Training,
    TrainingKind,
    db,
)
from participation import ledger
from trainings import manage

SEED = 2025
ACTOR = "demo"
# (kind, title, planned sessions, hours per session, place, enrolled)
PLAN = (
    (TrainingKind.LECTURERS, "第一期红色讲师培训班", 3, 3.0, "党群服务中心报告厅", 24),
    (TrainingKind.WORKERS, "党务工作者培训班（第一期）", 2, 3.0, "党群服务中心201室", 30),
    (TrainingKind.ACTIVISTS, "入党积极分子培训班（春季）", 3, 2.0, "党群服务中心201室", 35),
    (TrainingKind.WORKERS, "党务工作者培训班（第二期）", 2, 3.0, "党群服务中心201室", 30),
    (TrainingKind.ACTIVISTS, "入党积极分子培训班（夏季）", 3, 2.0, "党群服务中心201室", 35),
    (TrainingKind.LECTURERS, "第二期红色讲师培训班", 3, 3.0, "党群服务中心报告厅", 24),
    (TrainingKind.WORKERS, "党务工作者培训班（第三期）", 2, 3.0, "党群服务中心201室", 30),
    (TrainingKind.ACTIVISTS, "入党积极分子培训班（秋季）", 3, 2.0, "党群服务中心201室", 35),
)
ATTEND = 0.85  # the chance an enrolled member checks in at a session held
NO_SHOW = 8  # percent of the enrolled who never come


def _pool(role: str | None) -> list[Member]:
    """Active members (with the role, or without any role), by id."""
    query = select(Member).where(Member.status == MemberStatus.ACTIVE).order_by(Member.id)
    holders = select(RoleGrant.member_id).where(RoleGrant.role == (role or Role.ADMIN))
    query = query.where(Member.id.in_(holders)) if role else query.where(Member.id.not_in(
        select(RoleGrant.member_id)))
    return list(db.session.scalars(query))


def _starts(today: date, index: int) -> date:
    """The first day of the index-th training, spread over the year up to a week ago."""
    first = date(today.year, 1, 8)
    last = max(first, today - timedelta(days=21))
    return first + timedelta(days=(last - first).days * index // len(PLAN))


def _enrol(training: Training, members: list[Member]) -> int:
    """Enrol the members (by userid, as a pasted list would); rows written."""
    done = manage.enrol(training, "\n".join(m.userid for m in members), ACTOR,
                        clock.at(training.starts_on) - timedelta(days=7))
    return len(done.new)


def _attend(session_id: int, members: list[Member], rng: random.Random, now: datetime) -> int:
    """Check most of the members in at a session already held; rows written.

    Written in bulk with the rows `checkins.checkin.check_in` writes one by one (a present
    CheckIn and a ledger row crediting the training's hours), so the demo starts fast."""
    session = db.session.get(Activity, session_id)
    assert session is not None
    if session.starts_at > now:
        return 0
    target = of_activity(session)
    at = session.starts_at + timedelta(minutes=5)
    came = [m.id for m in members if rng.random() < ATTEND]
    if not came:
        return 0
    db.session.execute(insert(CheckIn), [
        {"member_id": member_id, "activity_id": session.id, "status": CheckInStatus.PRESENT,
         "checked_at": at} for member_id in came])
    credited = ledger.record_many([ledger.Credit(m, hours=target.hours) for m in came],
                                  target.participation_kind, target.source, at)
    return len(came) + len(credited)


def seed_demo_year(today: date) -> int:
    """Write the year's trainings, enrolments, sessions and check-ins; rows written."""
    if db.session.scalar(select(Training.id).limit(1)) is not None:
        return 0
    rng = random.Random(SEED)
    now = clock.at(today, time(12))
    pools = {TrainingKind.LECTURERS: _pool(Role.LECTURER) + _pool(None),
             TrainingKind.WORKERS: _pool(Role.CONTACT), TrainingKind.ACTIVISTS: _pool(None)}
    written = 0
    for index, (kind, title, planned, hours, place, size) in enumerate(PLAN):
        starts_on = _starts(today, index)
        ends_on = starts_on + timedelta(days=7 * (planned - 1))
        training = manage.create_training(kind, title, planned, hours, starts_on, ends_on,
                                          place, ACTOR)
        pool = pools[kind]
        members = pool[:size] if kind == TrainingKind.LECTURERS else rng.sample(
            pool, min(size, len(pool)))
        written += 1 + _enrol(training, members)
        absent = set(rng.sample(range(len(members)), len(members) * NO_SHOW // 100))
        attending = [m for n, m in enumerate(members) if n not in absent]
        for number in range(planned):
            day = starts_on + timedelta(days=7 * number)
            session = manage.add_session(training, "", clock.at(day, time(9)),
                                         clock.at(day, time(12)), "", ACTOR,
                                         clock.at(day) - timedelta(days=3))
            written += 1 + _attend(session.id, attending, rng, now)
    return written
