"""Every page of the console's menu in a real browser, as an admin, at 1280 px and at 375 px:
each answers, runs no failing script, fits the phone's width, and on the phone starts with its
own content (the header is one line). A screenshot of each page at both widths goes to
test-artifacts/console/ (5xx-<page>-wide.png, 5xx-<page>-phone.png)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from tests.browser.browser_helpers import PHONE, clean, fits, login
from tests.console_helpers import build_world

WIDE = {"width": 1280, "height": 900}


def _menu(page: Any) -> list[str]:
    """The paths of the console menu's links, in their order, once each."""
    hrefs = page.eval_on_selector_all("#console-nav a", "links => links.map(a => a.href)")
    paths: list[str] = []
    for href in hrefs:
        path = urlsplit(href).path
        if path.startswith("/console") and path not in paths:
            paths.append(path)
    return paths


def _name(path: str) -> str:
    return path.removeprefix("/console").strip("/").replace("/", "-") or "home"


def test_every_menu_page_at_both_widths(app: Flask, make_member, sandbox, page: Any):
    """Does each page of the admin's menu answer 200 with a heading, no script error, nothing
    wider than a phone, and its content within the phone's first tenth of a screen?"""
    world = build_world(app, make_member)
    page.set_viewport_size(WIDE)
    login(page, "管理员甲", world.admin)
    paths = _menu(page)
    assert len(paths) > 20, paths  # the admin's whole office, not a short menu
    for number, path in enumerate(paths):
        shot = f"{500 + number:03d}-{_name(path)}"
        page.set_viewport_size(WIDE)
        answer = page.goto(page.live + path)
        assert answer is not None and answer.status == 200, path
        assert page.locator("main h1, main h2").count() > 0, path
        page.shot(f"{shot}-wide")
        page.set_viewport_size(PHONE)
        page.goto(page.live + path)
        fits(page)
        top = page.evaluate("() => document.querySelector('main').getBoundingClientRect().top")
        assert top < PHONE["height"] / 10, (path, top)
        page.shot(f"{shot}-phone")
    clean(page)
