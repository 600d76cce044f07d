"""签到 in a real browser: an admin on a 375 px phone finds a lecture's check-in, sees its code
and QR code, downloads the PNG, watches a member's scan in the sandbox appear in the live list
without reloading, does 代签 from the roster, is told beside the field what a 请假 lacks and
enters one, then 结束签到 (a scan is refused); a contact at desktop width puts the meeting's QR
code on the projector page, whose count and names follow the scans by themselves. No page
scrolls sideways; any script error or CSP violation fails. Screenshots in test-artifacts/."""

from __future__ import annotations

from typing import Any

from flask import Flask

from content import checkin_page_texts as kt
from tests.browser.browser_helpers import PHONE, clean, fits, login
from tests.checkins.checkin_helpers import LECTURE_CODE, MEETING_CODE, NOW, make_checkins, scan

DESKTOP = {"width": 1280, "height": 900}


def fits_desktop(page: Any) -> None:
    """Nothing wider than a desktop window."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], width


def test_checkins_on_a_phone_and_the_projector(app: Flask, make_member, sandbox, sim, travel,
                                               page: Any):
    """The admin's phone: list, check-in page, PNG, a scan shown live, 代签, a refused and an
    accepted 请假, 结束签到; then a contact's projector page updating after scans."""
    travel(NOW)
    ids = make_checkins(app, make_member)
    world = ids["base"]
    page.set_viewport_size(PHONE)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/checkins")
    page.wait_for_selector("#checkins")
    fits(page)
    page.shot("140-checkins-phone")
    page.click("text=宣讲《新时代的伟大变革》")
    page.wait_for_selector("#checkin-code")
    assert page.inner_text("#checkin-code") == LECTURE_CODE
    assert page.inner_text("#checkin-state") == "签到中"
    page.wait_for_function("() => document.querySelector('#qr img').complete")  # loaded
    assert page.evaluate("() => document.querySelector('#qr img').naturalWidth") > 100
    with page.expect_download() as download:
        page.click("#checkin-png")
    assert download.value.suggested_filename.endswith(f"-{LECTURE_CODE}.png")
    fits(page)
    page.shot("141-checkin-lecture-phone")

    page.evaluate("() => { window.notReloaded = true; }")
    content = f"pioneer-checkin:L{ids['lecture']}:{LECTURE_CODE}"
    assert "签到成功" in scan(sim, "c-author", content).text
    page.wait_for_selector("#checkin-rows tr[data-userid=c-author]")
    assert page.inner_text("#present-count") == "1"
    assert page.evaluate("() => window.notReloaded === true")  # updated in place
    assert page.locator("#checkin-rows tr[data-userid=c-author] td.status").inner_text() == \
        "已签到"

    page.locator("#proxy-roster label", has_text="党员丙").locator("input").check()
    page.click("#proxy-submit")
    page.wait_for_selector(f"text={kt.PROXY_DONE.format(count=1, names='党员丙')}")
    assert page.locator("#checkin-rows tr[data-userid=c-third]").inner_text().count("代签") == 1
    page.click("#leave-submit")
    page.wait_for_selector("#error-who")
    assert page.inner_text("#error-who") == kt.ERRORS["who_missing"]
    assert page.inner_text("#error-reason") == kt.ERRORS["reason_missing"]
    fits(page)
    page.shot("142-checkin-leave-refused-phone")
    page.fill("#leave-form input[name=who]", "联络员甲")
    page.fill("#leave-form input[name=reason]", "出差在外地")
    page.click("#leave-submit")
    page.wait_for_selector(f"text={kt.LEAVE_DONE.format(name='联络员甲', reason='出差在外地')}")
    assert page.inner_text("#leave-count") == "1"
    page.click("#checkin-close")
    page.wait_for_selector("text=已结束签到（")
    assert page.inner_text("#checkin-state") == "已结束签到"
    assert page.locator("#proxy-form, #leave-form, #checkin-close").count() == 0
    assert "无法再签到" in scan(sim, "c-here", content).text
    fits(page)
    page.shot("143-checkin-closed-phone")
    refused = "status of 400 (BAD REQUEST) " + page.live
    page.errors[:] = [e for e in page.errors if refused not in e]  # the refused leave form's
    clean(page)

    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    login(page, "联络员甲", world.contact_here)
    page.goto(page.live + f"/console/checkins/meeting/{ids['meeting']}")
    page.wait_for_selector("#checkin-code")
    assert page.inner_text("#checkin-code") == MEETING_CODE
    fits_desktop(page)
    page.shot("144-checkin-meeting-desktop")
    page.goto(page.live + f"/console/checkins/meeting/{ids['meeting']}/screen")
    page.wait_for_selector("#screen-qr svg")
    assert page.locator("header.top").count() == 0
    assert page.locator("#screen-qr svg").bounding_box()["width"] > 400
    assert page.inner_text("#screen-count") == "已签到 0 人 · 请假 0 人"
    meeting = f"pioneer-checkin:M{ids['meeting']}:{MEETING_CODE}"
    assert "签到成功" in scan(sim, "c-author", meeting).text
    assert "签到成功" in scan(sim, "c-third", meeting).text
    page.wait_for_selector("#screen-count:has-text('已签到 2 人')")
    assert page.locator("#screen-latest li").all_inner_texts() == ["党员丙", "党员丁"]
    fits_desktop(page)
    page.shot("145-checkin-screen-desktop")
    page.set_viewport_size(PHONE)
    fits(page)
    page.shot("146-checkin-screen-phone")
    clean(page)
