"""观影与宣讲 in the console: a contact records a screening for their organisation (a code, once
per form), an admin a committee lecture with an outside speaker and audience organisations
(whose contacts are told), each problem beside its field with nothing written; contacts kept
to their own (404 for another's, 403 for the committee's), 代签 by list on the activity's 签到
page, guests, correction and cancelling audited."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from content import activity_texts as at
from content import checkin_page_texts as kt
from models import (
    Activity,
    ActivityKind,
    AuditEntry,
    CheckIn,
    OutboundMessage,
    Participation,
    db,
)
from tests.activities.activities_helpers import NOW, add_activity, add_films, org_id, present
from tests.console_helpers import login_as, post

HUAXIN, YUANJING = "华芯党支部", "远景党支部"
ERROR = re.compile(r'<span class="field-error" id="error-(\w+)">([^<]*)</span>')
KEY = re.compile(r'name="form_key" value="([^"]+)"')


@pytest.fixture
def world(app: Flask, make_member, travel) -> dict[str, Any]:
    """At NOW: 华芯 (contact 李娜, members 张三 and 李四), 远景 (contact 陈静, member 王五), an
    admin; the library's two films and an article."""
    travel(NOW)
    make_member("lina", "李娜", org=HUAXIN, roles=("contact",))
    make_member("zhangsan", "张三", org=HUAXIN)
    make_member("lisi", "李四", org=HUAXIN)
    make_member("chenjing", "陈静", org=YUANJING, roles=("contact",))
    make_member("wangwu", "王五", org=YUANJING)
    make_member("admin1", "管理员", org=None, roles=("admin",))
    films = add_films(app)
    return {"films": films, "huaxin": org_id(app, HUAXIN), "yuanjing": org_id(app, YUANJING)}


def logged_in(app: Flask, sandbox, userid: str) -> FlaskClient:
    """A console client logged in through WeCom web login."""
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def errors_of(response: Any) -> dict[str, str]:
    """The field errors a refused form shows beside its fields."""
    return {name: html.unescape(text) for name, text in ERROR.findall(
        response.get_data(as_text=True))}


def form_key(client: FlaskClient, kind: str = "screening") -> str:
    """The one-time key of a fresh 登记 form."""
    page = client.get(f"/console/activities/new?kind={kind}")
    assert page.status_code == 200
    return KEY.search(page.get_data(as_text=True)).group(1)


def activities(app: Flask) -> list[Activity]:
    """Every activity, oldest first (detached)."""
    with app.app_context():
        rows = db.session.scalars(select(Activity).order_by(Activity.id)).all()
        for row in rows:
            _ = row.audience
        db.session.expunge_all()
        return list(rows)


