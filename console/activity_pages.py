"""活动: screenings of education films (教育片观看) and lectures the committee runs (党委宣讲) —
the list by kind and year, one activity with its check-ins, its attendees outside the roster,
correction and cancelling, and the forms that record them (each with a one-time key, so a
double submit records one). Check-in itself (code, QR, 代签, 请假, 结束签到) is the 签到 page's
(console.checkin_detail with kind="activity").

Admins see and record everything; a contact sees their organisations' screenings and the
committee lectures their organisations are audience of, records screenings for their own
organisations, and corrects only those (a lecture is the committee's: 403). Another
organisation's activity looks missing (404). The rules are activities.records'; every change
is audited there.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import clock
from activities import listing, notices, records
from activities.records import ActivityError
from bot import keys
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from checkins import checkin, manage
from console import activity_form as form
from console import once
from console.auth import guard, viewer
from console.checkin_pages import FORM_KEY
from console.scope import org_scope
from console.views import bp, not_found, page, paginate
from content import activity_texts as at
from models import (
    Activity,
    ActivityKind,
    AuditEntry,
    Organization,
    Role,
    db,
    utcnow,
)

HISTORY_ROWS = 30
YEARS_BACK = 4
KINDS = (ActivityKind.SCREENING, ActivityKind.LECTURE)


def _claim_key(key: str) -> str:
    """The Redis key a create form's one-time key is claimed under."""
    return f"{keys.PREFIX}:console:activity-form:{key}"


def _page(template: str, code: int = 200, /, **context: Any) -> Response:
    return page(template, code, at=at, number=records.activity_number,
                wall_value=form.wall_value, **context)


def _year_arg() -> int:
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= 2100 else clock.year_of(utcnow())


def _activity(activity_id: int) -> Activity:
    """The activity if the viewer may see it (404 otherwise, missing or not theirs)."""
    activity = db.session.get(Activity, activity_id)
    if activity is None or activity.kind not in KINDS or not listing.may_see(
            activity, org_scope(viewer())):
        abort(not_found())
    return activity


def _managed(activity_id: int) -> Activity:
    """The activity if the viewer may correct it (403 when they only may see it)."""
    activity = _activity(activity_id)
    if not listing.may_manage(activity, org_scope(viewer())):
        abort(403)
    return activity


def _to(activity: Activity | int) -> Response:
    ident = activity if isinstance(activity, int) else activity.id
    return redirect(url_for(".activity_detail", activity_id=ident), 303)  # type: ignore


# the list


@bp.get("/activities")
@guard(Role.ADMIN, Role.CONTACT)
def activities() -> Response:
    """Screenings and committee lectures of a year (?year=, default this one; ?kind=screening
    or lecture), latest first, each with its check-ins and attendees outside the roster."""
    year = _year_arg()
    kind = request.args.get("kind", "")
    kind = kind if kind in at.LISTED_KINDS else ""
    entries = paginate(listing.listing(org_scope(viewer()), kind, year))
    ids = [a.id for a in entries.items]
    counts = manage.counts_of([], [], ids)
    this_year = clock.year_of(utcnow())
    return _page("activities.html", entries=entries, kind=kind, year=year,
                 years=list(range(this_year + 1, this_year - YEARS_BACK, -1)),
                 counts={i: counts.get(("activity", i), (0, 0)) for i in ids})


# recording


def _organizations() -> list[Organization]:
    """The organisations the viewer may record a screening for (admins: every active one)."""
    query = select(Organization).where(Organization.active).order_by(
        Organization.order, Organization.name, Organization.id)
    scope = org_scope(viewer())
    if scope is not None:
        query = query.where(Organization.id.in_(scope))
    return list(db.session.scalars(query))


def _kind_arg(value: str) -> str:
    """The kind a form records; a lecture is admins' alone (403)."""
    kind = value if value in KINDS else ActivityKind.SCREENING
    if kind == ActivityKind.LECTURE and not viewer().is_admin:
        abort(403)
    return kind


