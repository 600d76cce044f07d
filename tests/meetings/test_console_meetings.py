"""三会一课 in the console: a contact records a meeting (kind, time within the chat's window,
place, topic, attendance from the roster, minutes, photos), each wrong field refused beside
it with nothing written, a double submit recording one meeting, corrections that keep the
participation ledger right (audited with before and after) until the record locks, the
quarter view filled by a record, 提醒 through the quarterly reminder, the yearly 台账 .docx,
and contacts kept to their own organisations."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select

from bot import keys
from bot.extensions import redis_store
from meetings import recording
from meetings.records import photo_store
from meetings.settings import meeting_settings
from models import (
    AuditEntry,
    CheckIn,
    Member,
    Nudge,
    OrgMeeting,
    OutboundMessage,
    Participation,
    ParticipationTotal,
    db,
)
from participation import ledger
from tests.console_helpers import World, build_world, local_login, login_as, make_account, post
from tests.helpers import SHANGHAI, written

NOW = "2026-12-01 10:00"  # a Tuesday morning in Shanghai: day 62 of Q4, outside quiet hours
KEY = "meeting-form-key-0123456789"
ERROR = re.compile(r'<span class="field-error" id="error-([\w-]+)">([^<]*)</span>')


def png(colour: tuple[int, int, int] = (200, 30, 30), size: int = 40) -> bytes:
    """A small PNG."""
    out = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(out, "PNG")
    return out.getvalue()


def text(response: Any) -> str:
    """A response's page."""
    return response.get_data(as_text=True)


def field_errors(page: str) -> dict[str, str]:
    """Every problem shown beside a field: field name → message."""
    return {name: html.unescape(message) for name, message in ERROR.findall(page)}


def ids(app: Flask) -> dict[str, int]:
    """Member ids by userid."""
    with app.app_context():
        return dict(db.session.execute(select(Member.userid, Member.id)).all())


@pytest.fixture
def world(app: Flask, make_member, travel) -> World:
    """At NOW: the console world (华芯: 联络员甲 c-here and 党员丁 c-author; 远景: 联络员乙
    c-other and 党员戊 c-plain)."""
    travel(NOW)
    return build_world(app, make_member)


def client_of(app: Flask, sandbox, userid: str) -> FlaskClient:
    """A client logged in as the member."""
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


@pytest.fixture
def contact(app: Flask, world: World, sandbox) -> FlaskClient:
    """华芯's contact, logged in."""
    return client_of(app, sandbox, world.contact_here)


def valid_form(app: Flask, key: str = KEY, **changes: Any) -> dict[str, Any]:
    """A 登记会议 form that passes every check: a 支委会 yesterday afternoon with 党员丁
    present, 联络员甲 on leave (出差), one photo; changed as given (None drops a field)."""
    people = ids(app)
    form: dict[str, Any] = {
        "form_key": key, "kind": "committee", "starts_at": "2026-11-30T15:00",
        "place": "党员活动室", "topic": "研究发展党员工作", "notes": "一、通报情况\n二、讨论",
        f"att_{people['c-author']}": "present",
        f"att_{people['c-here']}": "leave", f"reason_{people['c-here']}": "出差",
        "photos": (io.BytesIO(png()), "现场.png"),
    }
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def record(client: FlaskClient, app: Flask, world: World, **changes: Any) -> Any:
    """Post the 登记会议 form for 华芯."""
    return post(client, f"/console/orgs/{world.org_here}/meetings/new",
                valid_form(app, **changes))


def the_meeting(app: Flask) -> OrgMeeting:
    """The one meeting (detached)."""
    with app.app_context():
        meeting = db.session.scalars(select(OrgMeeting)).one()
        db.session.expunge(meeting)
        return meeting


def ledger_rows(app: Flask) -> list[tuple[str, str, datetime]]:
    """(userid, source, occurred_at) of every participation."""
    with app.app_context():
        return sorted((userid, source, occurred) for userid, source, occurred in
                      db.session.execute(
                          select(Member.userid, Participation.source, Participation.occurred_at)
                          .join(Member, Member.id == Participation.member_id)))


