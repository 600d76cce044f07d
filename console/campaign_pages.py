"""活动: campaigns such as 冬训 — the list, 新建 and 编辑 (the `campaign` CLI's checks, each
problem beside its field), one campaign's page with its progress per organisation and per
member (campaigns.progress, the one way of counting) and the .xlsx (console/reports.py). The
page's actions — the requirements added and removed, 提醒未完成的党员 and 结束活动 — are
console/campaign_actions.py's.

Admins do everything. Contacts see their own organisations' progress, read-only: every action
answers 403, and another organisation looks missing (404), as console/scope.py has it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

import clock
from bot import keys
from campaigns import progress
from campaigns.campaigns import (
    CampaignError,
    CampaignState,
    campaign_items,
    create_campaign,
    state_of,
    update_campaign,
)
from checkins.checkin import lecture_confirmed
from console import campaign_form as form
from console import once
from console.auth import guard, viewer
from console.broadcast_pages import audience_text
from console.scope import org_scope
from console.views import bp, not_found, page, paginate, paginate_list
from content import campaign_page_texts as ct
from content.titles import quoted
from models import (
    AuditEntry,
    Campaign,
    CampaignItem,
    CampaignItemKind,
    Lecture,
    Material,
    Member,
    MemberStatus,
    Organization,
    Role,
    Tag,
    db,
    utcnow,
)
from participation.settings import participation_settings

HISTORY_ROWS = 30
CHOICES_LIMIT = 500
STATUS_ORDER = {progress.Status.NOT_STARTED: 0, progress.Status.IN_PROGRESS: 1,
                progress.Status.DONE: 2}
NO_ORG = 0  # ?org=0: the members without a main organisation (admins)


@dataclass(frozen=True)
class MemberRow:
    """One audience member's line: who, where, and their progress (campaigns.progress)."""

    member_id: int
    name: str
    userid: str
    organization_id: int | None
    organization: str
    state: progress.MemberProgress

    @property
    def missing(self) -> list[progress.ItemProgress]:
        """The required items not done yet."""
        return [item for item in self.state.items if not item.done]


@dataclass(frozen=True)
class Scoped:
    """A campaign's progress as the viewer may see it: the members, their rows per
    organisation (lowest completion first) and the total."""

    found: dict[int, progress.MemberProgress]
    orgs: dict[int, int]  # member id → main organisation id
    rows: list[progress.OrgProgress]
    total: progress.OrgProgress


def find_campaign(campaign_id: int) -> Campaign | None:
    """The campaign with that id, or None."""
    return db.session.get(Campaign, campaign_id)


def back_to(campaign_id: int, anchor: str = "") -> Response:
    """A 303 to the campaign's page (at `anchor` when given)."""
    target = url_for(".campaign_detail", campaign_id=campaign_id) + (f"#{anchor}" if anchor
                                                                      else "")
    return redirect(target, 303)  # type: ignore[return-value]


def local_today() -> date:
    """The committee's calendar date now."""
    return clock.today(utcnow())


def scoped_progress(campaign: Campaign) -> Scoped:
    """The audience's progress (campaigns.progress), limited for a contact to the members
    whose main organisation is one of theirs (as 冬训进度 in chat counts them)."""
    found = progress.progress(campaign, progress.audience_ids(campaign))
    orgs = progress.main_organizations(found)
    scope = org_scope(viewer())
    if scope is not None:
        found = {m: state for m, state in found.items() if orgs.get(m) in scope}
    rows = progress.by_organization(found)
    return Scoped(found, orgs, rows, progress.totals(rows))


def member_rows(scoped: Scoped, org_id: int | None = None, status: str = ""
                ) -> list[MemberRow]:
    """The members' lines, not started first, then by organisation and name; `org_id` keeps
    one organisation's (NO_ORG: those without one), `status` one status."""
    names = dict(db.session.execute(select(Organization.id, Organization.name)).all())
    people = {member_id: (name, userid) for member_id, name, userid in db.session.execute(
        select(Member.id, Member.name, Member.userid).where(Member.status == MemberStatus.ACTIVE))
        if member_id in scoped.found}
    rows = []
    for member_id, state in scoped.found.items():
        org = scoped.orgs.get(member_id)
        if org_id is not None and (org or NO_ORG) != org_id:
            continue
        if status and state.status != status:
            continue
        name, userid = people.get(member_id, ("", ""))
        rows.append(MemberRow(member_id, name, userid, org, names.get(org, "") if org else "",
                              state))
    return sorted(rows, key=lambda r: (STATUS_ORDER[r.state.status], r.organization, r.name,
                                       r.member_id))


def item_text(item: CampaignItem) -> str:
    """A required item as admins read it."""
    if item.kind == CampaignItemKind.MATERIAL:
        return ct.ITEM_MATERIAL.format(title=quoted(item.title))
    if item.kind == CampaignItemKind.LECTURE:
        return ct.ITEM_LECTURE.format(title=item.title)
    return ct.ITEM_REFLECTIONS.format(count=item.count)


