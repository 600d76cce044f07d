"""Helpers of the browser tests: where screenshots go, logging in through the sandbox's QR
page, no script error on a page, and a page that fits a phone's width."""

from __future__ import annotations

from typing import Any

from tests.helpers import ROOT

ARTIFACTS = ROOT / "test-artifacts" / "console"


def login(page: Any, name: str, userid: str) -> None:
    """Log in as the member through the login page and the sandbox's QR page."""
    page.goto(page.live + "/console/login")
    page.click("#wecom-login")
    page.click(f"text=scan as {name} ({userid})")
    page.wait_for_url(page.live + "/console/**")


def clean(page: Any) -> None:
    """No script error and no CSP violation happened on the page."""
    assert page.errors == []


PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def fits(page: Any) -> None:
    """Nothing on the page is wider than the screen (tables scroll inside their own box)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def fits_desktop(page: Any) -> None:
    """Nothing wider than a desktop window."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], width


def first_screen(page: Any, selector: str) -> None:
    """The element starts within the phone's first screen."""
    box = page.locator(selector).first.bounding_box()
    assert box is not None and box["y"] < PHONE["height"], (selector, box)
