"""Is a lecturer free? Their lectures, widened by the travel buffer, must not overlap.

A lecture counts while its order is dispatched, confirmed, completed or rated (or when it has
no order at all: entered by hand). Intervals are half-open, so a lecture ending exactly one
buffer before the new start does not block it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select

from models import Lecture, LectureOrder, Member, OrderStatus, Role, Topic, TopicLecturer, db

HOLDING = (OrderStatus.DISPATCHED, OrderStatus.CONFIRMED, OrderStatus.COMPLETED,
           OrderStatus.RATED)


@dataclass(frozen=True)
class Candidate:
    """A lecturer of a topic for one time, with the lecture in the way (None when free)."""

    member: Member
    conflict: Lecture | None

    @property
    def free(self) -> bool:
        """True when no lecture is in the way."""
        return self.conflict is None


def busy_lectures(lecturer_id: int, start: datetime, end: datetime,
                  buffer: timedelta) -> list[Lecture]:
    """The lecturer's holding lectures overlapping [start - buffer, end + buffer)."""
    query = (
        select(Lecture).outerjoin(LectureOrder, Lecture.order_id == LectureOrder.id)
        .where(Lecture.lecturer_id == lecturer_id,
               Lecture.starts_at < end + buffer, Lecture.ends_at > start - buffer,
               or_(Lecture.order_id.is_(None), LectureOrder.status.in_(HOLDING)))
        .order_by(Lecture.starts_at, Lecture.id))
    return list(db.session.scalars(query))


def is_free(lecturer_id: int, start: datetime, end: datetime, buffer: timedelta) -> bool:
    """True when no holding lecture of the lecturer overlaps the buffered interval."""
    return not busy_lectures(lecturer_id, start, end, buffer)


def topic_lecturers(topic: Topic) -> list[Member]:
    """The topic's lecturers who may be dispatched: active members holding the lecturer role."""
    query = (select(Member).join(TopicLecturer, TopicLecturer.member_id == Member.id)
             .where(TopicLecturer.topic_id == topic.id).order_by(TopicLecturer.id))
    return [m for m in db.session.scalars(query) if m.is_active and m.has_role(Role.LECTURER)]


def free_lecturers(topic: Topic, start: datetime, end: datetime,
                   buffer: timedelta) -> list[Candidate]:
    """Every dispatchable lecturer of the topic, each with the first conflicting lecture."""
    candidates = []
    for member in topic_lecturers(topic):
        busy = busy_lectures(member.id, start, end, buffer)
        candidates.append(Candidate(member, busy[0] if busy else None))
    return candidates
