"""The console's 培训班 pages: the year's list (by kind) with per-training counts, creating a
training once per form (bad fields refused, nothing written), enrolling from a pasted list
(bad names listed, nobody enrolled; the enrolled told in WeCom), scheduling a session, taking
an enrolment back, the attendance table, and who may see any of it (admins only)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from checkins.checkin import check_in, of_activity
from content import console_texts as t
from content import training_texts as tt
from models import Activity, Training, db, find_member
from tests.console_helpers import World, build_world, login_as, post
from tests.trainings.training_helpers import (
    add_session,
    audits,
    enrol,
    enrolled,
    make_training,
    sessions,
    shanghai,
    tables,
)

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
GOOD = {"kind": "activists", "title": "入党积极分子培训班（秋季）", "planned": "3", "hours": "2",
        "starts_on": "2026-09-01", "ends_on": "2026-09-30", "place": "党群服务中心201室"}


@pytest.fixture
def world(app: Flask, make_member) -> World:
    """build_world's committee (党员丁 of 华芯, 党员戊 of 远景, contacts, a lecturer)."""
    return build_world(app, make_member)


def client_of(app: Flask, sandbox: Any, userid: str) -> FlaskClient:
    """A console client logged in as the member."""
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def html(response: Any) -> str:
    """A response's page text."""
    return response.get_data(as_text=True)


def key_of(client: FlaskClient, path: str, form: str = "") -> str:
    """The one-time key of the page's form with this id (or of its first form)."""
    text = html(client.get(path))
    found = FORM_KEY.search(text, text.index(f'id="{form}"') if form else 0)
    assert found
    return found.group(1)


def inbox(sandbox: Any, userid: str) -> list[str]:
    """The texts WeCom delivered to the member."""
    return [m["content"]["content"] for m in sandbox.state.inbox_since(userid)]


def count_trainings(app: Flask) -> int:
    """How many trainings there are."""
    with app.app_context():
        return db.session.query(Training).count()


def test_create_once_per_form(app: Flask, world: World, sandbox):
    """Does the admin's 新建 write one training (audited) and open its page, and does the same
    form sent again write nothing more?"""
    admin = client_of(app, sandbox, world.admin)
    key = key_of(admin, "/console/trainings")
    first = post(admin, "/console/trainings/new", {**GOOD, "form_key": key})
    assert first.status_code == 303 and "/console/trainings/" in first.headers["Location"]
    again = post(admin, "/console/trainings/new", {**GOOD, "form_key": key})
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert count_trainings(app) == 1
    assert [a[:2] for a in audits(app)] == [(world.admin, "training.create")]
    page = html(admin.get(first.headers["Location"]))
    assert "入党积极分子培训班 · 入党积极分子培训班（秋季）" in page
    assert tt.FORM_USED in page


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("hours", "0", "hours"), ("hours", "-1", "hours"), ("hours", "abc", "hours"),
    ("planned", "0", "planned"), ("ends_on", "2026-08-31", "dates_order"),
    ("starts_on", "九月一日", "dates"), ("kind", "", "kind"), ("title", "", "title_empty"),
])
def test_bad_fields_are_answered_beside_the_form(app: Flask, world: World, sandbox, field,
                                                  value, reason):
    """Hours ≤ 0, no sessions planned, an end before the start, a date that is no date, no
    kind, no title: is each answered in Chinese beside the form (400), the typed values kept,
    and nothing written — and does the same form go through once corrected?"""
    admin = client_of(app, sandbox, world.admin)
    key = key_of(admin, "/console/trainings")
    before = tables(app)
    response = post(admin, "/console/trainings/new", {**GOOD, field: value, "form_key": key})
    assert response.status_code == 400
    text = tt.ERRORS[reason].format(limit=8 if reason == "hours" else 100)
    assert text in html(response) and GOOD["place"] in html(response)
    assert tables(app) == before
    assert post(admin, "/console/trainings/new", {**GOOD, "form_key": key}).status_code == 303
    assert count_trainings(app) == 1


def test_list_by_year_and_kind_with_counts(app: Flask, world: World, sandbox):
    """Does the list show a year's trainings with enrolled, sessions, check-ins (人次) and
    attendees (人), and do the year and kind filters narrow it?"""
    training_id = make_training(app, title="党务工作者培训班（第一期）")
    make_training(app, kind="lecturers", title="第一期红色讲师培训班", starts_on=date(2025, 6, 1),
                  ends_on=date(2025, 6, 3))
    enrol(app, training_id, "c-author c-plain")
    session_id, _ = add_session(app, training_id, "2026-05-10 09:00", "2026-05-10 12:00")
    with app.app_context():
        check_in(find_member("c-author"), of_activity(db.session.get(Activity, session_id)),
                 shanghai("2026-05-10 09:05"), None)
        db.session.commit()
    admin = client_of(app, sandbox, world.admin)
    page = html(admin.get("/console/trainings?year=2026"))
    row = re.search(rf'<tr id="training-{training_id}">(.*?)</tr>', page, re.S)
    assert row and "党务工作者培训班（第一期）" in row.group(1)
    cells = re.findall(r"<td>(\d+)</td>", row.group(1))
    assert cells == ["3", "1", "2", "1", "1"]  # planned, sessions, enrolled, 人次, 人
    assert "第一期红色讲师培训班" not in page
    assert "第一期红色讲师培训班" in html(admin.get("/console/trainings?year=2025"))
    assert f'id="training-{training_id}"' not in html(
        admin.get("/console/trainings?year=2026&kind=lecturers"))
    assert tt.EMPTY in html(admin.get("/console/trainings?year=2030"))


