"""The question box: a member's question lands in the queue, staff answer it once (and may
correct the answer), the member is told in WeCom, and staff may publish it to the 问答库.

Everything here writes in the caller's transaction and never commits: the chat pipeline
commits a handler's writes with the message's processed record, the console page commits
after the call. Every change is audited ("question.submit", "question.answer",
"question.edit", "question.publish", "question.unpublish").
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from sqlalchemy import Select, false, func, select, update

import clock
from bot.outbox import Outbox
from content import questions_texts as texts
from models import (
    Member,
    OutboundMessage,
    Question,
    QuestionStatus,
    audit,
    db,
)
from roster.manage import main_organization_id

MAX_QUESTION = 500  # characters; a question longer than this is a letter, not a question
MAX_ANSWER = 2000  # characters; WeCom splits it into parts of 2048 bytes on the way


class QuestionError(ValueError):
    """A question or answer that cannot be taken: `reason` says why, the message in English.

    Reasons: empty, too_long (with `length` and `limit`), already_answered, not_answered,
    changed (the answer was edited since the form was opened).
    """

    def __init__(self, reason: str, message: str, length: int = 0, limit: int = 0) -> None:
        super().__init__(message)
        self.reason = reason
        self.length = length
        self.limit = limit


def clean(text: str, limit: int, what: str) -> str:
    """The text stripped; QuestionError("empty") or ("too_long") when it cannot be kept."""
    value = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value:
        raise QuestionError("empty", f"the {what} is empty")
    if len(value) > limit:
        raise QuestionError("too_long", f"the {what} has {len(value)} characters, at most "
                                        f"{limit}", length=len(value), limit=limit)
    return value


def submit(member: Member, text: str, now: datetime) -> Question:
    """Put the member's question in the queue (caller's transaction); QuestionError if bad."""
    value = clean(text, MAX_QUESTION, "question")
    question = Question(member_id=member.id, organization_id=main_organization_id(member.id),
                        text=value, asked_at=now, status=QuestionStatus.OPEN, published=False)
    db.session.add(question)
    db.session.flush()  # the id names it in the reply and the audit
    audit(member.userid, "question.submit", question.number, length=len(value),
          organization_id=question.organization_id)
    return question


def find(question_id: int) -> Question | None:
    """The question with this id, or None."""
    return db.session.get(Question, question_id)


def in_scope(question: Question, org_ids: frozenset[int] | None) -> bool:
    """Whether a viewer limited to `org_ids` (None: everything) may see and answer it."""
    return org_ids is None or question.organization_id in org_ids


def scoped(query: Select[Any], org_ids: frozenset[int] | None) -> Select[Any]:
    """The query of questions limited to those of these organisations (None: all)."""
    if org_ids is None:
        return query
    return query.where(Question.organization_id.in_(org_ids) if org_ids else false())


def answer(question: Question, text: str, answerer: str, actor: str, now: datetime
           ) -> Question:
    """Answer an open question once (audited); QuestionError("already_answered") if another
    answer came first, between the page being read and the form being sent."""
    value = clean(text, MAX_ANSWER, "answer")
    result = db.session.execute(
        update(Question).where(Question.id == question.id,
                               Question.status == QuestionStatus.OPEN)
        .values(status=QuestionStatus.ANSWERED, answer=value, answered_by=answerer[:100],
                answered_at=now)
        .execution_options(synchronize_session=False))
    db.session.refresh(question)
    if result.rowcount != 1:
        raise QuestionError("already_answered", f"{question.number} was already answered")
    audit(actor, "question.answer", question.number, answer=value, answerer=answerer,
          member=question.member.userid)
    return question


def version(question: Question) -> str:
    """A short digest of the current answer, carried by the edit form to notice a change."""
    return hashlib.sha256((question.answer or "").encode()).hexdigest()[:16]


def edit(question: Question, text: str, seen: str, answerer: str, actor: str, now: datetime
         ) -> bool:
    """Replace the answer whose `version` the editor saw with `text` (audited, before and
    after); False when the text is the same. QuestionError("changed") when someone else
    edited it meanwhile, ("not_answered") when there is no answer to correct."""
    value = clean(text, MAX_ANSWER, "answer")
    if question.is_open:
        raise QuestionError("not_answered", f"{question.number} has no answer to edit")
    before = question.answer
    if not hmac.compare_digest(version(question), seen):
        raise QuestionError("changed", f"the answer of {question.number} changed meanwhile")
    if value == before:
        return False
    result = db.session.execute(
        update(Question).where(Question.id == question.id,
                               Question.status == QuestionStatus.ANSWERED,
                               Question.answer == before)
        .values(answer=value, answered_by=answerer[:100], edited_at=now)
        .execution_options(synchronize_session=False))
    db.session.refresh(question)
    if result.rowcount != 1:  # another edit between our read and our write
        raise QuestionError("changed", f"the answer of {question.number} changed meanwhile")
    audit(actor, "question.edit", question.number, before=before, after=value,
          answerer=answerer, published=question.published)
    return True


def publish(question: Question, actor: str, now: datetime) -> bool:
    """Publish the question and its answer to the 问答库 (audited); False if it already was.
    QuestionError("not_answered") for a question without an answer."""
    if question.is_open:
        raise QuestionError("not_answered", f"{question.number} has no answer to publish")
    result = db.session.execute(
        update(Question).where(Question.id == question.id, Question.published.is_(False),
                               Question.status == QuestionStatus.ANSWERED)
        .values(published=True, published_at=now)
        .execution_options(synchronize_session=False))
    db.session.refresh(question)
    if result.rowcount != 1:
        return False
    audit(actor, "question.publish", question.number, answerer=question.answered_by)
    return True


def unpublish(question: Question, actor: str) -> bool:
    """Take the question out of the 问答库 (audited); False if it was not published."""
    result = db.session.execute(
        update(Question).where(Question.id == question.id, Question.published.is_(True))
        .values(published=False, published_at=None)
        .execution_options(synchronize_session=False))
    db.session.refresh(question)
    if result.rowcount != 1:
        return False
    audit(actor, "question.unpublish", question.number)
    return True


def day_text(moment: datetime) -> str:
    """A stored time as members read a date: 12月5日 (the committee's day)."""
    day = clock.local(moment)
    return texts.DATE.format(month=day.month, day=day.day)


def answer_notice(question: Question, edited: bool = False) -> str:
    """What the member is told when their question is answered (or the answer corrected)."""
    template = texts.ANSWER_EDITED_NOTICE if edited else texts.ANSWER_NOTICE
    return template.format(date=day_text(question.asked_at), number=question.number,
                           question=question.text, answer=question.answer or "",
                           by=question.answered_by or "")


def notify_member(outbox: Outbox, question: Question, edited: bool = False
                  ) -> list[OutboundMessage]:
    """Queue the answer to the member (sent after the commit); nothing to a member who left."""
    member = question.member
    if not member.is_active:
        return []
    return outbox.text([member.userid], answer_notice(question, edited), once=True)


def mine(member_id: int, limit: int) -> tuple[list[Question], int]:
    """The member's latest questions (newest first, at most `limit`) and how many there are."""
    query = select(Question).where(Question.member_id == member_id)
    rows = list(db.session.scalars(query.order_by(Question.asked_at.desc(), Question.id.desc())
                                   .limit(limit)))
    total = int(db.session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0)
    return rows, total


def published_questions() -> list[Question]:
    """The questions published to the 问答库 with their answers, latest first (what 问答
    searches besides the materials)."""
    return list(db.session.scalars(
        select(Question).where(Question.published.is_(True),
                               Question.status == QuestionStatus.ANSWERED)
        .order_by(Question.published_at.desc(), Question.id.desc())))


def published_stamp() -> tuple[int, datetime | None, datetime | None]:
    """What changes whenever the 问答库 changes (a publish, an unpublish, an edit of a published
    answer): its size and its latest publish and edit, for an index to know it is stale."""
    count, published, edited = db.session.execute(
        select(func.count(Question.id), func.max(Question.published_at),
               func.max(Question.edited_at))
        .where(Question.published.is_(True))).one()
    return int(count or 0), published, edited
