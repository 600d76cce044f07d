"""Visits: an admin confirms a booking, which becomes the visit's activity (kind visit, the
slot's times, the organisation's name, a check-in code), and the visitors are counted.

Visitors (人次) = members checked in with the visit's code + non-member guests entered after
the visit (`Activity.guests`). Any active member may check in with the code, whatever their
organisation: a group brings colleagues of other branches. A visit (场) is a confirmed booking
whose slot has started. Writes in the caller's transaction; audited ("hall.confirm",
"hall.guests")."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from checkins.codes import new_checkin_code
from content import hall_texts as texts
from content.texts import local_time
from hall.booking import move, number, status_name
from hall.slots import HallError
from models import (
    Activity,
    ActivityKind,
    CheckIn,
    CheckInStatus,
    VisitBooking,
    VisitStatus,
    audit,
    db,
)

MAX_GUESTS = 5000


@dataclass(frozen=True)
class Visitors:
    """Who came to a visit: members by check-in, guests entered by staff."""

    members: int
    guests: int

    @property
    def total(self) -> int:
        """人次: members checked in plus guests."""
        return self.members + self.guests


def confirm(booking: VisitBooking, actor: str, now: datetime) -> Activity:
    """Confirm a requested booking whose slot has not started (audited): the visit's activity
    with its check-in code, linked to the booking."""
    slot = booking.slot
    if booking.status == VisitStatus.REQUESTED and slot.starts_at <= now:
        raise HallError("past", time=local_time(slot.starts_at))
    if not move(booking, (VisitStatus.REQUESTED,), VisitStatus.CONFIRMED,
                 decided_by=actor[:100], decided_at=now):
        raise HallError("not_requested", number=number(booking),
                        status=status_name(booking, now))
    activity = Activity(kind=ActivityKind.VISIT,
                        title=texts.VISIT_TITLE.format(org=booking.organization.name)[:200],
                        organization_id=booking.organization_id, starts_at=slot.starts_at,
                        ends_at=slot.ends_at, place=slot.hall[:100],
                        checkin_code=new_checkin_code(now), guests=0,
                        notes=booking.purpose, created_by=actor[:100], created_at=now)
    db.session.add(activity)
    db.session.flush()
    booking.activity_id = activity.id
    db.session.flush()
    audit(actor, "hall.confirm", number(booking), activity=activity.id,
          code=activity.checkin_code, organization_id=booking.organization_id,
          size=booking.group_size)
    return activity


def member_checkins(activity_ids: Iterable[int]) -> dict[int, int]:
    """Members present by check-in, per activity id (absent ids count zero)."""
    ids = [i for i in activity_ids if i is not None]
    if not ids:
        return {}
    rows = db.session.execute(
        select(CheckIn.activity_id, func.count(CheckIn.id))
        .where(CheckIn.activity_id.in_(ids), CheckIn.status == CheckInStatus.PRESENT)
        .group_by(CheckIn.activity_id)).all()
    return {int(activity_id): int(count) for activity_id, count in rows}


def visitors(booking: VisitBooking) -> Visitors:
    """The visit's members checked in and guests (zeros before it was confirmed)."""
    activity = booking.activity
    if activity is None:
        return Visitors(0, 0)
    return Visitors(member_checkins([activity.id]).get(activity.id, 0), activity.guests)


def visitors_of(bookings: Iterable[VisitBooking]) -> dict[int, Visitors]:
    """Visitors per booking id, with one query for the check-ins."""
    rows = list(bookings)
    counted = member_checkins(b.activity_id for b in rows if b.activity_id is not None)
    return {b.id: Visitors(counted.get(b.activity_id or 0, 0),
                           b.activity.guests if b.activity is not None else 0) for b in rows}


def held(booking: VisitBooking, now: datetime) -> bool:
    """True for a visit (场): confirmed, and its slot has started."""
    return booking.status == VisitStatus.CONFIRMED and booking.slot.starts_at <= now


def set_guests(booking: VisitBooking, actor: str, now: datetime, total: int | None = None,
               guests: int | None = None) -> Visitors:
    """Record the non-member guests of a held visit (audited): from the total who came (guests
    = total - members checked in) or given directly. HallError for a visit not held yet or a
    number that does not add up."""
    if not held(booking, now) or booking.activity is None:
        raise HallError("not_held", number=number(booking))
    members = visitors(booking).members
    if total is not None:
        if total < 0:
            raise HallError("guests_bad")
        if total < members:
            raise HallError("total_below_members", total=total, members=members)
        guests = total - members
    if guests is None or guests < 0:
        raise HallError("guests_bad")
    if guests > MAX_GUESTS:
        raise HallError("guests_too_many", limit=MAX_GUESTS)
    activity = booking.activity
    before = activity.guests
    activity.guests = guests
    db.session.flush()
    audit(actor, "hall.guests", number(booking), activity=activity.id, before=before,
          after=guests, members=members, total=total)
    return Visitors(members, guests)