def totals(app: Flask, userid: str) -> dict[int, tuple[int, float, int]]:
    """A member's (points, hours, count) per year."""
    with app.app_context():
        return {year: (points, hours, count) for year, points, hours, count in
                db.session.execute(select(ParticipationTotal.year, ParticipationTotal.points,
                                          ParticipationTotal.hours, ParticipationTotal.count)
                                   .join(Member, Member.id == ParticipationTotal.member_id)
                                   .where(Member.userid == userid)).all()}


def audits(app: Flask, action: str) -> list[AuditEntry]:
    """The audit entries of one action, oldest first (detached)."""
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                       .order_by(AuditEntry.id)))
        db.session.expunge_all()
        return rows


# -- recording ------------------------------------------------------------------------------


def test_contact_records_a_meeting(app: Flask, world: World, contact: FlaskClient):
    """Does the form list the organisation's roster only, and does the record write the
    meeting, a present check-in and a participation for the present, a leave with its reason,
    the photo in the private store (shown by the console, never by /media), audited?"""
    people = ids(app)
    form = text(contact.get(f"/console/orgs/{world.org_here}/meetings/new"))
    assert f'name="att_{people["c-author"]}"' in form and f'name="att_{people["c-here"]}"' in form
    assert f'name="att_{people["c-plain"]}"' not in form  # 远景's
    assert f'name="att_{people["c-left"]}"' not in form  # left
    assert 'type="datetime-local" name="starts_at"' in form and 'name="form_key"' in form
    answer = record(contact, app, world)
    assert answer.status_code == 303, field_errors(text(answer))
    meeting = the_meeting(app)
    assert answer.headers["Location"].endswith(f"/console/meetings/{meeting.id}")
    assert (meeting.kind, meeting.topic, meeting.place) == ("committee", "研究发展党员工作",
                                                           "党员活动室")
    assert meeting.starts_at == datetime(2026, 11, 30, 15, tzinfo=SHANGHAI).astimezone(UTC)
    assert meeting.notes == "一、通报情况\n二、讨论" and meeting.absences == {}
    assert meeting.checkin_code is None and meeting.submit_key == f"console:{KEY}"
    with app.app_context():
        rows = {r.member.userid: (r.status, r.reason, r.proxy_id)
                for r in db.session.scalars(select(CheckIn))}
    assert rows == {"c-author": ("present", "", people["c-here"]),
                    "c-here": ("leave", "出差", people["c-here"])}
    assert ledger_rows(app) == [("c-author", f"meeting:{meeting.id}", meeting.starts_at)]
    [entry] = audits(app, "meeting.add")
    assert entry.actor == "c-here" and entry.detail["before"] is None
    assert entry.detail["after"]["present"] == ["c-author"]
    assert entry.detail["after"]["leave"] == {"c-here": "出差"}
    [key] = meeting.photos or []
    with app.app_context():
        assert photo_store().open(key) is not None
    photo = contact.get(f"/console/meetings/{meeting.id}/photos/1")
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    assert Image.open(io.BytesIO(photo.data)).size == (40, 40)
    assert app.test_client().get(f"/media/{key}").status_code == 404
    page = text(contact.get(answer.headers["Location"]))
    assert "已保存会议记录 HY-2026-" in page and "出席1人" in page
    assert "应到2人，出席1人，请假1人，缺席0人" in page and "联络员甲（出差）" in page


