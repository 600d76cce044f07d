"""签到 in the console: a lecture's and a meeting's check-in (opened for a meeting recorded by
list), its QR code as PNG, PDF and on the projector page, a member scanning in the sandbox and
the live list's JSON then naming them, 代签 and 请假 (each wrong field beside it, nothing
written; a double submit writes once; a console account recorded as the proxy), 结束签到 then
a scan refused with the chat's closed answer, and contacts kept to their own organisations."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from content import checkin_page_texts as kt
from content import checkin_texts
from content.texts import local_time
from models import (
    AuditEntry,
    CheckIn,
    Lecture,
    Member,
    OrgMeeting,
    Participation,
    db,
)
from tests.checkins.checkin_helpers import (
    LECTURE_CODE,
    MEETING_CODE,
    NOW,
    make_checkins,
    scan,
)
from tests.console_helpers import local_login, login_as, make_account, post
from tests.helpers import written

KEY = "checkin-form-key-0123456789"
ERROR = re.compile(r'<span class="field-error" id="error-(\w+)">([^<]*)</span>')


@pytest.fixture
def world(app: Flask, make_member, travel) -> dict[str, Any]:
    """At NOW (10:00 that morning): make_checkins."""
    travel(NOW)
    return make_checkins(app, make_member)


def logged_in(app: Flask, sandbox, userid: str) -> FlaskClient:
    """A console client logged in through WeCom web login."""
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def rows(app: Flask) -> list[tuple[str, str | None, str | None, str | None, str | None, str]]:
    """(userid, lecture/meeting, status, proxy userid, proxy actor, reason) of every check-in."""
    with app.app_context():
        found = db.session.scalars(select(CheckIn).order_by(CheckIn.id)).all()
        return [(r.member.userid, f"L{r.lecture_id}" if r.lecture_id else f"M{r.meeting_id}",
                 r.status, r.proxy.userid if r.proxy else None, r.proxy_actor, r.reason)
                for r in found]


def audits(app: Flask, action: str) -> list[AuditEntry]:
    """The audit rows of one action, oldest first."""
    with app.app_context():
        found = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                   .order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        return list(found)


def errors_of(response: Any) -> dict[str, str]:
    """The field errors a refused form shows beside its fields."""
    return {name: html.unescape(text) for name, text in ERROR.findall(
        response.get_data(as_text=True))}


def text_of(response: Any) -> str:
    """The page's text, entities unescaped."""
    return html.unescape(response.get_data(as_text=True))


def test_lecture_checkin_page_qr_png_pdf_and_screen(app: Flask, world, sandbox):
    """Does an admin find the lecture in 签到, see its code, QR content and window, and get a
    PNG, a printable PDF and the projector page with the QR code drawn large?"""
    client = logged_in(app, sandbox, world["base"].admin)
    listing = text_of(client.get("/console/checkins"))
    assert "宣讲《新时代的伟大变革》" in listing and "支部党员大会《学习贯彻全会精神》" in listing
    assert "远景支委会" in listing  # admins see every organisation's
    page = client.get(f"/console/checkins/lecture/{world['lecture']}")
    body = text_of(page)
    assert page.status_code == 200
    assert LECTURE_CODE in body and f"pioneer-checkin:L{world['lecture']}:{LECTURE_CODE}" in body
    assert "签到中" in body and "2026-12-01 09:20 至 2026-12-01 11:50" in body
    png = client.get(f"/console/checkins/lecture/{world['lecture']}/qr.png?download=1")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert "attachment" in png.headers["Content-Disposition"]
    assert f"checkin-lecture-{world['lecture']}-{LECTURE_CODE}.png" in png.headers[
        "Content-Disposition"]
    pdf = client.get(f"/console/checkins/lecture/{world['lecture']}/qr.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF-") and b"%%EOF" in pdf.data[-32:]
    screen = client.get(f"/console/checkins/lecture/{world['lecture']}/screen")
    shown = text_of(screen)
    assert screen.status_code == 200 and "<svg viewBox=" in shown and LECTURE_CODE in shown
    assert 'class="top"' not in shown  # no console header on the projector
    assert "已签到 0 人 · 请假 0 人" in shown


