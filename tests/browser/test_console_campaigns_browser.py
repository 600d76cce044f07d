"""活动 in a real browser on a 375 px wide phone: the list, a refused 新建活动 with each problem
beside its field, creating a campaign with the date pickers and ticked organisations, a
refused and an accepted requirement, the members' progress, 提醒未完成的党员 and 结束活动; then a
contact's read-only view. The page never scrolls sideways. Screenshots go to
test-artifacts/console/."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from models import Campaign, OutboundMessage, db
from tests.browser.browser_helpers import PHONE, clean, fits, login
from tests.console_helpers import build_world
from tests.study_helpers import make_library


def test_admin_runs_a_campaign_on_a_phone(app: Flask, make_member, sandbox, travel,
                                          page: Any):
    """An admin on a phone is told beside each field what is wrong, creates a 冬训 for two
    organisations, requires a material and hours, sees each member's progress, reminds those
    behind and closes it; a contact sees their own organisation only, with no action."""
    travel("2026-12-01 10:00")  # a Tuesday morning in Shanghai, outside the quiet hours
    world = build_world(app, make_member)
    make_library(app)
    page.set_viewport_size(PHONE)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/campaigns")
    page.wait_for_selector("#campaigns")
    fits(page)
    page.click("#campaign-new")
    assert page.input_value("input[name=starts_on]") == "2026-12-01"
    page.fill("input[name=ends_on]", "2026-11-30")
    page.check("input[name=audience_kind][value=orgs]")
    page.click("#campaign-save")
    page.wait_for_selector("#error-ends_on")
    assert page.inner_text("#error-name") == "请填写 1–100 个字的名称。"
    assert page.inner_text("#error-ends_on") == "结束日期不能早于开始日期。"
    assert page.inner_text("#error-audience") == "请至少勾选一项。"
    fits(page)
    page.shot("100-campaign-refused-phone")
    page.fill("input[name=name]", "2026年冬训")
    page.fill("input[name=ends_on]", "2027-02-28")
    for org in ("华芯党支部", "远景党支部"):
        page.locator("#audience-orgs label", has_text=org).locator("input").check()
    page.click("#campaign-save")
    page.wait_for_selector("text=活动「2026年冬训」已创建。")
    page.select_option("#require-material select[name=material]", label="守岛人")
    page.click("#require-material button[type=submit]")
    page.wait_for_selector("text=已添加学习要求：读完学习材料《守岛人》。")
    page.fill("#require-hours input[name=hours]", "501")
    page.click("#require-hours button[type=submit]")
    page.wait_for_selector("#error-hours")
    assert page.inner_text("#error-hours") == "请填写 0–500 之间的数。"
    page.fill("#require-hours input[name=hours]", "2")
    page.click("#require-hours button[type=submit]")
    page.wait_for_selector("#campaign-hours")
    assert page.inner_text("#total-members") == "4"
    assert page.inner_text("#total-not-started") == "4"
    fits(page)
    page.shot("101-campaign-detail-phone")
    page.click("#campaign-members")
    page.wait_for_selector("#member-rows")
    row = page.locator("#member-rows tr", has_text="党员丁")
    assert row.locator("td.status").inner_text() == "未开始"
    assert row.locator("td.missing").inner_text() == "守岛人、学时 0/2"
    fits(page)
    page.shot("102-campaign-members-phone")
    page.go_back()
    page.click("#campaign-nudge")
    page.wait_for_selector("text=已提醒 4 人")
    with app.app_context():
        [message] = db.session.scalars(select(OutboundMessage)).all()
        assert sorted(message.touser.split("|")) == ["c-author", "c-here", "c-other", "c-plain"]
    page.click("#campaign-close")
    page.wait_for_selector("text=已结束（最后一天：2026-12-01）")
    fits(page)
    page.shot("103-campaign-closed-phone")
    with app.app_context():
        campaign_id = db.session.scalars(select(Campaign.id)).one()
    refused = "status of 400 (BAD REQUEST) " + page.live
    page.errors[:] = [e for e in page.errors if refused not in e]  # the refused forms'
    clean(page)

    page.context.clear_cookies()
    login(page, "联络员甲", world.contact_here)
    page.goto(page.live + f"/console/campaigns/{campaign_id}")
    page.wait_for_selector("#campaign-rows")
    assert page.inner_text("#total-members") == "2"
    assert "远景党支部" not in page.inner_text("main")
    assert page.locator("#campaign-nudge, #campaign-close, #require-material").count() == 0
    fits(page)
    page.shot("104-campaign-contact-phone")
    clean(page)
