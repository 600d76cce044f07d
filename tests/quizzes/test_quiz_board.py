"""Streaks over committee days, 答题排行 within an organisation, and 专项答题: a campaign's
questions for its audience, apart from the daily set, closed with the campaign."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import select

from content import quiz_texts as texts
from models import Campaign, QuizAttempt, db
from tests.quizzes.quiz_helpers import (
    add_campaign,
    add_question,
    attempts,
    fill_bank,
    on_question,
    quiz_rows,
)

pytestmark = pytest.mark.clock

ZHANG, LI, WANG = "zhangwei", "lina", "wangfang"


def typed(shown) -> str:
    """The right answer as a member types it."""
    return {"A": "对", "B": "错"}[shown.answer] if shown.kind == "judge" else shown.answer


def answer_all(app: Flask, send_text, userid: str, right: int = 5) -> str:
    """Start the day's quiz and answer it, the first `right` questions right; the last reply."""
    send_text(userid, "答题")
    reply = ""
    for number in range(5):
        shown = on_question(app, userid)
        reply = send_text(userid, typed(shown) if number < right else shown.wrong).text
    return reply


def test_streak_counts_committee_days(app: Flask, people, send_text, travel):
    """Answering on 14 and 15 December (Shanghai) makes a streak of 2, even with the second
    day's answers at 00:30 (16:30 UTC the day before); a day missed starts it again."""
    fill_bank(app)
    travel("2026-12-14 21:00")
    assert texts.STREAK_FIRST in answer_all(app, send_text, ZHANG)
    travel("2026-12-15 00:30")
    assert texts.STREAK.format(days=2) in answer_all(app, send_text, ZHANG)
    travel("2026-12-17 09:00")
    assert texts.STREAK_FIRST in answer_all(app, send_text, ZHANG)


def test_board_ranks_the_organisation(app: Flask, people, send_text, travel):
    """Does 答题排行 rank this month's right answers of the member's organisation only, with
    the member's own place, equal counts sharing one?"""
    fill_bank(app)
    travel("2026-12-10 10:00")
    answer_all(app, send_text, ZHANG, right=3)
    answer_all(app, send_text, LI, right=5)
    answer_all(app, send_text, WANG, right=5)  # 锡东: not on 华芯's board
    reply = send_text(ZHANG, "答题排行").text
    assert reply.startswith("华芯微电子党支部 12月答题排行")
    assert "1. 李娜 答对5题" in reply and "2. 张伟 答对3题" in reply and "王芳" not in reply
    assert "您：第2名，本月答对3题，得3分；已连续答题1天。" in reply
    travel("2027-01-02 10:00")  # a new month: nobody yet
    assert send_text(ZHANG, "答题排行").text == texts.BOARD_EMPTY.format(org="华芯微电子党支部")


def test_board_without_organisation(app: Flask, make_member, send_text):
    """A member with no organisation is told so."""
    make_member("loner", "独行", org=None)
    assert send_text("loner", "答题排行").text == texts.BOARD_NO_ORG


def test_campaign_quiz(app: Flask, people, send_text, travel):
    """Does 专项答题 give the running campaign's questions (never in the daily set), score them
    like the daily ones, finish with the campaign's figures, and answer that a campaign
    closed meanwhile scores nothing?"""
    travel("2026-12-10 10:00")
    assert send_text(ZHANG, "专项答题").text == texts.NO_CAMPAIGN_QUIZ
    fill_bank(app)
    campaign_id = add_campaign(app, "2026年冬训", date(2026, 12, 1), date(2027, 2, 28))
    for number in range(3):
        add_question(app, "single", f"冬训第{number + 1}题：党的二十大在哪一年召开？",
                     ("2021年", "2022年", "2023年"), "B", campaign_id=campaign_id)
    reply = send_text(ZHANG, "专项答题")
    assert reply.text.startswith("【专项答题 · 2026年冬训 1/3 · 单选题】"), reply.text
    assert send_text(ZHANG, "B").text.startswith(texts.RIGHT.format(points=1))
    assert send_text(ZHANG, "A").text.startswith("❌")
    last = send_text(ZHANG, "B").text
    assert "专项答题“2026年冬训”已完成：共3题，答对2题，得2分。" in last
    assert send_text(ZHANG, "专项答题").text.startswith("专项答题“2026年冬训”的3道题您都答过了")
    assert send_text(ZHANG, "答题").text.startswith("【每日答题 1/5 · ")  # its own set
    with app.app_context():
        daily_set = db.session.scalars(select(QuizAttempt).where(
            QuizAttempt.campaign_id.is_(None))).all()
        assert len(daily_set) == 5 and {a.question.campaign_id for a in daily_set} == {None}
    send_text(LI, "专项答题")
    with app.app_context():
        db.session.get(Campaign, campaign_id).ends_on = date(2026, 12, 9)  # closed early
        db.session.commit()
    before = quiz_rows(app)
    assert send_text(LI, "B").text == texts.CLOSED.format(campaign="2026年冬训", day="12月9日")
    assert quiz_rows(app) == before
    assert send_text(LI, "专项答题").text == texts.NO_CAMPAIGN_QUIZ


def test_campaign_choice_by_name(app: Flask, people, send_text, travel):
    """Two running campaigns: 专项答题 lists them, 专项答题 名称 picks one, a wrong name is told."""
    travel("2026-12-10 10:00")
    for name in ("2026年冬训", "学习二十大"):
        campaign_id = add_campaign(app, name, date(2026, 12, 1), date(2027, 1, 31))
        add_question(app, "judge", f"{name}：党章是党的根本大法。", ("对", "错"), "A",
                     campaign_id=campaign_id)
    listing = send_text(ZHANG, "专项答题").text
    assert listing.startswith("有多个专项答题正在进行") and "学习二十大" in listing
    assert "没有名为“冬训”的" in send_text(ZHANG, "专项答题 冬训").text
    assert send_text(ZHANG, "专项答题 学习二十大").text.startswith("【专项答题 · 学习二十大 1/1")
    assert send_text(ZHANG, "对").text.startswith("✅")
    assert [a[2] for a in attempts(app, ZHANG)] == [True]