def audits(app: Flask, action: str) -> list[AuditEntry]:
    """The audit rows of one action, oldest first (detached)."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                  .order_by(AuditEntry.id)).all()
        db.session.expunge_all()
        return list(rows)


def screening_form(world: dict[str, Any], **typed: Any) -> dict[str, Any]:
    """A valid 登记教育片观看 form for 华芯, changed by `typed`."""
    return {"kind": "screening", "organization": world["huaxin"],
            "film": world["films"]["shoudaoren"], "starts_at": "2026-12-01T14:00",
            "ends_at": "", "place": "三楼会议室", "notes": "", **typed}


def lecture_form(world: dict[str, Any], **typed: Any) -> dict[str, Any]:
    """A valid 登记党委宣讲 form for 华芯's and 远景's members, changed by `typed`."""
    return {"kind": "lecture", "title": "伟大建党精神", "speaker": "江南大学马克思主义学院 周教授",
            "speaker_member": "", "audience": [world["huaxin"], world["yuanjing"]],
            "starts_at": "2026-12-03T14:30", "ends_at": "2026-12-03T16:00",
            "place": "区委党校报告厅", "notes": "", **typed}


def test_contact_records_a_screening_once(app: Flask, sandbox, world):
    """Does a contact's form record one screening of 华芯 with a code (audited), show it on its
    page, and does the same form posted again write nothing more?"""
    contact = logged_in(app, sandbox, "lina")
    key = form_key(contact)
    response = post(contact, "/console/activities/new", {**screening_form(world), "form_key": key})
    assert response.status_code == 303
    [activity] = activities(app)
    assert (activity.kind, activity.title, activity.organization_id, activity.place,
            activity.created_by, activity.form_key) == (
        ActivityKind.SCREENING, "守岛人", world["huaxin"], "三楼会议室", "lina", key)
    assert re.fullmatch(r"\d{6}", activity.checkin_code)
    assert (activity.ends_at - activity.starts_at).total_seconds() == 110 * 60  # the film's
    assert response.headers["Location"].endswith(f"/console/activities/{activity.id}")
    page = contact.get(f"/console/activities/{activity.id}").get_data(as_text=True)
    assert activity.checkin_code in page and "教育片观看《守岛人》" in page
    again = post(contact, "/console/activities/new", {**screening_form(world), "form_key": key})
    assert again.status_code == 303 and len(activities(app)) == 1
    [entry] = audits(app, "activity.create")
    assert (entry.actor, entry.target) == ("lina", f"activity:{activity.id}")


@pytest.mark.parametrize(("typed", "field", "text"), [
    ({"film": "article"}, "film", at.ERRORS["not_film"].format(title="党章学习")),
    ({"film": ""}, "film", at.ERRORS["no_film"]),
    ({"organization": "999999"}, "organization",
     at.ERRORS["unknown_organization"].format(value=999999)),
    ({"organization": "yuanjing"}, "organization",
     at.ERRORS["not_yours"].format(organization=YUANJING)),
    ({"starts_at": "2026-11-29T14:00"}, "starts_at",
     at.ERRORS["too_past"].format(limit="2026-11-30 10:00")),
    ({"starts_at": "下午两点"}, "starts_at", at.ERRORS["bad_time"]),
    ({"ends_at": "2026-12-01T13:00"}, "ends_at", at.ERRORS["bad_end"]),
    ({"place": "很" * 101}, "place", at.ERRORS["place_too_long"].format(limit=100)),
])
def test_bad_screening_input_is_refused_beside_its_field(app: Flask, sandbox, world,
                                                         typed: dict[str, str], field: str,
                                                         text: str):
    """Is each bad field refused beside itself (400), with nothing written?"""
    values = dict(typed)
    if values.get("film") == "article":
        values["film"] = world["films"]["dangzhang"]
    if values.get("organization") == "yuanjing":
        values["organization"] = world["yuanjing"]
    contact = logged_in(app, sandbox, "lina")
    response = post(contact, "/console/activities/new",
                    {**screening_form(world, **values), "form_key": form_key(contact)})
    assert response.status_code == 400
    assert errors_of(response)[field] == text
    assert activities(app) == [] and audits(app, "activity.create") == []


def test_admin_records_a_committee_lecture_and_the_audience_is_told(app: Flask, sandbox, world):
    """Does an admin's lecture with an outside speaker keep its audience and code, and do both
    audience organisations' contacts get the notice with time, place and code?"""
    admin = logged_in(app, sandbox, "admin1")
    response = post(admin, "/console/activities/new",
                    {**lecture_form(world), "form_key": form_key(admin, "lecture")})
    assert response.status_code == 303
    [lecture] = activities(app)
    assert (lecture.kind, lecture.organization_id, lecture.speaker, lecture.speaker_member_id,
            sorted(a.organization_id for a in lecture.audience)) == (
        ActivityKind.LECTURE, None, "江南大学马克思主义学院 周教授", None,
        sorted([world["huaxin"], world["yuanjing"]]))
    with app.app_context():
        notices = {m.touser: m.payload["text"]["content"]
                   for m in db.session.scalars(select(OutboundMessage))
                   if m.payload.get("msgtype") == "text"}
    assert set(notices) == {"lina", "chenjing"}
    assert lecture.checkin_code in notices["lina"] and "区委党校报告厅" in notices["lina"]
    assert "12月3日（周四）14:30" in notices["chenjing"]


@pytest.mark.parametrize(("typed", "field", "reason"), [
    ({"speaker": "  "}, "speaker", "no_speaker"),
    ({"title": ""}, "title", "no_title"),
    ({"audience": []}, "audience", "no_audience"),
    ({"speaker_member": "nobody"}, "speaker_member", "unknown_speaker"),
])
def test_bad_lecture_input_is_refused(app: Flask, sandbox, world, typed: dict[str, Any],
                                      field: str, reason: str):
    """Is an empty speaker or title, no audience or an unknown roster speaker refused?"""
    admin = logged_in(app, sandbox, "admin1")
    response = post(admin, "/console/activities/new",
                    {**lecture_form(world, **typed), "form_key": form_key(admin, "lecture")})
    assert response.status_code == 400
    assert errors_of(response)[field] == at.ERRORS[reason].format(value="nobody")
    assert activities(app) == []