def _form_page(kind: str, shown: dict[str, Any], errors: dict[str, str], key: str,
               code: int = 200) -> Response:
    organizations = _organizations()
    if kind == ActivityKind.SCREENING and not shown.get("organization") and len(
            organizations) == 1:
        shown = {**shown, "organization": str(organizations[0].id)}
    return _page("activity_new.html", code, kind=kind, shown=shown, errors=errors,
                 form_key=key, choices=form.choices(organizations, records.films()))


@bp.get("/activities/new")
@guard(Role.ADMIN, Role.CONTACT)
def activity_new() -> Response:
    """登记教育片观看 (?kind=screening, the default) or 登记党委宣讲 (?kind=lecture, admins)."""
    kind = _kind_arg(request.args.get("kind", ""))
    return _form_page(kind, {}, {}, secrets.token_urlsafe(18))


def _already(key: str) -> Response | None:
    """Where a form already submitted goes: the activity it made (or the list meanwhile)."""
    value = once.made(_claim_key(key))
    made: int | None = None
    if value is not None:
        made = int(value) if value.isdecimal() else 0
    else:
        made = db.session.scalar(select(Activity.id).where(Activity.form_key == key))
    if made is None:
        return None
    flash(at.FORM_USED, "ok")
    return _to(made) if made else redirect(url_for(".activities"), 303)  # type: ignore


def _create(kind: str, read: form.Read, key: str) -> Activity:
    """Write the activity the form describes (and, for a lecture, queue the notices)."""
    values, who, now = read.values, viewer(), utcnow()
    if kind == ActivityKind.SCREENING:
        return records.create_screening(who.actor, values["organization"], values["film"],
                                        values["when"], values["place"], now, key,
                                        values["notes"])
    return records.create_lecture(who.actor, values["title"], values["speaker"],
                                  values["speaker_member"], values["audience"], values["when"],
                                  values["place"], now, key, values["notes"])


@bp.post("/activities/new")
@guard(Role.ADMIN, Role.CONTACT)
def activity_create() -> Response:
    """Record the activity once per form key, with a fresh check-in code (audited); a
    lecture's audience contacts are told after the commit. Every problem beside its field and
    nothing written while any is left."""
    kind = _kind_arg(request.form.get("kind", ""))
    key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(key):
        flash(at.FORM_EXPIRED, "error")
        return _form_page(kind, form.shown_echo(request.form), {}, secrets.token_urlsafe(18),
                          400)
    repeated = _already(key)
    if repeated is not None:
        return repeated
    now = utcnow()
    scope = org_scope(viewer())
    read = (form.read_screening(request.form, now, lambda o: scope is None or o in scope)
            if kind == ActivityKind.SCREENING else form.read_lecture(request.form, now))
    if read.errors:
        db.session.rollback()
        flash(at.FORM_INVALID.format(count=len(read.errors)), "error")
        return _form_page(kind, form.shown_echo(request.form), read.errors, key, 400)
    claim = _claim_key(key)
    if not once.claim(claim):
        return _already(key) or redirect(url_for(".activities"), 303)  # type: ignore
    outbox = Outbox(db.session)
    try:
        activity = _create(kind, read, key)
        told = notices.announce(outbox, activity)
        made, code = activity.id, activity.checkin_code
        what = checkin.of_activity(activity).what
        db.session.commit()
    except IntegrityError:  # the same form, posted twice at once, was saved by the other
        db.session.rollback()
        once.release(claim)
        return _already(key) or redirect(url_for(".activities"), 303)  # type: ignore
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, made)
    enqueue_deliveries(outbox.pending_ids())
    flash(at.CREATED.format(what=what, code=code), "ok")
    if told:
        flash(at.NOTICE_SENT.format(count=told), "ok")
    return _to(made)


# one activity


def _history(activity: Activity) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.target == records.source(activity),
        AuditEntry.action.startswith("activity."))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(HISTORY_ROWS)))