def test_an_admin_records_for_any_organisation(app: Flask, world: World, sandbox):
    """May an admin record for 远景 (not their own), with its roster?"""
    admin = client_of(app, sandbox, world.admin)
    people = ids(app)
    answer = post(admin, f"/console/orgs/{world.org_other}/meetings/new", {
        "form_key": KEY, "kind": "lesson", "starts_at": "2026-11-28T09:00", "place": "会议室",
        "topic": "党课", f"att_{people['c-plain']}": "present",
        f"att_{people['c-other']}": "absent", f"reason_{people['c-other']}": "未请假"})
    assert answer.status_code == 303
    meeting = the_meeting(app)
    assert meeting.organization_id == world.org_other
    assert meeting.absences == {str(people["c-other"]): "未请假"}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"kind": ""}, "kind", "请选择会议类型。"),
    ({"kind": "party"}, "kind", "请选择会议类型。"),
    ({"starts_at": ""}, "starts_at", "请填写会议时间。"),
    ({"starts_at": "昨天"}, "starts_at", "请按“年-月-日 时:分”填写会议时间。"),
    ({"starts_at": "2027-02-15T09:00"}, "starts_at",
     "2月15日（周一）09:00距今超过60天，请在会议前60天内登记。"),
    ({"starts_at": "2026-08-01T09:00"}, "starts_at",
     "8月1日（周六）09:00距今已超过92天，无法补录，请核对时间。"),
    ({"place": " "}, "place", "请填写会议地点。"),
    ({"place": "地" * 101}, "place", "会议地点请控制在100字以内。"),
    ({"topic": ""}, "topic", "会议主题请控制在1到100字之间。"),
    ({"topic": "题" * 101}, "topic", "会议主题请控制在1到100字之间。"),
    ({"notes": "记" * 10_001}, "notes", "会议记录请控制在10000字以内。"),
    ({"photos": (b"%PDF-1.4 not an image", "纪要.png")}, "photos",
     "“纪要.png”：只能上传 PNG、JPEG 或 WebP 格式的图片。"),
    ({"photos": (b"", "空.png")}, "photos", "“空.png”：图片文件是空的。"),
])
def test_each_wrong_field_is_refused_beside_it(app: Flask, world: World, contact: FlaskClient,
                                               changes: dict[str, Any], field: str,
                                               message: str):
    """Is each wrong field refused (400) with its Chinese message beside it, the rest kept as
    typed, and nothing written?"""
    before = written(app)
    # a file is made anew for each run: the test client closes the one it sent
    changes = {key: (io.BytesIO(value[0]), value[1]) if isinstance(value, tuple) else value
               for key, value in changes.items()}
    answer = record(contact, app, world, **changes)
    page = text(answer)
    assert answer.status_code == 400
    assert field_errors(page) == {field: message}
    start = page.index(f'name="{field}"')
    assert f'id="error-{field}"' in page[start:page.find("</label>", start)]
    assert written(app) == before
    if field != "place":
        assert 'value="党员活动室"' in page


def test_attendance_problems(app: Flask, world: World, contact: FlaskClient):
    """Someone of another organisation, a leave without a reason, nobody present at a meeting
    held: each refused beside the list (or the reason), nothing written?"""
    people = ids(app)
    before = written(app)
    stranger = record(contact, app, world, **{f"att_{people['c-plain']}": "present"})
    assert stranger.status_code == 400
    assert field_errors(text(stranger)) == {
        "attendance": "党员戊不是华芯党支部的党员，不能登记为参会人员。"}
    no_reason = record(contact, app, world, **{f"reason_{people['c-here']}": " "})
    assert field_errors(text(no_reason)) == {
        f"reason_{people['c-here']}": "请填写联络员甲的请假原因。"}
    nobody = record(contact, app, world, **{f"att_{people['c-author']}": "absent"})
    assert field_errors(text(nobody)) == {"attendance": "请至少选择一名出席的党员。"}
    assert written(app) == before


def test_a_refused_form_keeps_its_good_photos(app: Flask, world: World, contact: FlaskClient):
    """A form refused for another field carries its accepted photo as a key, saved with the
    record when the form is sent again (without choosing the photo again)?"""
    refused = record(contact, app, world, place="")
    page = text(refused)
    keys_shown = re.findall(r'name="photo_key" value="([^"]+)"', page)
    assert len(keys_shown) == 1 and "已上传的照片（保存时一并保存）：1" in page
    again = record(contact, app, world, photos=None, photo_key=keys_shown[0])
    assert again.status_code == 303
    assert the_meeting(app).photos == keys_shown
    forged = record(contact, app, world, key="another-form-key-0123456", photos=None,
                    photo_key="0" * 64 + ".png")
    assert forged.status_code == 303
    with app.app_context():
        newest = db.session.scalars(select(OrgMeeting).order_by(OrgMeeting.id.desc())).first()
        assert newest is not None and newest.photos == []  # an unknown key is dropped


