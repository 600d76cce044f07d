"""讲师报名: lecturer applications by status, approved (with the batch) or declined with a reason;
and the rounds (第三批红色讲师报名) opened and closed here — members may apply in chat only
while one is open.

Admins only, like dispatching. The decisions are lectures.applications' own `approve` and
`decline` (one decision per application, audited); the applicant is told after the commit.
Rounds are lectures.rounds' `open_round` / `close_round` (audited); the open form carries a
one-time key, so submitting it twice opens one round.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from bot import keys
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from console import once
from console.auth import guard, viewer
from console.names import who
from console.views import bp, local, not_found, page, paginate
from content import console_texts as t
from content import lecturer_page_texts as lt
from lectures import applications as apps
from lectures import rounds
from models import ApplicationRound, LecturerApplication, Member, Membership, Role, db, utcnow

ALL = "all"
MAX_REASON = 500
FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def _status_arg(value: str | None) -> str:
    """A listing filter: one of the statuses or `all`; pending when absent or unknown."""
    return value if value in (*apps.STATUSES, ALL) else apps.PENDING


def round_counts(ids: list[int]) -> dict[int, int]:
    """How many applications each of these rounds received."""
    if not ids:
        return {}
    key = LecturerApplication.details["round"].as_integer()
    return {int(round_id): int(count) for round_id, count in db.session.execute(
        select(key, func.count(LecturerApplication.id)).where(key.in_(ids)).group_by(key))}


def _round_context(errors: dict[str, str] | None = None, typed: dict[str, str] | None = None
                   ) -> dict[str, Any]:
    """What the rounds' part of the page shows: the open round, the form, the history."""
    batch = rounds.next_batch()
    history = rounds.recent_rounds()
    return {"lt": lt, "current": rounds.current_round(), "history": history,
            "round_counts": round_counts([r.id for r in history]),
            "round_errors": errors or {}, "round_typed": typed or {},
            "round_key": secrets.token_urlsafe(16), "round_batch": batch,
            "round_name": rounds.default_name(batch), "max_round_name": rounds.MAX_NAME}


@bp.get("/lecturers/applications")
@guard(Role.ADMIN)
def applications_listing() -> Response:
    """Pending applications oldest first (the queue); approved, declined or all newest first;
    above them the open round (or the form that opens one)."""
    return _applications_page()


def _applications_page(code: int = 200, errors: dict[str, str] | None = None,
                       typed: dict[str, str] | None = None) -> Response:
    status = _status_arg(request.args.get("status"))
    query = select(LecturerApplication).options(
        selectinload(LecturerApplication.member).selectinload(Member.memberships)
        .selectinload(Membership.organization))
    if status != ALL:
        query = query.where(LecturerApplication.status == status)
    order = ((LecturerApplication.created_at, LecturerApplication.id) if status == apps.PENDING
             else (LecturerApplication.created_at.desc(), LecturerApplication.id.desc()))
    return page("applications.html", code, rows=paginate(query.order_by(*order)),
                status=status, statuses=(*apps.STATUSES, ALL), max_reason=MAX_REASON,
                max_batch=apps.MAX_BATCH, **_round_context(errors, typed))


def _back() -> Response:
    """To the list the form was posted from."""
    status = _status_arg(request.form.get("status"))
    target = url_for(".applications_listing", status=status)
    return redirect(target, 303)  # type: ignore[return-value]


def _refused(application_id: int, exc: apps.ApplicationError) -> Response:
    """Nothing was written: say why (a missing application gets the 404 page)."""
    db.session.rollback()
    application = db.session.get(LecturerApplication, application_id)
    if application is None:
        return page("notice.html", 404, title=t.NOT_FOUND_TITLE,
                    detail=t.APPLICATION_UNKNOWN.format(id=application_id))
    if exc.reason == "decided":
        flash(t.APPLICATION_ALREADY.format(
            status=t.APPLICATION_STATUS_NAMES.get(application.status, application.status),
            by=who(application.decided_by), at=local(application.decided_at)), "error")
    else:
        text = t.APPLICATION_ERRORS.get(exc.reason)
        limit = MAX_REASON if exc.reason.startswith("reason") else apps.MAX_BATCH
        flash(text.format(limit=limit) if text else str(exc), "error")
    return _back()


def _decided(outbox: Outbox, message: str) -> Response:
    """Commit the decision, then send the applicant's notice."""
    db.session.commit()
    enqueue_deliveries(outbox.pending_ids())
    flash(message, "ok")
    return _back()


