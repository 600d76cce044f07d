"""宣讲菜单: the lecture menu for admins — every topic (active and retired), create, edit,
retire and restore. The rules are content/topics.yaml's (lectures.topics, through
lectures.topic_edits); each problem is shown in Chinese beside its field, and nothing is
written while any is left.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from bot.fields import Invalid
from console.auth import guard, viewer
from console.views import bp, not_found, page, paginate
from content import console_texts as t
from content.titles import quoted
from lectures.topic_edits import (
    TopicFormError,
    create_topic,
    restore_topic,
    retire_topic,
    target,
    update_topic,
)
from lectures.topics import MINUTES, MODES
from models import (
    AuditEntry,
    LectureOrder,
    Member,
    MemberStatus,
    Role,
    RoleGrant,
    Topic,
    TopicLecturer,
    db,
    utcnow,
)

TEXT_FIELDS = ("slug", "title", "category", "summary")
WHOLE = re.compile(r"[+-]?\d{1,9}")
HISTORY_ROWS = 50


@dataclass(frozen=True)
class LecturerChoice:
    """A member the form offers as a lecturer; `usable` is False for a current lecturer of the
    topic who no longer may be one (left, or lost the role)."""

    userid: str
    name: str
    usable: bool


def error_text(name: str, problem: Invalid) -> str:
    """A check's problem said in Chinese, for the form beside the field."""
    message = (t.TOPIC_ERRORS.get(f"{name}.{problem.reason}")
               or t.TOPIC_ERRORS.get(problem.reason) or t.TOPIC_ERRORS["invalid"])
    return message.format(**problem.params)


def _errors(exc: TopicFormError) -> dict[str, list[str]]:
    return {name: [error_text(name, p) for p in found] for name, found in exc.problems.items()}


def form_raw(form: MultiDict[str, str]) -> dict[str, Any]:
    """The fields the form gave, as the checks take them: blank ones left out (so a required
    one is missing), minutes a number when it is written as one, modes and lecturers lists."""
    raw: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = form.get(name, "")
        if value.strip():
            raw[name] = value
    minutes = form.get("minutes", "").strip()
    if minutes:
        raw["minutes"] = int(minutes) if WHOLE.fullmatch(minutes) else minutes
    for name in ("modes", "lecturers"):
        chosen = [value for value in form.getlist(name) if value.strip()]
        if chosen:
            raw[name] = chosen
    return raw


def _form_of(topic: Topic) -> dict[str, Any]:
    """A stored topic as the form shows it."""
    return {"slug": topic.slug, "title": topic.title, "category": topic.category,
            "summary": topic.summary or "", "minutes": str(topic.minutes),
            "modes": list(topic.modes or []),
            "lecturers": [link.member.userid for link in topic.lecturers]}


def _form_echo(form: MultiDict[str, str]) -> dict[str, Any]:
    """A posted form as the form shows it again."""
    shown: dict[str, Any] = {name: form.get(name, "") for name in (*TEXT_FIELDS, "minutes")}
    shown["modes"] = form.getlist("modes")
    shown["lecturers"] = form.getlist("lecturers")
    return shown


def lecturer_choices(topic: Topic | None) -> list[LecturerChoice]:
    """Active members holding the lecturer role, by name; then the topic's lecturers who no
    longer qualify, marked, so the admin sees them and can take them off."""
    lecturers = select(RoleGrant.member_id).where(RoleGrant.role == Role.LECTURER)
    pool = list(db.session.scalars(
        select(Member).where(Member.id.in_(lecturers), Member.status == MemberStatus.ACTIVE)
        .order_by(Member.name, Member.userid)))
    choices = [LecturerChoice(m.userid, m.name, True) for m in pool]
    offered = {m.userid for m in pool}
    if topic is not None:
        choices += [LecturerChoice(link.member.userid, link.member.name, False)
                    for link in topic.lecturers if link.member.userid not in offered]
    return choices


def _categories() -> list[str]:
    return list(db.session.scalars(select(Topic.category).where(Topic.category != "")
                                   .distinct().order_by(Topic.category)))


def _form_page(topic: Topic | None, form: dict[str, Any], errors: dict[str, list[str]],
               key: str = "", code: int = 200) -> Response:
    history: list[AuditEntry] = []
    orders = 0
    if topic is not None:
        history = list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.target == target(topic), AuditEntry.action.startswith("topic."))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(HISTORY_ROWS)))
        orders = int(db.session.scalar(select(func.count(LectureOrder.id)).where(
            LectureOrder.topic_id == topic.id)) or 0)
    return page("topic.html", code, topic=topic, form=form, errors=errors, key=key,
                lecturers=lecturer_choices(topic), categories=_categories(), modes=MODES,
                minutes=MINUTES, history=history, orders=orders,
                problems=sum(len(found) for found in errors.values()))


def _topic(topic_id: int) -> Topic | None:
    return db.session.scalars(select(Topic).where(Topic.id == topic_id).options(
        selectinload(Topic.lecturers).selectinload(TopicLecturer.member))).first()


def _to(topic_id: int) -> Response:
    return redirect(url_for(".topic_detail", topic_id=topic_id), 303)  # type: ignore[return-value]


