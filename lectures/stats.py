"""Lecture figures: lectures held, audience and average rating per lecturer, topic, organisation.

`held()` is the one definition of a lecture held, used by every page, command and report
(lectures stats, the console's 讲师 pages, 我的宣讲, the annual report, the dashboard, 考核):
a lecture with an order is held once its order is completed or rated; a lecture without an
order (arranged by the committee) once it has started and at least one member checked in
(docs/figures.md; the wording shown beside the figure is content.lecture_texts.HELD_RULE).
The audience (签到人次) is the number of members checked in (present, including 代签; leave not
counted); `reported` is the sum of the headcounts lecturers reported with 人数 (which may
include non-members); the rating is the mean of the contacts' scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import aliased

from content.titles import quoted
from models import (
    CheckIn,
    CheckInStatus,
    Lecture,
    LectureOrder,
    Member,
    OrderStatus,
    Organization,
    Rating,
    Role,
    RoleGrant,
    Topic,
    db,
    utcnow,
)

HELD_ORDERS = (OrderStatus.COMPLETED, OrderStatus.RATED)  # an ordered lecture held (held())
HELD_DEFINITION = ("held: a lecture with an order once the order is completed or rated; "
                   "one without an order once it has started and a member checked in")
GROUPINGS = ("lecturer", "topic", "organization")


@dataclass(frozen=True)
class LectureFigures:
    """How one lecturer, topic or organisation did."""

    label: str
    lectures: int = 0
    audience: int = 0  # checked in
    reported: int = 0  # headcounts the lecturers reported
    ratings: int = 0
    average_rating: float | None = None


Counts = tuple[int, int, int, int, float | None]


def held(now: datetime | None = None) -> ColumnElement[bool]:
    """The condition on Lecture of a lecture held by `now`: its order completed or rated, or,
    without an order, started and with at least one member checked in (present)."""
    now = now or utcnow()
    # Own aliases, correlated to the outer Lecture only: the condition holds in any query
    # (one that joins the orders or the check-ins itself too).
    order, checkin = aliased(LectureOrder), aliased(CheckIn)
    ordered = Lecture.order_id.in_(select(order.id).where(order.status.in_(HELD_ORDERS))
                                   .correlate(None))
    checked_in = (select(checkin.id).where(checkin.lecture_id == Lecture.id,
                                           checkin.status == CheckInStatus.PRESENT)
                  .correlate(Lecture).exists())
    return or_(ordered, and_(Lecture.order_id.is_(None), Lecture.starts_at <= now, checked_in))


def _held_by(key: Any) -> dict[int, Counts]:
    """Held lectures, checked-in and reported audience, ratings and mean score, per `key`."""
    present = (select(CheckIn.lecture_id, func.count(CheckIn.id).label("present"))
               .where(CheckIn.lecture_id.is_not(None), CheckIn.status == CheckInStatus.PRESENT)
               .group_by(CheckIn.lecture_id).subquery())
    rows = db.session.execute(
        select(key, func.count(Lecture.id), func.coalesce(func.sum(present.c.present), 0),
               func.coalesce(func.sum(Lecture.attendance), 0),
               func.count(Rating.id), func.avg(Rating.score))
        .select_from(Lecture)
        .outerjoin(LectureOrder, LectureOrder.id == Lecture.order_id)
        .outerjoin(present, present.c.lecture_id == Lecture.id)
        .outerjoin(Rating, Rating.order_id == LectureOrder.id)
        .where(held())
        .group_by(key))
    return {key_value: (int(lectures), int(audience), int(reported), int(ratings),
                        None if average is None else round(float(average), 2))
            for key_value, lectures, audience, reported, ratings, average in rows
            if key_value is not None}  # by organisation: a lecture without an order has none


def _figures(labels: dict[int, str], held: dict[int, Counts]) -> list[LectureFigures]:
    """One row per labelled id (zeros where nothing was held), busiest first."""
    rows = [LectureFigures(label, *held.get(key, (0, 0, 0, 0, None)))
            for key, label in labels.items()]
    return sorted(rows, key=lambda f: (-f.lectures, -f.audience, f.label))


def by_lecturer() -> list[LectureFigures]:
    """Every lecturer of the pool, and anyone else who held a lecture."""
    held = _held_by(Lecture.lecturer_id)
    pool = set(db.session.scalars(select(RoleGrant.member_id)
                                  .where(RoleGrant.role == Role.LECTURER)))
    labels = {member_id: f"{name}（{userid}）" for member_id, name, userid in db.session.execute(
        select(Member.id, Member.name, Member.userid).where(Member.id.in_(pool | set(held))))}
    return _figures(labels, held)


def for_lecturers(members: list[Member]) -> dict[int, LectureFigures]:
    """The figures of these lecturers by member id (the console's lecturer pages)."""
    held = _held_by(Lecture.lecturer_id)
    return {m.id: LectureFigures(m.name, *held[m.id]) if m.id in held else LectureFigures(m.name)
            for m in members}


def by_topic() -> list[LectureFigures]:
    """Every active topic of the menu, and any other topic that was held."""
    held = _held_by(Lecture.topic_id)
    labels = dict(db.session.execute(select(Topic.id, Topic.title).where(
        Topic.active | Topic.id.in_(set(held)))).all())
    return _figures({k: quoted(v) for k, v in labels.items()}, held)


def by_organization() -> list[LectureFigures]:
    """Every organisation that held a lecture."""
    held = _held_by(LectureOrder.organization_id)
    labels = dict(db.session.execute(select(Organization.id, Organization.name)
                                     .where(Organization.id.in_(set(held)))).all())
    return _figures(labels, held)


def figures(by: str = "lecturer") -> list[LectureFigures]:
    """The figures grouped by lecturer, topic or organization."""
    if by not in GROUPINGS:
        raise ValueError(f"group by one of {', '.join(GROUPINGS)}")
    return {"lecturer": by_lecturer, "topic": by_topic, "organization": by_organization}[by]()


def held_hours(member_id: int) -> float:
    """Hours the lecturer spent lecturing: the planned length of each held lecture, summed."""
    rows = db.session.execute(
        select(Lecture.starts_at, Lecture.ends_at)
        .where(Lecture.lecturer_id == member_id, held()))
    seconds = sum(max((ends - starts).total_seconds(), 0) for starts, ends in rows)
    return round(seconds / 3600, 1)
