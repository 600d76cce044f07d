"""The hall's console pages: slots opened many at once, capacities, bookings by contacts for
their own organisations and by admins for any, confirm and decline, the contact's scope
(another organisation's booking looks missing, 404; a decision is admins', 403), one booking
per form, and the guests entered after the visit."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from sqlalchemy import select

from content import hall_texts as texts
from hall import visits
from models import AuditEntry, HallSlot, OutboundMessage, VisitBooking, VisitStatus, db, utcnow
from tests.console_helpers import login_as, post
from tests.hall.hall_helpers import NOW, Hall, book, bookings, build_hall, slot_booked
from tests.helpers import written

pytestmark = pytest.mark.clock
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


@pytest.fixture
def world(app: Flask, make_member, travel) -> Hall:
    """The hall world on Tuesday 1 December 2026 at 10:00, the slot taking 40."""
    travel(NOW)
    return build_hall(app, make_member)


def _client(app: Flask, sandbox, userid: str):
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def _form_key(client, path: str) -> str:
    found = FORM_KEY.search(client.get(path).get_data(as_text=True))
    assert found, path
    return found.group(1)


def _unchanged(before: dict[str, int], after: dict[str, int]) -> bool:
    return {k: v for k, v in before.items() if k != "redis_keys"} == {
        k: v for k, v in after.items() if k != "redis_keys"}


def test_admin_opens_slots_for_the_next_weeks(app: Flask, world: Hall, sandbox):
    """Tuesdays and Thursdays 14:00–16:00 for two weeks: four slots, audited; a second submit
    of the same form opens nothing more; a capacity below what is booked is refused."""
    admin = _client(app, sandbox, world.admin)
    key = _form_key(admin, "/console/hall/slots")
    form = {"form_key": key, "first": "2026-12-01", "weeks": "2", "weekday": ["1", "3"],
            "times": "14:00-16:00", "capacity": "30", "hall": ""}
    assert post(admin, "/console/hall/slots/new", form).status_code == 303
    assert post(admin, "/console/hall/slots/new", form).status_code == 303
    with app.app_context():
        assert len(db.session.scalars(select(HallSlot)).all()) == 5  # 4 + the world's
        assert db.session.scalar(select(AuditEntry.detail).where(
            AuditEntry.action == "hall.slots_add", AuditEntry.actor == world.admin))["count"] == 4
    book(app, world, 20)
    before = written(app)
    page = post(admin, f"/console/hall/slots/{world.slot_id}/capacity", {"capacity": "10"})
    assert page.status_code == 400
    assert texts.ERRORS["capacity_below_booked"].format(booked=20) in page.get_data(as_text=True)
    assert _unchanged(before, written(app))
    bad = post(admin, "/console/hall/slots/new", {**form, "form_key": _form_key(
        admin, "/console/hall/slots"), "times": "下午"})
    assert bad.status_code == 400


def test_admin_closes_and_reopens_a_slot_but_not_a_past_one(app: Flask, world: Hall, sandbox,
                                                           travel):
    """关闭预约 and 重新开放 switch the slot, each audited and said; once the slot has begun
    it may be closed but not opened again."""
    def switch(action: str) -> tuple[bool, str]:
        admin = _client(app, sandbox, world.admin)  # signed in afresh after travelling
        page = post(admin, f"/console/hall/slots/{world.slot_id}/{action}", follow_redirects=True)
        assert page.status_code == 200
        with app.app_context():
            return db.session.get(HallSlot, world.slot_id).open, page.get_data(as_text=True)

    is_open, page = switch("close")
    assert not is_open and texts.SLOT_CLOSED.split("{time}")[0] in page
    is_open, page = switch("open")
    assert is_open and texts.SLOT_OPENED.split("{time}")[0] in page
    travel("2026-12-03 09:30")
    assert not switch("close")[0]
    is_open, page = switch("open")
    assert not is_open and texts.ERRORS["slot_past"].split("{time}")[0] in page
    with app.app_context():
        assert list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(("hall.slot_close", "hall.slot_open")))
            .order_by(AuditEntry.id))) == [
            "hall.slot_close", "hall.slot_open", "hall.slot_close"]


def test_contact_books_for_their_own_organisation_once(app: Flask, world: Hall, sandbox):
    """The form books once however often it is sent; another organisation is refused and an
    oversize group gets the clear answer, nothing written."""
    client = _client(app, sandbox, world.here)
    key = _form_key(client, "/console/hall/bookings")
    form = {"form_key": key, "slot_id": str(world.slot_id), "org_id": str(world.org_here),
            "size": "25", "purpose": "主题党日活动", "phone": "0510-1234"}
    assert post(client, "/console/hall/bookings/new", form).status_code == 303
    assert post(client, "/console/hall/bookings/new", form).status_code == 303
    assert bookings(app) == [(world.org_here, VisitStatus.REQUESTED, 25)]
    assert slot_booked(app, world) == 25
    before = written(app)
    fresh = _form_key(client, "/console/hall/bookings")
    other = post(client, "/console/hall/bookings/new",
                 {**form, "form_key": fresh, "org_id": str(world.org_other)})
    assert other.status_code == 400 and texts.NOT_YOUR_ORG in other.get_data(as_text=True)
    big = post(client, "/console/hall/bookings/new", {**form, "form_key": fresh, "size": "16"})
    assert big.status_code == 400
    assert texts.ERRORS["size_over_free"].format(size=16, free=15) in big.get_data(as_text=True)
    assert _unchanged(before, written(app))


def test_another_organisations_booking_is_out_of_reach(app: Flask, world: Hall, sandbox):
    """远景's contact: 华芯's booking is not listed, its page and cancel answer 404, confirm and
    decline 403, and nothing is written; 华芯's contact sees it."""
    booking_id = book(app, world, 10)
    other = _client(app, sandbox, world.other)
    assert "CG-00001" not in other.get("/console/hall/bookings").get_data(as_text=True)
    before = written(app)
    assert other.get(f"/console/hall/bookings/{booking_id}").status_code == 404
    for action, code in (("cancel", 404), ("guests", 404), ("confirm", 403), ("decline", 403)):
        answer = post(other, f"/console/hall/bookings/{booking_id}/{action}", {"reason": "x"})
        assert answer.status_code == code, action
    assert other.get("/console/hall/slots").status_code == 403
    assert _unchanged(before, written(app))
    here = _client(app, sandbox, world.here)
    assert "CG-00001" in here.get("/console/hall/bookings").get_data(as_text=True)
    assert here.get(f"/console/hall/bookings/{booking_id}").status_code == 200