def test_a_scan_in_the_sandbox_shows_in_the_live_json(app: Flask, world, sandbox, sim):
    """A member scans the lecture's QR code from the chat's menu: does the live list's JSON
    then name them, with the count, while the page's own list matches?"""
    client = logged_in(app, sandbox, world["base"].admin)
    url = f"/console/checkins/lecture/{world['lecture']}/live.json"
    empty = client.get(url).get_json()
    assert empty["present"] == 0 and empty["rows"] == [] and empty["state"] == "open"
    content = f"pioneer-checkin:L{world['lecture']}:{LECTURE_CODE}"
    assert "签到成功" in scan(sim, "c-author", content).text
    data = client.get(url).get_json()
    assert data["present"] == 1 and data["leave"] == 0
    assert data["count_text"] == "已签到 1 人 · 请假 0 人"
    [row] = data["rows"]
    assert row["name"] == "党员丁" and row["userid"] == "c-author"
    assert row["organization"] == "华芯党支部" and row["status_text"] == "已签到"
    assert row["by"] == "" and row["time"].startswith("2026-12-01 10:0")
    assert data["latest"] == ["党员丁"]
    page = text_of(client.get(f"/console/checkins/lecture/{world['lecture']}"))
    assert 'data-userid="c-author"' in page


def test_a_contact_opens_the_check_in_of_a_meeting_recorded_by_list(app: Flask, world,
                                                                       sandbox, sim):
    """Does 开启签到 give the meeting a code (audited, before and after), its QR then check a
    member in, and opening it twice say it is open already with nothing written?"""
    client = logged_in(app, sandbox, world["base"].contact_here)
    address = f"/console/checkins/meeting/{world['listed']}"
    assert client.get(f"{address}/qr.png").status_code == 404  # no code yet
    assert kt.NO_CODE_HINT in text_of(client.get(address))
    opened = post(client, f"{address}/open", follow_redirects=True)
    with app.app_context():
        code = db.session.get(OrgMeeting, world["listed"]).checkin_code
    assert code and kt.OPENED.format(code=code) in text_of(opened)
    [entry] = audits(app, "checkin.open")
    assert entry.actor == "c-here" and entry.target == f"meeting:{world['listed']}"
    assert entry.detail["before"] == {"code": None, "closed_at": None}
    assert entry.detail["after"] == {"code": code, "closed_at": None}
    before = written(app)
    again = post(client, f"{address}/open", follow_redirects=True)
    assert kt.ERRORS["already_open"] in text_of(again)
    assert written(app) == before
    reply = scan(sim, "c-third", f"pioneer-checkin:M{world['listed']}:{code}").text
    assert "签到成功" in reply and "主题党日《主题党日：走访社区》" in reply
    assert client.get(f"{address}/live.json").get_json()["rows"][0]["userid"] == "c-third"


