"""政治生活馆 · 参观预约: the year's bookings (by status), one booking with its decision, its
visitors and the link to its check-in, and the booking form.

Admins see and book for every organisation, and confirm or decline (with a reason) a requested
booking; a contact sees and books for their own organisations only (another organisation's
booking looks missing, 404, as the neighbouring pages answer), cancels one not yet held and
enters the guests after the visit. The contact is told of a decision in WeCom after the
commit. Every change is audited by hall/.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from sqlalchemy import Select, false, select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

import clock
from bot import keys
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from console import once
from console.auth import guard, viewer
from console.scope import org_scope
from console.views import bp, not_found, page, paginate
from content import hall_texts as ht
from hall import booking, notices, slots, visits
from hall.slots import HallError
from models import HallSlot, Organization, Role, VisitBooking, VisitStatus, db, utcnow

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
PER_PAGE = 30
SLOTS_OFFERED = 60


def form_claim(form_key: str) -> str:
    """The Redis key a hall form's one-time key is claimed under."""
    return f"{keys.PREFIX}:console:hall-form:{form_key}"


def int_field(name: str) -> int | None:
    """A whole number posted in the form, or None when empty or malformed."""
    value = request.form.get(name, "").strip()
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _year() -> int:
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else clock.year_of(utcnow())


def _filtered(query: Select[Any], status: str, now: datetime) -> Select[Any]:
    """Bookings of one status; "confirmed" is still to come, "held" has started (a visit)."""
    if status == "held":
        return query.where(VisitBooking.status == VisitStatus.CONFIRMED,
                           HallSlot.starts_at <= now)
    if status == "confirmed":
        return query.where(VisitBooking.status == VisitStatus.CONFIRMED,
                           HallSlot.starts_at > now)
    if status in (VisitStatus.REQUESTED, VisitStatus.DECLINED, VisitStatus.CANCELLED):
        return query.where(VisitBooking.status == status)
    return query


def _scoped(query: Select[Any], scope: frozenset[int] | None) -> Select[Any]:
    if scope is None:
        return query
    return query.where(VisitBooking.organization_id.in_(scope) if scope else false())


def _orgs(scope: frozenset[int] | None) -> list[Organization]:
    """The organisations the viewer may book for."""
    query = select(Organization).where(Organization.active).order_by(Organization.name)
    if scope is not None:
        query = query.where(Organization.id.in_(scope) if scope else false())
    return list(db.session.scalars(query))


def _listing(code: int = 200, errors: dict[str, str] | None = None,
             typed: dict[str, Any] | None = None) -> Response:
    """The bookings page (with the booking form, refilled after a refusal)."""
    status = request.args.get("status", "")
    status = status if status in ht.FILTERS else ""
    year, now, scope = _year(), utcnow(), org_scope(viewer())
    period = clock.year(year)
    query = (select(VisitBooking).join(HallSlot, HallSlot.id == VisitBooking.slot_id)
             .where(HallSlot.starts_at >= period.start, HallSlot.starts_at < period.end)
             .options(selectinload(VisitBooking.slot), selectinload(VisitBooking.organization),
                      selectinload(VisitBooking.activity)))
    query = _filtered(_scoped(query, scope), status, now)
    rows = paginate(query.order_by(HallSlot.starts_at.desc(), VisitBooking.id.desc()),
                    per_page=PER_PAGE)
    return page("hall_bookings.html", code, ht=ht, rows=rows, year=year, status=status,
                now=now, visitors=visits.visitors_of(rows.items), number=booking.number,
                status_of=lambda b: booking.display_status(b, now),
                offered=slots.bookable(now, SLOTS_OFFERED), orgs=_orgs(scope), free=slots.free,
                form_key=secrets.token_urlsafe(18), errors=errors or {}, typed=typed or {},
                limit=booking.MAX_PURPOSE)


@bp.get("/hall/bookings")
@guard(Role.ADMIN, Role.CONTACT)
def hall_bookings() -> Response:
    """The year's bookings, newest slot first, by status (全部, 待确认, 已确认, 已参观, …)."""
    return _listing()


def _booking(booking_id: int) -> VisitBooking:
    """The booking if the viewer may see it; 404 when missing or another organisation's."""
    row = booking.find(booking_id)
    scope = org_scope(viewer())
    if row is None or (scope is not None and row.organization_id not in scope):
        abort(not_found())
    return row


def checkin_link(row: VisitBooking) -> str | None:
    """The check-in page of the visit's activity, once the check-in pages serve activities."""
    if row.activity_id is None:
        return None
    try:
        return url_for("console.checkin_detail", kind="activity", target_id=row.activity_id)
    except BuildError:
        return None


def _detail(row: VisitBooking, code: int = 200, errors: dict[str, str] | None = None
            ) -> Response:
    now = utcnow()
    return page("hall_booking.html", code, ht=ht, b=row, number=booking.number(row),
                status=booking.display_status(row, now), held=visits.held(row, now),
                cancellable=row.status in booking.LIVE and row.slot.starts_at > now,
                visitors=visits.visitors(row), checkin_url=checkin_link(row),
                errors=errors or {}, limit=booking.MAX_REASON,
                year=clock.year_of(row.slot.starts_at))


@bp.get("/hall/bookings/<int:booking_id>")
@guard(Role.ADMIN, Role.CONTACT)
def hall_booking(booking_id: int) -> Response:
    """One booking: the organisation, the slot, the group, the decision, the visitors."""
    return _detail(_booking(booking_id))


def _to(row: VisitBooking) -> Response:
    return redirect(url_for(".hall_booking", booking_id=row.id), 303)  # type: ignore[return-value]


