"""Browser tests: Pioneer served over HTTP beside the WeCom sandbox, driven by headless
Chromium through Playwright. Debian's chromium is used (never a downloaded browser); without
it, or without Playwright, these tests skip and say why. Screenshots go to test-artifacts/.

They run on one backend, not both: PostgreSQL + Redis when the suite has them
(PIONEER_TEST_DATABASE_URL and PIONEER_TEST_REDIS_URL set, as in .ci/run), SQLite +
in-process Redis otherwise. What they check is the console in a browser (pages, scripts,
forms, phone widths); the data layer under those pages runs on both backends in the rest of
the suite (the console's page tests drive the same routes through the test client)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from sandbox.server import SandboxServer
from tests.browser.browser_helpers import ARTIFACTS

CHROMIUM = os.environ.get("PIONEER_CHROMIUM", "/usr/bin/chromium")
# The one backend of the browser tests: "services" when tests/conftest.py's BACKENDS has it
# (both test URLs set), else "embedded".
BROWSER_BACKEND = ("services" if os.environ.get("PIONEER_TEST_DATABASE_URL")
                   and os.environ.get("PIONEER_TEST_REDIS_URL") else "embedded")


def _missing() -> str:
    if not os.path.exists(CHROMIUM):
        return (f"no Chromium at {CHROMIUM}: install Debian's chromium and chromium-driver "
                "(apt-get install chromium chromium-driver; .ci/run does)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    return ""


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session."""
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture(params=[BROWSER_BACKEND])
def app(app: Flask) -> Flask:
    """tests/conftest.py's app, on BROWSER_BACKEND only (the parameter goes to it)."""
    return app


@pytest.fixture
def live(app: Flask, sandbox: SandboxServer) -> Iterator[str]:
    """The app served over HTTP on a free port; its WeCom web login is the sandbox's page."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    app.config["WECOM_WEB_LOGIN_URL"] = sandbox.root_url + "wwlogin/sso/login"
    # A short poll so that shutdown() at the end returns at once instead of within 0.5 s.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def page(browser: Any, live: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser page (its own cookies) that saves a screenshot on demand: shot(name)."""
    context = browser.new_context(accept_downloads=True, locale="zh-CN",
                                  viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))

    def on_console(message: Any) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):  # not Pioneer's
            errors.append(f"{message.text} {where}")

    tab.on("console", on_console)
    backend = request.node.callspec.params.get("app", "embedded")
    folder = ARTIFACTS / backend
    folder.mkdir(parents=True, exist_ok=True)

    def shot(name: str) -> None:
        tab.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    tab.shot = shot  # type: ignore[attr-defined]
    tab.live = live  # type: ignore[attr-defined]
    tab.errors = errors  # type: ignore[attr-defined]
    yield tab
    context.close()
