"""Helpers of the trainings' tests: a training, its enrolments and sessions written as the
console would (and committed), and reading back what was written."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from models import (
    Activity,
    AuditEntry,
    CheckIn,
    Member,
    Participation,
    TrainingEnrolment,
    db,
    utcnow,
)
from tests.helpers import SHANGHAI, written
from trainings import manage


def shanghai(text: str) -> datetime:
    """A Shanghai wall-clock time, e.g. "2026-05-10 09:00"."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def make_training(app: Flask, kind: str = "workers", title: str = "党务工作者培训班",
                  starts_on: date = date(2026, 5, 1), ends_on: date = date(2026, 5, 31),
                  planned: int = 3, hours: float = 3.0, place: str = "党群服务中心") -> int:
    """A training created by an admin and committed; its id."""
    with app.app_context():
        training = manage.create_training(kind, title, planned, hours, starts_on, ends_on,
                                          place, "c-admin")
        db.session.commit()
        return training.id


def enrol(app: Flask, training_id: int, names: str) -> list[str]:
    """Enrol the named members and commit; the userids newly enrolled."""
    with app.app_context():
        training = manage.find(training_id)
        assert training is not None
        done = manage.enrol(training, names, "c-admin", utcnow())
        db.session.commit()
        return [m.userid for m in done.new]


def add_session(app: Flask, training_id: int, starts: str, ends: str,
                title: str = "") -> tuple[int, str]:
    """A session from `starts` to `ends` (Shanghai times), committed; (id, check-in code)."""
    with app.app_context():
        training = manage.find(training_id)
        assert training is not None
        session = manage.add_session(training, title, shanghai(starts), shanghai(ends), "",
                                     "c-admin", utcnow())
        db.session.commit()
        assert session.checkin_code is not None
        return session.id, session.checkin_code


def enrolled(app: Flask, training_id: int) -> list[str]:
    """The userids enrolled in the training, in order."""
    with app.app_context():
        return list(db.session.scalars(
            select(Member.userid).join(TrainingEnrolment, TrainingEnrolment.member_id == Member.id)
            .where(TrainingEnrolment.training_id == training_id).order_by(TrainingEnrolment.id)))


def credits(app: Flask) -> list[tuple[str, str, str, float]]:
    """(userid, kind, source, hours) of every ledger row."""
    with app.app_context():
        rows = db.session.execute(
            select(Member.userid, Participation.kind, Participation.source, Participation.hours)
            .join(Member, Member.id == Participation.member_id).order_by(Participation.id))
        return [(u, k, s, float(h)) for u, k, s, h in rows]


def check_ins(app: Flask) -> list[tuple[str, int | None, str]]:
    """(userid, activity id, status) of every check-in."""
    with app.app_context():
        rows = db.session.execute(select(Member.userid, CheckIn.activity_id, CheckIn.status)
                                  .join(Member, Member.id == CheckIn.member_id)
                                  .order_by(CheckIn.id))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def sessions(app: Flask, training_id: int) -> list[dict[str, Any]]:
    """The training's sessions' columns."""
    with app.app_context():
        rows = db.session.scalars(select(Activity).where(Activity.training_id == training_id)
                                  .order_by(Activity.id))
        return [{c.name: getattr(r, c.name) for c in Activity.__table__.columns} for r in rows]


def audits(app: Flask) -> list[tuple[str, str, str]]:
    """(actor, action, target) of the trainings' audit entries, in order."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action.startswith("training.")).order_by(AuditEntry.id))
        return [(r.actor, r.action, r.target) for r in rows]


def tables(app: Flask) -> dict[str, int]:
    """Row counts of every table (Redis left out: the console keeps sessions there)."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts
