"""每日答题 in chat through the sandbox: the day's five questions as cards, answered by a tap
(buttons, and the checkboxes of a multiple choice) or typed; the result with its explanation
and tracked link; the day's end; points into the ledger under the daily cap; bad input."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

import clock
from content import quiz_texts as texts
from models import ParticipationRule, db
from quizzes.settings import quiz_settings
from tests.helpers import written
from tests.quizzes.quiz_helpers import (
    add_material,
    attempts,
    button,
    cards,
    fill_bank,
    on_question,
    pushed_texts,
    quiz_rows,
)

pytestmark = pytest.mark.clock

ZHANG = "zhangwei"


def tap_answer(sim: Any, sandbox: Any, app: Flask, letters_of: str = "right") -> Any:
    """Tap the right (or a wrong) answer on the member's latest card."""
    card = cards(sandbox, ZHANG)[-1]
    shown = on_question(app, ZHANG)
    letters = shown.answer if letters_of == "right" else shown.wrong
    selected = list(letters) if "submit_button" in card["content"] else None
    return sim.tap(ZHANG, card, button(card, letters), selected)


def test_five_questions_by_card(app: Flask, people, sim, send_text, sandbox):
    """Does 答题 show the first of five questions as text and as a card; does each tap score
    it, tell right or wrong with the explanation and the material's tracked link, and bring
    the next card; and does the fifth end the day with its points?"""
    fill_bank(app, add_material(app))
    reply = send_text(ZHANG, "答题")
    assert reply.text.startswith("【每日答题 1/5 · ")
    [card] = cards(sandbox, ZHANG)
    assert card["content"]["task_id"].startswith("quiz-")
    for number in range(1, 6):
        right = number != 2  # the second is answered wrong
        delivery = tap_answer(sim, sandbox, app, "right" if right else "wrong")
        assert delivery.status == 200 and delivery.reply is None  # no passive reply to a tap
        result = pushed_texts(sandbox, ZHANG)[-1]
        assert result.startswith(texts.RIGHT.format(points=1) if right else "❌ 回答错误。")
        assert "解析：" in result and "出处：《微党课：按时足额交纳党费》" in result
        assert "/r/" in result  # the tracked reading link
        if number < 5:
            assert f"【每日答题 {number + 1}/5 · " in result
            assert len(cards(sandbox, ZHANG)) == number + 1
    assert "今日答题已完成：5题答对4题，得4分。" in pushed_texts(sandbox, ZHANG)[-1]
    assert len(cards(sandbox, ZHANG)) == 5  # no card after the last
    assert [points for _, _, points in quiz_rows(app)] == [1, 1, 1, 1]
    assert [correct for _, _, correct, _ in attempts(app, ZHANG)] == [
        True, False, True, True, True]
    again = send_text(ZHANG, "答题")
    assert again.text.startswith("今天的5道题都答完了：答对4题，得4分。")


def test_typed_answers_and_bad_input(app: Flask, people, send_text, sandbox):
    """Is a typed answer taken like a tap (A, ac, 对 …), and is every bad one (two letters on
    a single choice, a letter not offered, garbage, emoji, 2,000 characters, SQL) answered
    in Chinese with nothing written?"""
    fill_bank(app)
    send_text(ZHANG, "答题")
    seen_kinds = set()
    for _number in range(5):
        shown = on_question(app, ZHANG)
        seen_kinds.add(shown.kind)
        bad = ["😀😀", "A'; DROP TABLE quiz_attempts;--", "x" * 2000, ".*[a-z]+$", "G"]
        if shown.kind == "single":
            bad.append("AB")
        for text in bad:
            before = written(app)
            reply = send_text(ZHANG, text)
            assert reply.status == 200 and reply.text, text[:10]
            assert "回复" in reply.text or "没有选项" in reply.text or "判断题" in reply.text
            after = written(app)
            assert {k for k in after if after[k] != before[k]} <= {"redis_keys"}, text[:10]
        if shown.kind == "single":
            assert send_text(ZHANG, "AB").text == texts.ONE_ONLY
        answer = {"A": "对", "B": "错"}[shown.answer] if shown.kind == "judge" else (
            " ".join(shown.answer.lower()))  # "a b c": spaces and lower case are fine
        reply = send_text(ZHANG, answer)
        assert reply.text.startswith(texts.RIGHT.format(points=1)), reply.text
    assert seen_kinds == {"single", "multiple", "judge"}
    assert len(quiz_rows(app)) == 5


