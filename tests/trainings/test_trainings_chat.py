"""Training attendance in chat, end to end: an enrolled member's 签到 at a session credits the
training's hours once (a second 签到 counts nothing), a member not enrolled gets the clear
answer and nothing is counted; 我的培训 lists the member's trainings with the next session,
sessions attended and hours."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from content import checkin_texts
from content import texts as common
from content import training_texts as texts
from content.texts import local_time
from models import CheckIn, Member, db
from tests.helpers import written
from tests.trainings.training_helpers import (
    add_session,
    check_ins,
    credits,
    enrol,
    make_training,
    shanghai,
    tables,
)

SESSION = ("2026-05-10 09:00", "2026-05-10 12:00")


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """张三 (enrolled below) and 李四 (not), both of 华芯."""
    return {"zhang": make_member("zhangsan", "张三", org="华芯党支部"),
            "li": make_member("lisi", "李四", org="华芯党支部")}


@pytest.fixture
def session(app: Flask, people, travel) -> dict[str, object]:
    """A 党务工作者 training of May 2026 (3 h a session) with 张三 enrolled, a session on
    10 May 09:00–12:00, and the clock at 09:10 that morning."""
    training_id = make_training(app, hours=3.0)
    enrol(app, training_id, "张三")
    session_id, code = add_session(app, training_id, *SESSION)
    travel("2026-05-10 09:10")
    return {"training": training_id, "id": session_id, "code": code}


def test_enrolled_check_in_credits_hours_once(app: Flask, session, send_text):
    """Is 张三's 签到 one check-in and one TRAINING ledger row of the session's 3 hours, and is a
    second 签到 answered 已签到 with nothing more written?"""
    reply = send_text("zhangsan", f"签到 {session['code']}").text
    assert "签到成功" in reply and "培训班《党务工作者培训班 第1场》" in reply and "学时3" in reply
    assert check_ins(app) == [("zhangsan", session["id"], "present")]
    assert credits(app) == [("zhangsan", "training", f"activity:{session['id']}", 3.0)]
    before = tables(app)
    again = send_text("zhangsan", f"签到 {session['code']}").text
    with app.app_context():
        first = db.session.scalars(select(CheckIn)).one().checked_at
    assert again == checkin_texts.ALREADY.format(time=local_time(first),
                                                 what="培训班《党务工作者培训班 第1场》")
    assert tables(app) == before
    assert credits(app) == [("zhangsan", "training", f"activity:{session['id']}", 3.0)]


def test_not_enrolled_is_refused_and_nothing_counted(app: Flask, session, send_text):
    """Is 李四, not enrolled, told so in the check-in's words, with nothing written?"""
    before = tables(app)
    reply = send_text("lisi", f"签到 {session['code']}").text
    assert reply == checkin_texts.ERRORS["not_enrolled"].format(
        name="李四", what="培训班《党务工作者培训班 第1场》")
    assert tables(app) == before
    assert check_ins(app) == [] and credits(app) == []


def test_hours_above_the_training_are_its_own(app: Flask, people, travel, send_text):
    """Does a session of a 1.5-hour training credit 1.5 hours, not the kind's default?"""
    training_id = make_training(app, title="入党积极分子培训班", kind="activists", hours=1.5)
    enrol(app, training_id, "lisi")
    session_id, code = add_session(app, training_id, "2026-05-12 14:00", "2026-05-12 16:00")
    travel("2026-05-12 13:45")
    assert "学时1.5" in send_text("lisi", f"签到 {code}").text
    assert credits(app) == [("lisi", "training", f"activity:{session_id}", 1.5)]


def test_my_trainings(app: Flask, session, send_text):
    """Does 我的培训 show the training with its dates, the next session (time, place), the
    sessions attended and the hours — before and after the check-in — writing nothing?"""
    add_session(app, session["training"], "2026-05-17 09:00", "2026-05-17 12:00")
    before = written(app)
    reply = send_text("zhangsan", "我的培训").text
    assert reply.startswith(texts.MINE_HEADER.format(count=1))
    assert "【党务工作者】党务工作者培训班（5月1日至5月31日）" in reply
    assert f"{local_time(shanghai(SESSION[0]))}，党群服务中心" in reply  # still running
    assert texts.MINE_ATTENDED.format(attended=0, sessions=2, hours="0") in reply
    after = written(app)
    assert {k: v for k, v in after.items() if k != "redis_keys"} == {
        k: v for k, v in before.items() if k != "redis_keys"}
    send_text("zhangsan", f"签到 {session['code']}")
    reply = send_text("zhangsan", "我的培训").text
    assert texts.MINE_ATTENDED.format(attended=1, sessions=2, hours="3") in reply


def test_my_trainings_next_session_and_none_left(app: Flask, session, send_text, travel):
    """After the first session ended, is the next one named; after the last, 已没有?"""
    add_session(app, session["training"], "2026-05-17 09:00", "2026-05-17 12:00")
    travel("2026-05-10 12:01")
    assert local_time(shanghai("2026-05-17 09:00")) in send_text("zhangsan", "我的培训").text
    travel("2026-05-17 12:01")
    assert texts.MINE_NO_NEXT in send_text("zhangsan", "我的培训").text


def test_my_trainings_empty_and_others_hidden(app: Flask, session, send_text):
    """Does 李四, enrolled nowhere, get the short explanation (nothing of 张三's training)?"""
    make_training(app, kind="lecturers", title="红色讲师培训班", starts_on=date(2026, 6, 1),
                  ends_on=date(2026, 6, 2))
    assert send_text("lisi", "我的培训").text == texts.MINE_EMPTY


def test_help_lists_the_command(app: Flask, people, send_text):
    """Is 我的培训 in every member's 帮助?"""
    reply = send_text("zhangsan", "帮助").text
    assert common.HELP_LINE.format(keyword="我的培训", summary=texts.MINE_SUMMARY) in reply
