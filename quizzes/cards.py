"""A question as WeCom shows it: the template card with its buttons, and the same as text
(for the typed answer, and for the WeChat plugin, which shows no template cards).

Single choice and true/false: a button_interaction card, one button per option, keyed
"quiz:<attempt id>:<letter>". Multiple choice: a vote_interaction card (checkboxes, mode 1)
whose submit button is keyed "quiz:<attempt id>" and whose selection comes back under the
question key "answer". The task id carries the attempt id and a random part, so a card sent
again (答题 typed twice) has a task id of its own, as WeCom requires.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from content import quiz_texts as texts
from models import QuizAttempt, QuizKind
from quizzes.answers import LETTERS

PREFIX = "quiz"
QUESTION_KEY = "answer"
KEY = re.compile(r"quiz:(\d{1,12})(?::([A-F]{1,6}))?")
TITLE_MAX = 36  # WeCom cuts longer titles on the card
FIELD_MAX = 30  # a horizontal_content_list value


@dataclass(frozen=True)
class Tap:
    """What a tap names: the attempt, and the letters of the button (None: a vote card's
    submit, whose letters are its selection)."""

    attempt_id: int
    letters: str | None


def parse_key(event_key: str) -> Tap | None:
    """The tap of a quiz card's button, or None for a key that is not one."""
    found = KEY.fullmatch(event_key.strip())
    if found is None:
        return None
    return Tap(int(found.group(1)), found.group(2))


def task_id(attempt: QuizAttempt) -> str:
    """A new task id for a card of this attempt: within 128 bytes of [0-9A-Za-z_-@]."""
    return f"quiz-{attempt.id}-{secrets.token_hex(4)}"


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _head(attempt: QuizAttempt, total: int, campaign: str | None) -> str:
    kind = texts.KIND_NAMES[attempt.question.kind]
    if campaign:
        return texts.CAMPAIGN_HEAD.format(campaign=campaign, position=attempt.position,
                                          total=total, kind=kind)
    return texts.DAILY_HEAD.format(position=attempt.position, total=total, kind=kind)


def how(kind: str) -> str:
    """How to answer a question of this kind."""
    return {QuizKind.SINGLE: texts.HOW_SINGLE, QuizKind.MULTIPLE: texts.HOW_MULTIPLE,
            QuizKind.JUDGE: texts.HOW_JUDGE}[QuizKind(kind)]


def question_text(attempt: QuizAttempt, total: int, campaign: str | None = None) -> str:
    """The question as a text message: the head, the question, the options, how to answer."""
    question = attempt.question
    lines = [_head(attempt, total, campaign), question.text]
    if question.kind != QuizKind.JUDGE:
        lines += [texts.OPTION_LINE.format(letter=LETTERS[i], text=option)
                  for i, option in enumerate(question.options)]
    return "\n".join([*lines, how(question.kind)])


def card(attempt: QuizAttempt, total: int, campaign: str | None = None) -> dict[str, Any]:
    """The message/send payload of the question's template card."""
    question = attempt.question
    kind = texts.KIND_NAMES[question.kind]
    source = texts.CARD_CAMPAIGN_SOURCE if campaign else texts.CARD_SOURCE
    title = texts.CARD_TITLE.format(position=attempt.position, total=total, kind=kind)
    body: dict[str, Any] = {
        "source": {"desc": _short(f"{source} · {campaign}" if campaign else source, 26)},
        "main_title": {"title": _short(title, TITLE_MAX),
                       "desc": _short(question.text, 44)},
        "task_id": task_id(attempt),
    }
    letters = LETTERS[:len(question.options)]
    if question.kind == QuizKind.MULTIPLE:
        body.update({
            "card_type": "vote_interaction",
            "checkbox": {"question_key": QUESTION_KEY, "mode": 1, "option_list": [
                {"id": letter, "text": _short(f"{letter}. {option}", FIELD_MAX),
                 "is_checked": False}
                for letter, option in zip(letters, question.options, strict=True)]},
            "submit_button": {"text": texts.CARD_SUBMIT, "key": f"{PREFIX}:{attempt.id}"},
        })
    else:
        body.update({"card_type": "button_interaction", "sub_title_text": question.text})
        if question.kind != QuizKind.JUDGE:
            body["horizontal_content_list"] = [
                {"keyname": letter, "value": _short(option, FIELD_MAX)}
                for letter, option in zip(letters, question.options, strict=True)]
        body["button_list"] = [
            {"text": option if question.kind == QuizKind.JUDGE else letter,
             "style": 1, "key": f"{PREFIX}:{attempt.id}:{letter}"}
            for letter, option in zip(letters, question.options, strict=True)]
    return {"msgtype": "template_card", "template_card": body}