def test_proxy_and_leave_by_a_contact(app: Flask, world, sandbox):
    """A contact ticks a roster member and types another's name for 代签, and enters a leave:
    are the rows flagged with the contact, the 代签 credited in the ledger and the leave not,
    both audited, and both shown in the live list?"""
    client = logged_in(app, sandbox, world["base"].contact_here)
    address = f"/console/checkins/meeting/{world['meeting']}"
    page = text_of(client.get(address))
    assert "党员丁" in page and "党员丙" in page and "党员戊" not in page  # 华芯's roster only
    with app.app_context():
        author = db.session.get(Member, world["base"].author_id)
        author_id = author.id
    done = post(client, f"{address}/proxy", {"form_key": KEY, "member": str(author_id),
                                             "names": "联络员甲"}, follow_redirects=True)
    assert kt.PROXY_DONE.format(count=2, names="党员丁、联络员甲") in text_of(done)
    leave = post(client, f"{address}/leave", {"form_key": KEY + "x", "who": "党员丙",
                                              "reason": "出差在外地"}, follow_redirects=True)
    assert kt.LEAVE_DONE.format(name="党员丙", reason="出差在外地") in text_of(leave)
    meeting = f"M{world['meeting']}"
    assert rows(app) == [("c-author", meeting, "present", "c-here", None, ""),
                         ("c-here", meeting, "present", "c-here", None, ""),
                         ("c-third", meeting, "leave", "c-here", None, "出差在外地")]
    with app.app_context():
        ledger = db.session.execute(select(Member.userid, Participation.details).join(
            Member, Member.id == Participation.member_id).order_by(Participation.id)).all()
    assert [tuple(r) for r in ledger] == [("c-author", {"proxy": "c-here"}),
                                          ("c-here", {"proxy": "c-here"})]
    [proxy_entry] = audits(app, "checkin.proxy")
    assert proxy_entry.actor == "c-here" and proxy_entry.target == f"meeting:{world['meeting']}"
    assert [m["userid"] for m in proxy_entry.detail["members"]] == ["c-author", "c-here"]
    assert proxy_entry.detail["members"][0] == {"userid": "c-author", "before": None,
                                                "after": "present"}
    [leave_entry] = audits(app, "checkin.leave")
    assert leave_entry.detail["member"] == "c-third"
    assert leave_entry.detail["after"] == {"status": "leave", "reason": "出差在外地"}
    data = client.get(f"{address}/live.json").get_json()
    assert (data["present"], data["leave"]) == (2, 1)
    assert [(r["name"], r["status_text"], r["by"], r["reason"]) for r in data["rows"]] == [
        ("党员丁", "已签到", "联络员甲代签", ""), ("联络员甲", "已签到", "联络员甲代签", ""),
        ("党员丙", "请假", "联络员甲登记", "出差在外地")]


def test_a_double_submit_checks_in_once(app: Flask, world, sandbox):
    """The same 代签 form sent twice: one row and one ledger line, the second answered 已签到?"""
    client = logged_in(app, sandbox, world["base"].admin)
    address = f"/console/checkins/lecture/{world['lecture']}/proxy"
    post(client, address, {"form_key": KEY, "names": "c-author"})
    before = written(app)
    again = post(client, address, {"form_key": KEY, "names": "c-author"}, follow_redirects=True)
    assert kt.PROXY_ALREADY.format(names="党员丁") in text_of(again)
    assert written(app) == before
    assert rows(app) == [("c-author", f"L{world['lecture']}", "present", "c-admin", None, "")]


def test_a_console_account_is_recorded_as_the_proxy(app: Flask, world):
    """A local admin account (no member): is it recorded as the proxy by name, in the row, the
    ledger and the list?"""
    make_account(app)
    client = app.test_client()
    assert local_login(client).status_code == 303
    address = f"/console/checkins/lecture/{world['lecture']}"
    post(client, f"{address}/proxy", {"form_key": KEY, "names": "党员丁"})
    assert rows(app) == [("c-author", f"L{world['lecture']}", "present", None,
                          "console:root-admin", "")]
    with app.app_context():
        assert db.session.scalar(select(Participation.details)) == {
            "proxy": "console:root-admin"}
    assert client.get(f"{address}/live.json").get_json()["rows"][0]["by"] == "root-admin代签"


