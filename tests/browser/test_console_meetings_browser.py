"""三会一课 in a real browser on a 375 px wide phone: a contact sees the quarter's shortfalls in
red, records a 支委会 with attendance ticked from the roster and a photo (first refused for a
leave without a reason, the photo kept), sees the record with its photo, and the quarter view
fills that cell; the same pages fit a desktop, where the contact downloads the year's 台账
(.docx) from the organisation's page and finds the meeting in it. The page never scrolls
sideways. Screenshots go to test-artifacts/console/."""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from flask import Flask
from PIL import Image
from sqlalchemy import select

from models import CheckIn, OrgMeeting, db
from tests.browser.browser_helpers import PHONE, clean, fits, login
from tests.console_helpers import build_world

DESKTOP = {"width": 1280, "height": 900}


def png() -> bytes:
    """A small photo."""
    out = io.BytesIO()
    Image.new("RGB", (120, 80), (178, 34, 34)).save(out, "PNG")
    return out.getvalue()


def committee_cell(page: Any, org_id: int) -> Any:
    """The 支委会 cell of the organisation's row in the quarter view."""
    return page.locator(f'#quarter tr[data-org="{org_id}"] td[data-kind="committee"]')


def fits_desktop(page: Any) -> None:
    """Nothing is wider than a desktop window either."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], width


def test_contact_records_a_committee_meeting_on_a_phone(app: Flask, make_member, sandbox,
                                                        travel, page: Any):
    """A contact on a phone records a 支委会 with everyone 出席 but one 请假, and a photo; the
    record shows it and the quarter view's 支委会 cell goes from 0/3 to 1/3; on a desktop the
    organisation's page lists it and its 「下载2026年台账（Word）」 gives a .docx holding it."""
    travel("2026-12-01 10:00")  # a Tuesday morning in Shanghai
    world = build_world(app, make_member)
    page.set_viewport_size(PHONE)
    login(page, "联络员甲", world.contact_here)
    page.goto(page.live + "/console/meetings")
    page.wait_for_selector("#quarter")
    cell = committee_cell(page, world.org_here)
    assert cell.inner_text() == "0/3" and "missing" in (cell.get_attribute("class") or "")
    assert page.locator(f'#quarter tr[data-org="{world.org_other}"]').count() == 0
    fits(page)
    page.shot("130-meetings-quarter-phone")
    page.click(f'#quarter tr[data-org="{world.org_here}"] a')
    page.wait_for_selector("#org-meetings")
    fits(page)
    page.click("#meeting-new")
    page.wait_for_selector("#meeting-form")
    page.select_option("select[name=kind]", "committee")
    page.fill("input[name=starts_at]", "2026-11-30T15:00")
    page.fill("input[name=place]", "党员活动室")
    page.fill("input[name=topic]", "研究发展党员工作")
    page.fill("textarea[name=notes]", "一、通报党员发展情况\n二、讨论确定入党积极分子")
    page.click("#all-present")  # meetings.js: every line 出席
    assert page.locator("#attendance input[value=present]:checked").count() == 2
    page.locator(".attendee", has_text="联络员甲").locator("input[value=leave]").check()
    page.set_input_files("input[name=photos]", files=[
        {"name": "现场.png", "mimeType": "image/png", "buffer": png()}])
    fits(page)
    page.shot("131-meeting-form-phone")
    page.click("#meeting-save")
    page.wait_for_selector(".field-error")
    here = page.locator(".attendee", has_text="联络员甲")
    assert here.locator(".field-error").inner_text() == "请填写联络员甲的请假原因。"
    assert page.inner_text("#photos-kept") == "已上传的照片（保存时一并保存）：1"
    assert page.input_value("input[name=topic]") == "研究发展党员工作"
    fits(page)
    page.shot("132-meeting-refused-phone")
    here.locator("input[name^=reason_]").fill("出差")
    page.click("#meeting-save")
    page.wait_for_selector("#meeting-record")
    assert "已保存会议记录 HY-2026-" in page.inner_text("main")
    assert page.inner_text("#record-counts") == "应到2人，出席1人，请假1人，缺席0人"
    assert page.inner_text("#record-leave") == "联络员甲（出差）"
    photo = page.locator(".meeting-photos img").first
    photo.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth", photo.element_handle()) == 120
    fits(page)
    page.shot("133-meeting-saved-phone")
    with app.app_context():
        meeting = db.session.scalars(select(OrgMeeting)).one()
        assert (meeting.kind, len(meeting.photos or [])) == ("committee", 1)
        assert sorted(r.status for r in db.session.scalars(select(CheckIn))) == [
            "leave", "present"]
    page.goto(page.live + "/console/meetings")
    page.wait_for_selector("#quarter")
    cell = committee_cell(page, world.org_here)
    assert cell.inner_text() == "1/3" and "missing" in (cell.get_attribute("class") or "")
    fits(page)
    page.shot("134-meetings-quarter-filled-phone")
    page.set_viewport_size(DESKTOP)
    page.reload()
    page.wait_for_selector("#quarter")
    fits_desktop(page)
    page.click(f'#quarter tr[data-org="{world.org_here}"] a')
    page.wait_for_selector("#org-meetings")
    row = page.locator(f'#org-meetings tr[data-meeting="{meeting.id}"]')
    assert "研究发展党员工作" in row.inner_text() and "支委会" in row.inner_text()
    link = page.get_by_role("link", name="下载2026年台账（Word）")
    assert link.get_attribute("href") == f"/console/orgs/{world.org_here}/meetings/2026.docx"
    fits_desktop(page)
    page.shot("136-org-meetings-desktop")
    with page.expect_download() as started:
        link.click()
    download = started.value
    assert download.failure() is None
    assert download.suggested_filename == "华芯党支部-2026年三会一课台账.docx"
    ledger = Document(download.path())  # Playwright's own copy, gone with the context
    body = "\n".join(paragraph.text for paragraph in ledger.paragraphs)
    assert "华芯党支部三会一课台账" in body and "共 1 次会议" in body
    for line in ("1. 支委会：研究发展党员工作", "会议主题：研究发展党员工作",
                 "出席人员：党员丁", "请假人员：联络员甲（出差）", "会议照片：1"):
        assert line in body, line
    assert len(ledger.inline_shapes) == 1  # the photo, embedded
    assert page.url.endswith(f"/console/orgs/{world.org_here}/meetings?year=2026")  # stays
    page.goto(page.live + f"/console/meetings/{meeting.id}")
    page.wait_for_selector("#meeting-form")
    fits_desktop(page)
    page.shot("135-meeting-desktop")
    refused = "status of 400 (BAD REQUEST) " + page.live
    page.errors[:] = [e for e in page.errors if refused not in e]  # the refused form's
    clean(page)
