"""教育片观看 in chat: a contact's 组织观影 records a screening and gets its code (and the QR
image); members of the organisation check in by code and by scan, a member of another
organisation is refused like at a meeting, a cancelled screening refuses, and bad answers are
said and change nothing. A committee lecture takes any organisation's members."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from activities import records
from checkins import checkin
from content import activity_texts as at
from content import checkin_texts
from content.texts import NO_PERMISSION, ROLE_NAMES
from models import (
    Activity,
    ActivityKind,
    Material,
    Member,
    Organization,
    OutboundMessage,
    Participation,
    db,
    utcnow,
)
from roster.manage import grant_role
from tests.activities.activities_helpers import (
    NOW,
    add_activity,
    add_films,
    org_id,
    present,
    screening,
)
from tests.checkins.checkin_helpers import scan
from tests.helpers import written
from tests.pioneer.chat_roles import BOOKKEEPING

HUAXIN, YUANJING = "华芯党支部", "远景党支部"
CODE = re.compile(r"签到码：(\d{6})")


@pytest.fixture
def people(app: Flask, make_member, travel) -> dict[str, str]:
    """At NOW: a contact and two members of 华芯, a contact and a member of 远景, an admin;
    the library's films."""
    travel(NOW)
    make_member("lina", "李娜", org=HUAXIN, roles=("contact",))
    make_member("zhangsan", "张三", org=HUAXIN)
    make_member("lisi", "李四", org=HUAXIN)
    make_member("chenjing", "陈静", org=YUANJING, roles=("contact",))
    make_member("wangwu", "王五", org=YUANJING)
    make_member("admin1", "管理员", org=None, roles=("admin",))
    add_films(app)
    return {"huaxin": str(org_id(app, HUAXIN)), "yuanjing": str(org_id(app, YUANJING))}


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """The tables written between two counts, besides the message bookkeeping."""
    return {name for name in after if after[name] != before.get(name)} - BOOKKEEPING


def _film_index(reply: str, name: str) -> str:
    """The number the film list gives the film."""
    found = re.search(rf"(\d+)\. {name}（", reply)
    assert found, reply
    return found.group(1)


def test_contact_organizes_a_screening_and_members_check_in(app: Flask, sim, people, travel):
    """Does 组织观影 → film → time → place → 确认 save one screening with a code and send
    the QR image; do 华芯's members check in by code and by scan, each once with a
    participation, and is 远景's member refused as not of the organisation?"""
    reply = sim.text("lina", "组织观影").text
    assert "守岛人（110分钟）" in reply and "党章学习" not in reply  # films only
    reply = sim.text("lina", _film_index(reply, "守岛人")).text
    assert reply == at.ASK_TIME.format(film="《守岛人》", example="12月4日下午3点")  # 3 days on
    assert "12月1日（周二）14:00" in sim.text("lina", "今天下午2点").text
    before = written(app)
    reply = sim.text("lina", "三楼会议室").text
    assert "三楼会议室" in reply and "确认" in reply
    assert _changed(before, written(app)) == set()  # nothing before 确认
    reply = sim.text("lina", "确认").text
    code = CODE.search(reply).group(1)
    with app.app_context():
        [activity] = db.session.scalars(select(Activity)).all()
        assert (activity.kind, activity.title, activity.checkin_code, activity.place,
                activity.organization_id, activity.created_by) == (
            ActivityKind.SCREENING, "守岛人", code, "三楼会议室", int(people["huaxin"]), "lina")
        assert records.activity_number(activity) in reply
        ident = activity.id
        images = [m.payload["msgtype"] for m in db.session.scalars(select(OutboundMessage).where(
            OutboundMessage.touser == "lina",
            OutboundMessage.source_key == f"checkin-qr:activity:{ident}"))]
    assert images == ["image"]  # the printable QR code, after the commit

    travel("2026-12-01 14:05")
    reply = sim.text("zhangsan", f"签到 {code}").text
    assert reply.startswith("签到成功！教育片观看《守岛人》")
    assert scan(sim, "lisi", f"pioneer-checkin:A{ident}:{code}").text.startswith("签到成功！")
    assert sim.text("zhangsan", f"签到 {code}").text.startswith("您已于")
    refused = sim.text("wangwu", f"签到 {code}").text
    assert refused == checkin_texts.ERRORS["not_in_org_activity"].format(
        what="教育片观看《守岛人》", organization=HUAXIN)
    assert present(app, ident) == ["zhangsan", "lisi"]
    with app.app_context():
        kinds = db.session.execute(select(Participation.kind, Participation.source)
                                   .order_by(Participation.id)).all()
    assert kinds == [("screening", f"activity:{ident}")] * 2