@pytest.mark.parametrize(("form", "expected"), [
    ({}, {"names": kt.ERRORS["none_chosen"]}),
    ({"names": "查无此人"}, {"names": "名册中没有“查无此人”。"}),
    ({"names": "党员戊"}, {"names": "党员戊不是华芯党支部的党员。"}),  # 远景's
    ({"names": "c-left"}, {"names": "已离开己的账号已停用。"}),
    ({"member": "99999", "names": "党员丁 查无此人"},
     {"members": "名册中没有“99999”。", "names": "名册中没有“查无此人”。"}),
    ({"names": " ".join(f"n{i}" for i in range(51))},
     {"names": kt.ERRORS["too_many"].format(limit=50)}),
])
def test_proxy_refusals_beside_their_field(app: Flask, world, sandbox, form, expected):
    """Nobody chosen, an unknown name, another organisation's member, one who left, an id not
    of the roster, too many: is each said beside its field, and nothing written?"""
    client = logged_in(app, sandbox, world["base"].contact_here)
    before = written(app)
    refused = post(client, f"/console/checkins/meeting/{world['meeting']}/proxy",
                   {"form_key": KEY, **form})
    assert refused.status_code == 400
    assert errors_of(refused) == expected
    assert written(app) == before


@pytest.mark.parametrize(("form", "expected"), [
    ({}, {"who": kt.ERRORS["who_missing"], "reason": kt.ERRORS["reason_missing"]}),
    ({"who": "党员丙 党员丁", "reason": "出差"}, {"who": kt.ERRORS["who_many"]}),
    ({"who": "党员丙", "reason": "长" * 201}, {"reason": "请假原因请控制在200字以内。"}),
    ({"who": "查无此人", "reason": "出差"}, {"who": "名册中没有“查无此人”。"}),
])
def test_leave_refusals_beside_their_field(app: Flask, world, sandbox, form, expected):
    """No one or no reason, two people, a reason too long, an unknown name: beside each field,
    nothing written?"""
    client = logged_in(app, sandbox, world["base"].contact_here)
    before = written(app)
    refused = post(client, f"/console/checkins/meeting/{world['meeting']}/leave",
                   {"form_key": KEY, **form})
    assert refused.status_code == 400
    assert errors_of(refused) == expected
    assert written(app) == before


def test_leave_refused_for_a_member_present_and_a_stale_form(app: Flask, world, sandbox, sim):
    """A member who checked in cannot be put on leave; a form without its key is refused;
    nothing written either time?"""
    client = logged_in(app, sandbox, world["base"].contact_here)
    scan(sim, "c-author", f"pioneer-checkin:M{world['meeting']}:{MEETING_CODE}")
    before = written(app)
    address = f"/console/checkins/meeting/{world['meeting']}/leave"
    refused = post(client, address, {"form_key": KEY, "who": "党员丁", "reason": "出差"})
    assert refused.status_code == 400
    assert errors_of(refused)["who"].startswith("党员丁已于2026-12-01 10:")
    stale = post(client, address, {"who": "党员丙", "reason": "出差"})
    assert stale.status_code == 400 and kt.ERRORS["form_expired"] in text_of(stale)
    assert written(app) == before


def test_close_then_a_scan_is_refused(app: Flask, world, sandbox, sim, send_text):
    """结束签到: audited with before and after; a scan and a typed code then get the closed
    answer and write nothing; 代签 is refused; 重新开启 lets the next member in?"""
    client = logged_in(app, sandbox, world["base"].admin)
    address = f"/console/checkins/lecture/{world['lecture']}"
    closed = post(client, f"{address}/close", follow_redirects=True)
    assert kt.CLOSED.format(time="2026-12-01 10:00") in text_of(closed)
    assert "已结束签到" in text_of(closed) and 'id="checkin-open"' in text_of(closed)
    [entry] = audits(app, "checkin.close")
    assert entry.actor == "c-admin" and entry.detail["before"] == {"closed_at": None}
    assert entry.detail["after"]["closed_at"].startswith("2026-12-01T02:00")
    before = written(app)
    reply = scan(sim, "c-author", f"pioneer-checkin:L{world['lecture']}:{LECTURE_CODE}").text
    with app.app_context():
        closed_at = db.session.get(Lecture, world["lecture"]).checkin_closed_at
    assert reply == checkin_texts.ERRORS["closed_early"].format(
        what="宣讲《新时代的伟大变革》", closes=local_time(closed_at))
    assert "无法再签到" in send_text("c-third", f"签到 {LECTURE_CODE}").text
    assert "无法再签到" in send_text("c-third", f"请假 {LECTURE_CODE} 出差").text
    refused = post(client, f"{address}/proxy", {"form_key": KEY, "names": "党员丁"})
    assert refused.status_code == 400 and "无法再签到" in text_of(refused)
    assert written(app)["check_ins"] == before["check_ins"] == 0
    assert client.get(f"{address}/live.json").get_json()["state"] == "closed"
    again = post(client, f"{address}/close", follow_redirects=True)
    assert "签到已于2026-12-01 10:00结束。" in text_of(again)
    reopened = post(client, f"{address}/open", follow_redirects=True)
    assert kt.REOPENED in text_of(reopened)
    assert audits(app, "checkin.open")[0].detail["after"]["closed_at"] is None
    assert "签到成功" in scan(sim, "c-author",
                              f"pioneer-checkin:L{world['lecture']}:{LECTURE_CODE}").text


