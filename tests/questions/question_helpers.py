"""Helpers of the question box's tests: ask a question as a member at a moment, read rows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

from models import AuditEntry, Question, db, find_member, utcnow
from questions import box
from tests.helpers import SHANGHAI


def shanghai(text: str) -> datetime:
    """A Shanghai wall-clock time, e.g. "2026-11-30 23:59"."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def ask(app: Flask, userid: str, text: str = "党费按什么基数交？",
        when: datetime | None = None) -> int:
    """The member's question submitted and committed (as the chat pipeline would); its id."""
    with app.app_context():
        member = find_member(userid)
        assert member is not None
        question = box.submit(member, text, when or utcnow())
        db.session.commit()
        return question.id


def answer(app: Flask, question_id: int, text: str = "按月工资收入的比例交纳。",
           when: datetime | None = None, by: str = "管理员甲") -> None:
    """Answer the question as a console viewer would, and commit."""
    with app.app_context():
        question = db.session.get(Question, question_id)
        box.answer(question, text, by, "c-admin", when or utcnow())
        db.session.commit()


def question(app: Flask, question_id: int) -> dict[str, Any]:
    """The question's columns as a dict."""
    with app.app_context():
        row = db.session.get(Question, question_id)
        assert row is not None
        return {column.name: getattr(row, column.name) for column in Question.__table__.columns}


def audits(app: Flask, prefix: str = "question.") -> list[tuple[str, str, str]]:
    """(actor, action, target) of the question box's audit entries, in order."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action.startswith(prefix))
                                  .order_by(AuditEntry.id))
        return [(r.actor, r.action, r.target) for r in rows]
