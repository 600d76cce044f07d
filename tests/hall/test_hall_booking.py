"""Booking the hall, deciding, cancelling and counting visitors (hall/): every refusal is a clear
answer and writes nothing; places are reserved at once and released by a decline or a cancel."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from bot.outbox import Outbox
from checkins.checkin import check_in, of_activity
from content import hall_texts as texts
from hall import booking, notices, slots, visits
from hall.slots import HallError
from models import (
    Activity,
    ActivityKind,
    AuditEntry,
    HallSlot,
    OutboundMessage,
    VisitBooking,
    VisitStatus,
    db,
    utcnow,
)
from tests.hall.hall_helpers import (
    NOW,
    Hall,
    book,
    bookings,
    build_hall,
    member,
    slot_booked,
    wall,
)
from tests.helpers import written

pytestmark = pytest.mark.clock


@pytest.fixture
def world(app: Flask, make_member, travel) -> Hall:
    """The hall world on Tuesday 1 December 2026 at 10:00, the slot taking 40."""
    travel(NOW)
    return build_hall(app, make_member)


def _refused(app: Flask, world: Hall, reason: str, size: int | None = 10,
             purpose: str = "主题党日活动", key: str | None = None) -> HallError:
    """Book and expect the refusal `reason`, with nothing written."""
    before = written(app)
    with app.app_context():
        contact = member(world.here)
        with pytest.raises(HallError) as caught:
            booking.book(db.session.get(HallSlot, world.slot_id), world.org_here, size, purpose,
                         contact.userid, utcnow(), contact=contact, message_key=key)
        db.session.rollback()
    assert caught.value.reason == reason
    assert written(app) == before
    return caught.value


def test_booking_reserves_places_at_once(app: Flask, world: Hall):
    """Does a booking take its places in the slot at once, waiting for an admin, audited?"""
    booking_id = book(app, world, 25)
    assert slot_booked(app, world) == 25
    assert bookings(app) == [(world.org_here, VisitStatus.REQUESTED, 25)]
    with app.app_context():
        row = db.session.get(VisitBooking, booking_id)
        assert row.contact_name == "联络员甲" and row.booked_by == world.here
        assert db.session.scalar(select(AuditEntry.action).where(
            AuditEntry.target == booking.number(row))) == "hall.book"


def test_confirm_creates_the_visit_and_tells_the_contact(app: Flask, world: Hall):
    """Does confirming make the visit's activity (kind visit, the organisation, the slot's
    times, "<org>参访", a six-digit code), link it, and queue the contact's notice with the
    time and the code?"""
    booking_id = book(app, world, 25)
    with app.app_context():
        row = db.session.get(VisitBooking, booking_id)
        activity = visits.confirm(row, "h-admin", utcnow())
        notice = booking.recipients(row)
        notices.confirmed(Outbox(db.session), row)
        db.session.commit()
        assert (activity.kind, activity.organization_id) == (ActivityKind.VISIT, world.org_here)
        assert (activity.starts_at, activity.ends_at) == (row.slot.starts_at, row.slot.ends_at)
        assert activity.title == "华芯党支部参访"
        assert activity.checkin_code and len(activity.checkin_code) == 6
        assert row.activity_id == activity.id and row.status == VisitStatus.CONFIRMED
        assert notice == [world.here]
        sent = db.session.scalars(select(OutboundMessage)).one()
        assert sent.touser == world.here
        content = sent.payload["text"]["content"]
        assert activity.checkin_code in content and "12月3日（周四）09:00" in content
    assert slot_booked(app, world) == 25  # a confirmed booking keeps its places


def test_decline_with_a_reason_releases_the_places(app: Flask, world: Hall):
    """Does a decline need a reason, and once given release the places and keep the reason?"""
    booking_id = book(app, world, 30)
    with app.app_context():
        row = db.session.get(VisitBooking, booking_id)
        with pytest.raises(HallError) as caught:
            booking.decline(row, "   ", "h-admin", utcnow())
        assert caught.value.reason == "reason_empty"
        db.session.rollback()
        booking.decline(db.session.get(VisitBooking, booking_id), "馆内布展", "h-admin", utcnow())
        db.session.commit()
    assert slot_booked(app, world) == 0
    assert bookings(app) == [(world.org_here, VisitStatus.DECLINED, 30)]
    with app.app_context():
        row = db.session.get(VisitBooking, booking_id)
        assert row.reason == "馆内布展"
        with pytest.raises(HallError) as again:  # a second decision is refused
            visits.confirm(row, "h-admin", utcnow())
        assert again.value.reason == "not_requested"
    assert slot_booked(app, world) == 0


def test_cancel_releases_and_calls_the_visit_off(app: Flask, world: Hall, travel):
    """Does cancelling a confirmed booking release its places and call its check-in off; and
    is a booking whose slot has started refused?"""
    first, second = book(app, world, 10), book(app, world, 5, userid=world.other)
    with app.app_context():
        row = db.session.get(VisitBooking, first)
        visits.confirm(row, "h-admin", utcnow())
        booking.cancel(row, world.here, utcnow(), "生产任务")
        db.session.commit()
        assert db.session.get(Activity, row.activity_id).cancelled_at is not None
    assert slot_booked(app, world) == 5
    travel("2026-12-03 09:30")
    before = written(app)
    with app.app_context():
        with pytest.raises(HallError) as caught:
            booking.cancel(db.session.get(VisitBooking, second), world.other, utcnow())
        db.session.rollback()
    assert caught.value.reason == "already_held" and written(app) == before


def test_a_slot_in_the_past_is_refused(app: Flask, world: Hall, travel):
    """A slot that has started takes no booking."""
    travel("2026-12-03 09:00")
    error = _refused(app, world, "past")
    assert "12月3日 09:00" in error.text()


def test_a_group_larger_than_the_capacity_is_refused(app: Flask, world: Hall):
    """Is a group beyond the capacity refused, naming the capacity?"""
    assert "容量40人" in _refused(app, world, "size_over_capacity", size=41).text()


def test_a_group_larger_than_the_free_places_says_how_many_are_left(app: Flask, world: Hall):
    """With 35 of 40 booked, is a group of 6 refused saying 5 are left?"""
    book(app, world, 35, userid=world.other)
    error = _refused(app, world, "size_over_free", size=6)
    assert error.text() == texts.ERRORS["size_over_free"].format(free=5, size=6)


def test_a_full_slot_says_so(app: Flask, world: Hall):
    """A slot booked to capacity says it is full."""
    book(app, world, 40, userid=world.other)
    _refused(app, world, "full", size=1)


def test_a_closed_slot_is_refused(app: Flask, world: Hall):
    """A slot an admin closed takes no booking."""
    with app.app_context():
        assert slots.set_open(db.session.get(HallSlot, world.slot_id), False, "h-admin")
        db.session.commit()
    _refused(app, world, "closed")


@pytest.mark.parametrize("size", [0, -3, None])
def test_zero_or_negative_size_is_refused(app: Flask, world: Hall, size: int | None):
    """Zero, a negative size or none at all is refused."""
    _refused(app, world, "size_not_positive", size=size)


def test_an_over_long_or_empty_purpose_is_refused(app: Flask, world: Hall):
    """A purpose over the limit (or empty) is refused with its length."""
    error = _refused(app, world, "purpose_too_long", purpose="学" * (booking.MAX_PURPOSE + 1))
    assert str(booking.MAX_PURPOSE) in error.text()
    _refused(app, world, "purpose_empty", purpose="  ")


def test_the_same_message_twice_books_once(app: Flask, world: Hall):
    """Does the same message key book once, the second call getting the first booking?"""
    first = book(app, world, 12, key="msg-1")
    with app.app_context():
        contact = member(world.here)
        row, created = booking.book(db.session.get(HallSlot, world.slot_id), world.org_here, 12,
                                    "主题党日活动", contact.userid, utcnow(), contact=contact,
                                    message_key="msg-1")
        db.session.commit()
        assert (row.id, created) == (first, False)
    assert slot_booked(app, world) == 12 and len(bookings(app)) == 1


def test_slots_rules(app: Flask, world: Hall):
    """No slot in the past, capacity at least one and never below what is booked."""
    book(app, world, 30)
    with app.app_context():
        slot = db.session.get(HallSlot, world.slot_id)
        for capacity, reason in ((0, "capacity_bad"), (29, "capacity_below_booked")):
            with pytest.raises(HallError) as caught:
                slots.set_capacity(slot, capacity, "h-admin")
            assert caught.value.reason == reason
        slots.set_capacity(slot, 30, "h-admin")
        with pytest.raises(HallError) as past:
            slots.add_slot(wall("2026-12-01 09:00"), wall("2026-12-01 11:00"), 10, "h-admin",
                           utcnow())
        assert past.value.reason == "slot_past"
        db.session.commit()
        assert db.session.get(HallSlot, world.slot_id).capacity == 30


def test_a_weekly_pattern_opens_the_next_weeks(app: Flask, world: Hall):
    """Tuesday and Thursday mornings and afternoons for two weeks from today: the ones still
    ahead, skipping the one that exists and today's past morning."""
    pattern = slots.Pattern(wall(NOW).date(), 2, (1, 3), slots.parse_spans(
        "09:00-11:00，14:00-16:00"), 20)
    with app.app_context():
        made, skipped = slots.add_slots(pattern, "h-admin", utcnow())
        db.session.commit()
        starts = [s.starts_at for s in made]
    assert len(made) == 6 and skipped == 2  # 8 wanted: 1 Dec 09:00 past, 3 Dec 09:00 exists
    assert wall("2026-12-01 14:00") in starts and wall("2026-12-10 14:00") in starts
    with pytest.raises(HallError):
        slots.parse_spans("9点到11点")


