"""The console's header on a phone: one line (the name, 菜单 and 退出), so every page starts
with its own content; the links fold behind 菜单 and open on a tap. On a wide screen the links
are shown as before and there is no 菜单."""

from __future__ import annotations

from typing import Any

from flask import Flask

from tests.browser.browser_helpers import PHONE, clean, fits, login
from tests.console_helpers import build_world

WIDE = {"width": 1280, "height": 800}


def _content_top(page: Any) -> float:
    return float(page.evaluate("() => document.querySelector('main').getBoundingClientRect().top"))


def test_a_phone_starts_with_the_content(app: Flask, make_member, sandbox, page: Any):
    """At 375 px an admin's header (about thirty links) takes under a tenth of the screen until
    菜单 is tapped; then every link is there. At 1280 px the links show without 菜单."""
    world = build_world(app, make_member)
    page.set_viewport_size(PHONE)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/")
    assert _content_top(page) < PHONE["height"] / 10
    assert not page.is_visible("#console-nav")
    fits(page)
    page.shot("010-header-phone-folded")
    page.click("label[for=nav-toggle]")
    assert page.is_visible("#console-nav")
    assert page.locator("#console-nav a").count() > 20
    page.shot("011-header-phone-open")
    page.click("#console-nav a[href$='/console/reports']")
    page.wait_for_url("**/console/reports")
    assert not page.is_visible("#console-nav")  # a new page starts folded again
    page.set_viewport_size(WIDE)
    assert page.is_visible("#console-nav") and not page.is_visible("label[for=nav-toggle]")
    clean(page)
