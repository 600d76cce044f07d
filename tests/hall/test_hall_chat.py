"""预约参观, 我的预约 and 取消预约 in chat: the flow from the slot list to the reserved places,
each bad answer asked again with a clear reason, another organisation's booking out of reach,
the visit's check-in with its code, and the lines in 帮助."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from content import hall_texts as texts
from hall import booking, visits
from models import (
    Activity,
    CheckIn,
    Organization,
    OutboundMessage,
    VisitBooking,
    VisitStatus,
    db,
    utcnow,
)
from roster.manage import grant_role
from tests.hall.hall_helpers import NOW, Hall, book, bookings, build_hall, member, slot_booked
from tests.helpers import written

pytestmark = pytest.mark.clock


@pytest.fixture
def world(app: Flask, make_member, travel) -> Hall:
    """The hall world on Tuesday 1 December 2026 at 10:00, the slot taking 40."""
    travel(NOW)
    return build_hall(app, make_member)


def test_the_whole_flow_books_and_tells_the_admins(app: Flask, world: Hall, send_text):
    """预约参观 → the slot with its free places → 1 → 30人 → purpose → 确认: a requested
    booking of 30, the places reserved, the admins told."""
    listing = send_text(world.here, "预约参观").text
    assert "1. 12月3日（周四）09:00–11:00，剩余40个名额" in listing
    assert "剩余40个名额" in send_text(world.here, "1").text
    assert "主题党日" in send_text(world.here, "30人").text
    confirm = send_text(world.here, "支部主题党日活动").text
    assert "人数：30人" in confirm and "华芯党支部" in confirm
    done = send_text(world.here, "确认").text
    assert done.startswith("预约已提交，编号CG-00001")
    assert bookings(app) == [(world.org_here, VisitStatus.REQUESTED, 30)]
    assert slot_booked(app, world) == 30
    with app.app_context():
        told = db.session.scalars(select(OutboundMessage)).all()
        assert [m.touser for m in told] == [world.admin]
        assert "CG-00001" in told[0].payload["text"]["content"]


def test_a_contact_of_two_organisations_books_for_the_one_named(app: Flask, world: Hall,
                                                               send_text):
    """A contact of 华芯 and 远景 is asked which; 远景 by name lists the slots for 远景, and
    the booking is 远景's."""
    with app.app_context():
        grant_role(member(world.here), "contact", db.session.get(Organization, world.org_other))
        db.session.commit()
    asked = send_text(world.here, "预约参观").text
    assert "1. 华芯党支部" in asked and "2. 远景党支部" in asked
    assert "（远景党支部）" in send_text(world.here, "远景").text
    send_text(world.here, "1")
    send_text(world.here, "30人")
    assert "远景党支部" in send_text(world.here, "支部主题党日活动").text
    assert send_text(world.here, "确认").text.startswith("预约已提交")
    assert bookings(app) == [(world.org_other, VisitStatus.REQUESTED, 30)]


def test_bad_answers_are_asked_again(app: Flask, world: Hall, send_text):
    """A slot number out of range, a size that is no number, zero, over the capacity or over
    the free places, and an over-long purpose each get their answer and nothing is written."""
    book(app, world, 35, userid=world.other)
    send_text(world.here, "预约参观")
    before = written(app)
    assert send_text(world.here, "9").text == texts.OUT_OF_RANGE.format(number=9, count=1)
    send_text(world.here, "1")
    assert send_text(world.here, "很多人").text == texts.SIZE_NOT_NUMBER
    assert send_text(world.here, "0").text == texts.ERRORS["size_not_positive"]
    assert send_text(world.here, "-2").text == texts.ERRORS["size_not_positive"]
    assert send_text(world.here, "41").text == texts.ERRORS["size_over_capacity"].format(
        size=41, capacity=40)
    assert send_text(world.here, "6").text == texts.ERRORS["size_over_free"].format(
        size=6, free=5)
    send_text(world.here, "5")
    long = "学" * (booking.MAX_PURPOSE + 1)
    assert send_text(world.here, long).text == texts.ERRORS["purpose_too_long"].format(
        limit=booking.MAX_PURPOSE, length=len(long))
    after = written(app)
    skip = {"processed_messages", "redis_keys"}
    assert {k: v for k, v in after.items() if k not in skip} == {
        k: v for k, v in before.items() if k not in skip}


