"""每日答题 exactly once and on the committee's clock: the same callback twice, the callback
again after Redis forgot it, a double tap, a typed answer after a tap, another member's card,
and a card from 23:59 answered at 00:01 Shanghai (expired, nothing scored)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from bot.extensions import redis_store
from content import quiz_texts as texts
from models import ProcessedMessage, QuizAttempt, db, utcnow
from quizzes import daily
from tests.helpers import written
from tests.quizzes.quiz_helpers import (
    attempts,
    button,
    cards,
    fill_bank,
    on_question,
    pushed_texts,
    quiz_rows,
)

pytestmark = pytest.mark.clock

ZHANG, WANG = "zhangwei", "wangfang"


def _first_single(app: Flask, send_text, sandbox) -> tuple[dict, str]:
    """Start the quiz; the first card and the key of its right answer (single or judge)."""
    send_text(ZHANG, "答题")
    card = cards(sandbox, ZHANG)[-1]
    shown = on_question(app, ZHANG)
    if shown.kind == "multiple":  # answer it wrong by typing, to get to a button card
        send_text(ZHANG, shown.wrong)
        card = cards(sandbox, ZHANG)[-1]
        shown = on_question(app, ZHANG)
    return card, button(card, shown.answer)


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in after if after[name] != before.get(name)} - {"redis_keys"}


def test_same_callback_twice_scores_once(app: Flask, people, sim, send_text, sandbox):
    """Is WeCom's retry of one tap (the same callback, byte for byte) answered from the
    processed record, and again once Redis forgot the claim, scoring one point?"""
    fill_bank(app)
    card, key = _first_single(app, send_text, sandbox)
    inner = sim.card_event(ZHANG, card, key)
    assert sim.deliver(inner).status == 200
    scored = quiz_rows(app)
    pushed = len(pushed_texts(sandbox, ZHANG))
    before = written(app)
    assert sim.deliver(inner).status == 200  # the claim in Redis answers it
    assert _changed(before, written(app)) == set()
    with app.app_context():  # Redis forgot everything; the database did not
        redis_store.client.flushdb()
    assert sim.deliver(inner).status == 200  # the processed record answers it
    assert _changed(before, written(app)) == set()
    assert quiz_rows(app) == scored and len(scored) >= 1
    assert len(pushed_texts(sandbox, ZHANG)) == pushed
    with app.app_context():
        assert db.session.scalars(select(ProcessedMessage.key).where(
            ProcessedMessage.key.like("evt:%"))).all()


def test_double_tap_scores_once(app: Flask, people, sim, send_text, sandbox):
    """Is a second tap on the same card (another callback, a second later) told the question
    was answered, with no point, no ledger row and no second card?"""
    fill_bank(app)
    card, key = _first_single(app, send_text, sandbox)
    sim.tap(ZHANG, card, key, create_time=1_900_000_000)
    scored, shown_cards = quiz_rows(app), len(cards(sandbox, ZHANG))
    before = written(app)
    sim.tap(ZHANG, card, key, create_time=1_900_000_001)
    assert pushed_texts(sandbox, ZHANG)[-1].startswith("这道题已经答过了")
    assert _changed(before, written(app)) == {"outbound_messages", "processed_messages"}
    assert quiz_rows(app) == scored
    assert len(cards(sandbox, ZHANG)) == shown_cards
    wrong_tap = next(b["key"] for b in card["content"]["button_list"] if b["key"] != key)
    sim.tap(ZHANG, card, wrong_tap, create_time=1_900_000_002)  # another button: still once
    assert pushed_texts(sandbox, ZHANG)[-1].startswith("这道题已经答过了")
    assert quiz_rows(app) == scored


def test_typed_after_tap_moves_on(app: Flask, people, sim, send_text, sandbox):
    """A card tapped and then the same answer typed (the conversation had moved on): the
    typed one answers the next question, never the first twice."""
    fill_bank(app)
    card, key = _first_single(app, send_text, sandbox)
    sim.tap(ZHANG, card, key)
    answered = [a for a in attempts(app, ZHANG) if a[1] is not None]
    shown = on_question(app, ZHANG)
    typed = {"A": "对", "B": "错"}[shown.answer] if shown.kind == "judge" else shown.answer
    assert send_text(ZHANG, typed).text.startswith("✅")
    assert len([a for a in attempts(app, ZHANG) if a[1] is not None]) == len(answered) + 1


def test_another_members_card_is_refused(app: Flask, people, sim, send_text, sandbox):
    """Is a tap on a card sent to someone else refused, nothing scored?"""
    fill_bank(app)
    card, key = _first_single(app, send_text, sandbox)
    before = written(app)
    sim.tap(WANG, card, key)
    assert pushed_texts(sandbox, WANG) == [texts.NOT_YOURS]
    assert _changed(before, written(app)) == {"outbound_messages", "processed_messages"}
    assert quiz_rows(app) == []


def test_card_from_2359_is_expired_at_0001(app: Flask, people, sim, send_text, sandbox,
                                           travel):
    """A card drawn at 23:59 Shanghai and tapped at 00:01: expired, nothing scored; the typed
    answer is expired too; 答题 then draws the new day's set."""
    fill_bank(app)
    travel("2026-12-14 23:59", tick=False)
    card, key = _first_single(app, send_text, sandbox)
    answered_before = attempts(app, ZHANG)
    scored = quiz_rows(app)
    travel("2026-12-15 00:01", tick=False)
    before = written(app)
    sim.tap(ZHANG, card, key)
    assert pushed_texts(sandbox, ZHANG)[-1] == texts.EXPIRED.format(day="12月14日")
    assert _changed(before, written(app)) == {"outbound_messages", "processed_messages"}
    assert send_text(ZHANG, "A").text == texts.EXPIRED.format(day="12月14日")
    assert attempts(app, ZHANG) == answered_before and quiz_rows(app) == scored
    assert send_text(ZHANG, "答题").text.startswith("【每日答题 1/5 · ")
    assert len(attempts(app, ZHANG)) == len(answered_before) + 5