@bp.post("/hall/bookings/new")
@guard(Role.ADMIN, Role.CONTACT)
def hall_book() -> Response:
    """提交预约: reserve the places for an organisation of the viewer's (admins: any), once per
    form; a refusal (past, closed, too many, …) is shown beside the form, nothing written."""
    key = request.form.get("form_key", "")
    typed = {name: request.form.get(name, "") for name in
             ("slot_id", "org_id", "size", "purpose", "phone", "contact_name")}
    if not FORM_KEY.fullmatch(key):
        flash(ht.FORM_EXPIRED, "error")
        return _listing(400, typed=typed)
    claim = form_claim(key)
    made = once.made(claim)
    if made is not None:
        flash(ht.FORM_USED, "ok")
        return (redirect(url_for(".hall_booking", booking_id=int(made)), 303)  # type: ignore
                if made.isdecimal() else redirect(url_for(".hall_bookings"), 303))
    who, now = viewer(), utcnow()
    org_id = int_field("org_id")
    scope = org_scope(who)
    if org_id is None or db.session.get(Organization, org_id) is None or (
            scope is not None and org_id not in scope):
        return _listing(400, {"org_id": ht.NOT_YOUR_ORG}, typed)
    if not once.claim(claim):
        flash(ht.FORM_USED, "ok")
        return redirect(url_for(".hall_bookings"), 303)  # type: ignore[return-value]
    outbox = Outbox(db.session)
    try:
        row, _ = booking.book(slots.find(int_field("slot_id")), org_id, int_field("size"),
                              typed["purpose"], who.actor, now,
                              contact=who.member if scope is not None else None,
                              message_key=f"console:{key}", phone=typed["phone"],
                              contact_name=typed["contact_name"] or who.name)
        notices.to_admins(outbox, ht.ADMIN_NEW.format(
            number=booking.number(row), org=row.organization.name, time=notices.when(row),
            size=row.group_size, contact=row.contact_name, purpose=row.purpose))
        db.session.commit()
    except HallError as error:
        db.session.rollback()
        once.release(claim)
        flash(ht.FORM_INVALID, "error")
        return _listing(400, {"booking": error.text()}, typed)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, row.id)
    enqueue_deliveries(outbox.pending_ids())
    flash(ht.BOOKED.format(number=booking.number(row)), "ok")
    return _to(row)


def _decide(row: VisitBooking, action: str) -> Response:
    """Confirm, decline or cancel; the contact (or, for a contact's cancel, the admins) told
    after the commit; a refusal is flashed and nothing is written."""
    who, now, outbox = viewer(), utcnow(), Outbox(db.session)
    reason = request.form.get("reason", "")
    try:
        if action == "confirm":
            activity = visits.confirm(row, who.actor, now)
            notices.confirmed(outbox, row)
            done = ht.CONFIRMED.format(number=booking.number(row), code=activity.checkin_code)
        elif action == "decline":
            booking.decline(row, reason, who.actor, now)
            notices.declined(outbox, row)
            done = ht.DECLINED.format(number=booking.number(row))
        else:
            booking.cancel(row, who.actor, now, reason)
            if who.is_admin:
                notices.cancelled(outbox, row)
            else:
                notices.to_admins(outbox, ht.ADMIN_CANCELLED.format(
                    number=booking.number(row), who=who.name, org=row.organization.name,
                    time=notices.when(row), size=row.group_size))
            done = ht.CANCELLED_PAGE.format(number=booking.number(row))
        db.session.commit()
    except HallError as error:
        db.session.rollback()
        db.session.refresh(row)
        flash(error.text(), "error")
        return _detail(row, 400 if error.reason.startswith("reason") else 409,
                       {"reason": error.text()} if error.reason.startswith("reason") else None)
    enqueue_deliveries(outbox.pending_ids())
    flash(done, "ok")
    return _to(row)


@bp.post("/hall/bookings/<int:booking_id>/confirm")
@guard(Role.ADMIN)
def hall_booking_confirm(booking_id: int) -> Response:
    """确认预约: the visit's activity and check-in code; the contact is told (audited)."""
    return _decide(_booking(booking_id), "confirm")


@bp.post("/hall/bookings/<int:booking_id>/decline")
@guard(Role.ADMIN)
def hall_booking_decline(booking_id: int) -> Response:
    """拒绝: with a reason sent to the contact; the places are released (audited)."""
    return _decide(_booking(booking_id), "decline")


@bp.post("/hall/bookings/<int:booking_id>/cancel")
@guard(Role.ADMIN, Role.CONTACT)
def hall_booking_cancel(booking_id: int) -> Response:
    """取消预约: a booking not yet held; the places are released (audited)."""
    return _decide(_booking(booking_id), "cancel")


@bp.post("/hall/bookings/<int:booking_id>/guests")
@guard(Role.ADMIN, Role.CONTACT)
def hall_booking_guests(booking_id: int) -> Response:
    """保存人数: the guests of a held visit, from the total who came or directly (audited)."""
    row = _booking(booking_id)
    total, guests = int_field("total"), int_field("guests")
    bad = any(request.form.get(name, "").strip() and value is None
              for name, value in (("total", total), ("guests", guests)))
    try:
        if bad or (total is None and guests is None):
            raise HallError("guests_bad")
        counted = visits.set_guests(row, viewer().actor, utcnow(), total=total,
                                    guests=None if total is not None else guests)
        db.session.commit()
    except HallError as error:
        db.session.rollback()
        db.session.refresh(row)
        return _detail(row, 400, {"guests": error.text()})
    flash(ht.GUESTS_SAVED.format(members=counted.members, guests=counted.guests,
                                 total=counted.total), "ok")
    return _to(row)