def test_contacts_are_kept_to_their_own(app: Flask, sandbox, world):
    """A contact sees their screenings and the lectures they are audience of; another's
    screening and a lecture for others look missing (404); a lecture is not theirs to record,
    correct or run check-in for (403); nothing is written."""
    mine = add_activity(app, ActivityKind.SCREENING, "111111", world["huaxin"])
    theirs = add_activity(app, ActivityKind.SCREENING, "222222", world["yuanjing"],
                          title="1921")
    lecture = add_activity(app, ActivityKind.LECTURE, "333333", None,
                           audience=(world["huaxin"],), title="伟大建党精神", speaker="周教授")
    contact = logged_in(app, sandbox, "lina")
    listing = contact.get("/console/activities?year=2026").get_data(as_text=True)
    assert f'data-activity="{mine}"' in listing and f'data-activity="{lecture}"' in listing
    assert f'data-activity="{theirs}"' not in listing
    assert contact.get(f"/console/activities/{theirs}").status_code == 404
    assert post(contact, f"/console/activities/{theirs}/cancel").status_code == 404
    assert post(contact, f"/console/checkins/activity/{theirs}/close").status_code == 404
    assert contact.get(f"/console/activities/{lecture}").status_code == 200
    assert post(contact, f"/console/activities/{lecture}/edit",
                lecture_form(world)).status_code == 403
    assert contact.get(f"/console/checkins/activity/{lecture}").status_code == 403
    assert contact.get("/console/activities/new?kind=lecture").status_code == 403
    assert post(contact, "/console/activities/new",
                {**lecture_form(world), "form_key": "k" * 20}).status_code == 403
    other = logged_in(app, sandbox, "chenjing")
    assert other.get(f"/console/activities/{lecture}").status_code == 404
    assert other.get(f"/console/checkins/activity/{mine}").status_code == 404
    assert audits(app, "activity.edit") == audits(app, "activity.cancel") == []
    assert [a.cancelled_at for a in activities(app)] == [None] * 3


def test_list_filters_by_kind_and_year(app: Flask, sandbox, world):
    """Does ?kind= keep one kind and ?year= one committee year?"""
    screening = add_activity(app, ActivityKind.SCREENING, "111112", world["huaxin"])
    lecture = add_activity(app, ActivityKind.LECTURE, "333334", None,
                           audience=(world["huaxin"],), title="伟大建党精神", speaker="周教授")
    admin = logged_in(app, sandbox, "admin1")
    lectures = admin.get("/console/activities?kind=lecture&year=2026").get_data(as_text=True)
    assert f'data-activity="{lecture}"' in lectures
    assert f'data-activity="{screening}"' not in lectures
    assert 'data-activity="' not in admin.get("/console/activities?year=2025").get_data(
        as_text=True)


def test_proxy_by_list_on_the_activity_checkin_page(app: Flask, sandbox, world):
    """On the screening's 签到 page (its kind named, 华芯's members expected), does the
    contact's 代签 of a ticked member and a typed name check both in (audited, proxy
    recorded), while 远景's member typed is refused beside the names and nothing written?"""
    ident = add_activity(app, ActivityKind.SCREENING, "444444", world["huaxin"])
    contact = logged_in(app, sandbox, "lina")
    page = contact.get(f"/console/checkins/activity/{ident}").get_data(as_text=True)
    assert f"{kt.ACTIVITY_KIND}：{kt.ACTIVITY_KINDS['screening']}" in page
    assert 'id="expected-count">3<' in page  # 李娜, 张三, 李四
    assert f'href="/console/activities/{ident}"' in page
    member_id = re.search(r'name="member" value="(\d+)"> 张三', page).group(1)
    key = KEY.search(page).group(1)
    refused = post(contact, f"/console/checkins/activity/{ident}/proxy",
                   {"form_key": key, "member": member_id, "names": "王五"})
    assert refused.status_code == 400
    assert errors_of(refused)["names"] == kt.ERRORS["outside"].format(
        name="王五", organization=HUAXIN) + "。"
    assert present(app, ident) == []
    done = post(contact, f"/console/checkins/activity/{ident}/proxy",
                {"form_key": key, "member": member_id, "names": "李四"})
    assert done.status_code == 303
    assert present(app, ident) == ["zhangsan", "lisi"]
    with app.app_context():
        proxies = db.session.scalars(select(CheckIn.proxy_id).where(
            CheckIn.activity_id == ident)).all()
        kinds = db.session.scalars(select(Participation.kind)).all()
    assert len(set(proxies)) == 1 and None not in proxies
    assert kinds == ["screening", "screening"]
    [entry] = audits(app, "checkin.proxy")
    assert entry.target == f"activity:{ident}"