def test_the_last_places_taken_meanwhile_get_a_clear_answer(app: Flask, world: Hall,
                                                            send_text):
    """Between the size and 确认 another contact takes the places: 确认 says how many are left,
    and nothing of this contact's is written."""
    send_text(world.here, "预约参观")
    send_text(world.here, "1")
    send_text(world.here, "30")
    send_text(world.here, "主题党日")
    book(app, world, 20, userid=world.other)
    answer = send_text(world.here, "确认").text
    assert answer == texts.ERRORS["size_over_free"].format(size=30, free=20)
    assert bookings(app) == [(world.org_other, VisitStatus.REQUESTED, 20)]


def test_no_open_slot_says_so(app: Flask, world: Hall, send_text):
    """A full slot is not offered: no slot, a short answer."""
    book(app, world, 40, userid=world.other)
    answer = send_text(world.here, "预约参观").text
    assert answer == texts.NO_SLOTS.format(hall="外企党员政治生活馆")


def test_mine_and_cancel(app: Flask, world: Hall, send_text):
    """我的预约 lists the organisation's bookings with status and code; 取消预约 releases the
    places; another organisation's contact finds nothing to cancel."""
    first = book(app, world, 12)
    with app.app_context():
        code = visits.confirm(db.session.get(VisitBooking, first), "h-admin", utcnow()
                              ).checkin_code
        db.session.commit()
    mine = send_text(world.here, "我的预约").text
    assert "CG-00001" in mine and "【已确认】" in mine and f"签到码{code}" in mine
    assert send_text(world.other, "我的预约").text == texts.MINE_NONE
    refused = send_text(world.other, "取消预约 CG-00001").text
    assert refused == texts.CANCEL_NOT_FOUND.format(number="CG-00001")
    assert slot_booked(app, world) == 12
    assert send_text(world.here, "取消预约 cg1").text.startswith("已取消预约CG-00001")
    assert slot_booked(app, world) == 0
    assert "已取消" in send_text(world.here, "我的预约").text
    with app.app_context():
        assert db.session.scalar(select(Activity.cancelled_at)) is not None


def test_visitors_check_in_with_the_code(app: Flask, world: Hall, send_text, travel):
    """签到 <code> at the visit works for its members and for a member of another
    organisation who came with the group."""
    first = book(app, world, 12)
    with app.app_context():
        code = visits.confirm(db.session.get(VisitBooking, first), "h-admin", utcnow()
                              ).checkin_code
        db.session.commit()
    travel("2026-12-03 08:55")
    assert send_text(world.member, f"签到 {code}").text.startswith("签到成功！政治生活馆参访")
    assert send_text(world.member_other, f"签到 {code}").text.startswith("签到成功！")
    with app.app_context():
        assert visits.visitors(db.session.get(VisitBooking, first)).members == 2
        assert len(db.session.scalars(select(CheckIn)).all()) == 2


def test_help_lists_the_commands_for_contacts_only(app: Flask, world: Hall, send_text):
    """帮助 shows 预约参观 to a contact (in the reply or its overflow, a long help being split)
    and not to a plain member."""
    reply = send_text(world.here, "帮助").text
    with app.app_context():
        overflow = [m.payload["text"]["content"] for m in db.session.scalars(
            select(OutboundMessage).where(OutboundMessage.touser == world.here))]
    assert texts.BOOK_SUMMARY in "".join([reply, *overflow])
    assert texts.BOOK_SUMMARY not in send_text(world.member, "帮助").text
