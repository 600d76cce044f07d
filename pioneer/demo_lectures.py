"""The demo's 点单 board: a year of lecture orders in every state, written through the lecture
code itself (lectures.ordering, lectures.dispatching, lectures.followup, checkins.checkin), so
each row, status change and audit entry is what the product writes.

Held lectures (completed, most of them rated) run from months ago to yesterday, with the
ordering organisation's members checked in and the lecturer's headcount; this month has
lectures held and still to come (one tonight); some orders wait to be dispatched (one after a
lecturer declined it), some wait for the lecturer's answer, a few were rejected or cancelled.
李娜's 华芯微电子党支部 has the whole loop: a lecture rated, one held and not yet rated
(评单 works at once), and 刘洋's lecture tomorrow afternoon (with the demo clock, `/clock`,
签到, 人数 and 评单 can be tried on it). 刘洋 also has an order waiting for his 接单.
The notices these steps would have sent are not written: they belong to the past.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

import clock
from checkins.checkin import CheckInError, check_in, of_lecture
from lectures import dispatching, followup, ordering
from lectures.dispatching import DispatchError
from lectures.states import transition
from models import (
    Lecture,
    LectureMode,
    LectureOrder,
    Member,
    Membership,
    MemberStatus,
    OrderStatus,
    Organization,
    Role,
    RoleGrant,
    Topic,
    db,
)

SEED = 2027
ADMIN = "chenjing"  # the admin who dispatches, rejects and is audited for it
CONTACT = "lina"
LECTURER = "liuyang"
HELD_DAYS_AGO = (320, 290, 260, 235, 210, 180, 150, 125, 100, 80, 62, 45, 30, 20, 12, 6, 4, 2, 1)
UNRATED_DAYS_AGO = 7  # held this recently: not rated yet (the contact has not got to it)
CONFIRMED_DAYS_AHEAD = (0, 1, 3, 9, 16, 27)  # 0: tonight; 1: 刘洋 at 李娜's, the loop
DISPATCHED_DAYS_AHEAD = (5, 12)
PENDING_DAYS_AHEAD = (6, 10, 14, 21)
REJECTED = ("所选时间段讲师均已有安排，请改选其他时间后重新点单。",
            "该专题本季度已安排集中宣讲，建议参加党委统一组织的场次。")
DECLINED = "当天要参加区里的讲师集训，无法前往，抱歉。"
RATINGS = ((5, "讲得生动，结合企业实际，大家反响很好。"), (5, "案例丰富，青年党员很受启发。"),
           (4, "内容扎实，互动环节可以再多一些。"), (5, "讲师准备充分，时间把握得好。"),
           (4, "很有收获，希望下次多讲讲身边的典型。"),
           (3, "内容不错，但时间偏长，车间同事有些累。"))


@dataclass
class Cast:
    """Who the demo's orders are about: contacts with their organisation, lecturers, topics."""

    contacts: list[tuple[Member, Organization]]
    lecturers: list[Member]
    topics: list[Topic]
    admin: str
    rng: random.Random

    def contact_of(self, userid: str) -> tuple[Member, Organization] | None:
        """The named contact and their organisation, if in the roster."""
        return next((c for c in self.contacts if c[0].userid == userid), None)


def _cast(rng: random.Random) -> Cast | None:
    contacts = [(member, org) for member, org in db.session.execute(
        select(Member, Organization).join(RoleGrant, RoleGrant.member_id == Member.id)
        .join(Organization, Organization.id == RoleGrant.organization_id)
        .where(RoleGrant.role == Role.CONTACT, Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id))]
    lecturers = list(db.session.scalars(
        select(Member).join(RoleGrant, RoleGrant.member_id == Member.id)
        .where(RoleGrant.role == Role.LECTURER, Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)))
    topics = list(db.session.scalars(select(Topic).where(Topic.active).order_by(Topic.id)))
    if not (contacts and lecturers and topics):
        return None
    admin = db.session.scalar(select(Member.userid).where(Member.userid == ADMIN)) or "demo"
    return Cast(contacts, lecturers, topics, admin, rng)