def test_too_many_photos_and_too_large_a_post(app: Flask, world: World, contact: FlaskClient):
    """More photos than MEETING_MAX_PHOTOS are refused beside the field; a post larger than
    the form may carry is refused with a page saying the limits; nothing written?"""
    app.config.update(MEETING_MAX_PHOTOS="1", MEDIA_MAX_IMAGE_BYTES="20000")
    before = written(app)
    many = record(contact, app, world, photos=[(io.BytesIO(png()), "1.png"),
                                               (io.BytesIO(png((1, 2, 3))), "2.png")])
    assert field_errors(text(many)) == {"photos": "每次会议最多保存1张照片。"}
    huge = record(contact, app, world, photos=(io.BytesIO(b"x" * 400_000), "大.png"))
    assert huge.status_code == 413
    assert "每次会议最多1张照片，每张不超过" in text(huge)
    assert written(app) == before


def test_double_submit_records_one_meeting(app: Flask, world: World, contact: FlaskClient):
    """The same form posted twice (and again once Redis forgot it) records one meeting and
    credits once; the repeats land on it?"""
    first = record(contact, app, world)
    second = record(contact, app, world)
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    assert "这张表单已经提交过" in text(contact.get(second.headers["Location"]))
    with app.app_context():
        redis_store.client.delete(keys.meeting_form(KEY))
    third = record(contact, app, world)
    assert third.headers["Location"] == first.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(OrgMeeting.id))) == 1
    assert len(ledger_rows(app)) == 1


def test_a_local_account_may_look_but_not_record(app: Flask, world: World):
    """A local admin account (no member) sees the quarter but may not record (403)?"""
    make_account(app)
    client = app.test_client()
    local_login(client)
    assert client.get("/console/meetings").status_code == 200
    refused = client.get(f"/console/orgs/{world.org_here}/meetings/new")
    assert refused.status_code == 403 and "本地管理员账号不是党员" in text(refused)
    before = written(app)
    assert record(client, app, world).status_code == 403
    assert written(app) == before


# -- corrections and the lock ---------------------------------------------------------------


def test_a_correction_keeps_the_ledger_right(app: Flask, world: World, contact: FlaskClient):
    """Marking the present absent takes the participation back (totals too), marking the one
    on leave present credits them, a new time moves the credits; audited before and after?"""
    people = ids(app)
    record(contact, app, world)
    meeting = the_meeting(app)
    assert totals(app, "c-author") == {2026: (5, 2.0, 1)}
    page = text(contact.get(f"/console/meetings/{meeting.id}"))
    assert 'value="2026-11-30T15:00"' in page and "可修改至2026-12-08 10:00" in page
    answer = post(contact, f"/console/meetings/{meeting.id}", {
        "kind": "committee", "starts_at": "2026-11-30T16:00", "place": "党员活动室",
        "topic": "研究发展党员工作（续）", "notes": "",
        f"att_{people['c-author']}": "absent", f"reason_{people['c-author']}": "加班",
        f"att_{people['c-here']}": "present"})
    assert answer.status_code == 303, field_errors(text(answer))
    moved = datetime(2026, 11, 30, 16, tzinfo=SHANGHAI).astimezone(UTC)
    assert ledger_rows(app) == [("c-here", f"meeting:{meeting.id}", moved)]
    assert totals(app, "c-author") == {2026: (0, 0.0, 0)}
    assert totals(app, "c-here") == {2026: (5, 2.0, 1)}
    corrected = the_meeting(app)
    assert corrected.absences == {str(people["c-author"]): "加班"}
    assert corrected.starts_at == moved and corrected.ends_at == moved + timedelta(hours=2)
    assert corrected.photos == meeting.photos  # kept unless ticked for removal
    with app.app_context():
        assert [(r.member.userid, r.status, r.checked_at) for r in
                db.session.scalars(select(CheckIn))] == [("c-here", "present", moved)]
    [entry] = audits(app, "meeting.edit")
    assert entry.actor == "c-here"
    assert entry.detail["before"]["present"] == ["c-author"]
    assert entry.detail["after"]["present"] == ["c-here"]
    assert entry.detail["after"]["absent"] == {"c-author": "加班"}
    assert (entry.detail["before"]["starts_at"], entry.detail["after"]["starts_at"]) == (
        "2026-11-30 15:00", "2026-11-30 16:00")
    shown = text(contact.get(f"/console/meetings/{meeting.id}"))
    assert "已保存对会议记录" in shown
    assert "修改 · 改了：时间、主题、会议记录、出席、请假、缺席" in shown
    assert "党员丁（加班）" in shown
    same = post(contact, f"/console/meetings/{meeting.id}", {
        "kind": "committee", "starts_at": "2026-11-30T16:00", "place": "党员活动室",
        "topic": "研究发展党员工作（续）", f"att_{people['c-author']}": "absent",
        f"reason_{people['c-author']}": "加班", f"att_{people['c-here']}": "present",
        "drop_photo": "1"})
    assert same.status_code == 303 and the_meeting(app).photos == []
    assert len(audits(app, "meeting.edit")) == 2


