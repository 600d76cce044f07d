"""党组织 / 党员: organisations and members with search, roles, roster import and export.

Admins see and change everything; contacts see their own organisations and members, read-only.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from flask import Response, flash, redirect, request, send_file, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

import clock
from console.auth import guard, viewer
from console.scope import limit_members, org_scope
from console.views import Page, bp, not_found, page, page_number, paginate
from content import console_texts as t
from models import Member, Membership, Organization, Role, RoleGrant, audit, db
from roster.manage import RosterError, grant_role, revoke_role
from roster.sheet_export import export_roster
from roster.sheet_read import SUFFIXES, SheetError
from roster.spreadsheet import import_roster


def _visible_orgs() -> list[Organization]:
    """The organisations the viewer may pick in filters, by name."""
    query = select(Organization).where(Organization.active).order_by(Organization.name)
    orgs = org_scope(viewer())
    if orgs is not None:
        query = query.where(Organization.id.in_(orgs))
    return list(db.session.scalars(query))


@bp.get("/orgs")
@guard(Role.ADMIN, Role.CONTACT)
def orgs_listing() -> Response:
    """Organisations with their kind, parent and member count."""
    q = request.args.get("q", "").strip()
    counts = (select(Membership.organization_id, func.count(Membership.id).label("members"))
              .join(Member, Member.id == Membership.member_id)
              .where(Member.status == "active").group_by(Membership.organization_id).subquery())
    query = (select(Organization, func.coalesce(counts.c.members, 0))
             .outerjoin(counts, counts.c.organization_id == Organization.id)
             .order_by(Organization.order, Organization.name))
    orgs = org_scope(viewer())
    if orgs is not None:
        query = query.where(Organization.id.in_(orgs))
    if q:
        query = query.where(Organization.name.contains(q, autoescape=True))
    number = page_number()
    total = int(db.session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0)
    rows = db.session.execute(query.limit(30).offset((number - 1) * 30)).all()
    return page("orgs.html", rows=Page(rows, number, 30, total), q=q)


@bp.get("/members")
@guard(Role.ADMIN, Role.CONTACT)
def members_listing() -> Response:
    """Members: search by name or userid, filter by organisation, role and status."""
    q = request.args.get("q", "").strip()
    org_id = request.args.get("org", type=int)
    role = request.args.get("role", "")
    status = request.args.get("status", "")
    query = select(Member).options(selectinload(Member.grants),
                                   selectinload(Member.memberships)
                                   .selectinload(Membership.organization))
    query = limit_members(query, Member.id, viewer())
    if q:
        query = query.where(or_(Member.name.contains(q, autoescape=True),
                                Member.userid.contains(q, autoescape=True)))
    if org_id:
        query = query.where(Member.id.in_(select(Membership.member_id)
                                          .where(Membership.organization_id == org_id)))
    if role in set(Role):
        query = query.where(Member.id.in_(select(RoleGrant.member_id)
                                          .where(RoleGrant.role == role)))
    if status in t.STATUS_NAMES:
        query = query.where(Member.status == status)
    members = paginate(query.order_by(Member.name, Member.id))
    return page("members.html", members=members, orgs=_visible_orgs(),
                filters={"q": q, "org": org_id, "role": role, "status": status})


def _member_in_scope(member_id: int) -> Member | None:
    query = limit_members(select(Member).where(Member.id == member_id), Member.id, viewer())
    return db.session.scalars(query).first()


@bp.get("/members/<int:member_id>")
@guard(Role.ADMIN, Role.CONTACT)
def member_detail(member_id: int) -> Response:
    """One member: organisations and roles (admins may grant and revoke)."""
    member = _member_in_scope(member_id)
    if member is None:
        return not_found()
    orgs = list(db.session.scalars(select(Organization).order_by(Organization.name)))
    return page("member.html", member=member, orgs=orgs)


@bp.post("/members/<int:member_id>/roles")
@guard(Role.ADMIN)
def member_roles(member_id: int) -> Response:
    """Grant or revoke one role (audited as role.grant / role.revoke)."""
    member = db.session.get(Member, member_id)
    if member is None:
        return not_found()
    action, role = request.form.get("action", ""), request.form.get("role", "")
    org_id = request.form.get("org", type=int)
    org = db.session.get(Organization, org_id) if org_id else None
    batch = request.form.get("batch", type=int)
    try:
        if action == "grant":
            grant_role(member, role, org, batch=batch)
            audit(viewer().actor, "role.grant", member.userid, role=role,
                  org=org.name if org else None, batch=batch)
        elif action == "revoke":
            revoke_role(member, role, org)
            audit(viewer().actor, "role.revoke", member.userid, role=role,
                  org=org.name if org else None)
        else:
            raise RosterError("choose grant or revoke")
    except RosterError as exc:
        db.session.rollback()
        message = t.ROLE_ORG_REQUIRED if role == Role.CONTACT and org is None else str(exc)
        flash(t.BAD_INPUT.format(detail=message), "error")
        return redirect(url_for(".member_detail", member_id=member_id), 303)  # type: ignore
    db.session.commit()
    flash(t.ROLE_DONE, "ok")
    return redirect(url_for(".member_detail", member_id=member_id), 303)  # type: ignore


@bp.get("/members/import")
@guard(Role.ADMIN)
def roster_import_form() -> Response:
    """The roster import form."""
    return page("import.html", report=None, problems=None)


@bp.post("/members/import")
@guard(Role.ADMIN)
def roster_import() -> Response:
    """Check (and unless 仅检查, apply) an uploaded roster: all or nothing, row by row report."""
    upload = request.files.get("file")
    suffix = Path(upload.filename or "").suffix.lower() if upload else ""
    if upload is None or suffix not in SUFFIXES:
        return page("import.html", 400, report=None, problems=[t.IMPORT_NO_FILE])
    dry_run = request.form.get("mode") != "apply"
    with tempfile.TemporaryDirectory(prefix="pioneer-import-") as folder:
        path = Path(folder) / f"roster{suffix}"
        upload.save(path)
        try:
            report = import_roster(path, actor=viewer().actor, dry_run=dry_run)
        except SheetError as exc:
            db.session.rollback()
            return page("import.html", 422, report=None, problems=exc.lines())
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return page("import.html", report=report, problems=None,
                heading=t.IMPORT_DRY_RUN if dry_run else t.IMPORT_DONE)


@bp.get("/members/export.xlsx")
@guard(Role.ADMIN)
def roster_export() -> Response:
    """The whole roster as .xlsx (the import's columns; imports back unchanged)."""
    with tempfile.TemporaryDirectory(prefix="pioneer-export-") as folder:
        path = Path(folder) / "roster.xlsx"
        count = export_roster(path)
        data = io.BytesIO(path.read_bytes())
    audit(viewer().actor, "roster.export", "roster.xlsx", members=count)
    db.session.commit()
    stamp = clock.today().strftime("%Y%m%d")
    return send_file(data, as_attachment=True, download_name=f"名册-{stamp}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument."
                              "spreadsheetml.sheet")