def missing_text(row: MemberRow) -> str:
    """What a member still has to do, in a few words."""
    parts = []
    for item in row.missing:
        if item.kind == CampaignItemKind.REFLECTION:
            parts.append(ct.MISSING_REFLECTIONS.format(have=item.have, need=item.need))
        else:
            parts.append(item.title)
    if not row.state.hours_done:
        parts.append(ct.MISSING_HOURS.format(hours=hours_text(row.state.hours),
                                             need=hours_text(row.state.required_hours)))
    return ct.JOIN.join(parts) or ct.MISSING_NONE


def hours_text(value: float) -> str:
    """Hours as people write them: 4, 4.5 (no trailing .0)."""
    return f"{round(float(value or 0), 2):g}"


def campaign_audience(campaign: Campaign) -> str:
    """The campaign's audience in Chinese: organisations and tags by name (a contact sees
    only its kind: other organisations stay out of sight)."""
    audience = dict(campaign.audience or {})
    if not viewer().is_admin and audience.get("kind") in ("orgs", "tags"):
        return ct.AUDIENCE_KINDS[str(audience["kind"])]
    if audience.get("kind") == "tags":
        names = dict(db.session.execute(select(Tag.wecom_tag_id, Tag.name)).all())
        audience["values"] = [names.get(int(v), v) if str(v).isdecimal() else v
                              for v in audience.get("values") or []]
    if audience.get("kind") == "roles":
        return " ".join([ct.AUDIENCE_KINDS["roles"], ct.JOIN.join(
            ct.ROLE_NAMES.get(str(v), str(v)) for v in audience.get("values") or [])])
    if audience.get("kind") in ct.AUDIENCE_KINDS and audience.get("kind") != "orgs":
        return " ".join([ct.AUDIENCE_KINDS[str(audience["kind"])], ct.JOIN.join(
            map(str, audience.get("values") or []))]).strip()
    return audience_text(audience)


def _page(template: str, code: int = 200, /, **context: Any) -> Response:
    """A campaign page with what every one of them shows: the texts and the words helpers."""
    return page(template, code, ct=ct, state_of=state_of, today=local_today(), item_text=item_text,
                hours_text=hours_text, campaign_audience=campaign_audience, **context)


# the list


@bp.get("/campaigns")
@guard(Role.ADMIN, Role.CONTACT)
def campaigns_listing() -> Response:
    """Every campaign, the latest first: its kind, period, state and audience."""
    rows = paginate(select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc()),
                    per_page=20)
    return _page("campaigns.html", rows=rows)


# 新建 / 编辑


def _form_page(campaign: Campaign | None, shown: dict[str, Any], errors: dict[str, str],
               key: str = "", code: int = 200) -> Response:
    return _page("campaign_form.html", code, campaign=campaign, form=shown, errors=errors,
                 key=key, kinds=ct.KIND_NAMES, audience_kinds=form.audience_kinds(),
                 choices=form.audience_choices(shown))


@bp.get("/campaigns/new")
@guard(Role.ADMIN)
def campaign_new() -> Response:
    """The empty form, with the one-time key that makes a double submit create one campaign."""
    return _form_page(None, form.blank(local_today()), {}, form.new_key())


def _already(key: str) -> Response | None:
    """Where a form already submitted goes: its campaign (or the list while it is being made)."""
    value = once.made(keys.campaign_form(key))
    if value is None:
        return None
    flash(ct.FORM_USED, "ok")
    target = (url_for(".campaign_detail", campaign_id=int(value)) if value.isdecimal()
              else url_for(".campaigns_listing"))
    return redirect(target, 303)  # type: ignore[return-value]


@bp.post("/campaigns/new")
@guard(Role.ADMIN)
def campaign_create() -> Response:
    """Create the campaign once per form key (audited); every problem beside its field and
    nothing written while any is left."""
    key = request.form.get("form_key", "")
    if not form.FORM_KEY.fullmatch(key):
        flash(ct.FORM_EXPIRED, "error")
        return _form_page(None, form.shown_echo(request.form), {}, form.new_key(), 400)
    repeated = _already(key)
    if repeated is not None:
        return repeated
    try:
        fields = form.read(request.form)
    except CampaignError as exc:
        db.session.rollback()
        errors = form.errors_of(exc)
        flash(ct.FORM_INVALID.format(count=len(errors)), "error")
        return _form_page(None, form.shown_echo(request.form), errors, key, 400)
    claim = keys.campaign_form(key)
    if not once.claim(claim):
        return _already(key) or redirect(url_for(".campaigns_listing"), 303)  # type: ignore
    try:
        campaign = create_campaign(viewer().actor, fields.name, fields.kind, fields.starts_on,
                                   fields.ends_on, fields.audience)
        made, name = campaign.id, campaign.name
        db.session.commit()
    except (CampaignError, IntegrityError) as exc:  # the name was taken in between
        db.session.rollback()
        once.release(claim)
        errors = (form.errors_of(exc) if isinstance(exc, CampaignError)
                  else {"name": ct.ERRORS["name_taken"]})
        flash(ct.FORM_INVALID.format(count=len(errors)), "error")
        return _form_page(None, form.shown_echo(request.form), errors, key, 400)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, made)
    flash(ct.CREATED.format(name=name), "ok")
    return back_to(made)