def test_a_correction_across_the_year_moves_the_totals(app: Flask, world: World, sandbox,
                                                      travel):
    """A meeting moved from 2026 to 2027 takes its credits to 2027's totals?"""
    travel("2027-01-02 10:00")
    contact = client_of(app, sandbox, world.contact_here)
    people = ids(app)
    record(contact, app, world, starts_at="2026-12-31T20:00")
    meeting = the_meeting(app)
    assert totals(app, "c-author") == {2026: (5, 2.0, 1)}
    post(contact, f"/console/meetings/{meeting.id}", {
        "kind": "committee", "starts_at": "2027-01-01T09:00", "place": "党员活动室",
        "topic": "研究发展党员工作", f"att_{people['c-author']}": "present",
        f"att_{people['c-here']}": "leave", f"reason_{people['c-here']}": "出差"})
    assert totals(app, "c-author") == {2026: (0, 0.0, 0), 2027: (5, 2.0, 1)}


def test_refused_correction_writes_nothing(app: Flask, world: World, contact: FlaskClient):
    """A correction to a time outside the window, or adding someone of another organisation,
    is refused beside the field with nothing written?"""
    people = ids(app)
    record(contact, app, world)
    meeting = the_meeting(app)
    before = written(app)
    base = {"kind": "committee", "starts_at": "2026-11-30T15:00", "place": "党员活动室",
            "topic": "研究发展党员工作", f"att_{people['c-author']}": "present",
            f"att_{people['c-here']}": "leave", f"reason_{people['c-here']}": "出差"}
    far = post(contact, f"/console/meetings/{meeting.id}", {**base,
                                                            "starts_at": "2027-03-01T09:00"})
    assert far.status_code == 400 and "starts_at" in field_errors(text(far))
    stranger = post(contact, f"/console/meetings/{meeting.id}",
                    {**base, f"att_{people['c-plain']}": "present"})
    assert field_errors(text(stranger)) == {
        "attendance": "党员戊不是华芯党支部的党员，不能登记为参会人员。"}
    assert written(app) == before


def test_the_record_locks_after_the_window(app: Flask, world: World, sandbox, travel):
    """MEETING_EDIT_DAYS after the meeting (or its record, whichever is later) the record is
    read-only with a word on why, and a correction is refused (403) with nothing written?"""
    contact = client_of(app, sandbox, world.contact_here)
    people = ids(app)
    record(contact, app, world)
    meeting = the_meeting(app)
    app.config["MEETING_EDIT_DAYS"] = "3"
    travel("2026-12-04 09:59")  # recorded 2026-12-01 10:00, held 11-30: three days from the 1st
    contact = client_of(app, sandbox, world.contact_here)
    assert 'id="meeting-form"' in text(contact.get(f"/console/meetings/{meeting.id}"))
    travel("2026-12-04 10:01")
    contact = client_of(app, sandbox, world.contact_here)
    page = text(contact.get(f"/console/meetings/{meeting.id}"))
    assert 'id="meeting-form"' not in page
    assert "这条会议记录已于12月4日 10:00锁定（会后或登记后3天内可修改），现在只能查看。" in page
    before = written(app)
    refused = post(contact, f"/console/meetings/{meeting.id}", {
        "kind": "lesson", "starts_at": "2026-11-30T15:00", "place": "别处", "topic": "改",
        f"att_{people['c-author']}": "absent"})
    assert refused.status_code == 403 and "锁定" in text(refused)
    assert written(app) == before and the_meeting(app).kind == "committee"
    listing = text(contact.get(f"/console/orgs/{world.org_here}/meetings?year=2026"))
    assert "已锁定" in listing


