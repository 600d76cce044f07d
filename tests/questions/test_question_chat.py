"""我的提问 in chat: the member's latest questions with answers (cut short), one in full by its
number, nothing of anyone else's, and the line in 帮助."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from content import questions_texts as texts
from handlers.questions import ANSWER_CHARS, SHOWN
from models import Member
from tests.helpers import written
from tests.questions.question_helpers import answer, ask, shanghai


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """A member of 华芯 and one of 远景."""
    return {"zhang": make_member("zhangsan", "张三", org="华芯党支部"),
            "zhao": make_member("zhaoliu", "赵六", org="远景党支部")}


def test_no_questions_yet(app: Flask, people, send_text):
    """Does a member who never asked get the short explanation, and nothing is written?"""
    before = written(app)
    assert send_text(people["zhang"], "我的提问").text == texts.MINE_EMPTY
    after = written(app)
    assert {k: v for k, v in after.items() if k != "redis_keys"} == {
        k: v for k, v in before.items() if k != "redis_keys"}


def test_list_shows_answers_and_waiting(app: Flask, people, send_text):
    """Are the answered question (with answerer and date) and the open one (待答复) listed,
    newest first, the long answer cut, and the other member's question left out?"""
    answered = ask(app, "zhangsan", "月工资8000元党费交多少？", shanghai("2026-11-20 09:00"))
    answer(app, answered, "按" + "很长的说明" * 60, shanghai("2026-11-21 10:00"), by="管理员甲")
    waiting = ask(app, "zhangsan", "三会一课多久开一次？", shanghai("2026-11-22 09:00"))
    ask(app, "zhaoliu", "别人的问题", shanghai("2026-11-22 10:00"))
    reply = send_text(people["zhang"], "我的提问").text
    assert reply.startswith(texts.MINE_HEADER.format(count=2))
    assert reply.index(f"TW-{waiting:06d}") < reply.index(f"TW-{answered:06d}")
    assert "待答复" in reply and "（管理员甲，11月21日）" in reply
    assert "别人的问题" not in reply
    cut = "按" + ("很长的说明" * 60)[:ANSWER_CHARS - 2] + texts.ELLIPSIS
    assert cut in reply and "很长的说明" * 60 not in reply


def test_older_questions_are_counted(app: Flask, people, send_text):
    """Past SHOWN questions, are the older ones counted rather than listed?"""
    start = shanghai("2026-11-01 09:00")
    for n in range(SHOWN + 2):
        ask(app, "zhangsan", f"第{n}个问题", start + timedelta(days=n))
    reply = send_text(people["zhang"], "我的提问").text
    assert texts.MINE_MORE.format(more=2) in reply and "第0个问题" not in reply


@pytest.mark.parametrize("typed", ["TW-{id:06d}", "tw{id}", "{id}", "TW-{id:06d} "])
def test_one_question_in_full(app: Flask, people, send_text, typed: str):
    """Does 我的提问 <number> (as written, lower case, bare digits) show the full answer?"""
    question_id = ask(app, "zhangsan", "月工资8000元党费交多少？")
    full = "按" + "很长的说明" * 60
    answer(app, question_id, full)
    reply = send_text(people["zhang"], "我的提问 " + typed.format(id=question_id)).text
    assert full in reply


@pytest.mark.parametrize("typed", ["999", "TW-abc", "'; DROP TABLE questions; --",
                                   "问" * 2000])
def test_unknown_or_someone_elses_number(app: Flask, people, send_text, typed: str):
    """Is another member's question, a missing one or garbage answered as not found (short)?"""
    ask(app, "zhaoliu", "别人的问题")
    for number in (typed, "1"):
        reply = send_text(people["zhang"], f"我的提问 {number}").text
        assert reply.startswith("没有找到您的提问") and "别人的问题" not in reply
        assert len(reply) < 120


def test_help_lists_the_command(app: Flask, people, send_text):
    """Does 帮助 name 我的提问?"""
    assert texts.MINE_SUMMARY in send_text(people["zhang"], "帮助").text
