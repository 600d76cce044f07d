"""政治生活馆 in a real browser: an admin at desktop width opens slots for two weeks, sees a
contact's booking and confirms it (the code shown); the contact on a 375 px phone books in the
form, is told beside it when the group is too big, and sees the bookings list. No page scrolls
sideways on the phone; any script error or CSP violation fails. Screenshots in
test-artifacts/."""

from __future__ import annotations

from typing import Any

from flask import Flask

from content import hall_texts as ht
from tests.browser.browser_helpers import PHONE, clean, fits, login
from tests.hall.hall_helpers import NOW, build_hall

DESKTOP = {"width": 1280, "height": 900}


def test_hall_slots_booking_and_confirming(app: Flask, make_member, sandbox, travel,
                                           page: Any):
    """The contact books on a phone (a refusal first), the admin opens slots and confirms."""
    travel(NOW)
    world = build_hall(app, make_member, capacity=20)
    page.set_viewport_size(PHONE)
    login(page, "联络员甲", world.here)
    page.goto(page.live + "/console/hall/bookings")
    page.wait_for_selector("#hall-book-form")
    fits(page)
    page.shot("300-hall-bookings-phone")
    page.fill("input[name=size]", "25")
    page.fill("input[name=purpose]", "主题党日活动")
    page.click("#hall-book-form button[type=submit]")
    page.wait_for_selector("#hall-book-error")
    assert "容量20人" in page.inner_text("#hall-book-error")
    page.errors[:] = [e for e in page.errors if "400" not in e]  # the refusal's own status
    page.fill("input[name=size]", "18")
    page.click("#hall-book-form button[type=submit]")
    page.wait_for_selector("#hall-booking-status")
    assert page.inner_text("#hall-booking-status").startswith("待确认")
    fits(page)
    page.shot("301-hall-booking-phone")
    clean(page)

    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/hall/slots")
    page.wait_for_selector("#hall-slots-form")
    page.fill("input[name=weeks]", "2")
    page.click("#hall-slots-form button[type=submit]")
    page.wait_for_selector(".flash.ok")
    assert page.locator("#hall-slots tbody tr").count() > 1
    page.shot("302-hall-slots")
    page.goto(page.live + "/console/hall/bookings")
    page.click("text=CG-00001")
    page.click("#hall-confirm")
    page.wait_for_selector("#hall-booking-code")
    assert len(page.inner_text("#hall-booking-code").split()[0]) == 6
    assert page.inner_text("#hall-booking-status").startswith(ht.STATUS_NAMES["confirmed"])
    page.shot("303-hall-booking-confirmed")
    clean(page)