def test_edit_days_setting(app: Flask):
    """MEETING_EDIT_DAYS and MEETING_MAX_PHOTOS are read like the other meeting settings and
    a malformed one is refused?"""
    with app.app_context():
        assert meeting_settings().edit_days == 7
        app.config["MEETING_EDIT_DAYS"] = "14"
        assert meeting_settings().edit_days == 14
        app.config["MEETING_EDIT_DAYS"] = "-1"
        with pytest.raises(ValueError, match="MEETING_EDIT_DAYS"):
            meeting_settings()
        app.config["MEETING_EDIT_DAYS"] = "7"
        app.config["MEETING_MAX_PHOTOS"] = "99"
        with pytest.raises(ValueError, match="MEETING_MAX_PHOTOS"):
            meeting_settings()


def test_ledger_withdraw_and_move(app: Flask, make_member):
    """withdraw takes a participation and its totals back (None when there is none); move
    takes a source's rows to a new moment and, across a year, to the new year's totals?"""
    member = make_member("lw", "张三")
    occurred = datetime(2026, 12, 31, 12, tzinfo=UTC)  # 20:00 in Shanghai
    with app.app_context():
        ledger.record(member.id, "meeting", "meeting:7", occurred)
        assert ledger.move("meeting", "meeting:7", occurred + timedelta(hours=5)) == 1
        by_year = {t.year: t.count for t in db.session.scalars(select(ParticipationTotal))}
        assert by_year == {2026: 0, 2027: 1}
        assert ledger.withdraw(member.id, "meeting", "meeting:7") is not None
        assert ledger.withdraw(member.id, "meeting", "meeting:7") is None
        assert db.session.scalar(select(func.count(Participation.id))) == 0
        assert {t.year: (t.points, t.count) for t in
                db.session.scalars(select(ParticipationTotal))} == {2026: (0, 0), 2027: (0, 0)}


# -- the quarter view and the reminder ------------------------------------------------------


def cells(page: str, org_id: int) -> dict[str, tuple[str, bool]]:
    """The organisation's quarter cells: kind → (text, shown as missing)."""
    row = re.search(rf'<tr data-org="{org_id}">(.*?)</tr>', page, re.S)
    assert row, f"no row for organisation {org_id}"
    return {kind: (value, "missing" in classes) for classes, kind, value in re.findall(
        r'<td class="([^"]*)" data-kind="(\w+)">([^<]*)</td>', row.group(1))}


def test_quarter_view_fills_after_recording(app: Flask, world: World, contact: FlaskClient,
                                            sandbox):
    """A contact sees their organisation's required kinds, all short in red; a recorded 支委会
    moves its cell; an admin sees every organisation, and ?missing=1 the short ones?"""
    page = text(contact.get("/console/meetings"))
    assert "2026年第4季度三会一课" in page
    assert cells(page, world.org_here) == {"assembly": ("0/1", True), "committee": ("0/3", True),
                                           "group": ("0/3", True), "lesson": ("0/1", True)}
    assert f'data-org="{world.org_other}"' not in page and "meetings-remind" not in page
    record(contact, app, world)
    record(contact, app, world, key="second-form-key-0123456789", kind="assembly")
    page = text(contact.get("/console/meetings"))
    assert cells(page, world.org_here)["committee"] == ("1/3", True)
    assert cells(page, world.org_here)["assembly"] == ("1/1", False)
    assert "缺3项" in page
    older = text(contact.get("/console/meetings?quarter=2026-Q3"))
    assert cells(older, world.org_here)["committee"] == ("0/3", True)
    admin = client_of(app, sandbox, world.admin)
    everything = text(admin.get("/console/meetings"))
    assert f'data-org="{world.org_here}"' in everything
    assert f'data-org="{world.org_other}"' in everything and 'id="meetings-remind"' in everything
    found = text(admin.get("/console/meetings?q=远景"))
    assert f'data-org="{world.org_here}"' not in found and f'data-org="{world.org_other}"' in found
    app.config["MEETING_REQUIREMENTS"] = "committee=none,group=none,lesson=none"
    short = text(admin.get("/console/meetings?missing=1"))
    assert f'data-org="{world.org_here}"' not in short and f'data-org="{world.org_other}"' in short