@bp.post("/lecturers/applications/<int:application_id>/approve")
@guard(Role.ADMIN)
def application_approve(application_id: int) -> Response:
    """通过: the lecturer role with the batch applied for, or the one typed in."""
    typed = request.form.get("batch", "").strip()
    try:
        if typed and not (typed.isascii() and typed.isdecimal()):
            raise apps.ApplicationError(f"batch {typed!r} is not a number", "bad_batch")
        outbox = Outbox(db.session)
        row = apps.approve(viewer().actor, application_id, utcnow(), outbox,
                           batch=int(typed) if typed else None)
    except apps.ApplicationError as exc:
        return _refused(application_id, exc)
    return _decided(outbox, t.APPLICATION_APPROVED.format(name=row.member.name, batch=row.batch))


@bp.post("/lecturers/applications/<int:application_id>/decline")
@guard(Role.ADMIN)
def application_decline(application_id: int) -> Response:
    """不通过: a reason is required and sent to the applicant."""
    reason = request.form.get("reason", "").strip()
    try:
        if len(reason) > MAX_REASON:
            raise apps.ApplicationError("the reason is too long", "reason_too_long")
        outbox = Outbox(db.session)
        row = apps.decline(viewer().actor, application_id, reason, utcnow(), outbox)
    except apps.ApplicationError as exc:
        return _refused(application_id, exc)
    return _decided(outbox, t.APPLICATION_DECLINED.format(name=row.member.name))


# rounds (第三批红色讲师报名)


def _to_applications() -> Response:
    return redirect(url_for(".applications_listing"), 303)  # type: ignore[return-value]


def _round_error(exc: rounds.RoundError) -> tuple[str, str]:
    """(field, message) of a refused round."""
    if exc.reason == "open":
        found = rounds.current_round()
        return "form", lt.ROUND_ERRORS["open"].format(name=found.name if found else "")
    field = "batch" if exc.reason == "bad_batch" else "name"
    limit = rounds.MAX_BATCH if field == "batch" else rounds.MAX_NAME
    return field, lt.ROUND_ERRORS[exc.reason].format(limit=limit)


@bp.post("/lecturers/rounds/open")
@guard(Role.ADMIN)
def round_open() -> Response:
    """开放报名: a round with its name and batch, once per form key (audited); each problem
    beside its field and nothing written."""
    typed = {name: request.form.get(name, "") for name in ("name", "batch")}
    key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(key):
        flash(lt.ROUND_FORM_EXPIRED, "error")
        return _applications_page(400, {}, typed)
    claim = keys.round_form(key)
    if once.made(claim) is not None:
        flash(lt.ROUND_FORM_USED, "ok")
        return _to_applications()
    errors: dict[str, str] = {}
    batch_text = typed["batch"].strip()
    batch = int(batch_text) if batch_text.isascii() and batch_text.isdecimal() else 0
    try:
        rounds.check_name(typed["name"])
    except rounds.RoundError as exc:
        errors.update([_round_error(exc)])
    try:
        rounds.check_batch(batch)
    except rounds.RoundError as exc:
        errors.update([_round_error(exc)])
    if errors:
        flash(lt.FORM_INVALID.format(count=len(errors)), "error")
        return _applications_page(400, errors, typed)
    if not once.claim(claim):
        flash(lt.ROUND_FORM_USED, "ok")
        return _to_applications()
    try:
        row = rounds.open_round(viewer().actor, typed["name"], batch, utcnow())
        name, opened_batch = row.name, row.batch
        db.session.commit()
    except rounds.RoundError as exc:
        db.session.rollback()
        once.release(claim)
        field, message = _round_error(exc)
        flash(message, "error")
        return _applications_page(400, {field: message}, typed)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, row.id)
    flash(lt.ROUND_OPENED.format(name=name, batch=opened_batch), "ok")
    return _to_applications()


@bp.post("/lecturers/rounds/<int:round_id>/close")
@guard(Role.ADMIN)
def round_close(round_id: int) -> Response:
    """结束报名: members can no longer apply (audited); what came in may still be decided."""
    try:
        row = rounds.close_round(viewer().actor, round_id, utcnow())
    except rounds.RoundError as exc:
        db.session.rollback()
        if exc.reason == "unknown":
            return not_found()
        found = db.session.get(ApplicationRound, round_id)
        flash(lt.ROUND_ALREADY_CLOSED.format(name=found.name if found else ""), "error")
        return _to_applications()
    name = row.name
    db.session.commit()
    flash(lt.ROUND_CLOSED.format(name=name, count=round_counts([round_id]).get(round_id, 0)),
          "ok")
    return _to_applications()
