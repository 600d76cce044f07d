"""Does a member's question get the library's own words with the material's tracked link, and
what the library cannot answer an honest "not found" and the offer to send it on?"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from content import answer_texts as texts
from content import texts as common
from models import MaterialRead, ProcessedMessage, Question, db
from study.links import parse_token
from tests.study_helpers import sign_in


def link_claims(app: Flask, reply: str) -> list[Any]:
    """The claims of every tracked link in a reply."""
    with app.test_request_context():
        return [parse_token(url.rsplit("/r/", 1)[1])
                for url in re.findall(r'<a href="([^"]+)">', reply)]


def questions(app: Flask) -> list[tuple[str, int]]:
    """(text, member id) of every question in the box."""
    with app.app_context():
        return [(q.text, q.member_id) for q in db.session.scalars(select(Question))]


def test_party_dues_question_quotes_the_dues_lesson(app: Flask, library, zhang, send_text):
    """Does "月工资8000元党费交多少？" get the 党费 table, word for word, with its own link?"""
    reply = send_text(zhang, "月工资8000元党费交多少？").text
    assert reply.startswith(texts.FOUND_HEAD)
    assert "5000元以上至10000元（含10000元） | 1.5%" in reply
    assert "在岗职工党员以每月工资收入（税后）为计算基数：" in reply
    assert "——微党课：按时足额交纳党费 · 交多少" in reply
    first = link_claims(app, reply)[0]
    assert first.material_id == library["dangfei"] and first.userid == "zhangsan"
    assert len(reply.encode()) <= 2048  # one passive reply


def test_members_words_find_the_passage(library, zhang, send_text):
    """Do questions in members' own words find the passage that answers them?"""
    assert "重新核定党费基数" in send_text(zhang, "换了工作之后党费要重新算吗").text
    assert "一般每季度召开1次" in send_text(zhang, "支部党员大会多久开一次？").text
    assert "2019年1月1日上线" in send_text(zhang, "学习强国是哪一年上线的").text


def test_ask_command(library, zhang, send_text, sim):
    """Does 提问 <问题> answer, with or without the space, and a bare 提问 ask for the question?"""
    assert "一般每月召开1次" in send_text(zhang, "提问 支委会是不是每个月都要开").text
    assert "一般每季度召开1次" in send_text(zhang, "提问支部党员大会多久开一次").text
    assert send_text(zhang, "提问").text == texts.ASK_EMPTY
    assert send_text(zhang, "提问 😀🙏").text == texts.NO_WORDS


def test_opening_the_quoted_link_counts_as_reading(app: Flask, client, sandbox, library, zhang,
                                                   send_text):
    """Is opening the answer's link recorded as the member's read of that material?"""
    reply = send_text(zhang, "月工资8000元党费交多少？").text
    url = re.findall(r'<a href="([^"]+)">', reply)[0]
    page = sign_in(client, sandbox, url.rsplit("/r/", 1)[1], "zhangsan")
    assert page.status_code == 200
    with app.app_context():
        [read] = db.session.scalars(select(MaterialRead)).all()
        assert read.material_id == library["dangfei"] and read.member_id == zhang.id


def test_a_found_answer_writes_nothing(app: Flask, library, zhang, send_text):
    """Is a found answer read-only: no processed record, no question, no outbox row?"""
    assert "八项权利" in send_text(zhang, "党员享有哪些权利").text
    with app.app_context():
        assert db.session.scalar(select(func.count(ProcessedMessage.key))) == 0
    assert questions(app) == []


def test_not_found_offers_the_committee_and_yes_sends_once(app: Flask, library, zhang, sim,
                                                           send_text):
    """Does an unanswerable question get the honest "not found", and 是 (retried by WeCom)
    put it in the question box once?"""
    reply = send_text(zhang, "公司年假一年能休几天？").text
    assert reply == texts.NOT_FOUND.format(question="公司年假一年能休几天？")
    assert "<a href" not in reply  # nothing quoted, nothing made up
    first = sim.text("zhangsan", "是", msg_id=424242)
    assert first.text.startswith("已转交党委（编号 TW-000001）")
    assert sim.text("zhangsan", "是", msg_id=424242).text == first.text  # WeCom's retry
    assert questions(app) == [("公司年假一年能休几天？", zhang.id)]
    assert "没有听懂" in send_text(zhang, "是").text  # the offer is over
    assert len(questions(app)) == 1