def test_daily_cap_cuts_points(app: Flask, people, send_text):
    """With the quiz's daily cap at 2 points, are the third right answer's points cut, and
    said so, while it still counts as right?"""
    app.config["PARTICIPATION_DAILY_CAPS"] = "quiz=2"
    fill_bank(app)
    send_text(ZHANG, "答题")
    replies = []
    for _ in range(3):
        shown = on_question(app, ZHANG)
        typed = {"A": "对", "B": "错"}[shown.answer] if shown.kind == "judge" else shown.answer
        replies.append(send_text(ZHANG, typed).text)
    assert replies[2].startswith(texts.RIGHT_CAPPED.format(cap=2))
    assert [points for _, _, points in quiz_rows(app)] == [1, 1, 0]
    assert [p for _, _, c, p in attempts(app, ZHANG) if c] == [1, 1, 0]


def test_daily_cap_said_is_the_admins_rule(app: Flask, people, send_text):
    """With an admin's rule (quiz: 3 points a day from today) over the settings' 5, does the
    capped answer name the rule's cap, not the settings'?"""
    fill_bank(app)
    with app.app_context():
        db.session.add(ParticipationRule(kind="quiz", starts_on=clock.today(), hours=0.0,
                                         points=1, daily_points=3, daily_hours=0.0,
                                         updated_by="admin"))
        db.session.commit()
    send_text(ZHANG, "答题")
    replies = []
    for _ in range(4):
        shown = on_question(app, ZHANG)
        typed = {"A": "对", "B": "错"}[shown.answer] if shown.kind == "judge" else shown.answer
        replies.append(send_text(ZHANG, typed).text)
    assert replies[3].startswith(texts.RIGHT_CAPPED.format(cap=3)), replies[3]
    assert [points for _, _, points in quiz_rows(app)] == [1, 1, 1, 0]


def test_empty_bank_and_retired_material(app: Flask, people, send_text, sandbox):
    """No question in the bank: said so, nothing drawn. A retired material gives no link."""
    assert send_text(ZHANG, "答题").text == texts.EMPTY_BANK
    assert attempts(app, ZHANG) == []
    fill_bank(app, add_material(app, active=False))
    send_text(ZHANG, "答题")
    shown = on_question(app, ZHANG)
    typed = {"A": "对", "B": "错"}[shown.answer] if shown.kind == "judge" else shown.answer
    reply = send_text(ZHANG, typed)
    assert "解析：" in reply.text and "出处：" not in reply.text


def test_menu_entry_starts_the_quiz(app: Flask, people, sim, sandbox):
    """Does the menu's 每日答题 (click key daily_quiz) start it like the typed 答题, and does
    答题 typed while answering show the same question again with a new card?"""
    fill_bank(app)
    assert sim.click(ZHANG, "daily_quiz").text.startswith("【每日答题 1/5 · ")
    assert len(cards(sandbox, ZHANG)) == 1
    assert sim.text(ZHANG, "答题").text.startswith("【每日答题 1/5 · ")
    first, again = cards(sandbox, ZHANG)
    assert first["content"]["task_id"] != again["content"]["task_id"]
    assert len(attempts(app, ZHANG)) == 5


def test_daily_size_setting(app: Flask, people, send_text, sandbox):
    """QUIZ_DAILY_QUESTIONS sets the day's set (1 to 10); another value is refused by name."""
    app.config["QUIZ_DAILY_QUESTIONS"] = "3"
    fill_bank(app)
    assert send_text(ZHANG, "答题").text.startswith("【每日答题 1/3 · ")
    for value in ("0", "11", "five"):
        app.config["QUIZ_DAILY_QUESTIONS"] = value
        with app.app_context(), pytest.raises(ValueError, match="QUIZ_DAILY_QUESTIONS"):
            quiz_settings()
