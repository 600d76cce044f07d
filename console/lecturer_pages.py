"""讲师: the red-lecturer pool with figures, adding a lecturer through a member picker (search,
then 设为讲师 with the batch and specialties), changing a lecturer's batch and specialties,
撤销讲师, and a lecturer's page: their topics, lectures given, hours and ratings.

Admins only, but a lecturer sees their own page. Granting and revoking are `roles grant` and
`roles revoke` (roster.manage's grant_role / revoke_role, audited as role.grant / role.revoke
with before and after); each problem is said beside its field and nothing is written.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from console.auth import guard, viewer
from console.views import bp, forbidden, not_found, page, paginate, paginate_list
from content import lecturer_page_texts as lt
from lectures.rounds import MAX_BATCH, next_batch
from lectures.stats import for_lecturers, held_hours
from models import (
    Lecture,
    Member,
    Membership,
    MemberStatus,
    Rating,
    Role,
    RoleGrant,
    Topic,
    TopicLecturer,
    audit,
    db,
)
from roster.manage import RosterError, get_member, grant_role, revoke_role

MAX_SPECIALTIES = 200  # role_grants.specialties
CANDIDATES = 20
MAX_QUERY = 64
RATINGS_SHOWN = 20


def lecturer_role(member: Member) -> RoleGrant | None:
    """The member's lecturer grant, or None."""
    return next((g for g in member.grants if g.role == Role.LECTURER), None)


def _state(member: Member) -> dict[str, Any] | None:
    """The lecturer role as the audit records it: batch and specialties (None: not held)."""
    grant = lecturer_role(member)
    return None if grant is None else {"batch": grant.batch, "specialties": grant.specialties}


def candidates(q: str) -> list[Member]:
    """Active members matching `q` (name or userid) who are no lecturers yet, by name."""
    lecturers = select(RoleGrant.member_id).where(RoleGrant.role == Role.LECTURER)
    query = (select(Member).options(selectinload(Member.memberships)
                                    .selectinload(Membership.organization))
             .where(Member.status == MemberStatus.ACTIVE, Member.id.not_in(lecturers),
                    or_(Member.name.contains(q, autoescape=True),
                        Member.userid.contains(q, autoescape=True)))
             .order_by(Member.name, Member.userid).limit(CANDIDATES + 1))
    return list(db.session.scalars(query))


def _pool() -> list[RoleGrant]:
    return list(db.session.scalars(
        select(RoleGrant).join(Member, Member.id == RoleGrant.member_id)
        .where(RoleGrant.role == Role.LECTURER).options(selectinload(RoleGrant.member))
        .order_by(RoleGrant.batch, Member.name)))


def _listing(code: int = 200, errors: dict[str, str] | None = None,
             typed: dict[str, str] | None = None) -> Response:
    """The pool, and the picker with its search results (and any problems of a grant)."""
    typed = typed or {}
    q = (typed.get("q") or request.args.get("q", "")).strip()[:MAX_QUERY]
    grants = _pool()
    found = candidates(q) if q else []
    return page("lecturers.html", code, lt=lt, rows=paginate_list(grants),
                figures=for_lecturers([g.member for g in grants]), q=q,
                candidates=found[:CANDIDATES], more=len(found) > CANDIDATES,
                errors=errors or {}, typed=typed, next_batch=next_batch(),
                max_batch=MAX_BATCH, max_specialties=MAX_SPECIALTIES)


@bp.get("/lecturers")
@guard(Role.ADMIN)
def lecturers_listing() -> Response:
    """The lecturer pool with batch, specialties and figures; ?q= searches members to add."""
    return _listing()


def _ratings(member_id: int) -> list[tuple[Rating, Lecture]]:
    """The latest ratings of the lecturer's lectures, newest first."""
    rows = db.session.execute(
        select(Rating, Lecture).join(Lecture, Lecture.order_id == Rating.order_id)
        .options(selectinload(Lecture.topic))
        .where(Lecture.lecturer_id == member_id)
        .order_by(Rating.created_at.desc(), Rating.id.desc()).limit(RATINGS_SHOWN)).all()
    return [(rating, lecture) for rating, lecture in rows]


def _lecturer_page(member: Member, code: int = 200, errors: dict[str, str] | None = None,
                   typed: dict[str, str] | None = None) -> Response:
    """A lecturer's page: figures with hours, topics, lectures (newest first) and ratings."""
    lectures = paginate(select(Lecture).where(Lecture.lecturer_id == member.id)
                        .options(selectinload(Lecture.order), selectinload(Lecture.topic))
                        .order_by(Lecture.starts_at.desc(), Lecture.id.desc()))
    order_ids = [lec.order_id for lec in lectures.items if lec.order_id]
    ratings = {r.order_id: r for r in db.session.scalars(
        select(Rating).where(Rating.order_id.in_(order_ids)))} if order_ids else {}
    topics = list(db.session.scalars(
        select(Topic).join(TopicLecturer, TopicLecturer.topic_id == Topic.id)
        .where(TopicLecturer.member_id == member.id)
        .order_by(Topic.active.desc(), Topic.title)))
    return page("lecturer.html", code, lt=lt, member=member, grant=lecturer_role(member),
                lectures=lectures, ratings=ratings, topics=topics,
                figures=for_lecturers([member])[member.id], hours=held_hours(member.id),
                rated=_ratings(member.id), errors=errors or {}, typed=typed or {},
                max_batch=MAX_BATCH, max_specialties=MAX_SPECIALTIES)


