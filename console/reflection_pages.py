"""心得审核: the review queue with filters; feature, pass or return (one or many); export.

Scope and the one-verdict rule come from reflections.review: admins review everything,
contacts their organisations' members, nobody their own.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date, timedelta
from pathlib import Path

from flask import Response, flash, redirect, request, send_file, url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

import clock
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from console.auth import guard, viewer
from console.scope import limit_members, org_scope
from console.views import bp, date_arg, not_found, page, paginate
from content import console_texts as t
from models import (
    Member,
    Membership,
    Organization,
    Reflection,
    ReflectionPart,
    ReflectionStatus,
    Role,
    audit,
    db,
    utcnow,
)
from reflections.export import reflections_for, write_docx, write_xlsx
from reflections.review import ReviewError, can_review, notify_author, review

IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
MAX_BULK = 100
EXPORT_DAYS = 31


def _scoped(query: object) -> object:
    return limit_members(query, Reflection.member_id, viewer())  # type: ignore[arg-type]


def _visible(reflection_id: int) -> Reflection | None:
    """The reflection if the viewer's scope covers it (never a draft)."""
    query = select(Reflection).where(Reflection.id == reflection_id,
                                     Reflection.status != ReflectionStatus.DRAFT)
    return db.session.scalars(_scoped(query)).first()  # type: ignore[call-overload]


def _orgs() -> list[Organization]:
    query = select(Organization).where(Organization.active).order_by(Organization.name)
    orgs = org_scope(viewer())
    if orgs is not None:
        query = query.where(Organization.id.in_(orgs))
    return list(db.session.scalars(query))


@bp.get("/reflections")
@guard(Role.ADMIN, Role.CONTACT)
def reflections_listing() -> Response:
    """The queue: submitted reflections by default, oldest first; filter by status, org, text."""
    status = request.args.get("status", ReflectionStatus.SUBMITTED)
    org_id = request.args.get("org", type=int)
    q = request.args.get("q", "").strip()
    query = (select(Reflection).join(Member, Member.id == Reflection.member_id)
             .where(Reflection.status != ReflectionStatus.DRAFT)
             .options(selectinload(Reflection.member)))
    query = _scoped(query)  # type: ignore[assignment]
    if status in t.REFLECTION_STATUS_NAMES:
        query = query.where(Reflection.status == status)
    if org_id:
        query = query.where(Reflection.member_id.in_(
            select(Membership.member_id).where(Membership.organization_id == org_id)))
    if q:
        query = query.where(or_(Member.name.contains(q, autoescape=True),
                                Reflection.subject_title.contains(q, autoescape=True),
                                Reflection.text.contains(q, autoescape=True)))
    order = (Reflection.submitted_at, Reflection.id) if status == ReflectionStatus.SUBMITTED \
        else (Reflection.submitted_at.desc(), Reflection.id.desc())
    rows = paginate(query.order_by(*order), per_page=20)
    today = clock.today()
    return page("reflections.html", rows=rows, orgs=_orgs(),
                reviewable={r.id for r in rows.items if r.status == ReflectionStatus.SUBMITTED
                            and can_review(viewer().member, r)},
                filters={"status": status, "org": org_id, "q": q},
                export={"since": (today - timedelta(days=EXPORT_DAYS - 1)).isoformat(),
                        "until": today.isoformat()})


@bp.get("/reflections/<int:reflection_id>")
@guard(Role.ADMIN, Role.CONTACT)
def reflection_detail(reflection_id: int) -> Response:
    """One reflection in full, with its photos and the review form."""
    reflection = _visible(reflection_id)
    if reflection is None:
        return not_found()
    photos = [p for p in reflection.parts if p.kind == "image" and not p.superseded and p.image]
    reviewable = (reflection.status == ReflectionStatus.SUBMITTED
                  and can_review(viewer().member, reflection))
    return page("reflection.html", r=reflection, photos=photos, reviewable=reviewable)


@bp.get("/reflections/<int:reflection_id>/photos/<int:part_id>")
@guard(Role.ADMIN, Role.CONTACT)
def reflection_photo(reflection_id: int, part_id: int) -> Response:
    """One photo of a reflection the viewer may see."""
    reflection = _visible(reflection_id)
    part = db.session.get(ReflectionPart, part_id)
    if (reflection is None or part is None or part.reflection_id != reflection.id
            or not part.image or part.image_type not in IMAGE_TYPES):
        return not_found()
    return Response(part.image, mimetype=part.image_type)


@bp.post("/reflections/review")
@guard(Role.ADMIN, Role.CONTACT)
def reflections_review() -> Response:
    """Feature, pass or return the chosen reflections; each author is told after the commit."""
    verdict = request.form.get("verdict", "")
    comment = request.form.get("comment", "")
    ids = [int(v) for v in request.form.getlist("ids") if v.isdecimal()][:MAX_BULK]
    back = request.form.get("back", "")
    target = back if back.startswith("/console/") else url_for(".reflections_listing")
    if not ids:
        flash(t.REVIEW_NONE_CHOSEN, "error")
        return redirect(target, 303)  # type: ignore[return-value]
    outbox = Outbox(db.session)
    done, problems = 0, []
    now = utcnow()
    for reflection_id in ids:
        reflection = _visible(reflection_id)
        if reflection is None:
            problems.append(f"#{reflection_id}: {t.NOT_FOUND}")
            continue
        try:
            with db.session.begin_nested():
                review(viewer().actor, viewer().member, reflection, verdict, comment, now)
        except ReviewError as exc:
            problems.append(f"{reflection.number}: {t.REVIEW_ERRORS.get(exc.reason, str(exc))}")
            continue
        notify_author(outbox, reflection)
        done += 1
    db.session.commit()
    enqueue_deliveries(outbox.pending_ids())
    if done:
        flash(t.REVIEW_DONE.format(count=done), "ok")
    for problem in problems:
        flash(problem, "error")
    return redirect(target, 303)  # type: ignore[return-value]


@bp.get("/reflections/export.<fmt>")
@guard(Role.ADMIN, Role.CONTACT)
def reflections_export(fmt: str) -> Response:
    """The ledger of submitted reflections in a period as .docx or .xlsx (a contact: own org)."""
    if fmt not in ("docx", "xlsx"):
        return not_found()
    today = clock.today()
    since: date = date_arg("since") or today - timedelta(days=EXPORT_DAYS - 1)
    until: date = date_arg("until") or today
    org_id = request.args.get("org", type=int)
    org = db.session.get(Organization, org_id) if org_id else None
    scope = org_scope(viewer())
    if scope is not None and (org is None or org.id not in scope):
        flash(t.EXPORT_ORG_REQUIRED, "error")
        return redirect(url_for(".reflections_listing"), 303)  # type: ignore[return-value]
    if since > until:
        since, until = until, since
    rows = reflections_for(org, since, until)
    title = t.EXPORT_TITLE.format(since=since.isoformat(), until=until.isoformat())
    with tempfile.TemporaryDirectory(prefix="pioneer-reflections-") as folder:
        path = Path(folder) / f"reflections.{fmt}"
        if fmt == "docx":
            write_docx(path, rows, title, org.name if org else "")
        else:
            write_xlsx(path, rows)
        data = io.BytesIO(path.read_bytes())
    audit(viewer().actor, "reflection.export", org.name if org else "all", format=fmt,
          since=since.isoformat(), until=until.isoformat(), count=len(rows))
    db.session.commit()
    mimetype = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                if fmt == "docx" else
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"心得台账-{since:%Y%m%d}-{until:%Y%m%d}.{fmt}"
    return send_file(data, as_attachment=True, download_name=name, mimetype=mimetype)