def test_no_sends_nothing_and_another_question_is_answered(app: Flask, library, zhang,
                                                           send_text):
    """Does 否 close the offer, and a new question instead of 是/否 get its answer?"""
    send_text(zhang, "食堂中午几点开饭")
    assert send_text(zhang, "不用").text == texts.NOT_SENT
    send_text(zhang, "停车场月卡怎么办理")
    assert "5000元以上至10000元" in send_text(zhang, "月工资8000元党费交多少？").text
    assert questions(app) == []
    assert send_text(zhang, "确认").text == common.NOTHING_TO_CONFIRM  # no offer is open


def test_confirm_in_the_offer_sends(app: Flask, library, zhang, send_text):
    """Is 确认 (a command's keyword) taken as 是 in the offer?"""
    send_text(zhang, "怎样申请公租房")
    assert send_text(zhang, "确认").text.startswith("已转交党委")
    assert questions(app) == [("怎样申请公租房", zhang.id)]


def test_an_ignored_offer_expires_quietly(app: Flask, library, zhang, send_text):
    """After the offer's timeout, is the next question simply answered (no expiry notice)?"""
    send_text(zhang, "孩子上小学怎么报名")
    pipeline = app.extensions["pioneer_pipeline"]
    real = pipeline.clock
    pipeline.clock = pipeline.conversations.clock = lambda: real() + 31 * 60
    reply = send_text(zhang, "学习强国是哪一年上线的").text
    assert reply.startswith(texts.FOUND_HEAD) and "2019年1月1日上线" in reply
    send_text(zhang, "孩子上小学怎么报名")
    pipeline.clock = pipeline.conversations.clock = lambda: real() + 62 * 60
    assert send_text(zhang, "你好").text == common.GREETING.format(name=zhang.name)


def test_near_miss_of_a_command_is_suggested(library, zhang, send_text):
    """Do 帮主 and 我的积份 still get the command suggested, not a search?"""
    assert send_text(zhang, "帮主").text == common.FALLBACK_SUGGEST.format(text="帮主",
                                                                          keyword="帮助")
    assert "“我的积分”" in send_text(zhang, "我的积份").text


def test_bad_input_gets_a_short_clear_reply(app: Flask, library, zhang, send_text):
    """Emoji only, marks, SQL and regex metacharacters, 2,000 characters, a greeting, a
    number: each a short Chinese reply, nothing written, nothing half-quoted."""
    for text in ("😀😀😀", ".*", "' OR 1=1 --", "%_\\", "(?:a|b)+$", "1600"):
        assert send_text(zhang, text).text.startswith("没有听懂"), text
    assert send_text(zhang, "你好").text == common.GREETING.format(name=zhang.name)
    reply = send_text(zhang, "党费" * 1000).text
    assert reply == texts.TOO_LONG.format(length=2000, limit=300)
    assert send_text(zhang, "提问 " + "党" * 2000).text.startswith("问题太长了（2000字）")
    assert questions(app) == []


def test_question_inside_a_conversation_is_the_conversations(library, zhang, send_text):
    """In the middle of 强国积分, is a question the step's answer, and after 取消 answered?"""
    send_text(zhang, "强国积分")
    assert "不是积分数字" in send_text(zhang, "党费交多少？").text
    assert send_text(zhang, "取消").text == common.CANCELLED
    assert "党费" in send_text(zhang, "党费交多少？").text


def test_a_command_after_the_offer_just_runs(app: Flask, library, zhang, send_text, sim):
    """Does a command or a menu tap after "not found" run at once, the offer dropped?"""
    send_text(zhang, "新能源汽车还有购置补贴吗")
    assert send_text(zhang, "帮助").text.startswith("「先锋学习助手」")
    send_text(zhang, "今年的体检报告什么时候出来")
    assert sim.click("zhangsan", "study").reply["Articles"]
    assert "没有听懂" in send_text(zhang, "是").text
    assert questions(app) == []
