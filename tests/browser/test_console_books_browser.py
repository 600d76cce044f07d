"""学习用书 in a real browser: an admin on a desktop registers a book and sends it to every
organisation, a contact on a 375 px phone sees only their own organisation's row, confirms the
receipt and reports the members given; the admin's 未确认 filter then lists the others with
the days since sent. No script error, the phone page never scrolls sideways. Screenshots go to
test-artifacts/console/."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from models import BookDistribution, db
from tests.browser.browser_helpers import ARTIFACTS, PHONE, clean, fits, login
from tests.console_helpers import build_world

DESKTOP = {"width": 1280, "height": 900}


def test_books_register_send_confirm(app: Flask, make_member, sandbox, page: Any):
    """Register, send to all, confirm on a phone, report the members given, list the rest."""
    world = build_world(app, make_member)
    page.set_viewport_size(DESKTOP)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/books")
    page.click("#book-new summary")
    page.fill("#book-new-form input[name=title]", "中国共产党简史")
    page.fill("#book-new-form input[name=publisher]", "人民出版社")
    page.fill("#book-new-form input[name=copies]", "200")
    page.shot("340-books-new")
    page.click("#book-create")
    page.wait_for_selector("#book-distribute-form")
    page.fill("#book-distribute-form input[name=copies_each]", "20")
    page.shot("341-book-distribute")
    page.click("#book-distribute-send")
    page.wait_for_selector("#distribution-rows td:has-text('华芯党支部')")
    clean(page)
    page.shot("342-book-detail")
    with app.app_context():
        rows = db.session.scalars(select(BookDistribution)).all()
        mine = next(r.id for r in rows if r.organization_id == world.org_here)
        assert len(rows) >= 2

    contact = page.context.browser.new_context(locale="zh-CN", viewport=PHONE).new_page()
    contact.live, contact.errors = page.live, []  # type: ignore[attr-defined]
    contact.on("pageerror", lambda exc: contact.errors.append(str(exc)))
    login(contact, "联络员甲", world.contact_here)
    contact.goto(page.live + "/console/books")
    contact.wait_for_selector(f"#distribution-{mine}")
    assert contact.locator("#distribution-rows tbody tr").count() == 1
    fits(contact)
    contact.screenshot(path=str(shot_path(app, "343-books-contact-phone")), full_page=True)
    contact.click(f"#book-confirm-{mine}")
    contact.wait_for_selector(f"#book-given-{mine}")
    contact.fill(f"#book-given-{mine}", "1")
    contact.click(f"#distribution-{mine} button:has-text('保存人数')")
    contact.wait_for_selector("text=发给1名党员")
    fits(contact)
    contact.screenshot(path=str(shot_path(app, "344-books-given-phone")), full_page=True)
    assert contact.errors == []  # type: ignore[attr-defined]
    contact.context.close()

    page.goto(page.live + "/console/books?status=unconfirmed")
    page.wait_for_selector("#distribution-rows")
    assert page.locator(f"#distribution-{mine}").count() == 0
    assert page.locator("#distribution-rows tbody tr").count() == len(rows) - 1
    assert "0天" in page.locator("#distribution-rows").inner_text()
    clean(page)
    page.shot("345-books-unconfirmed")


def shot_path(app: Flask, name: str) -> Any:
    """Where a screenshot of the second page (the contact's phone) goes, beside the first's."""
    folder = ARTIFACTS / app.config["TEST_BACKEND"]
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}.png"