def test_unknown_card_key(app: Flask, people, sim, send_text, sandbox):
    """A quiz card key naming no question (deleted, or forged): said so, nothing scored."""
    fill_bank(app)
    card, _key = _first_single(app, send_text, sandbox)
    forged = {**card, "content": {**card["content"], "button_list": [
        {"text": "A", "key": "quiz:999999:A"}]}}
    sim.tap(ZHANG, forged, "quiz:999999:A")
    assert pushed_texts(sandbox, ZHANG)[-1] == texts.UNKNOWN_CARD
    assert quiz_rows(app) == []


def test_answer_over_a_stale_read_scores_once(app: Flask, people, send_text, sandbox):
    """Two answers racing on one question (the second read the row before the first wrote):
    the UPDATE … WHERE answered_at IS NULL lets one through; the other reports scored=False
    and leaves the first's choice and the one ledger row."""
    fill_bank(app)
    send_text(ZHANG, "答题")
    shown = on_question(app, ZHANG)
    with app.app_context():
        attempt = db.session.get(QuizAttempt, shown.attempt_id)
        first = daily.answer(attempt, shown.answer, utcnow())
        db.session.commit()
        stale = db.session.get(QuizAttempt, shown.attempt_id)
        set_committed_value(stale, "answered_at", None)  # as a twin transaction read it
        second = daily.answer(stale, shown.wrong, utcnow())
        db.session.commit()
        assert (first.scored, first.correct, second.scored) == (True, True, False)
        assert db.session.get(QuizAttempt, shown.attempt_id).choice == shown.answer
    assert len(quiz_rows(app)) == 1


def test_vote_card_submitted_empty(app: Flask, people, sim, send_text, sandbox):
    """A multiple choice card submitted with nothing ticked: asked to answer, nothing scored."""
    fill_bank(app)
    send_text(ZHANG, "答题")
    while on_question(app, ZHANG).kind != "multiple":
        shown = on_question(app, ZHANG)
        send_text(ZHANG, {"A": "对", "B": "错"}.get(shown.wrong, shown.wrong)
                  if shown.kind == "judge" else shown.wrong)
    card = cards(sandbox, ZHANG)[-1]
    assert card["content"]["card_type"] == "vote_interaction"
    scored = quiz_rows(app)
    sim.tap(ZHANG, card, card["content"]["submit_button"]["key"], [], create_time=1_900_000_000)
    assert pushed_texts(sandbox, ZHANG)[-1].startswith("请回复答案：多选题")
    assert quiz_rows(app) == scored
    shown = on_question(app, ZHANG)
    sim.tap(ZHANG, card, card["content"]["submit_button"]["key"], list(shown.answer),
            create_time=1_900_000_001)
    assert pushed_texts(sandbox, ZHANG)[-1].startswith(texts.RIGHT.format(points=1))