def test_quarter_view_pages_organisations(app: Flask, world: World, sandbox):
    """An admin's quarter view of many organisations comes in pages?"""
    from roster.manage import ensure_organization

    with app.app_context():
        for index in range(35):
            ensure_organization(f"测试第{index:02d}党支部")
        db.session.commit()
    admin = client_of(app, sandbox, world.admin)
    first = text(admin.get("/console/meetings"))
    assert len(re.findall(r'<tr data-org="', first)) == 30 and "下一页" in first
    second = text(admin.get("/console/meetings?page=2"))
    assert len(re.findall(r'<tr data-org="', second)) > 0


def test_remind_runs_the_quarterly_reminder(app: Flask, world: World, sandbox, travel):
    """提醒 reminds each contact of a short organisation once a quarter and says how many;
    again: none; at night: nothing sent, said so; contacts may not (403)?"""
    admin = client_of(app, sandbox, world.admin)
    answer = post(admin, "/console/meetings/remind")
    assert answer.status_code == 303
    assert "已提醒 2 名书记/联络员。" in text(admin.get(answer.headers["Location"]))
    with app.app_context():
        assert sorted(db.session.scalars(select(Nudge.period))) == ["2026-Q4", "2026-Q4"]
        sent = sorted(db.session.scalars(select(OutboundMessage.touser).where(
            OutboundMessage.source_key.like("meeting-reminder:%"))))
    assert sent == ["c-here", "c-other"]
    [entry] = audits(app, "meeting.remind")
    assert entry.actor == world.admin and entry.detail == {"reminded": 2}
    again = post(admin, "/console/meetings/remind")
    assert "没有需要提醒的人" in text(admin.get(again.headers["Location"]))
    travel("2026-12-01 22:00")
    admin = client_of(app, sandbox, world.admin)
    night = post(admin, "/console/meetings/remind")
    assert "现在是免打扰时段（21:00–08:00）" in text(admin.get(night.headers["Location"]))
    contact = client_of(app, sandbox, world.contact_here)
    before = written(app)
    assert post(contact, "/console/meetings/remind").status_code == 403
    assert written(app) == before


