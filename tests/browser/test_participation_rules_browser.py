"""积分与学时规则 and reading time in a real browser: an admin sets a rule on the console page at
1280 and 375 px (the page never scrolls sideways); a member's reading page at phone width runs
its heartbeat under the page's CSP, the server counts the time, and 读完了 tapped too early
says how long is left. No script error or CSP violation. Screenshots: test-artifacts/console/."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

import clock
from models import (
    Material,
    MaterialKind,
    MaterialRead,
    ParticipationRule,
    ReadingSession,
    db,
    utcnow,
)
from sandbox.server import SandboxServer
from study.links import read_url
from tests.browser.browser_helpers import ARTIFACTS, PHONE, clean, fits, login
from tests.console_helpers import build_world


def test_admin_sets_a_rule_and_a_member_reads(app: Flask, make_member: Any,
                                              sandbox: SandboxServer, browser: Any,
                                              page: Any) -> None:
    """The rule is saved from the form and listed as upcoming; the reading page beats, the
    time is counted on the server and an early 读完了 is refused with the time left."""
    world = build_world(app, make_member)
    app.config.update(WECOM_OAUTH_URL=sandbox.root_url + "connect/oauth2/authorize",
                      PARTICIPATION_READING_BEAT_S="1")
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/reports")
    page.click("#participation-rules-link")
    page.wait_for_selector("#participation-rules")
    page.shot("95-participation-rules")
    row = page.locator("#new-rule-lecture")
    row.locator("input[name=points]").fill("8")
    row.locator("button[type=submit]").click()
    page.wait_for_selector("text=已保存：宣讲签到")
    page.wait_for_selector("#upcoming-rules")
    page.set_viewport_size(PHONE)
    fits(page)
    page.shot("96-participation-rules-phone")
    with app.app_context():
        [rule] = db.session.scalars(select(ParticipationRule)).all()
        assert (rule.kind, rule.points) == ("lecture", 8)
        assert rule.starts_on == clock.today(utcnow()) + timedelta(days=1)  # the form's default
        material = Material(slug="browser-read", title="初心使命", kind=MaterialKind.ARTICLE,
                            body="## 初心\n\n为中国人民谋幸福。", published_on=date(2026, 7, 1),
                            minutes=8, active=True, tags=[])
        db.session.add(material)
        db.session.commit()
        url = read_url(material.id, "c-author")
    clean(page)

    context = browser.new_context(locale="zh-CN", viewport=PHONE)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", lambda message: errors.append(message.text)
           if message.type == "error" and not message.location.get("url", "").endswith(
               "/favicon.ico") else None)
    try:
        tab.goto(url)
        tab.click("text=continue as 党员丁 (c-author)")
        tab.wait_for_url(url)
        tab.wait_for_selector("#read-progress:has-text('还需约4分钟')")
        tab.wait_for_timeout(3_500)  # three beats after the first
        width = tab.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        tab.screenshot(path=str(ARTIFACTS / app.config["TEST_BACKEND"]
                                / "97-reading-heartbeat.png"), full_page=True)
        with app.app_context():
            [read] = db.session.scalars(select(MaterialRead)).all()
            beats = db.session.scalars(select(ReadingSession.beats)).all()
            assert 2 <= read.seconds_spent <= 5 and beats and beats[0] >= 3
        tab.click("button[type=submit]:has-text('读完了')")
        tab.wait_for_selector("text=还没有读完")
        tab.screenshot(path=str(ARTIFACTS / app.config["TEST_BACKEND"]
                                / "98-reading-not-yet.png"), full_page=True)
    finally:
        context.close()
    assert errors == []