def test_open_and_close_refused_once_the_window_passed(app: Flask, world, sandbox, travel):
    """After the window (two hours after the end): 开启 and 结束 are refused, nothing written."""
    travel("2026-12-01 14:00")
    client = logged_in(app, sandbox, world["base"].admin)
    before = written(app)
    listed = post(client, f"/console/checkins/meeting/{world['listed']}/open",
                  follow_redirects=True)
    assert "签到时间已过（2026-12-01 12:00截止），不能再开启。" in text_of(listed)
    ended = post(client, f"/console/checkins/meeting/{world['meeting']}/close",
                 follow_redirects=True)
    assert "签到时间已过（2026-12-01 12:00已自动截止），无需结束。" in text_of(ended)
    assert written(app)["audit_entries"] == before["audit_entries"]
    assert written(app)["org_meetings"] == before["org_meetings"]


def test_a_contact_of_another_organisation_gets_404_and_writes_nothing(app: Flask, world,
                                                                        sandbox):
    """远景's contact: is 华芯's meeting check-in missing on every route (404), a lecture's not
    theirs (403), nothing written, and their list without 华芯's meeting or any lecture?"""
    client = logged_in(app, sandbox, world["base"].contact_other)
    listing = text_of(client.get("/console/checkins"))
    assert "远景支委会" in listing
    assert "学习贯彻全会精神" not in listing and "宣讲《" not in listing
    before = written(app)
    meeting = f"/console/checkins/meeting/{world['meeting']}"
    for suffix in ("", "/live.json", "/screen", "/qr.png", "/qr.pdf"):
        assert client.get(meeting + suffix).status_code == 404, suffix
    forms = {"/proxy": {"form_key": KEY, "names": "党员丁"},
             "/leave": {"form_key": KEY, "who": "党员丁", "reason": "出差"},
             "/open": {}, "/close": {}}
    for suffix, form in forms.items():
        assert post(client, meeting + suffix, form).status_code == 404, suffix
    lecture = f"/console/checkins/lecture/{world['lecture']}"
    assert client.get(lecture).status_code == 403
    assert post(client, lecture + "/proxy", {"form_key": KEY, "names": "党员丁"}
                ).status_code == 403
    assert post(client, lecture + "/close").status_code == 403
    assert written(app) == before
    own = client.get(f"/console/checkins/meeting/{world['other_meeting']}")
    assert own.status_code == 200 and "975310" in text_of(own)


def test_the_list_filters_and_pages(app: Flask, world, sandbox, travel):
    """近期 leaves out what closed over a day ago, 全部 keeps it; the kind filter keeps one."""
    travel("2026-12-03 10:00")
    client = logged_in(app, sandbox, world["base"].admin)
    assert "学习贯彻全会精神" not in text_of(client.get("/console/checkins"))
    everything = text_of(client.get("/console/checkins?when=all"))
    assert "学习贯彻全会精神" in everything and "签到时间已过" in everything
    lectures = text_of(client.get("/console/checkins?when=all&kind=lecture"))
    assert "新时代的伟大变革" in lectures and "学习贯彻全会精神" not in lectures