def test_enrol_bad_names_then_good(app: Flask, world: World, sandbox):
    """Are an unknown name and a name two members share listed with nobody enrolled; does the
    corrected list enrol both (audited), tell each in WeCom, and the same form again add
    nothing?"""
    training_id = make_training(app, title="党务工作者培训班（第一期）")
    with app.app_context():  # a second 党员丁, in 远景
        find_member("c-plain").name = "党员丁"
        db.session.commit()
    admin = client_of(app, sandbox, world.admin)
    path = f"/console/trainings/{training_id}"
    key = key_of(admin, path, "training-enrol-form")
    before = tables(app)
    refused = post(admin, f"{path}/enrol", {"names": "联络员甲 党员丁 无此人", "form_key": key})
    assert refused.status_code == 400
    page = html(refused)
    assert tt.NAMES_REFUSED in page and tt.NAME_UNKNOWN.format(name="无此人") in page
    assert "c-author" in page and "c-plain" in page  # the two 党员丁, by userid
    assert tables(app) == before
    done = post(admin, f"{path}/enrol", {"names": "联络员甲\nc-author", "form_key": key})
    assert done.status_code == 303
    assert enrolled(app, training_id) == ["c-here", "c-author"]
    assert post(admin, f"{path}/enrol", {"names": "c-plain", "form_key": key}).status_code == 303
    assert enrolled(app, training_id) == ["c-here", "c-author"]
    notices = inbox(sandbox, "c-author")
    assert len(notices) == 1 and "党务工作者培训班（第一期）" in notices[0] and "3场" in notices[0]
    assert [a[1] for a in audits(app)] == ["training.create", "training.enrol"]


def test_sessions_and_attendance_table(app: Flask, world: World, sandbox):
    """Does 添加场次 write a session with a code (once per form), refuse an end before the
    start, and does the page show per-session marks, hours and counts, with 取消报名 only for
    members who never checked in?"""
    training_id = make_training(app, title="党务工作者培训班（第一期）")
    enrol(app, training_id, "c-author c-plain")
    admin = client_of(app, sandbox, world.admin)
    path = f"/console/trainings/{training_id}"
    key = key_of(admin, path, "training-session-form")
    bad = post(admin, f"{path}/sessions", {"starts_at": "2026-05-10T12:00",
                                           "ends_at": "2026-05-10T09:00", "form_key": key})
    assert bad.status_code == 400 and tt.ERRORS["session_order"] in html(bad)
    assert sessions(app, training_id) == []
    form = {"starts_at": "2026-05-10T09:00", "ends_at": "2026-05-10T12:00", "form_key": key}
    assert post(admin, f"{path}/sessions", form).status_code == 303
    assert post(admin, f"{path}/sessions", form).status_code == 303
    rows = sessions(app, training_id)
    assert len(rows) == 1 and rows[0]["form_key"] == key
    with app.app_context():
        check_in(find_member("c-author"), of_activity(db.session.get(Activity, rows[0]["id"])),
                 shanghai("2026-05-10 09:05"), None)
        db.session.commit()
    page = html(admin.get(path))
    assert rows[0]["checkin_code"] in page
    assert f'href="/console/checkins/activity/{rows[0]["id"]}"' in page  # 代签, 请假, QR there
    assert admin.get(f'/console/checkins/activity/{rows[0]["id"]}').status_code == 200
    author = re.search(r'<tr id="training-member-\d+">\s*<td>党员丁.*?</tr>', page, re.S)
    assert author and tt.PRESENT_MARK in author.group(0) and "<td>3</td>" in author.group(0)
    assert tt.REMOVE not in author.group(0)
    with app.app_context():
        plain_id = find_member("c-plain").id
        author_id = find_member("c-author").id
    assert post(admin, f"{path}/enrolments/{author_id}/remove").status_code == 409
    assert post(admin, f"{path}/enrolments/{plain_id}/remove").status_code == 303
    assert enrolled(app, training_id) == ["c-author"]


def test_add_session_outside_dates(app: Flask, world: World, sandbox):
    """Is a session outside the training's dates refused with the dates named?"""
    training_id = make_training(app)
    admin = client_of(app, sandbox, world.admin)
    path = f"/console/trainings/{training_id}"
    key = key_of(admin, path, "training-session-form")
    response = post(admin, f"{path}/sessions", {"starts_at": "2026-06-01T09:00",
                                                "ends_at": "2026-06-01T10:00", "form_key": key})
    assert response.status_code == 400
    assert tt.ERRORS["session_outside"].format(starts="2026-05-01", ends="2026-05-31") in html(
        response)


@pytest.mark.parametrize("who", ["contact_here", "contact_other", "lecturer"])
def test_only_admins(app: Flask, world: World, sandbox, who):
    """Is every training page and form refused (403) to contacts and lecturers, with nothing
    written, while a missing training is 404 to the admin?"""
    training_id = make_training(app)
    client = client_of(app, sandbox, getattr(world, who))
    before = tables(app)
    path = f"/console/trainings/{training_id}"
    assert client.get("/console/trainings").status_code == 403
    assert client.get(path).status_code == 403
    assert post(client, "/console/trainings/new", {**GOOD, "form_key": "k" * 24}).status_code == 403
    assert post(client, f"{path}/enrol", {"names": "c-author", "form_key": "k" * 24}
                ).status_code == 403
    assert tables(app) == before
    admin = client_of(app, sandbox, world.admin)
    assert admin.get("/console/trainings/999").status_code == 404


def test_nav_links_the_list(app: Flask, world: World, sandbox):
    """Do admins find 培训班 in the console's navigation, and contacts not?"""
    link = f'href="/console/trainings">{t.NAV_TRAININGS}</a>'
    assert link in html(client_of(app, sandbox, world.admin).get("/console/"))
    assert link not in html(client_of(app, sandbox, world.contact_here).get("/console/"))
