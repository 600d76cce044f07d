"""观影与宣讲 in a real browser: an admin at desktop width records a committee lecture with an
outside speaker for two organisations and finds it in the list; a contact on a 375 px phone
records a screening of a library film, sees its code on its page and opens its 签到 page,
which names the activity's kind. No page scrolls sideways; any script error or CSP violation
fails. Screenshots in test-artifacts/."""

from __future__ import annotations

from typing import Any

from flask import Flask

from content import activity_texts as at
from content import checkin_page_texts as kt
from tests.activities.activities_helpers import NOW, add_films
from tests.browser.browser_helpers import PHONE, clean, fits, login

DESKTOP = {"width": 1280, "height": 900}


def fits_desktop(page: Any) -> None:
    """Nothing wider than a desktop window."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], width


def test_lecture_at_the_desk_and_screening_on_a_phone(app: Flask, make_member, sandbox, travel,
                                                      page: Any):
    """The admin records a committee lecture; the contact a screening, then its 签到 page."""
    travel(NOW)
    make_member("b-admin", "管理员甲", org="党委办公室", roles=("admin",))
    make_member("b-here", "联络员甲", org="华芯党支部", roles=("contact",))
    make_member("b-other", "联络员乙", org="远景党支部", roles=("contact",))
    make_member("b-member", "党员丁", org="华芯党支部")
    add_films(app)

    page.set_viewport_size(DESKTOP)
    login(page, "管理员甲", "b-admin")
    page.goto(page.live + "/console/activities/new?kind=lecture")
    page.fill("#activity-title", "伟大建党精神")
    page.fill("#activity-speaker", "江南大学马克思主义学院 周教授")
    page.locator("#activity-audience label", has_text="华芯党支部").locator("input").check()
    page.locator("#activity-audience label", has_text="远景党支部").locator("input").check()
    page.fill("#activity-starts", "2026-12-03T14:30")
    page.fill("#activity-place", "区委党校报告厅")
    page.shot("320-activity-lecture-form-desktop")
    page.click("#activity-save")
    page.wait_for_selector("#activity-code")
    assert page.inner_text("#activity-kind") == at.KIND_NAMES["lecture"]
    assert "华芯党支部" in page.inner_text("#activity-audience-list")
    fits_desktop(page)
    page.shot("321-activity-lecture-desktop")
    page.goto(page.live + "/console/activities")
    assert page.locator("#activities tbody tr[data-activity]").count() == 1
    fits_desktop(page)
    page.shot("322-activities-desktop")
    clean(page)

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login(page, "联络员甲", "b-here")
    page.goto(page.live + "/console/activities")
    page.click("#activity-new-screening")
    page.wait_for_selector("#activity-film")
    page.select_option("#activity-film", label="教育片《守岛人》")
    page.fill("#activity-starts", "2026-12-01T14:00")
    page.fill("#activity-place", "三楼会议室")
    fits(page)
    page.shot("323-activity-screening-form-phone")
    page.click("#activity-save")
    page.wait_for_selector("#activity-code")
    code = page.inner_text("#activity-code")
    assert len(code) == 6 and code.isdigit()
    fits(page)
    page.shot("324-activity-screening-phone")
    page.click("#activity-checkin")
    page.wait_for_selector("#checkin-code")
    assert page.inner_text("#checkin-code") == code
    assert kt.ACTIVITY_KINDS["screening"] in page.inner_text("#activity-kind")
    fits(page)
    page.shot("325-activity-checkin-phone")
    clean(page)