@bp.get("/lecturers/<int:member_id>")
@guard(Role.ADMIN, Role.LECTURER)
def lecturer_detail(member_id: int) -> Response:
    """A lecturer's page: figures, hours, topics, lectures (newest first) and ratings; a
    lecturer sees only their own, and only admins get the forms."""
    if not viewer().is_admin and viewer().member_id != member_id:
        return forbidden()
    member = db.session.get(Member, member_id)
    if member is None or not member.has_role(Role.LECTURER):
        return not_found()
    return _lecturer_page(member)


def _read_grant(form: Any) -> tuple[Member | None, int | None, str | None, dict[str, str]]:
    """The member, batch and specialties a grant form names, and the problems by field."""
    errors: dict[str, str] = {}
    userid = form.get("userid", "").strip()
    member = None
    if not userid:
        errors["userid"] = lt.ERRORS["userid_required"]
    else:
        try:
            member = get_member(userid)
        except RosterError:
            errors["userid"] = lt.ERRORS["unknown_member"].format(userid=userid)
    if member is not None and not member.is_active:
        errors["userid"] = lt.ERRORS["inactive"].format(name=member.name)
    batch_text = form.get("batch", "").strip()
    batch = None
    if batch_text:
        if batch_text.isascii() and batch_text.isdecimal() and 1 <= int(batch_text) <= MAX_BATCH:
            batch = int(batch_text)
        else:
            errors["batch"] = lt.ERRORS["bad_batch"].format(limit=MAX_BATCH)
    specialties = form.get("specialties", "").strip()
    if len(specialties) > MAX_SPECIALTIES:
        errors["specialties"] = lt.ERRORS["specialties_too_long"].format(limit=MAX_SPECIALTIES)
    return member, batch, specialties or None, errors


def _batch_text(member: Member) -> str:
    grant = lecturer_role(member)
    return lt.GRANTED_BATCH.format(batch=grant.batch) if grant and grant.batch else ""


@bp.post("/lecturers/grant")
@guard(Role.ADMIN)
def lecturer_grant() -> Response:
    """设为讲师 (or change a lecturer's batch and specialties): `roles grant USERID lecturer
    --batch --specialties`, audited with before and after; problems beside their fields and
    nothing written. Empty batch or specialties leave them as they are."""
    member, batch, specialties, errors = _read_grant(request.form)
    typed = {name: request.form.get(name, "") for name in ("userid", "batch", "specialties",
                                                              "q")}
    on_page = request.form.get("back") == "page"
    if errors or member is None:
        db.session.rollback()
        flash(lt.FORM_INVALID.format(count=len(errors)), "error")
        if on_page and member is not None and member.has_role(Role.LECTURER):
            return _lecturer_page(member, 400, errors, typed)
        return _listing(400, errors, typed)
    db.session.get(Member, member.id, with_for_update=True)  # two admins at once: one grant
    before = _state(member)
    changed = grant_role(member, Role.LECTURER, batch=batch, specialties=specialties)
    name = member.name
    if changed:
        audit(viewer().actor, "role.grant", member.userid, role=Role.LECTURER, org=None,
              batch=batch, specialties=specialties, before=before, after=_state(member))
        db.session.commit()
        text = lt.GRANTED if before is None else lt.UPDATED
        flash(text.format(name=name, batch=_batch_text(member)), "ok")
    else:
        db.session.rollback()
        flash(lt.UNCHANGED.format(name=name), "ok")
    target = (url_for(".lecturer_detail", member_id=member.id) if on_page or before is None
              else url_for(".lecturers_listing"))
    return redirect(target, 303)  # type: ignore[return-value]


@bp.post("/lecturers/<int:member_id>/revoke")
@guard(Role.ADMIN)
def lecturer_revoke(member_id: int) -> Response:
    """撤销讲师: `roles revoke USERID lecturer`, audited with before and after; the topics that
    still list them are named (the menu is changed in 宣讲菜单)."""
    member = db.session.get(Member, member_id, with_for_update=True)
    if member is None:
        return not_found()
    before = _state(member)
    if before is None:
        flash(lt.NOT_LECTURER.format(name=member.name), "error")
        return redirect(url_for(".lecturers_listing"), 303)  # type: ignore[return-value]
    revoke_role(member, Role.LECTURER)
    audit(viewer().actor, "role.revoke", member.userid, role=Role.LECTURER, org=None,
          before=before, after=None)
    topics = len(db.session.scalars(select(TopicLecturer.id).where(
        TopicLecturer.member_id == member.id)).all())
    name = member.name
    db.session.commit()
    flash(lt.REVOKED_TOPICS.format(name=name, count=topics) if topics
          else lt.REVOKED.format(name=name), "ok")
    return redirect(url_for(".lecturers_listing"), 303)  # type: ignore[return-value]