def test_remind_before_the_reminder_day(app: Flask, world: World, sandbox, travel):
    """Before the quarter's reminder day 提醒 sends nothing and says from when?"""
    travel("2026-10-10 10:00")
    admin = client_of(app, sandbox, world.admin)
    answer = post(admin, "/console/meetings/remind")
    assert "本季度第61天起才发送提醒（今天是第10天）" in text(admin.get(answer.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(select(func.count(Nudge.id))) == 0


# -- the 台账 -------------------------------------------------------------------------------


def test_the_yearly_record_book_docx(app: Flask, world: World, contact: FlaskClient):
    """The organisation's list offers the year's 台账; the .docx opens with python-docx and
    holds the meeting in order: kind, time, place, topic, attendance with the reasons, the
    minutes and the photo embedded; audited?"""
    record(contact, app, world)
    record(contact, app, world, key="second-form-key-0123456789", kind="lesson",
           starts_at="2026-11-02T09:00", topic="党课：红色家书", photos=None)
    listing = text(contact.get(f"/console/orgs/{world.org_here}/meetings"))
    assert f"/console/orgs/{world.org_here}/meetings/2026.docx" in listing
    assert listing.index("党课：红色家书") < listing.index("研究发展党员工作")
    answer = contact.get(f"/console/orgs/{world.org_here}/meetings/2026.docx")
    assert answer.status_code == 200
    assert answer.mimetype.endswith("wordprocessingml.document")
    disposition = answer.headers["Content-Disposition"]
    assert "attachment" in disposition and "filename*=UTF-8''" in disposition
    assert disposition.isascii()  # a real server sends headers as latin-1: no raw Chinese
    document = Document(io.BytesIO(answer.data))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "华芯党支部三会一课台账" in body and "共 2 次会议" in body
    assert body.index("1. 党课：党课：红色家书") < body.index("2. 支委会：研究发展党员工作")
    for line in ("会议类型：支委会", "会议时间：2026-11-30 15:00", "会议地点：党员活动室",
                 "会议主题：研究发展党员工作", "记录人：联络员甲",
                 "参会情况：应到2人，出席1人，请假1人，缺席0人", "出席人员：党员丁",
                 "请假人员：联络员甲（出差）", "缺席人员：无", "一、通报情况", "二、讨论",
                 "会议照片：1"):
        assert line in body, line
    assert len(document.inline_shapes) == 1
    [entry] = audits(app, "meeting.export")
    assert entry.detail == {"year": 2026, "meetings": 2}
    empty = Document(io.BytesIO(contact.get(
        f"/console/orgs/{world.org_here}/meetings/2025.docx").data))
    assert "这一年没有会议记录。" in "\n".join(p.text for p in empty.paragraphs)


def test_chat_meetings_in_the_ledger(app: Flask, world: World, contact: FlaskClient):
    """A meeting recorded as the chat records it (no place, no absences listed) reads
    未登记 for those absent, and opens in the console?"""
    with app.app_context():
        recorder = db.session.scalars(select(Member).where(Member.userid == "c-here")).one()
        from models import Organization

        organization = db.session.get(Organization, world.org_here)
        meeting = recording.record_meeting(
            recorder, organization, "group", datetime(2026, 11, 20, 2, tzinfo=UTC), "党小组学习",
            [ids(app)["c-author"]], datetime(2026, 11, 20, 3, tzinfo=UTC))
        meeting_id = meeting.id
        db.session.commit()
    document = Document(io.BytesIO(contact.get(
        f"/console/orgs/{world.org_here}/meetings/2026.docx").data))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "缺席人员：未登记" in body and "出席1人，请假0人（缺席未登记）" in body
    page = text(contact.get(f"/console/meetings/{meeting_id}"))
    assert 'id="meeting-locked"' in page  # recorded on 11-20: locked since 11-27
    assert "出席1人，请假0人（缺席未登记）" in page


# -- scope ---------------------------------------------------------------------------------


def test_a_contact_of_another_organisation_sees_nothing(app: Flask, world: World,
                                                        contact: FlaskClient, sandbox):
    """远景's contact gets 404 on every page and action of 华芯's meetings, nothing written,
    and does not see 华芯 in the quarter view?"""
    record(contact, app, world)
    meeting = the_meeting(app)
    other = client_of(app, sandbox, world.contact_other)
    for path in (f"/console/orgs/{world.org_here}/meetings",
                 f"/console/orgs/{world.org_here}/meetings/new",
                 f"/console/orgs/{world.org_here}/meetings/2026.docx",
                 f"/console/meetings/{meeting.id}", f"/console/meetings/{meeting.id}/photos/1"):
        assert other.get(path).status_code == 404, path
    before = written(app)
    assert post(other, f"/console/orgs/{world.org_here}/meetings/new",
                valid_form(app, key="other-form-key-0123456789")).status_code == 404
    assert post(other, f"/console/meetings/{meeting.id}", {
        "kind": "lesson", "starts_at": "2026-11-30T15:00", "place": "x", "topic": "y",
        f"att_{ids(app)['c-author']}": "absent"}).status_code == 404
    assert written(app) == before and the_meeting(app).kind == "committee"
    page = text(other.get("/console/meetings"))
    assert f'data-org="{world.org_here}"' not in page and f'data-org="{world.org_other}"' in page
    own = other.get(f"/console/orgs/{world.org_other}/meetings")
    assert own.status_code == 200 and "研究发展党员工作" not in text(own)
