"""No overbooking under concurrent requests: two contacts booking the last places of a slot at
once — exactly one gets them, the other a clear answer saying how many are left.

On PostgreSQL (PIONEER_TEST_DATABASE_URL set) the two bookings run in real threads, each with
its own app context, session and connection, released together by a barrier; on SQLite (one
writer at a time) they run one after the other through the same conditional UPDATE. Either way
a booking whose read of the slot is stale is refused by the UPDATE itself."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import update

from hall import booking
from hall.slots import HallError
from models import HallSlot, VisitStatus, db, utcnow
from tests.hall.hall_helpers import NOW, Hall, bookings, build_hall, member, slot_booked

pytestmark = pytest.mark.clock


@pytest.fixture
def world(app: Flask, make_member, travel) -> Hall:
    """The hall world on Tuesday 1 December 2026 at 10:00, the slot taking 10."""
    travel(NOW)
    return build_hall(app, make_member, capacity=10)


def _attempt(app: Flask, world: Hall, userid: str, size: int, start: threading.Barrier | None,
             results: dict[str, Any]) -> None:
    """One contact's booking in its own app context (session), committed or refused."""
    with app.app_context():
        try:
            contact = member(userid)
            org_id = world.org_here if userid == world.here else world.org_other
            slot = db.session.get(HallSlot, world.slot_id)
            if start is not None:
                start.wait(timeout=10)
            row, _ = booking.book(slot, org_id, size, "主题党日活动", userid, utcnow(),
                                  contact=contact)
            db.session.commit()
            results[userid] = row.id
        except HallError as error:
            db.session.rollback()
            results[userid] = error
        finally:
            db.session.remove()


def test_two_contacts_booking_the_last_places_at_once(app: Flask, world: Hall):
    """Both want 6 of the 10 places: does exactly one get them and the other hear 4 are left
    (or that it is full), with the slot at 6 and one booking?"""
    results: dict[str, Any] = {}
    if app.config["TEST_BACKEND"] == "services":
        start = threading.Barrier(2)
        threads = [threading.Thread(target=_attempt, args=(app, world, who, 6, start, results))
                   for who in (world.here, world.other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    else:
        for who in (world.here, world.other):
            _attempt(app, world, who, 6, None, results)
    won = [who for who, result in results.items() if isinstance(result, int)]
    lost = [result for result in results.values() if isinstance(result, HallError)]
    assert len(won) == 1 and len(lost) == 1, results
    assert lost[0].reason == "size_over_free" and lost[0].values["free"] == 4
    assert "只剩4个名额" in lost[0].text()
    assert slot_booked(app, world) == 6
    assert [status for _, status, _ in bookings(app)] == [VisitStatus.REQUESTED]


def test_a_stale_read_is_refused_by_the_update_itself(app: Flask, world: Hall):
    """A booking that read the slot before another took 8 places passes the early check on
    its stale copy, and the conditional UPDATE still refuses it, saying 2 are left."""
    with app.app_context():
        contact = member(world.here)
        slot = db.session.get(HallSlot, world.slot_id)
        assert slot.booked == 0  # read now; another request books 8 behind its back
        db.session.execute(update(HallSlot).where(HallSlot.id == slot.id)
                           .values(booked=HallSlot.booked + 8)
                           .execution_options(synchronize_session=False))
        assert slot.booked == 0  # the stale copy
        with pytest.raises(HallError) as caught:
            booking.book(slot, world.org_here, 5, "主题党日活动", contact.userid, utcnow(),
                         contact=contact)
        db.session.commit()
    assert caught.value.reason == "size_over_free" and caught.value.values["free"] == 2
    assert slot_booked(app, world) == 8 and bookings(app) == []


def test_a_release_never_goes_below_zero_and_happens_once(app: Flask, world: Hall):
    """A booking declined and then cancelled gives its places back once."""
    with app.app_context():
        contact = member(world.here)
        row, _ = booking.book(db.session.get(HallSlot, world.slot_id), world.org_here, 7,
                              "主题党日活动", contact.userid, utcnow(), contact=contact)
        booking.decline(row, "布展", "h-admin", utcnow())
        with pytest.raises(HallError) as caught:
            booking.cancel(row, contact.userid, utcnow())
        db.session.commit()
    assert caught.value.reason == "not_cancellable"
    assert slot_booked(app, world) == 0