def _at(day: date, rng: random.Random) -> datetime:
    """A lecture's start on `day`: 09:30, 14:00, 14:30 or 15:00 committee time."""
    return clock.at(day, rng.choice((time(9, 30), time(14), time(14, 30), time(15))))


def _order(cast: Cast, n: int, contact: Member, org: Organization, topic: Topic,
           slots: list[datetime], created: datetime) -> LectureOrder:
    """A pending order as the contact's 点单 dialogue writes it."""
    mode = LectureMode.LIVE if LectureMode.LIVE in (topic.modes or []) \
        and cast.rng.random() < 0.2 else LectureMode.OFFLINE
    audience = cast.rng.choice((20, 25, 30, 35, 40, 50, 60))
    order, _ = ordering.create_order(contact, org.id, topic, ordering.slot_values(slots),
                                     audience, mode, f"{org.name}党员活动室", f"demo:order:{n}",
                                     created)
    return order


def _lecturer_for(cast: Cast, topic: Topic, prefer: Member | None = None) -> list[Member]:
    """Lecturers to try for a topic: `prefer` first, then those offering it, then the rest."""
    offering = {row.member_id for row in topic.lecturers}
    ordered = sorted(cast.lecturers, key=lambda m: (m.id not in offering, cast.rng.random()))
    return [prefer, *[m for m in ordered if m is not prefer]] if prefer else ordered


def _dispatch(cast: Cast, order: LectureOrder, slot: int, now: datetime,
              prefer: Member | None = None) -> Lecture | None:
    """派单 to the first lecturer free at the slot; None if everyone is busy."""
    for lecturer in _lecturer_for(cast, order.topic, prefer):
        try:
            return dispatching.dispatch(order, lecturer, slot, cast.admin, now)
        except DispatchError as exc:
            if exc.reason != "busy":
                raise
    return None


def _attend(lecture: Lecture, rng: random.Random) -> int:
    """The ordering organisation's members check in around the start; how many did."""
    order = lecture.order
    assert order is not None
    members = db.session.scalars(
        select(Member).join(Membership, Membership.member_id == Member.id)
        .where(Membership.organization_id == order.organization_id,
               Member.status == MemberStatus.ACTIVE).order_by(Member.id)).all()
    target, count = of_lecture(lecture), 0
    for member in members:
        if rng.random() < 0.8:
            try:
                check_in(member, target, lecture.starts_at + timedelta(minutes=rng.randint(-20, 8)),
                         None)
                count += 1
            except CheckInError:
                continue
    return count


def _hold(cast: Cast, lecture: Lecture, rate: bool) -> None:
    """The lecture happens: reminded, members check in, the lecturer reports the headcount,
    the tick completes it at its end, and (if `rate`) the contact rates it the next day."""
    order = lecture.order
    assert order is not None
    lecture.reminded_at = lecture.starts_at - timedelta(hours=20)
    present = _attend(lecture, cast.rng)
    headcount = max(present, order.audience + cast.rng.randint(-8, 6))
    followup.record_attendance(lecture.lecturer, order.number, headcount,
                               lecture.ends_at + timedelta(minutes=20))
    lecture.followed_up_at = lecture.ends_at
    transition(order, OrderStatus.COMPLETED, "system", "system", lecture.ends_at)
    if rate:
        score, comment = cast.rng.choice(RATINGS)
        followup.rate(order.contact, order.number, score, comment,
                      lecture.ends_at + timedelta(hours=cast.rng.randint(16, 30)))


def _pick(cast: Cast, named: str | None = None) -> tuple[Member, Organization, Topic]:
    contact = cast.contact_of(named) if named else None
    member, org = contact or cast.rng.choice(cast.contacts)
    return member, org, cast.rng.choice(cast.topics)


