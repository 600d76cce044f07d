"""政治生活馆 · 开放时段: the hall's slots from today on, opening many at once (every chosen
weekday at the chosen times for the next N weeks), closing and reopening one, changing its
capacity (never below what is booked). Admins only; every change audited by hall.slots.
"""

from __future__ import annotations

import secrets
from datetime import date, timedelta

from flask import Response, abort, flash, redirect, request, url_for

import clock
from console import once
from console.auth import guard, viewer
from console.hall_pages import FORM_KEY, form_claim, int_field
from console.views import bp, local, not_found, page
from content import hall_texts as ht
from hall import slots
from hall.slots import HallError
from models import DEFAULT_HALL, HallSlot, Role, db, utcnow

SHOWN_SINCE = timedelta(days=7)  # the past week's slots stay on the page


def _page(code: int = 200, errors: dict[str, str] | None = None,
          typed: dict[str, str] | None = None) -> Response:
    now = utcnow()
    first = clock.today(now) + timedelta(days=1)
    defaults = {"first": first.isoformat(), "weeks": "4", "times": "09:00-11:00, 14:00-16:00",
                "capacity": "60", "hall": DEFAULT_HALL}
    return page("hall_slots.html", code, ht=ht, rows=slots.listing(now - SHOWN_SINCE), now=now,
                free=slots.free, form_key=secrets.token_urlsafe(18), errors=errors or {},
                typed={**defaults, **(typed or {})}, weekdays=_weekdays(typed))


def _weekdays(typed: dict[str, str] | None) -> set[int]:
    if typed is None:
        return {1, 3}  # Tuesday and Thursday
    return {int(v) for v in request.form.getlist("weekday") if v.isdecimal()}


@bp.get("/hall/slots")
@guard(Role.ADMIN)
def hall_slots() -> Response:
    """The slots from a week ago on, with booked and free places, and the form to open more."""
    return _page()


@bp.post("/hall/slots/new")
@guard(Role.ADMIN)
def hall_slots_add() -> Response:
    """开放时段: every chosen weekday at every time span for the next weeks, once per form;
    past and existing slots are skipped and counted."""
    typed = {name: request.form.get(name, "") for name in
             ("first", "weeks", "times", "capacity", "hall")}
    key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(key):
        flash(ht.FORM_EXPIRED, "error")
        return _page(400, typed=typed)
    claim = form_claim(key)
    if once.made(claim) is not None:
        flash(ht.FORM_USED, "ok")
        return redirect(url_for(".hall_slots"), 303)  # type: ignore[return-value]
    try:
        first = date.fromisoformat(typed["first"].strip())
    except ValueError:
        return _page(400, {"pattern": HallError("pattern_bad", weeks=slots.MAX_WEEKS).text()},
                     typed)
    try:
        pattern = slots.Pattern(first, int_field("weeks") or 0,
                                tuple(sorted(_weekdays(typed))), slots.parse_spans(typed["times"]),
                                int_field("capacity") or 0,
                                " ".join(typed["hall"].split())[:100] or DEFAULT_HALL)
        if not once.claim(claim):
            flash(ht.FORM_USED, "ok")
            return redirect(url_for(".hall_slots"), 303)  # type: ignore[return-value]
        made, skipped = slots.add_slots(pattern, viewer().actor, utcnow())
        db.session.commit()
    except HallError as error:
        db.session.rollback()
        once.release(claim)
        return _page(400, {"pattern": error.text()}, typed)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, len(made))
    flash((ht.ADDED_SKIPPED if skipped else ht.ADDED).format(made=len(made), skipped=skipped),
          "ok")
    return redirect(url_for(".hall_slots"), 303)  # type: ignore[return-value]


def _slot(slot_id: int) -> HallSlot:
    slot = slots.find(slot_id)
    if slot is None:
        abort(not_found())
    return slot


def _set_open(slot_id: int, is_open: bool) -> Response:
    """Close the slot to new bookings or open it again (a past one is not reopened)."""
    slot = _slot(slot_id)
    if is_open and slot.starts_at <= utcnow():
        flash(HallError("slot_past", time=local(slot.starts_at)).text(), "error")
    else:
        slots.set_open(slot, is_open, viewer().actor)
        db.session.commit()
        flash((ht.SLOT_OPENED if is_open else ht.SLOT_CLOSED).format(
            time=local(slot.starts_at)), "ok")
    return redirect(url_for(".hall_slots"), 303)  # type: ignore[return-value]


@bp.post("/hall/slots/<int:slot_id>/close")
@guard(Role.ADMIN)
def hall_slot_close(slot_id: int) -> Response:
    """关闭预约: no new bookings in the slot (those made stay)."""
    return _set_open(slot_id, False)


@bp.post("/hall/slots/<int:slot_id>/open")
@guard(Role.ADMIN)
def hall_slot_open(slot_id: int) -> Response:
    """重新开放: the slot takes bookings again (a past one is refused)."""
    return _set_open(slot_id, True)


@bp.post("/hall/slots/<int:slot_id>/capacity")
@guard(Role.ADMIN)
def hall_slot_capacity(slot_id: int) -> Response:
    """改容量: at least one, never below what is booked (one conditional statement)."""
    slot = _slot(slot_id)
    try:
        slots.set_capacity(slot, int_field("capacity"), viewer().actor)
        db.session.commit()
    except HallError as error:
        db.session.rollback()
        return _page(400, {f"slot-{slot_id}": error.text()})
    flash(ht.CAPACITY_SAVED.format(time=local(slot.starts_at), capacity=slot.capacity), "ok")
    return redirect(url_for(".hall_slots"), 303)  # type: ignore[return-value]
