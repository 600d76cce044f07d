"""培训班 in a real browser: an admin at desktop width creates a training, enrols members by
name (a name not in the roster refused first, nothing written), schedules a session, opens the
session's 签到 page and checks a member in by 代签; the training then shows the member present
with the hours credited, and the year's list counts it. The pages are admins' only (a contact
gets 403); on a 375 px phone the admin's list and training fit the screen and start with their
heading. Any script error or CSP violation fails. Screenshots in test-artifacts/console/."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from content import checkin_page_texts as kt
from content import training_texts as tt
from models import Activity, CheckIn, Member, Training, TrainingEnrolment, db
from tests.browser.browser_helpers import (
    DESKTOP,
    PHONE,
    clean,
    first_screen,
    fits,
    fits_desktop,
    login,
)
from tests.console_helpers import build_world

NOW = "2026-12-07 10:00"
TITLE = "2026年度党务工作者培训班"


def test_training_created_enrolled_and_attended(app: Flask, make_member, sandbox, travel,
                                                page: Any):
    """New training, a refused then an accepted enrolment, a session, 代签, the hours shown."""
    travel(NOW)
    world = build_world(app, make_member)
    page.set_viewport_size(DESKTOP)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/trainings")
    assert page.inner_text("#training-rows tbody") == tt.EMPTY
    page.click("#training-new summary")
    page.select_option("#training-form select[name=kind]", "workers")
    page.fill("#training-form input[name=title]", TITLE)
    page.fill("#training-form input[name=planned]", "3")
    page.fill("#training-form input[name=hours]", "3")
    page.fill("#training-form input[name=starts_on]", "2026-12-01")
    page.fill("#training-form input[name=ends_on]", "2026-12-20")
    page.fill("#training-form input[name=place]", "区委党校")
    fits_desktop(page)
    page.shot("400-trainings-new-desktop")
    page.click("#training-create")
    page.wait_for_selector("#training-enrol-form")
    assert tt.CREATED.format(title=f"《{TITLE}》") in page.inner_text(".flash.ok")
    assert page.inner_text("main h1") == tt.DETAIL_TITLE.format(kind="党务工作者培训班",
                                                                title=TITLE)
    with app.app_context():
        training = db.session.scalars(select(Training)).one()
        training_id = training.id
        assert (training.kind, training.planned_sessions, training.session_hours,
                training.place) == ("workers", 3, 3.0, "区委党校")

    page.fill("#training-names", "党员丁\n查无此人")
    page.click("#training-enrol")
    page.wait_for_selector("#training-refused")
    assert tt.NAME_UNKNOWN.format(name="查无此人") in page.inner_text("#training-refused")
    page.errors[:] = [e for e in page.errors if "400" not in e]  # the refusal's own status
    with app.app_context():
        assert db.session.scalars(select(TrainingEnrolment)).all() == []
    page.fill("#training-names", "党员丁\n党员戊")
    page.click("#training-enrol")
    page.wait_for_selector(f"text={tt.ENROLLED_DONE.format(count=2)}")
    assert f"{tt.ENROLMENTS}（2）" in page.inner_text("#training-enrolments h2")
    with app.app_context():
        enrolled = set(db.session.scalars(
            select(Member.name).join(TrainingEnrolment,
                                     TrainingEnrolment.member_id == Member.id)))
        assert enrolled == {"党员丁", "党员戊"}

    page.click("#training-session-new summary")
    page.fill("#training-session-form input[name=starts_at]", "2026-12-07T09:30")
    page.fill("#training-session-form input[name=ends_at]", "2026-12-07T11:30")
    page.click("#training-session-add")
    page.wait_for_selector("#training-sessions tbody tr[id^=training-session-]")
    with app.app_context():
        session = db.session.scalars(select(Activity)).one()
        session_id, code = session.id, session.checkin_code
        assert session.title == f"{TITLE} {tt.SESSION_DEFAULT.format(number=1)}"
    row = page.locator(f"#training-session-{session_id} td").all_inner_texts()
    assert row[0] == tt.SESSION_DEFAULT.format(number=1)  # the training's title not repeated
    assert row[1:5] == ["2026-12-07 09:30 – 11:30", "区委党校", code, "0"], row
    assert f"《{TITLE} 第1场》" in page.inner_text(".flash.ok")
    fits_desktop(page)
    page.shot("401-training-session-desktop")

    page.click(f"#training-session-{session_id} a:has-text('{tt.SESSION_CHECKIN}')")
    page.wait_for_selector("#checkin-code")
    assert page.inner_text("#checkin-code") == code
    page.fill("#proxy-form input[name=names]", "党员丁")
    page.click("#proxy-submit")
    page.wait_for_selector(f"text={kt.PROXY_DONE.format(count=1, names='党员丁')}")
    page.shot("402-training-session-checkin-desktop")
    with app.app_context():
        [checkin] = db.session.scalars(select(CheckIn)).all()
        assert db.session.get(Member, checkin.member_id).name == "党员丁"

    assert page.inner_text("#checkin-home") == "返回培训班"
    page.click("#checkin-home")
    page.wait_for_selector("#training-enrol-form")
    author = page.locator(f"#training-member-{world.author_id}")
    cells = author.locator("td").all_inner_texts()
    assert cells[2:5] == [tt.PRESENT_MARK, "1", "3"], cells
    assert author.locator(f"button:has-text('{tt.REMOVE}')").count() == 0  # attended
    fits_desktop(page)
    page.shot("403-training-attended-desktop")
    page.goto(page.live + "/console/trainings?year=2026")
    cells = page.locator(f"#training-{training_id} td").all_inner_texts()
    assert cells[0] == TITLE and cells[3:] == ["3", "1", "2", "1", "1"], cells
    fits_desktop(page)
    page.shot("404-trainings-desktop")
    clean(page)

    page.set_viewport_size(PHONE)
    page.goto(page.live + "/console/trainings?year=2026")
    first_screen(page, "main h1")
    first_screen(page, "#training-rows")
    fits(page)
    page.shot("405-trainings-phone")
    page.click(f"#training-{training_id} a")
    page.wait_for_selector("#training-enrol-form")
    first_screen(page, "main h1")
    first_screen(page, "#training-sessions h2")
    fits(page)
    page.shot("406-training-phone")
    clean(page)

    page.context.clear_cookies()
    login(page, "联络员甲", world.contact_here)
    for path in ("/console/trainings", f"/console/trainings/{training_id}"):
        assert page.goto(page.live + path).status == 403
