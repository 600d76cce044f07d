"""推送 in a real browser on a 375 px phone screen: 新建推送 with the live count, the preview,
creating it, its figures page with the chart, and pausing it — no page wider than the screen,
no script error or CSP violation."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from models import Push, PushStatus, db
from tests.browser.browser_helpers import clean, login
from tests.console_helpers import build_world
from tests.study_helpers import make_library

PHONE = {"width": 375, "height": 812}


def fits(page: Any) -> None:
    """Nothing on the page is wider than the phone's screen (tables scroll in their box)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_schedule_a_push_on_a_phone(app: Flask, make_member, sandbox, page: Any):
    """An admin on a phone creates a push through the form and pauses it from its page."""
    world = build_world(app, make_member)
    ids = make_library(app)
    page.set_viewport_size(PHONE)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/pushes")
    fits(page)
    page.click("#push-new")
    page.select_option("select[name=what]", f"material:{ids['shoudaoren']}")
    page.select_option("select[name=audience_kind]", "orgs")
    page.fill("input[name=audience_value]", "华芯党支部、远景党支部")
    page.wait_for_selector("#audience-count:has-text('将发送给 4 人')")
    page.fill("input[name=first_at]", "2030-01-07T08:30")
    page.select_option("select[name=repeat]", "weekly")
    page.check("input[name=weekdays][value='0']")
    fits(page)
    page.shot("50-push-new-phone")
    page.click("#push-preview-button")
    page.wait_for_selector("#push-preview:has-text('守岛人')")
    assert "每周 周一" in page.inner_text("#push-preview")
    fits(page)
    page.shot("51-push-preview-phone")
    page.click("#push-create")
    page.wait_for_selector("text=已创建：首次 2030-01-07 08:30")
    page.wait_for_function("() => window.Chart !== undefined")
    page.wait_for_selector("canvas[data-chart='chart-push']")
    fits(page)
    page.shot("52-push-detail-phone")
    page.click("form[action$='/pause'] button")
    page.wait_for_selector("#push-status:has-text('已暂停')")
    with app.app_context():
        assert db.session.scalars(select(Push.status)).one() == PushStatus.PAUSED
    page.goto(page.live + "/console/pushes")
    fits(page)
    page.shot("53-pushes-phone")
    clean(page)
