"""The hall tests' world: an admin, a contact and a member of 华芯, a contact and a member of
远景, and one slot of the hall on Thursday 3 December 2026, 09:00–11:00 in Shanghai; the tests
run on Tuesday 1 December at 10:00 (NOW)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from hall import booking, slots
from models import HallSlot, Member, VisitBooking, db, utcnow
from tests.helpers import SHANGHAI

NOW = "2026-12-01 10:00"  # a Tuesday morning in Shanghai
SLOT_START, SLOT_END = "2026-12-03 09:00", "2026-12-03 11:00"


def wall(text: str) -> datetime:
    """A Shanghai wall-clock time as an aware datetime."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@dataclass(frozen=True)
class Hall:
    """Userids and ids of the hall tests' world."""

    admin: str
    here: str
    other: str
    member: str
    member_other: str
    org_here: int
    org_other: int
    slot_id: int


def build_hall(app: Flask, make_member: Any, capacity: int = 40) -> Hall:
    """The world (see the module's docstring), the slot with `capacity` places."""
    make_member("h-admin", "管理员甲", org="党委办公室", roles=("admin",))
    here = make_member("h-here", "联络员甲", org="华芯党支部", roles=("contact",))
    other = make_member("h-other", "联络员乙", org="远景党支部", roles=("contact",))
    make_member("h-m1", "党员丁", org="华芯党支部")
    make_member("h-m2", "党员戊", org="远景党支部")
    with app.app_context():
        slot = slots.add_slot(wall(SLOT_START), wall(SLOT_END), capacity, "test", utcnow())
        db.session.commit()
        org_here = db.session.get(Member, here.id).main_organization.id
        org_other = db.session.get(Member, other.id).main_organization.id
        return Hall("h-admin", "h-here", "h-other", "h-m1", "h-m2", org_here, org_other, slot.id)


def member(userid: str) -> Member:
    """The member with this userid (inside an app context)."""
    return db.session.scalars(select(Member).where(Member.userid == userid)).one()


def book(app: Flask, world: Hall, size: int, userid: str | None = None,
         key: str | None = None, slot_id: int | None = None) -> int:
    """A booking of the slot for the userid's organisation (华芯 by default), committed; its id."""
    with app.app_context():
        contact = member(userid or world.here)
        org_id = world.org_here if contact.userid == world.here else world.org_other
        row, _ = booking.book(db.session.get(HallSlot, slot_id or world.slot_id), org_id, size,
                              "主题党日活动", contact.userid, utcnow(), contact=contact,
                              message_key=key)
        db.session.commit()
        return row.id


def slot_booked(app: Flask, world: Hall) -> int:
    """The slot's booked places as stored."""
    with app.app_context():
        return db.session.get(HallSlot, world.slot_id).booked


def bookings(app: Flask) -> list[tuple[int, str, int]]:
    """(organisation, status, size) of every booking, by id."""
    with app.app_context():
        return [(b.organization_id, b.status, b.group_size) for b in db.session.scalars(
            select(VisitBooking).order_by(VisitBooking.id))]
