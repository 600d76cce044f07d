"""Answers as letters: what a member typed or tapped ("A", "a c", "AC", "对", "×") and what an
author wrote in a form or a sheet, read into the sorted letters of the options."""

from __future__ import annotations

import re
import unicodedata

from content import quiz_texts as texts
from models import QuizKind

LETTERS = "ABCDEF"
MAX_OPTIONS = len(LETTERS)
SEPARATORS = re.compile(r"[\s,，、;；.。/|和及]+")
LETTER_RUN = re.compile(r"[A-Z]+")


class AnswerError(ValueError):
    """An answer that cannot be read or is not allowed; `reason` names it for the reply."""

    def __init__(self, reason: str, letters: str = "") -> None:
        super().__init__(reason)
        self.reason = reason  # "empty", "garbage", "one_only", "not_option", "not_judge"
        self.letters = letters


def normal(text: str) -> str:
    """Full-width letters and signs made plain, upper case, without separators."""
    return SEPARATORS.sub("", unicodedata.normalize("NFKC", text)).upper()


def letters_of(count: int) -> str:
    """The letters of `count` options: 4 → "ABCD"."""
    return LETTERS[:count]


def read_letters(text: str, kind: str, count: int) -> str:
    """The letters a text names, sorted and each once, for a question of `kind` with `count`
    options; AnswerError when it names nothing, something else, or a letter not an option."""
    plain = normal(text)
    if not plain:
        raise AnswerError("empty")
    if kind == QuizKind.JUDGE:
        if plain in texts.JUDGE_WORDS:
            return texts.JUDGE_WORDS[plain]
        if plain in ("A", "B"):
            return plain
        raise AnswerError("not_judge")
    if not LETTER_RUN.fullmatch(plain):
        raise AnswerError("garbage")
    chosen = "".join(sorted(set(plain)))
    outside = "".join(letter for letter in chosen if letter not in letters_of(count))
    if outside:
        raise AnswerError("not_option", outside)
    return chosen


def member_answer(text: str, kind: str, count: int) -> str:
    """A member's answer: one letter for a single choice or true/false, one or more for a
    multiple choice (a partial answer is allowed, and wrong)."""
    chosen = read_letters(text, kind, count)
    if kind == QuizKind.SINGLE and len(chosen) != 1:
        raise AnswerError("one_only", chosen)
    return chosen


def shown(letters: str, kind: str) -> str:
    """Letters as a member reads them: "AC", or 对 / 错 for a true/false question."""
    if kind == QuizKind.JUDGE:
        return texts.JUDGE_CHOICE.get(letters, letters)
    return texts.CHOICE_JOINER.join(letters)
