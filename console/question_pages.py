"""问题箱: the queue of members' questions to the committee (待答复 / 已答复 / 已发布), one
question with its answer form, the correction of an answer, and publishing to the 问答库.

Admins see every question; a contact sees the questions of their organisations' members (the
member's main organisation when asking, questions.box.scoped). A question outside a contact's
organisations is refused with 403 and a Chinese page saying so; an id that does not exist is
404. An answer is given once (a conditional UPDATE; the answer and edit forms also carry a
one-time key, so a double click sends the member one message); a second answer is refused and
points at 修改答复, which replaces the answer the editor saw and tells the member it changed.
Every change is audited by questions.box.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from bot import keys
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from console import once
from console.auth import guard, viewer
from console.scope import org_scope
from console.views import bp, local, not_found, page, paginate
from content import console_texts as t
from content import question_page_texts as qq
from models import Member, Organization, Question, QuestionStatus, Role, db, utcnow
from questions import box, figures

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
FILTERS = tuple(qq.FILTERS)
PER_PAGE = 30


def _filtered(query: Any, status: str) -> Any:
    """The query of questions limited to one filter of the queue."""
    if status == "open":
        return query.where(Question.status == QuestionStatus.OPEN)
    if status == "answered":
        return query.where(Question.status == QuestionStatus.ANSWERED)
    if status == "published":
        return query.where(Question.published.is_(True))
    return query


def _orgs() -> list[Organization]:
    """The organisations the viewer may filter by."""
    query = select(Organization).where(Organization.active).order_by(Organization.name)
    orgs = org_scope(viewer())
    if orgs is not None:
        query = query.where(Organization.id.in_(orgs))
    return list(db.session.scalars(query))


def _counts(org_ids: frozenset[int] | None) -> dict[str, int]:
    """How many questions each filter holds, in the viewer's scope."""
    found = {}
    for status in FILTERS:
        query = _filtered(box.scoped(select(Question.id), org_ids), status)
        found[status] = int(db.session.scalar(select(func.count()).select_from(
            query.subquery())) or 0)
    return found


@bp.get("/questions")
@guard(Role.ADMIN, Role.CONTACT)
def questions_listing() -> Response:
    """The queue: 待答复 (oldest first) by default; 已答复, 已发布 and 全部 newest first; by
    organisation and text."""
    status = request.args.get("status", "open")
    if status not in FILTERS:
        status = "open"
    org_id = request.args.get("org", type=int)
    q = request.args.get("q", "").strip()[:100]
    scope = org_scope(viewer())
    query = (box.scoped(select(Question), scope)
             .join(Member, Member.id == Question.member_id)
             .options(selectinload(Question.member), selectinload(Question.organization)))
    query = _filtered(query, status)
    if org_id:
        query = query.where(Question.organization_id == org_id)
    if q:
        query = query.where(or_(Member.name.contains(q, autoescape=True),
                                Question.text.contains(q, autoescape=True),
                                Question.answer.contains(q, autoescape=True)))
    order = ((Question.asked_at, Question.id) if status == "open"
             else (Question.asked_at.desc(), Question.id.desc()))
    rows = paginate(query.order_by(*order), per_page=PER_PAGE)
    return page("questions.html", qq=qq, rows=rows, orgs=_orgs(), counts=_counts(scope),
                filters={"status": status, "org": org_id, "q": q},
                overdue_before=figures.overdue_before(utcnow()), days=figures.DAYS_TO_ANSWER)


def _question(question_id: int) -> Question:
    """The question if the viewer may see it: 404 when there is none, 403 outside a contact's
    organisations (raised as the console's answers)."""
    question = box.find(question_id)
    if question is None:
        abort(not_found())
    if not box.in_scope(question, org_scope(viewer())):
        abort(page("notice.html", 403, title=t.FORBIDDEN_TITLE, detail=qq.OUT_OF_SCOPE))
    return question


def _detail(question: Question, code: int = 200, errors: dict[str, str] | None = None,
            typed: str | None = None) -> Response:
    """The question's page: its answer form while open, else the answer, the edit form and
    the 问答库 buttons."""
    return page("question.html", code, qq=qq, q=question, errors=errors or {},
                typed=typed if typed is not None else (question.answer or ""),
                form_key=secrets.token_urlsafe(18), limit=box.MAX_ANSWER,
                version=box.version(question))