def test_visitors_are_member_checkins_plus_guests(app: Flask, world: Hall, travel):
    """Members of any organisation check in with the code; guests = total - members; the total
    below the members is refused; visitors = members + guests."""
    booking_id = book(app, world, 30)
    with app.app_context():
        row = db.session.get(VisitBooking, booking_id)
        with pytest.raises(HallError) as early:
            visits.set_guests(row, "h-here", utcnow(), total=20)
        assert early.value.reason == "not_held"
        activity = visits.confirm(row, "h-admin", utcnow())
        db.session.commit()
        activity_id = activity.id
    travel("2026-12-03 09:05")
    with app.app_context():
        activity = db.session.get(Activity, activity_id)
        for userid in (world.member, world.member_other):  # 远景's member came with the group
            assert check_in(member(userid), of_activity(activity), utcnow(), None).new
        db.session.commit()
        row = db.session.get(VisitBooking, booking_id)
        with pytest.raises(HallError) as below:
            visits.set_guests(row, "h-here", utcnow(), total=1)
        assert below.value.reason == "total_below_members"
        counted = visits.set_guests(row, "h-here", utcnow(), total=27)
        db.session.commit()
        assert (counted.members, counted.guests, counted.total) == (2, 25, 27)
        assert visits.visitors(db.session.get(VisitBooking, booking_id)).total == 27
        assert visits.held(row, utcnow())
        assert booking.display_status(row, utcnow()) == "held"
        assert visits.set_guests(row, "h-admin", utcnow(), guests=10).total == 12
        db.session.commit()
        assert db.session.scalar(select(AuditEntry.id).where(
            AuditEntry.action == "hall.guests").limit(1)) is not None