@bp.get("/topics")
@guard(Role.ADMIN)
def topics_listing() -> Response:
    """Every topic, active first, with its lecturers, state, origin and orders; ?state=
    active or retired narrows it."""
    state = request.args.get("state", "")
    query = select(Topic).options(selectinload(Topic.lecturers).selectinload(
        TopicLecturer.member)).order_by(Topic.active.desc(), Topic.id)
    if state == "active":
        query = query.where(Topic.active)
    elif state == "retired":
        query = query.where(~Topic.active)
    else:
        state = ""
    rows = paginate(query)
    ids = [topic.id for topic in rows.items]
    orders = dict(db.session.execute(
        select(LectureOrder.topic_id, func.count(LectureOrder.id))
        .where(LectureOrder.topic_id.in_(ids)).group_by(LectureOrder.topic_id)).all()
    ) if ids else {}
    return page("topics.html", rows=rows, state=state, orders=orders)


@bp.get("/topics/new")
@guard(Role.ADMIN)
def topic_new() -> Response:
    """The empty form, with the key that makes a double submit create one topic."""
    return _form_page(None, {"modes": [], "lecturers": []}, {}, secrets.token_urlsafe(16))


def _create(key: str) -> tuple[int, str]:
    """Create the topic of the posted form (committed): its id and title. A racing twin of
    the same form loses on the key and gets the winner's topic; TopicFormError otherwise."""
    for attempt in (1, 2):
        try:
            topic = create_topic(form_raw(request.form), viewer().actor, key, utcnow())
            made = topic.id, topic.title
            db.session.commit()
            return made
        except IntegrityError:  # the same form posted twice at once, or the slug just taken
            db.session.rollback()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


@bp.post("/topics/new")
@guard(Role.ADMIN)
def topic_create() -> Response:
    """Create the topic once per form key; every problem beside its field, nothing written."""
    key = request.form.get("form_key", "")
    if not 16 <= len(key) <= 64:
        flash(t.BAD_FORM, "error")
        return _form_page(None, _form_echo(request.form), {}, secrets.token_urlsafe(16), 400)
    try:
        topic_id, title = _create(key)
    except TopicFormError as exc:
        db.session.rollback()
        flash(t.TOPIC_FORM_INVALID.format(count=sum(len(p) for p in exc.problems.values())),
              "error")
        return _form_page(None, _form_echo(request.form), _errors(exc), key, 400)
    flash(t.TOPIC_CREATED.format(title=quoted(title)), "ok")
    return _to(topic_id)


@bp.get("/topics/<int:topic_id>")
@guard(Role.ADMIN)
def topic_detail(topic_id: int) -> Response:
    """One topic: the edit form, retire or restore, and its history."""
    topic = _topic(topic_id)
    if topic is None:
        return not_found()
    return _form_page(topic, _form_of(topic), {})


@bp.post("/topics/<int:topic_id>")
@guard(Role.ADMIN)
def topic_update(topic_id: int) -> Response:
    """Save the form over the topic (its slug stays); every problem beside its field."""
    topic = _topic(topic_id)
    if topic is None:
        return not_found()
    try:
        changed = update_topic(topic, form_raw(request.form), viewer().actor, utcnow())
        title = topic.title
        db.session.commit()
    except TopicFormError as exc:
        db.session.rollback()
        flash(t.TOPIC_FORM_INVALID.format(count=sum(len(p) for p in exc.problems.values())),
              "error")
        topic = _topic(topic_id)
        assert topic is not None
        return _form_page(topic, {**_form_echo(request.form), "slug": topic.slug},
                          _errors(exc), code=400)
    flash(t.TOPIC_SAVED.format(title=quoted(title)) if changed else t.TOPIC_UNCHANGED, "ok")
    return _to(topic_id)


@bp.post("/topics/<int:topic_id>/retire")
@guard(Role.ADMIN)
def topic_retire(topic_id: int) -> Response:
    """下架: off the chat's menu; orders keep pointing at it."""
    topic = _topic(topic_id)
    if topic is None:
        return not_found()
    title = topic.title
    if retire_topic(topic, viewer().actor, utcnow()):
        db.session.commit()
        flash(t.TOPIC_RETIRED.format(title=quoted(title)), "ok")
    else:
        flash(t.TOPIC_ALREADY.format(state=t.TOPIC_STATE_NAMES[False]), "error")
    return _to(topic_id)


@bp.post("/topics/<int:topic_id>/restore")
@guard(Role.ADMIN)
def topic_restore(topic_id: int) -> Response:
    """恢复上架, if the topic still passes the checks (its lecturers may have changed)."""
    topic = _topic(topic_id)
    if topic is None:
        return not_found()
    title = topic.title
    try:
        restored = restore_topic(topic, viewer().actor, utcnow())
    except TopicFormError as exc:
        db.session.rollback()
        reasons = "".join(t.TOPIC_FIELD_PROBLEM.format(field=t.TOPIC_FIELD_NAMES.get(name, name),
                                                       message=text)
                          for name, found in _errors(exc).items() for text in found)
        flash(t.TOPIC_RESTORE_REFUSED.format(title=quoted(title), reasons=reasons), "error")
        return _to(topic_id)
    if restored:
        db.session.commit()
        flash(t.TOPIC_RESTORED.format(title=quoted(title)), "ok")
    else:
        flash(t.TOPIC_ALREADY.format(state=t.TOPIC_STATE_NAMES[True]), "error")
    return _to(topic_id)