def test_code_of_a_screening_in_chat(app: Flask, sim, people):
    """Does 签到码 HD-… show the screening's code to its contact and refuse another's?"""
    ident = screening(app, "246810", int(people["huaxin"]))
    with app.app_context():
        number = records.activity_number(db.session.get(Activity, ident))
    assert "签到码：246810" in sim.text("lina", f"签到码 {number}").text
    assert sim.text("chenjing", f"签到码 {number}").text == checkin_texts.CODE_NOT_YOURS.format(
        reference=number)


def test_bad_answers_are_said_and_nothing_is_written(app: Flask, sim, people):
    """A plain member may not; a film number out of range, a time not understood or more than
    a day ago, are answered and asked again; 取消 ends with nothing written."""
    assert sim.text("zhangsan", "组织观影").text == NO_PERMISSION.format(role=ROLE_NAMES["contact"])
    before = written(app)
    reply = sim.text("lina", "组织观影").text
    assert sim.text("lina", "9").text == at.BAD_FILM.format(count=2)
    sim.text("lina", _film_index(reply, "1921"))
    assert sim.text("lina", "随便什么时候").text == at.BAD_TIME
    too_past = sim.text("lina", "11月20日下午2点").text
    assert too_past.startswith("开始时间不能早于一天前")
    assert "12月2日（周三）09:00" in sim.text("lina", "明天上午9点").text
    sim.text("lina", "取消")
    assert _changed(before, written(app)) == set()
    with app.app_context():
        assert db.session.scalar(select(func.count(Activity.id))) == 0


def test_no_film_in_the_library(app: Flask, sim, people):
    """With no film in the library the flow says so and ends."""
    with app.app_context():
        for material in db.session.scalars(select(Material)).all():
            material.active = False
        db.session.commit()
    assert sim.text("lina", "组织观影").text == at.NO_FILMS


def test_cancelled_screening_refuses_check_in(app: Flask, sim, people):
    """Is a member refused at a cancelled screening, with nothing written?"""
    ident = screening(app, "135799", int(people["huaxin"]))
    with app.app_context():
        records.cancel("admin1", db.session.get(Activity, ident), utcnow())
        db.session.commit()
    reply = sim.text("zhangsan", "签到 135799").text
    assert reply == checkin_texts.ERRORS["cancelled"].format(what="教育片观看《守岛人》")
    assert present(app, ident) == []


def test_a_contact_of_two_organisations_picks_one_by_number(app: Flask, sim, people):
    """A contact of 华芯 and 远景 is asked which, by number or name; 2 records 远景's."""
    with app.app_context():
        grant_role(db.session.scalars(select(Member).where(Member.userid == "lina")).one(),
                   "contact", db.session.get(Organization, int(people["yuanjing"])))
        db.session.commit()
    asked = sim.text("lina", "组织观影").text
    assert asked == at.ASK_ORGANIZATION.format(lines=f"1. {HUAXIN}\n2. {YUANJING}")
    reply = sim.text("lina", "2").text
    assert reply.startswith(f"为{YUANJING}组织观看教育片")
    sim.text("lina", _film_index(reply, "守岛人"))
    sim.text("lina", "今天下午2点")
    assert YUANJING in sim.text("lina", "三楼会议室").text
    sim.text("lina", "确认")
    with app.app_context():
        [activity] = db.session.scalars(select(Activity)).all()
        assert activity.organization_id == int(people["yuanjing"])


def test_committee_lecture_takes_any_organisation(app: Flask, sim, people):
    """Does a committee lecture for 华芯 take 远景's member too, counted as a lecture?"""
    ident = add_activity(app, ActivityKind.LECTURE, "864209", None,
                         audience=(int(people["huaxin"]),), title="伟大建党精神",
                         speaker="江南大学 周教授")
    assert sim.text("wangwu", "签到 864209").text.startswith("签到成功！宣讲《伟大建党精神》")
    assert sim.text("zhangsan", "签到 864209").text.startswith("签到成功！")
    assert present(app, ident) == ["wangwu", "zhangsan"]
    with app.app_context():
        target = checkin.of_activity(db.session.get(Activity, ident))
        assert target.participation_kind == "lecture"


def test_screening_window_follows_the_settings(app: Flask, sim, people):
    """Is a screening's check-in refused before it opens (30 minutes before the start)?"""
    screening(app, "975319", int(people["huaxin"]), starts_in=timedelta(hours=2))
    assert "还未开始" in sim.text("zhangsan", "签到 975319").text
