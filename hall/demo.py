"""The demo's year at the hall (政治生活馆): slots every Tuesday and Thursday (09:00–11:00 and
14:00–16:00) from 1 January to four weeks ahead; about 25 visits held by demo organisations,
their members checked in through the real check-in and the non-member guests entered after;
a few bookings declined or cancelled, a few waiting for an admin and a few confirmed ahead.
Deterministic (random.Random(SEED)); commits nothing; every step through hall/'s own rules.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

import clock
from checkins.checkin import check_in, of_activity
from hall import booking, slots, visits
from models import (
    HallSlot,
    Member,
    Membership,
    MemberStatus,
    Organization,
    Role,
    RoleGrant,
    VisitBooking,
    db,
)

SEED = 2027
ACTOR = "demo"
CAPACITY = 60
HELD = 25
DECLINED, CANCELLED, WAITING, AHEAD = 3, 2, 3, 3
COME = 0.8  # the chance a member of the visiting organisation checks in
PURPOSES = ("主题党日活动", "新党员入党宣誓教育", "党史学习教育", "支部书记带队学习",
            "七一主题党日", "入党积极分子教育")
DECLINE_REASONS = ("该时段馆内布展，暂停接待，请改约其他时段。",
                   "人数超出讲解员接待能力，请分两批预约。")
CANCEL_REASON = "企业生产任务调整"


def _open_year(today: date) -> int:
    """Open the year's slots, 26 weeks at a time; how many were made."""
    first, last = date(today.year, 1, 1), today + timedelta(days=28)
    opened_at = clock.at(first) - timedelta(days=1)
    made = 0
    while first <= last:
        weeks = min(slots.MAX_WEEKS, (last - first).days // 7 + 1)
        pattern = slots.Pattern(first, weeks, (1, 3), ((time(9), time(11)), (time(14), time(16))),
                                CAPACITY)
        made += len(slots.add_slots(pattern, ACTOR, opened_at)[0])
        first += timedelta(days=7 * weeks)
    return made


def _contacts() -> list[tuple[Organization, Member]]:
    """Each active organisation with an active contact, and that contact, by organisation id."""
    rows = db.session.execute(
        select(Organization, Member).join(RoleGrant, RoleGrant.organization_id == Organization.id)
        .join(Member, Member.id == RoleGrant.member_id)
        .where(RoleGrant.role == Role.CONTACT, Member.status == MemberStatus.ACTIVE,
               Organization.active).order_by(Organization.id, Member.id)).all()
    found: dict[int, tuple[Organization, Member]] = {}
    for org, member in rows:
        found.setdefault(org.id, (org, member))
    return list(found.values())


def _members(org_id: int) -> list[Member]:
    return list(db.session.scalars(
        select(Member).join(Membership, Membership.member_id == Member.id)
        .where(Membership.organization_id == org_id, Member.status == MemberStatus.ACTIVE)
        .order_by(Member.id)))


def _book(slot: HallSlot, org: Organization, contact: Member, rng: random.Random,
          now: datetime) -> VisitBooking:
    row, _ = booking.book(slot, org.id, rng.randint(15, min(55, slot.capacity - slot.booked)),
                          rng.choice(PURPOSES), contact.userid, now, contact=contact)
    return row


def _hold(row: VisitBooking, rng: random.Random) -> int:
    """Confirm a booking ahead of its slot, check its members in, enter its guests; rows."""
    starts = row.slot.starts_at
    activity = visits.confirm(row, ACTOR, starts - timedelta(days=6))
    target, written = of_activity(activity), 1
    came = 0
    for member in _members(row.organization_id):
        if came < row.group_size and rng.random() < COME:
            result = check_in(member, target, starts + timedelta(minutes=5), None)
            came += 1 if result.new else 0
            written += 2 if result.new else 0  # the check-in and its ledger row
    guests = max(row.group_size - came - rng.randint(0, 3), 0)
    visits.set_guests(row, row.organization.name, starts + timedelta(hours=3), guests=guests)
    return written


def seed_demo_year(today: date) -> int:
    """Write the year's slots, bookings, visits, check-ins and guests; rows written."""
    if db.session.scalar(select(HallSlot.id).limit(1)) is not None:
        return 0
    contacts = _contacts()
    if not contacts:
        return 0
    rng = random.Random(SEED)
    now = clock.at(today, time(12))
    written = _open_year(today)
    year = list(db.session.scalars(select(HallSlot).order_by(HallSlot.starts_at)))
    past = [s for s in year if s.starts_at < now - timedelta(days=1)]
    ahead = [s for s in year if s.starts_at > now + timedelta(days=2)]
    chosen = sorted(rng.sample(past, min(HELD + DECLINED + CANCELLED, len(past))),
                    key=lambda s: s.starts_at)
    for index, slot in enumerate(chosen):
        org, contact = rng.choice(contacts)
        row = _book(slot, org, contact, rng, slot.starts_at - timedelta(days=10))
        written += 1
        if index % 6 == 5 and index // 6 < DECLINED:
            booking.decline(row, rng.choice(DECLINE_REASONS), ACTOR,
                            slot.starts_at - timedelta(days=8))
        elif index % 7 == 3 and index // 7 < CANCELLED:
            booking.cancel(row, contact.userid, slot.starts_at - timedelta(days=5),
                           CANCEL_REASON)
        else:
            written += _hold(row, rng)
    for index, slot in enumerate(ahead[:WAITING + AHEAD]):
        org, contact = rng.choice(contacts)
        row = _book(slot, org, contact, rng, now - timedelta(days=1 + index))
        written += 1
        if index >= WAITING:
            visits.confirm(row, ACTOR, now)
            written += 1
    return written