def _confirmed(cast: Cast, n: int, start: datetime, created: datetime,
               named: str | None = None, lecturer: Member | None = None) -> Lecture | None:
    """An order dispatched a day after it came in and accepted by the lecturer that evening."""
    contact, org, topic = _pick(cast, named)
    order = _order(cast, n, contact, org, topic, [start, start + timedelta(days=2)], created)
    lecture = _dispatch(cast, order, 1, created + timedelta(days=1), lecturer)
    if lecture is None:
        return None
    dispatching.accept(order, lecture.lecturer, created + timedelta(days=1, hours=5))
    return lecture


def seed_lectures(today: date | None = None) -> int:
    """Write the demo's lecture orders (every state) and their lectures; the orders written
    (0 when the demo has orders already or no contacts, lecturers or topics)."""
    if db.session.scalar(select(LectureOrder.id).limit(1)) is not None:
        return 0
    today = today or clock.today()
    cast = _cast(random.Random(SEED))
    if cast is None:
        return 0
    liuyang = next((m for m in cast.lecturers if m.userid == LECTURER), None)
    n = 0
    for days_ago in HELD_DAYS_AGO:  # held: completed, rated unless very recent
        n += 1
        named = CONTACT if days_ago in (45, 4) else None
        start = _at(today - timedelta(days=days_ago), cast.rng)
        lecture = _confirmed(cast, n, start, start - timedelta(days=cast.rng.randint(8, 20)),
                             named, liuyang if days_ago == 45 else None)
        if lecture is not None:
            _hold(cast, lecture, rate=days_ago > UNRATED_DAYS_AGO)
    for days_ahead in CONFIRMED_DAYS_AHEAD:  # confirmed: still to come (tonight, tomorrow, …)
        n += 1
        day = today + timedelta(days=days_ahead)
        start = clock.at(day, time(19)) if days_ahead == 0 else clock.at(day, time(14, 30)) \
            if days_ahead == 1 else _at(day, cast.rng)
        named = CONTACT if days_ahead == 1 else None
        _confirmed(cast, n, start, clock.at(today - timedelta(days=6), time(10)), named,
                   liuyang if days_ahead == 1 else None)
    for index, days_ahead in enumerate(DISPATCHED_DAYS_AHEAD):  # waiting for 接单
        n += 1
        contact, org, topic = _pick(cast)
        start = _at(today + timedelta(days=days_ahead), cast.rng)
        order = _order(cast, n, contact, org, topic, [start], clock.at(
            today - timedelta(days=3), time(11)))
        _dispatch(cast, order, 1, clock.at(today - timedelta(days=1), time(16)),
                  liuyang if index == 0 else None)
    for index, days_ahead in enumerate(PENDING_DAYS_AHEAD):  # 待派: the admins' queue
        n += 1
        contact, org, topic = _pick(cast)
        day = today + timedelta(days=days_ahead)
        created = _at(today - timedelta(days=len(PENDING_DAYS_AHEAD) - index), cast.rng)
        order = _order(cast, n, contact, org, topic,
                       [_at(day, cast.rng), _at(day + timedelta(days=2), cast.rng)], created)
        if index == 0:  # dispatched once, and the lecturer declined: back in the queue
            lecture = _dispatch(cast, order, 1, created + timedelta(hours=3))
            if lecture is not None:
                dispatching.decline(order, lecture.lecturer, DECLINED,
                                    created + timedelta(hours=9))
    for index, reason in enumerate(REJECTED):  # 驳回 with the reason the contact is told
        n += 1
        contact, org, topic = _pick(cast)
        created = _at(today - timedelta(days=40 + 30 * index), cast.rng)
        order = _order(cast, n, contact, org, topic, [created + timedelta(days=10)], created)
        dispatching.reject(order, reason, cast.admin, created + timedelta(hours=20))
    for index in range(2):  # cancelled by the contact: one before dispatch, one after
        n += 1
        contact, org, topic = _pick(cast)
        created = _at(today - timedelta(days=25 + 50 * index), cast.rng)
        order = _order(cast, n, contact, org, topic, [created + timedelta(days=12)], created)
        if index == 1:
            _dispatch(cast, order, 1, created + timedelta(days=1))
        ordering.cancel_order(order, contact, created + timedelta(days=2))
    db.session.flush()
    return n
