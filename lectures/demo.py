"""Demo lecturer application: a round of applications is open and 王芳 has applied in it to
join the red-lecturer pool, so the console's 讲师报名 page has one to decide in `./dev demo`
(approving it sends her the notice)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.outbox import Outbox
from lectures import applications, rounds
from models import LecturerApplication, Member, db, utcnow

APPLICANT = "wangfang"
SPECIALTIES = "质量强国、工匠精神"
EXPERIENCE = "2025年起在车间党小组讲过6次微党课，获园区微党课比赛二等奖。"
SAMPLE_TOPIC = "从一颗螺丝看工匠精神"


def seed_application() -> LecturerApplication | None:
    """王芳's pending application in an open round, written once (None if any application
    exists already or she is not in the roster); the admins' notice is queued like a real
    one. The round is opened first when none is."""
    if db.session.scalar(select(LecturerApplication.id).limit(1)) is not None:
        return None
    member = db.session.scalar(select(Member).where(Member.userid == APPLICANT))
    if member is None:
        return None
    if rounds.current_round() is None:
        batch = rounds.next_batch()
        rounds.open_round("demo", rounds.default_name(batch), batch,
                          utcnow() - timedelta(days=3))
    return applications.submit(member, SPECIALTIES, EXPERIENCE, SAMPLE_TOPIC,
                               utcnow() - timedelta(days=2), Outbox(db.session))