@bp.get("/campaigns/<int:campaign_id>/edit")
@guard(Role.ADMIN)
def campaign_edit(campaign_id: int) -> Response:
    """The campaign's fields in the form."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    return _form_page(campaign, form.shown_of(campaign), {})


@bp.post("/campaigns/<int:campaign_id>/edit")
@guard(Role.ADMIN)
def campaign_update(campaign_id: int) -> Response:
    """Save the form over the campaign (audited with before and after); every problem beside
    its field, nothing written while any is left."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    try:
        fields = form.read(request.form, campaign)
        changed = update_campaign(viewer().actor, campaign, fields.name, fields.kind,
                                  fields.starts_on, fields.ends_on, fields.audience)
        name = campaign.name
        db.session.commit()
    except (CampaignError, IntegrityError) as exc:  # IntegrityError: the name just taken
        db.session.rollback()
        errors = (form.errors_of(exc) if isinstance(exc, CampaignError)
                  else {"name": ct.ERRORS["name_taken"]})
        flash(ct.FORM_INVALID.format(count=len(errors)), "error")
        campaign = find_campaign(campaign_id)
        return _form_page(campaign, form.shown_echo(request.form), errors, code=400)
    flash(ct.SAVED.format(name=name) if changed else ct.UNCHANGED, "ok")
    return back_to(campaign_id)


# one campaign


def _material_choices(campaign: Campaign) -> list[Material]:
    """Active materials not yet required, newest first."""
    taken = [i.material_id for i in campaign_items(campaign) if i.material_id]
    query = select(Material).where(Material.active)
    if taken:
        query = query.where(Material.id.not_in(taken))
    return list(db.session.scalars(query.order_by(Material.published_on.desc(),
                                                  Material.id.desc()).limit(CHOICES_LIMIT)))


def _lecture_choices(campaign: Campaign) -> list[tuple[Lecture, bool]]:
    """The lectures within the campaign's period not yet required, and whether each is
    confirmed by its lecturer (only those may be required)."""
    start, end = progress.period_bounds(campaign)
    taken = [i.lecture_id for i in campaign_items(campaign) if i.lecture_id]
    query = (select(Lecture).options(selectinload(Lecture.topic), selectinload(Lecture.order),
                                     selectinload(Lecture.lecturer))
             .where(Lecture.starts_at >= start, Lecture.starts_at < end))
    if taken:
        query = query.where(Lecture.id.not_in(taken))
    return [(lecture, lecture_confirmed(lecture)) for lecture in db.session.scalars(
        query.order_by(Lecture.starts_at, Lecture.id).limit(CHOICES_LIMIT))]


def _history(campaign: Campaign) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.target == campaign.name, AuditEntry.action.startswith("campaign."))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(HISTORY_ROWS)))


def detail_page(campaign: Campaign, code: int = 200, errors: dict[str, str] | None = None,
                typed: dict[str, str] | None = None) -> Response:
    """The campaign page: what it is, what it requires, its progress and (admins) actions."""
    scoped = scoped_progress(campaign)
    admin = viewer().is_admin
    settings = participation_settings()
    return _page("campaign.html", code, campaign=campaign, items=campaign_items(campaign),
                 rows=paginate_list(scoped.rows), total=scoped.total, admin=admin,
                 errors=errors or {}, typed=typed or {},
                 materials=_material_choices(campaign) if admin else [],
                 lectures=_lecture_choices(campaign) if admin else [],
                 history=_history(campaign) if admin else [],
                 quiet=settings.quiet_hours, running=CampaignState.RUNNING)


@bp.get("/campaigns/<int:campaign_id>")
@guard(Role.ADMIN, Role.CONTACT)
def campaign_detail(campaign_id: int) -> Response:
    """One campaign: its period, audience, requirements and progress per organisation (a
    contact: their own organisations'); admins also edit, require, remind, export and close."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    return detail_page(campaign)


@bp.get("/campaigns/<int:campaign_id>/members")
@guard(Role.ADMIN, Role.CONTACT)
def campaign_members(campaign_id: int) -> Response:
    """Each member's progress and what they still have to do; ?org= one organisation (another
    organisation than a contact's own looks missing), ?status= one status."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    org_id = request.args.get("org", type=int)
    scope = org_scope(viewer())
    if org_id is not None and scope is not None and org_id not in scope:
        return not_found()
    status = request.args.get("status", "")
    if status not in set(progress.Status):
        status = ""
    scoped = scoped_progress(campaign)
    rows = member_rows(scoped, org_id, status)
    org_names = [(r.organization_id or NO_ORG, r.name or ct.NO_ORG) for r in scoped.rows]
    return _page("campaign_members.html", campaign=campaign, rows=paginate_list(rows),
                 org_id=org_id, status=status, orgs=org_names, missing_text=missing_text)