def _to(question: Question) -> Response:
    return redirect(url_for(".question_detail", question_id=question.id), 303)  # type: ignore


def _error_text(exc: box.QuestionError, question: Question) -> str:
    """A refused answer or edit in Chinese."""
    return qq.ERRORS.get(exc.reason, str(exc)).format(
        number=question.number, by=question.answered_by or "", length=exc.length,
        limit=exc.limit, at=local(question.edited_at or question.answered_at))


@bp.get("/questions/<int:question_id>")
@guard(Role.ADMIN, Role.CONTACT)
def question_detail(question_id: int) -> Response:
    """One question: who asked, when, and its answer form or its answer."""
    return _detail(_question(question_id))


def _submit(question: Question, edit: bool) -> Response:
    """Answer (or correct the answer of) the question once per form key, tell the member
    after the commit; a refused text is shown again beside the form and nothing is written."""
    key = request.form.get("form_key", "")
    typed = request.form.get("answer", "")
    if not FORM_KEY.fullmatch(key):
        flash(qq.FORM_EXPIRED, "error")
        return _detail(question, 400, typed=typed)
    claim = keys.question_form(key)
    if once.made(claim) is not None:
        flash(qq.FORM_USED, "ok")
        return _to(question)
    try:
        box.clean(typed, box.MAX_ANSWER, "answer")
    except box.QuestionError as exc:
        flash(qq.FORM_INVALID, "error")
        return _detail(question, 400, {"answer": _error_text(exc, question)}, typed)
    if not once.claim(claim):
        flash(qq.FORM_USED, "ok")
        return _to(question)
    who, now, outbox = viewer(), utcnow(), Outbox(db.session)
    try:
        if edit:
            changed = box.edit(question, typed, request.form.get("version", ""), who.name,
                               who.actor, now)
        else:
            changed = bool(box.answer(question, typed, who.name, who.actor, now))
        sent = box.notify_member(outbox, question, edited=edit) if changed else []
        number, member = question.number, question.member.name
        db.session.commit()
    except box.QuestionError as exc:
        db.session.rollback()
        once.release(claim)
        db.session.refresh(question)
        flash(_error_text(exc, question), "error")
        return _detail(question, 409, typed=typed)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, question.id)
    enqueue_deliveries(outbox.pending_ids())
    if not changed:
        flash(qq.EDIT_SAME, "ok")
    elif edit:
        flash((qq.EDIT_SAVED if sent else qq.EDIT_SAVED_LEFT).format(number=number,
                                                                     member=member), "ok")
    else:
        flash((qq.ANSWER_SENT if sent else qq.ANSWER_SENT_LEFT).format(number=number,
                                                                       member=member), "ok")
    return _to(question)


@bp.post("/questions/<int:question_id>/answer")
@guard(Role.ADMIN, Role.CONTACT)
def question_answer(question_id: int) -> Response:
    """发送答复: the answer, once; the member gets it in WeCom (audited)."""
    return _submit(_question(question_id), edit=False)


@bp.post("/questions/<int:question_id>/edit")
@guard(Role.ADMIN, Role.CONTACT)
def question_edit(question_id: int) -> Response:
    """修改答复: replace the answer the editor saw; the member is told it changed (audited)."""
    return _submit(_question(question_id), edit=True)


@bp.post("/questions/<int:question_id>/publish")
@guard(Role.ADMIN, Role.CONTACT)
def question_publish(question_id: int) -> Response:
    """发布到问答库: the question and its answer (answerer and date kept) join the 问答库."""
    question = _question(question_id)
    try:
        done = box.publish(question, viewer().actor, utcnow())
    except box.QuestionError as exc:
        db.session.rollback()
        flash(_error_text(exc, question), "error")
        return _to(question)
    db.session.commit()
    flash((qq.PUBLISHED if done else qq.ALREADY_PUBLISHED).format(number=question.number),
          "ok")
    return _to(question)


@bp.post("/questions/<int:question_id>/unpublish")
@guard(Role.ADMIN, Role.CONTACT)
def question_unpublish(question_id: int) -> Response:
    """从问答库撤下: the question leaves the 问答库 (its answer stays with the member)."""
    question = _question(question_id)
    done = box.unpublish(question, viewer().actor)
    db.session.commit()
    flash((qq.UNPUBLISHED if done else qq.NOT_PUBLISHED).format(number=question.number), "ok")
    return _to(question)
