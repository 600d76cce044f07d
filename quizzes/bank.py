"""The question bank (题库): one set of checks for a question, however it is written (the
console's form, a row of an .xlsx import), and creating, editing, retiring and activating
questions, each audited. Every problem is said in Chinese under the field it is about;
nothing is written while any is left."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from content import quiz_page_texts as texts
from models import Campaign, Material, QuizKind, QuizQuestion, audit, db
from quizzes.answers import LETTERS, MAX_OPTIONS, AnswerError, letters_of, read_letters

TEXT_MAX = 150
OPTION_MAX = 40
EXPLANATION_MAX = 500
JUDGE_OPTIONS = ("对", "错")
OPTION_FIELDS = tuple(f"option_{letter.lower()}" for letter in LETTERS)


@dataclass(frozen=True)
class QuestionInput:
    """A question as typed: every field text, options in order A to F (blanks kept)."""

    kind: str = ""
    text: str = ""
    options: tuple[str, ...] = ()
    answer: str = ""
    explanation: str = ""
    material: str = ""  # a material's slug or exact title
    campaign: str = ""  # a campaign's exact name


@dataclass(frozen=True)
class QuestionDraft:
    """A question that passed every check, ready to be stored."""

    kind: str
    text: str
    options: tuple[str, ...]
    answer: str
    explanation: str
    material_id: int | None
    campaign_id: int | None

    @property
    def stem_key(self) -> str:
        """The digest that makes two questions with the same text one."""
        return stem_key(self.text)


class BankError(ValueError):
    """A question that cannot be saved: field name → its problems, in Chinese."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__("; ".join(m for found in problems.values() for m in found))
        self.problems = problems

    @property
    def count(self) -> int:
        """How many problems there are."""
        return sum(len(found) for found in self.problems.values())


@dataclass
class Lookups:
    """Materials by slug and by title, campaigns by name: what a question may name."""

    materials: dict[str, int] = field(default_factory=dict)
    campaigns: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        """The active materials and every campaign (a few hundred rows at most)."""
        found = cls()
        for material_id, slug, title in db.session.execute(
                select(Material.id, Material.slug, Material.title).where(Material.active)):
            found.materials.setdefault(slug, material_id)
            found.materials.setdefault(_plain(title), material_id)
        for campaign_id, name in db.session.execute(select(Campaign.id, Campaign.name)):
            found.campaigns[_plain(name)] = campaign_id
        return found


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def stem_key(text: str) -> str:
    """A digest of the question's text with widths unified and every space removed."""
    return hashlib.sha1(_plain(text).encode()).hexdigest()


def parse_kind(value: str) -> str | None:
    """The kind an author wrote (单选 / 多选题 / 判断 / single …), or None."""
    return texts.KIND_WORDS.get(_plain(value).lower())


def _length(name: str, value: str, limit: int, template: str,
            problems: dict[str, list[str]], **params: Any) -> None:
    if len(value) > limit:
        problems.setdefault(name, []).append(template.format(limit=limit, length=len(value),
                                                             **params))


def _options(kind: str, typed: tuple[str, ...], problems: dict[str, list[str]]
             ) -> tuple[str, ...]:
    """The options of a choice question: A, B, … without gaps, each short and different."""
    if kind == QuizKind.JUDGE:
        return JUDGE_OPTIONS
    values = [value.strip() for value in typed[:MAX_OPTIONS]]
    while values and not values[-1]:
        values.pop()
    for index, value in enumerate(values):
        letter = LETTERS[index]
        if not value:
            problems.setdefault(OPTION_FIELDS[index], []).append(
                texts.OPTION_GAP.format(letter=letter))
            continue
        _length(OPTION_FIELDS[index], value, OPTION_MAX, texts.OPTION_TOO_LONG, problems,
                letter=letter)
        earlier = next((i for i in range(index) if _plain(values[i]) == _plain(value)), None)
        if earlier is not None:
            problems.setdefault(OPTION_FIELDS[index], []).append(
                texts.OPTION_TWICE.format(letter=letter, other=LETTERS[earlier]))
    if len(values) < 2:
        problems.setdefault("options", []).append(texts.OPTIONS_TOO_FEW)
    return tuple(values)


def _answer(kind: str, typed: str, count: int, problems: dict[str, list[str]]) -> str:
    """The answer's letters, checked against the kind and the options."""
    value = typed.strip()
    if not value:
        problems.setdefault("answer", []).append(texts.ANSWER_MISSING)
        return ""
    try:
        letters = read_letters(value, kind, count)
    except AnswerError as exc:
        if exc.reason == "not_judge":
            message = texts.ANSWER_JUDGE.format(value=value)
        elif exc.reason == "not_option":
            message = texts.ANSWER_NOT_OPTION.format(
                value=value, options="、".join(letters_of(count)) or "—")
        else:
            message = texts.ANSWER_GARBAGE.format(value=value)
        problems.setdefault("answer", []).append(message)
        return ""
    if kind == QuizKind.SINGLE and len(letters) != 1:
        problems.setdefault("answer", []).append(texts.ANSWER_SINGLE_MANY.format(value=value))
    elif kind == QuizKind.MULTIPLE and len(letters) < 2:
        problems.setdefault("answer", []).append(texts.ANSWER_MULTIPLE_ONE)
    return letters


