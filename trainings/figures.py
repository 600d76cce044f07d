"""What the training pages and 我的培训 show of each training: its rows and per-row counts
(enrolled, sessions, check-ins 人次, attendees 人), who attended which session, the hours each
member was credited. The year's totals are the report's (report/), not counted here.

Attendance is the check-ins (CheckIn rows of status present) at the training's sessions; the
hours are the ledger's TRAINING rows of those sessions (source "activity:<id>"), so a member
checked in twice is counted and credited once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from models import (
    Activity,
    ActivityKind,
    CheckIn,
    CheckInStatus,
    Participation,
    ParticipationKind,
    Training,
    TrainingEnrolment,
    db,
)


@dataclass(frozen=True)
class TrainingRow:
    """One training in the list, with its counts."""

    training: Training
    enrolled: int
    sessions: int
    checkins: int  # 人次: present check-ins at its sessions
    attendees: int  # 人: distinct members present at least once


@dataclass(frozen=True)
class MemberLine:
    """One enrolled member of a training: the sessions attended (or on leave) and the hours."""

    enrolment: TrainingEnrolment
    present: frozenset[int]  # session (activity) ids
    leave: frozenset[int]
    hours: float


def sessions_of(training_ids: list[int]) -> dict[int, list[Activity]]:
    """The sessions of each training (cancelled ones too), in time order."""
    found: dict[int, list[Activity]] = defaultdict(list)
    if not training_ids:
        return found
    for session in db.session.scalars(select(Activity).where(
            Activity.training_id.in_(training_ids), Activity.kind == ActivityKind.TRAINING)
            .order_by(Activity.starts_at, Activity.id)):
        assert session.training_id is not None
        found[session.training_id].append(session)
    return found


def listing(year: int, kind: str | None = None) -> list[TrainingRow]:
    """The trainings whose dates overlap `year` (of one kind, or all), newest first."""
    query = (select(Training).where(Training.starts_on <= date(year, 12, 31),
                                    Training.ends_on >= date(year, 1, 1))
             .order_by(Training.starts_on.desc(), Training.id.desc()))
    if kind:
        query = query.where(Training.kind == kind)
    trainings = list(db.session.scalars(query))
    ids = [t.id for t in trainings]
    if not ids:
        return []
    enrolled = dict(db.session.execute(
        select(TrainingEnrolment.training_id, func.count(TrainingEnrolment.id))
        .where(TrainingEnrolment.training_id.in_(ids))
        .group_by(TrainingEnrolment.training_id)).all())
    sessions = dict(db.session.execute(
        select(Activity.training_id, func.count(Activity.id))
        .where(Activity.training_id.in_(ids), Activity.cancelled_at.is_(None))
        .group_by(Activity.training_id)).all())
    attended = db.session.execute(
        select(Activity.training_id, func.count(CheckIn.id),
               func.count(func.distinct(CheckIn.member_id)))
        .join(CheckIn, CheckIn.activity_id == Activity.id)
        .where(Activity.training_id.in_(ids), CheckIn.status == CheckInStatus.PRESENT)
        .group_by(Activity.training_id)).all()
    counts = {training_id: (int(n), int(people)) for training_id, n, people in attended}
    return [TrainingRow(t, int(enrolled.get(t.id, 0)), int(sessions.get(t.id, 0)),
                        *counts.get(t.id, (0, 0))) for t in trainings]


def session_counts(session_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(present, on leave) at each session."""
    found: dict[int, list[int]] = {i: [0, 0] for i in session_ids}
    if not session_ids:
        return {}
    for activity_id, status, count in db.session.execute(
            select(CheckIn.activity_id, CheckIn.status, func.count(CheckIn.id))
            .where(CheckIn.activity_id.in_(session_ids))
            .group_by(CheckIn.activity_id, CheckIn.status)):
        found[activity_id][0 if status == CheckInStatus.PRESENT else 1] += int(count)
    return {i: (pair[0], pair[1]) for i, pair in found.items()}


def sources(session_ids: list[int]) -> list[str]:
    """The ledger sources of these sessions."""
    return [f"activity:{i}" for i in session_ids]


def hours_by_member(session_ids: list[int], member_ids: list[int] | None = None
                    ) -> dict[int, float]:
    """The study hours the ledger credited each member for these sessions."""
    if not session_ids:
        return {}
    query = (select(Participation.member_id, func.sum(Participation.hours))
             .where(Participation.kind == ParticipationKind.TRAINING,
                    Participation.source.in_(sources(session_ids)))
             .group_by(Participation.member_id))
    if member_ids is not None:
        query = query.where(Participation.member_id.in_(member_ids))
    return {int(m): float(h or 0) for m, h in db.session.execute(query)}


def member_lines(training: Training, sessions: list[Activity]) -> list[MemberLine]:
    """Every enrolled member with the sessions attended and the hours credited, by name."""
    enrolments = list(db.session.scalars(
        select(TrainingEnrolment).where(TrainingEnrolment.training_id == training.id)
        .options(selectinload(TrainingEnrolment.member))
        .order_by(TrainingEnrolment.enrolled_at, TrainingEnrolment.id)))
    ids = [s.id for s in sessions]
    present: dict[int, set[int]] = defaultdict(set)
    leave: dict[int, set[int]] = defaultdict(set)
    if ids:
        for member_id, activity_id, status in db.session.execute(
                select(CheckIn.member_id, CheckIn.activity_id, CheckIn.status)
                .where(CheckIn.activity_id.in_(ids))):
            (present if status == CheckInStatus.PRESENT else leave)[member_id].add(activity_id)
    hours = hours_by_member(ids)
    return [MemberLine(e, frozenset(present[e.member_id]), frozenset(leave[e.member_id]),
                       hours.get(e.member_id, 0.0)) for e in enrolments]


@dataclass(frozen=True)
class MyTraining:
    """One of a member's trainings as 我的培训 shows it."""

    training: Training
    sessions: int  # not cancelled
    attended: int
    hours: float
    next_session: Activity | None


def mine(member_id: int, now: datetime, limit: int) -> tuple[list[MyTraining], int]:
    """The member's enrolled trainings (latest first, at most `limit`) and how many there are:
    the next session not yet over, the sessions attended and the hours credited."""
    trainings = list(db.session.scalars(
        select(Training).join(TrainingEnrolment, TrainingEnrolment.training_id == Training.id)
        .where(TrainingEnrolment.member_id == member_id)
        .order_by(Training.starts_on.desc(), Training.id.desc())))
    shown = trainings[:limit]
    by_training = sessions_of([t.id for t in shown])
    found = []
    for training in shown:
        sessions = [s for s in by_training.get(training.id, []) if s.cancelled_at is None]
        ids = [s.id for s in by_training.get(training.id, [])]
        attended = int(db.session.scalar(select(func.count(CheckIn.id)).where(
            CheckIn.member_id == member_id, CheckIn.activity_id.in_(ids),
            CheckIn.status == CheckInStatus.PRESENT)) or 0) if ids else 0
        upcoming = [s for s in sessions if s.ends_at >= now]
        found.append(MyTraining(training, len(sessions), attended,
                                hours_by_member(ids, [member_id]).get(member_id, 0.0),
                                upcoming[0] if upcoming else None))
    return found, len(trainings)
