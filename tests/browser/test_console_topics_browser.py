"""宣讲菜单 in a real browser on a 375 px wide phone: the list, a refused form with each problem
beside its field, creating a topic by ticking lecturers, and retiring it; the page never
scrolls sideways. Screenshots go to test-artifacts/console/."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from models import Topic, db
from tests.browser.browser_helpers import PHONE, clean, fits, login
from tests.console_helpers import build_world


def test_admin_edits_the_menu_on_a_phone(app: Flask, make_member, sandbox, page: Any):
    """An admin on a phone sees the menu, is told beside each field what is wrong, creates a
    topic with two lecturers ticked, and retires it."""
    world = build_world(app, make_member)
    make_member("c-lect2", "讲师庚", org="讲师团", roles=("lecturer",))
    page.set_viewport_size(PHONE)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/topics")
    page.wait_for_selector("#topics")
    fits(page)
    page.shot("60-topics-phone")
    page.click("#topic-new")
    page.fill("input[name=slug]", "Bad Slug")
    page.fill("input[name=minutes]", "5")
    page.click("#topic-save")
    page.wait_for_selector("#error-minutes")
    assert page.inner_text("#error-slug").startswith("只能由小写英文字母")
    assert page.inner_text("#error-title") == "必填。"
    assert page.inner_text("#error-lecturers") == "请至少选择一位讲师。"
    fits(page)
    page.shot("61-topic-refused-phone")
    page.fill("input[name=slug]", "pioneer-stories")
    page.fill("input[name=title]", "身边的先锋：新时代的奋斗者和他们的故事")
    page.fill("input[name=category]", "先进典型")
    page.fill("input[name=minutes]", "45")
    page.check("input[name=modes][value=offline]")
    page.check("input[name=lecturers][value=c-lect]")
    page.check("input[name=lecturers][value=c-lect2]")
    page.click("#topic-save")
    page.wait_for_selector("text=已出现在点单菜单中")
    fits(page)
    page.shot("62-topic-created-phone")
    page.click("#topic-retire")
    page.wait_for_selector("#topic-restore")
    assert page.inner_text("#topic-state") == "已下架"
    with app.app_context():
        topic = db.session.scalars(select(Topic).where(Topic.slug == "pioneer-stories")).one()
        assert not topic.active
        assert sorted(link.member.userid for link in topic.lecturers) == ["c-lect", "c-lect2"]
    refused = "status of 400 (BAD REQUEST) " + page.live + "/console/topics/new"
    page.errors[:] = [e for e in page.errors if not e.endswith(refused)]  # the refused form's
    clean(page)
