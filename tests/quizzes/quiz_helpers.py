"""Helpers of the quiz tests: questions put in the bank, a member's cards and texts in the
sandbox's inbox, the question a member is on and its right (and a wrong) answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

from models import (
    Campaign,
    Material,
    Member,
    Participation,
    ParticipationKind,
    QuizAttempt,
    QuizKind,
    db,
    utcnow,
)
from quizzes.bank import QuestionDraft, create_question
from sandbox.server import SandboxServer

# (kind, text, options, answer): five questions, one of each kind at least
BANK: list[tuple[str, str, tuple[str, ...], str]] = [
    (QuizKind.SINGLE, "党员没有正当理由，连续几个月不交纳党费，就被认为是自行脱党？",
     ("三个月", "六个月", "九个月", "十二个月"), "B"),
    (QuizKind.SINGLE, "支部党员大会一般多长时间召开一次？",
     ("每月", "每季度", "每半年", "每年"), "B"),
    (QuizKind.MULTIPLE, "“三会一课”中的“三会”包括哪些？",
     ("支部党员大会", "支部委员会会议", "党小组会", "座谈会"), "ABC"),
    (QuizKind.JUDGE, "党支部书记每年至少为党员讲1次党课。", ("对", "错"), "A"),
    (QuizKind.JUDGE, "税后月工资3000元以下的党员按2%交纳党费。", ("对", "错"), "B"),
]


def add_material(app: Flask, slug: str = "dangfei", title: str = "微党课：按时足额交纳党费",
                 active: bool = True) -> int:
    """A material in the library; its id."""
    with app.app_context():
        material = Material(slug=slug, title=title, kind="micro_lesson", body="正文",
                            published_on=date(2026, 5, 20), active=active)
        db.session.add(material)
        db.session.commit()
        return material.id


def add_question(app: Flask, kind: str, text: str, options: tuple[str, ...], answer: str,
                 material_id: int | None = None, campaign_id: int | None = None,
                 explanation: str = "") -> int:
    """A question in the bank; its id."""
    with app.app_context():
        draft = QuestionDraft(kind, text, options, answer, explanation or f"解析：{text[:10]}",
                              material_id, campaign_id)
        question = create_question(draft, "test", utcnow())
        db.session.commit()
        return question.id


def fill_bank(app: Flask, material_id: int | None = None) -> list[int]:
    """The five questions of BANK; their ids."""
    return [add_question(app, kind, text, options, answer, material_id)
            for kind, text, options, answer in BANK]


def add_campaign(app: Flask, name: str, starts: date, ends: date) -> int:
    """A campaign for everyone; its id."""
    with app.app_context():
        campaign = Campaign(name=name, starts_on=starts, ends_on=ends,
                            audience={"kind": "all", "values": []}, created_by="test")
        db.session.add(campaign)
        db.session.commit()
        return campaign.id


def inbox(sandbox: SandboxServer, userid: str) -> list[dict[str, Any]]:
    """Everything message/send delivered to the member."""
    return sandbox.state.inbox_since(userid)


def cards(sandbox: SandboxServer, userid: str) -> list[dict[str, Any]]:
    """The member's template cards (inbox messages), oldest first."""
    return [m for m in inbox(sandbox, userid) if m["msgtype"] == "template_card"]


def pushed_texts(sandbox: SandboxServer, userid: str) -> list[str]:
    """The member's texts delivered by message/send, oldest first."""
    return [m["content"]["content"] for m in inbox(sandbox, userid) if m["msgtype"] == "text"]


@dataclass(frozen=True)
class Shown:
    """The question a member is on: its attempt, kind, right letters and a wrong answer."""

    attempt_id: int
    kind: str
    answer: str
    wrong: str
    position: int


def on_question(app: Flask, userid: str, attempt_id: int | None = None) -> Shown:
    """The member's first question not answered today (or the attempt named)."""
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == userid)).one()
        query = select(QuizAttempt).where(QuizAttempt.member_id == member.id)
        if attempt_id is not None:
            query = query.where(QuizAttempt.id == attempt_id)
        else:
            query = query.where(QuizAttempt.answered_at.is_(None)).order_by(
                QuizAttempt.day.desc(), QuizAttempt.position)
        attempt = db.session.scalars(query).first()
        assert attempt is not None
        question = attempt.question
        letters = "ABCDEF"[:len(question.options)]
        wrong = next(letter for letter in letters if letter != question.answer)
        return Shown(attempt.id, question.kind, question.answer, wrong, attempt.position)


def button(card: dict[str, Any], letters: str) -> str:
    """The key of a card's button for these letters (a vote card: its submit)."""
    content = card["content"]
    if "submit_button" in content:
        return content["submit_button"]["key"]
    [key] = [b["key"] for b in content["button_list"] if b["key"].endswith(":" + letters)]
    return key


def quiz_rows(app: Flask) -> list[tuple[str, str, int]]:
    """(userid, source, points) of every QUIZ ledger row."""
    with app.app_context():
        rows = db.session.scalars(select(Participation).where(
            Participation.kind == ParticipationKind.QUIZ).order_by(Participation.id)).all()
        return [(r.member.userid, r.source, r.points) for r in rows]


def attempts(app: Flask, userid: str) -> list[tuple[int, str | None, bool | None, int]]:
    """(position, choice, correct, points) of the member's attempts, in order."""
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == userid)).one()
        rows = db.session.scalars(select(QuizAttempt).where(QuizAttempt.member_id == member.id)
                                  .order_by(QuizAttempt.day, QuizAttempt.position)).all()
        return [(a.position, a.choice, a.correct, a.points) for a in rows]