def test_admin_confirms_and_declines(app: Flask, world: Hall, sandbox):
    """Confirm: the code on the page and in the contact's notice. Decline without a reason is
    refused (nothing written); with one it releases the places and tells the contact."""
    first, second = book(app, world, 10), book(app, world, 8, userid=world.other)
    admin = _client(app, sandbox, world.admin)
    assert post(admin, f"/console/hall/bookings/{first}/confirm").status_code == 303
    with app.app_context():
        code = db.session.get(VisitBooking, first).activity.checkin_code
        notice = db.session.scalars(select(OutboundMessage).where(
            OutboundMessage.touser == world.here)).one()
        assert code in notice.payload["text"]["content"]
    assert code in admin.get(f"/console/hall/bookings/{first}").get_data(as_text=True)
    again = post(admin, f"/console/hall/bookings/{first}/confirm")
    assert again.status_code == 409
    before = written(app)
    empty = post(admin, f"/console/hall/bookings/{second}/decline", {"reason": " "})
    assert empty.status_code == 400 and _unchanged(before, written(app))
    assert post(admin, f"/console/hall/bookings/{second}/decline",
                {"reason": "人数超出接待能力"}).status_code == 303
    assert slot_booked(app, world) == 10
    with app.app_context():
        told = db.session.scalars(select(OutboundMessage).where(
            OutboundMessage.touser == world.other)).one()
        assert "人数超出接待能力" in told.payload["text"]["content"]
    listing = admin.get("/console/hall/bookings?year=2026&status=declined").get_data(
        as_text=True)
    assert "CG-00002" in listing and "CG-00001" not in listing


def test_guests_after_the_visit_and_the_visitor_count(app: Flask, world: Hall, sandbox,
                                                      send_text, travel):
    """After the visit the contact enters 实到人数 27 with 2 members checked in: guests 25,
    the row shows 2 + 25 = 27, and the visit is listed as 已参观."""
    booking_id = book(app, world, 30)
    with app.app_context():
        code = visits.confirm(db.session.get(VisitBooking, booking_id), "h-admin", utcnow()
                              ).checkin_code
        db.session.commit()
    here = _client(app, sandbox, world.here)
    early = post(here, f"/console/hall/bookings/{booking_id}/guests", {"total": "27"})
    assert early.status_code == 400
    travel("2026-12-03 09:05")
    for userid in (world.member, world.member_other):
        send_text(userid, f"签到 {code}")
    here = _client(app, sandbox, world.here)
    low = post(here, f"/console/hall/bookings/{booking_id}/guests", {"total": "1"})
    assert low.status_code == 400
    assert post(here, f"/console/hall/bookings/{booking_id}/guests",
                {"total": "27"}).status_code == 303
    listing = here.get("/console/hall/bookings?status=held").get_data(as_text=True)
    assert "2 + 25 = 27" in listing and "CG-00001" in listing
    detail = here.get(f"/console/hall/bookings/{booking_id}").get_data(as_text=True)
    assert texts.DETAIL_VISITORS_LINE.format(members=2, guests=25, total=27) in detail
    with app.app_context():
        assert db.session.scalar(select(AuditEntry.actor).where(
            AuditEntry.action == "hall.guests")) == world.here
