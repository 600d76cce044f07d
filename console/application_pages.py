"""讲师报名: lecturer applications by status, approved (with the batch) or declined with a reason.

Admins only, like dispatching. The decisions are lectures.applications' own `approve` and
`decline` (one decision per application, audited); the applicant is told after the commit.
"""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from console.auth import guard, viewer
from console.views import bp, local, page, paginate
from content import console_texts as t
from lectures import applications as apps
from models import LecturerApplication, Member, Membership, Role, db, utcnow

ALL = "all"
MAX_REASON = 500


def _status_arg(value: str | None) -> str:
    """A listing filter: one of the statuses or `all`; pending when absent or unknown."""
    return value if value in (*apps.STATUSES, ALL) else apps.PENDING


@bp.get("/lecturers/applications")
@guard(Role.ADMIN)
def applications_listing() -> Response:
    """Pending applications oldest first (the queue); approved, declined or all newest first."""
    status = _status_arg(request.args.get("status"))
    query = select(LecturerApplication).options(
        selectinload(LecturerApplication.member).selectinload(Member.memberships)
        .selectinload(Membership.organization))
    if status != ALL:
        query = query.where(LecturerApplication.status == status)
    order = ((LecturerApplication.created_at, LecturerApplication.id) if status == apps.PENDING
             else (LecturerApplication.created_at.desc(), LecturerApplication.id.desc()))
    return page("applications.html", rows=paginate(query.order_by(*order)), status=status,
                statuses=(*apps.STATUSES, ALL), max_reason=MAX_REASON, max_batch=apps.MAX_BATCH)


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
            by=application.decided_by or "", at=local(application.decided_at)), "error")
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
        if typed and not (typed.isascii() and typed.isdigit()):
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