def check_question(raw: QuestionInput, lookups: Lookups | None = None) -> QuestionDraft:
    """Every check of one question; BankError with all its problems, by field."""
    lookups = lookups or Lookups.load()
    problems: dict[str, list[str]] = {}
    kind = parse_kind(raw.kind) if raw.kind.strip() else None
    if not raw.kind.strip():
        problems["kind"] = [texts.KIND_MISSING]
    elif kind is None:
        problems["kind"] = [texts.KIND_UNKNOWN.format(value=raw.kind.strip())]
    text = raw.text.strip()
    if not text:
        problems["text"] = [texts.TEXT_MISSING]
    _length("text", text, TEXT_MAX, texts.TEXT_TOO_LONG, problems)
    options: tuple[str, ...] = ()
    answer = ""
    if kind is not None:
        options = _options(kind, raw.options, problems)
        answer = _answer(kind, raw.answer, len(options), problems)
    explanation = raw.explanation.strip()
    if not explanation:
        problems["explanation"] = [texts.EXPLANATION_MISSING]
    _length("explanation", explanation, EXPLANATION_MAX, texts.EXPLANATION_TOO_LONG, problems)
    material_id = campaign_id = None
    if raw.material.strip():
        material_id = lookups.materials.get(raw.material.strip()) or lookups.materials.get(
            _plain(raw.material))
        if material_id is None:
            problems["material"] = [texts.MATERIAL_UNKNOWN.format(value=raw.material.strip())]
    if raw.campaign.strip():
        campaign_id = lookups.campaigns.get(_plain(raw.campaign))
        if campaign_id is None:
            problems["campaign"] = [texts.CAMPAIGN_UNKNOWN.format(value=raw.campaign.strip())]
    if problems or kind is None:
        raise BankError(problems)
    return QuestionDraft(kind, text, options, answer, explanation, material_id, campaign_id)


def find_by_stem(keys: Iterable[str]) -> dict[str, QuizQuestion]:
    """The stored questions with these stem keys, by key."""
    wanted = list(set(keys))
    found: dict[str, QuizQuestion] = {}
    for start in range(0, len(wanted), 500):
        for question in db.session.scalars(select(QuizQuestion).where(
                QuizQuestion.stem_key.in_(wanted[start:start + 500]))):
            found[question.stem_key] = question
    return found


def snapshot(question: QuizQuestion) -> dict[str, Any]:
    """The fields an audit entry keeps of a question."""
    return {"kind": question.kind, "text": question.text, "options": list(question.options),
            "answer": question.answer, "explanation": question.explanation,
            "material_id": question.material_id, "campaign_id": question.campaign_id,
            "active": question.active}


def differs(question: QuizQuestion, draft: QuestionDraft) -> bool:
    """Would saving the draft change the stored question?"""
    return (question.kind, question.text, tuple(question.options), question.answer,
            question.explanation, question.material_id, question.campaign_id) != (
        draft.kind, draft.text, draft.options, draft.answer, draft.explanation,
        draft.material_id, draft.campaign_id)


def _fill(question: QuizQuestion, draft: QuestionDraft, now: datetime) -> None:
    question.kind, question.text = draft.kind, draft.text
    question.stem_key = draft.stem_key
    question.options, question.answer = list(draft.options), draft.answer
    question.explanation = draft.explanation
    question.material_id, question.campaign_id = draft.material_id, draft.campaign_id
    question.updated_at = now


def _refuse_twin(draft: QuestionDraft, question: QuizQuestion | None = None) -> None:
    twin = find_by_stem([draft.stem_key]).get(draft.stem_key)
    if twin is not None and twin is not question:
        raise BankError({"text": [texts.DUPLICATE_BANK.format(number=twin.number)]})


def create_question(draft: QuestionDraft, actor: str, now: datetime,
                    form_key: str | None = None, audited: bool = True) -> QuizQuestion:
    """Add the question (in the caller's transaction); BankError when its text is taken."""
    _refuse_twin(draft)
    question = QuizQuestion(created_by=actor, created_at=now, form_key=form_key, active=True)
    _fill(question, draft, now)
    db.session.add(question)
    db.session.flush()
    if audited:
        audit(actor, "quiz.create", question.number, question=question.id)
    return question


def update_question(question: QuizQuestion, draft: QuestionDraft, actor: str, now: datetime,
                    audited: bool = True) -> bool:
    """Save the draft over the question; False when nothing changes. Answers already given
    keep the result they had."""
    if not differs(question, draft):
        return False
    _refuse_twin(draft, question)
    before = snapshot(question)
    _fill(question, draft, now)
    db.session.flush()
    if audited:
        audit(actor, "quiz.update", question.number, question=question.id, before=before,
              after=snapshot(question))
    return True


def set_active(question: QuizQuestion, active: bool, actor: str, now: datetime) -> bool:
    """停用 / 启用; False when it already is. A retired question is drawn no more; today's
    sets that hold it may still answer it."""
    if question.active == active:
        return False
    question.active = active
    question.updated_at = now
    audit(actor, "quiz.activate" if active else "quiz.retire", question.number,
          question=question.id)
    return True