def test_guests_correction_and_cancelling(app: Flask, sandbox, world):
    """Are the guests counted (audited; a bad count refused), a correction audited with before
    and after, a screening somebody checked in to kept from cancelling, and one nobody did
    cancelled (audited), its 签到 page then saying so?"""
    held = add_activity(app, ActivityKind.SCREENING, "555555", world["huaxin"])
    empty = add_activity(app, ActivityKind.SCREENING, "666666", world["huaxin"], title="1921")
    contact = logged_in(app, sandbox, "lina")
    assert post(contact, f"/console/activities/{held}/guests", {"guests": "12"}).status_code == 303
    bad = post(contact, f"/console/activities/{held}/guests", {"guests": "十二"})
    assert bad.status_code == 400
    assert errors_of(bad)["guests"] == at.ERRORS["bad_guests"].format(limit=100_000)
    [entry] = audits(app, "activity.guests")
    assert (entry.detail["before"], entry.detail["after"]) == (0, 12)
    edit = {"film": world["films"]["film-1921"], "starts_at": "2026-12-01T09:50",
            "ends_at": "2026-12-01T11:50", "place": "职工之家", "notes": ""}
    assert post(contact, f"/console/activities/{held}/edit", edit).status_code == 303
    [changed] = audits(app, "activity.edit")
    assert (changed.detail["before"]["place"], changed.detail["after"]["place"],
            changed.detail["after"]["title"]) == ("", "职工之家", "1921")
    proxied = post(contact, f"/console/checkins/activity/{held}/proxy",
                   {"form_key": "p" * 20, "names": "张三"})
    assert proxied.status_code == 303
    kept = post(contact, f"/console/activities/{held}/cancel")
    assert kept.status_code == 303
    assert [a.cancelled_at for a in activities(app)] == [None, None]
    assert post(contact, f"/console/activities/{empty}/cancel").status_code == 303
    assert activities(app)[1].cancelled_at is not None
    assert len(audits(app, "activity.cancel")) == 1
    page = contact.get(f"/console/checkins/activity/{empty}").get_data(as_text=True)
    assert kt.CANCELLED_HINT in page and kt.STATE_NAMES["cancelled"] in page


def test_admin_corrects_a_lecture_and_the_audience_is_told(app: Flask, sandbox, world):
    """Does an admin's correction of a lecture's time, place and audience keep the audience
    rows in step (audited with before and after) and tell the new audience's contacts?"""
    lecture = add_activity(app, ActivityKind.LECTURE, "777777", None,
                           audience=(world["huaxin"],), title="伟大建党精神", speaker="周教授")
    admin = logged_in(app, sandbox, "admin1")
    response = post(admin, f"/console/activities/{lecture}/edit", lecture_form(
        world, audience=[world["yuanjing"]], place="科创中心会议厅"))
    assert response.status_code == 303
    [activity] = activities(app)
    assert [a.organization_id for a in activity.audience] == [world["yuanjing"]]
    assert activity.place == "科创中心会议厅" and activity.speaker.endswith("周教授")
    [entry] = audits(app, "activity.edit")
    assert (entry.detail["before"]["audience"], entry.detail["after"]["audience"]) == (
        [world["huaxin"]], [world["yuanjing"]])
    with app.app_context():
        told = [m.touser for m in db.session.scalars(select(OutboundMessage))]
    assert told == ["chenjing"]
    same = post(admin, f"/console/activities/{lecture}/edit", lecture_form(
        world, audience=[world["yuanjing"]], place="科创中心会议厅"))
    assert same.status_code == 303 and len(audits(app, "activity.edit")) == 1
