"""The demo's year at the hall: written once into the demo roster, consistent with the rules
(no slot overbooked, a slot's booked places the sum of its live bookings), about 25 visits
held with member check-ins and guests, some declined, cancelled, waiting and confirmed ahead."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from hall import visits
from hall.demo import seed_demo_year
from models import CheckIn, HallSlot, VisitBooking, VisitStatus, db, utcnow
from roster.demo import seed_demo

pytestmark = pytest.mark.clock


def test_demo_year(app: Flask, travel):
    """Does the demo write a plausible year once, every figure non-zero and consistent?"""
    travel("2026-11-20 10:00")
    with app.app_context():
        seed_demo()
        rows = seed_demo_year(date(2026, 11, 20))
        db.session.commit()
        assert rows > 200
        assert seed_demo_year(date(2026, 11, 20)) == 0  # once
        now = utcnow()
        all_bookings = list(db.session.scalars(select(VisitBooking)))
        held = [b for b in all_bookings if visits.held(b, now)]
        assert len(held) == 25
        counted = visits.visitors_of(held)
        assert all(counted[b.id].members > 0 for b in held)
        assert sum(c.guests for c in counted.values()) > 0
        assert all(counted[b.id].total <= b.group_size for b in held)
        statuses = {b.status for b in all_bookings}
        assert statuses == {VisitStatus.REQUESTED, VisitStatus.CONFIRMED, VisitStatus.DECLINED,
                            VisitStatus.CANCELLED}
        assert any(b.status == VisitStatus.CONFIRMED and b.slot.starts_at > now
                   for b in all_bookings)
        for slot in db.session.scalars(select(HallSlot)):
            live = sum(b.group_size for b in slot.bookings
                       if b.status in (VisitStatus.REQUESTED, VisitStatus.CONFIRMED))
            assert slot.booked == live <= slot.capacity
        assert db.session.scalar(select(func.count(CheckIn.id)).where(
            CheckIn.activity_id.is_not(None))) == sum(c.members for c in counted.values())