def _detail(activity: Activity, code: int = 200, shown: dict[str, Any] | None = None,
            errors: dict[str, str] | None = None) -> Response:
    """The activity: what, when, where, who; its check-ins (with the link to the 签到 page),
    the guests, and for those who may the edit and cancel forms."""
    target = checkin.of_activity(activity)
    rows = manage.live_rows(target)
    present = sum(1 for r in rows if r.status == "present")
    scope = org_scope(viewer())
    may_manage = listing.may_manage(activity, scope)
    audience = db.session.scalars(select(Organization).where(Organization.id.in_(
        [a.organization_id for a in activity.audience])).order_by(Organization.name)).all()
    organizations = _organizations() if viewer().is_admin else []
    return _page("activity.html", code, activity=activity, target=target, rows=rows,
                 present=present, leave=len(rows) - present,
                 expected=manage.expected(activity, target),
                 state=manage.state_of(target, utcnow()), audience=audience,
                 may_manage=may_manage and activity.cancelled_at is None,
                 may_guests=may_manage and activity.cancelled_at is None,
                 shown=shown or form.shown_of(activity),
                 errors=errors or {}, history=_history(activity),
                 choices=form.choices(organizations, records.films()))


@bp.get("/activities/<int:activity_id>")
@guard(Role.ADMIN, Role.CONTACT)
def activity_detail(activity_id: int) -> Response:
    """One activity: its facts, check-ins, guests, correction and cancelling."""
    return _detail(_activity(activity_id))


@bp.post("/activities/<int:activity_id>/edit")
@guard(Role.ADMIN, Role.CONTACT)
def activity_update(activity_id: int) -> Response:
    """修改 (audited): every problem beside its field and nothing written while any is left;
    a lecture's audience is told of a new time or place."""
    activity = _managed(activity_id)
    changes, errors = form.read_changes(activity, request.form, utcnow())
    if changes is None:
        db.session.rollback()
        flash(at.FORM_INVALID.format(count=len(errors)), "error")
        return _detail(activity, 400, form.shown_echo(request.form), errors)
    before = (activity.starts_at, activity.place)
    outbox = Outbox(db.session)
    try:
        changed = records.edit(viewer().actor, activity, changes)
        if changed and (activity.starts_at, activity.place) != before:
            notices.announce(outbox, activity, changed=True)
        db.session.commit()
    except ActivityError as exc:
        db.session.rollback()
        flash(exc.text(), "error")
        return _to(activity_id)
    enqueue_deliveries(outbox.pending_ids())
    flash(at.SAVED_CONSOLE if changed else at.NOTHING_CHANGED, "ok")
    return _to(activity_id)


@bp.post("/activities/<int:activity_id>/cancel")
@guard(Role.ADMIN, Role.CONTACT)
def activity_cancel(activity_id: int) -> Response:
    """取消活动 (audited): check-in is refused from then; a lecture's audience is told."""
    activity = _managed(activity_id)
    outbox = Outbox(db.session)
    try:
        records.cancel(viewer().actor, activity, utcnow(), request.form.get("reason", ""))
        notices.announce_cancelled(outbox, activity)
        db.session.commit()
    except ActivityError as exc:
        db.session.rollback()
        flash(exc.text(), "error")
        return _to(activity_id)
    enqueue_deliveries(outbox.pending_ids())
    flash(at.CANCEL_DONE, "ok")
    return _to(activity_id)


@bp.post("/activities/<int:activity_id>/guests")
@guard(Role.ADMIN, Role.CONTACT)
def activity_guests(activity_id: int) -> Response:
    """名册外参加人数 (audited): attendees who are not in the roster, counted, not named."""
    activity = _managed(activity_id)
    try:
        guests = records.parse_guests(request.form.get("guests", ""))
        changed = records.set_guests(viewer().actor, activity, guests)
        db.session.commit()
    except ActivityError as exc:
        db.session.rollback()
        return _detail(activity, 400, errors={exc.field: exc.text()})
    flash(at.GUESTS_SAVED.format(guests=guests) if changed else at.NOTHING_CHANGED, "ok")
    return _to(activity_id)

