"""Booking the hall: an organisation reserves places in a slot, a contact or an admin cancels,
an admin declines with a reason.

Places are reserved at once, with one conditional UPDATE
(`booked = booked + n WHERE id = :id AND open AND starts_at > now AND booked + n <= capacity`)
whose row count says whether they were free: two contacts booking the last places at once
cannot both get them, on SQLite (one writer at a time) as on PostgreSQL (the second UPDATE
waits for the first's row lock and then sees its booking). A decline or a cancellation gives
the places back the same way (`booked - n`), once, because the booking's status is moved in
a conditional UPDATE first. Everything writes in the caller's transaction and never commits;
every change is audited ("hall.book", "hall.decline", "hall.cancel")."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from checkins.checkin import contacts_of
from content import hall_texts as texts
from content.texts import local_time
from hall.slots import HallError
from models import Activity, HallSlot, Member, VisitBooking, VisitStatus, db
from models import audit as audit_entry

MAX_PURPOSE = 200  # characters
MAX_REASON = 200
MAX_PHONE = 32
LIVE = (VisitStatus.REQUESTED, VisitStatus.CONFIRMED)  # bookings that hold places
NUMBER = re.compile(r"(?:CG-?)?0*(\d{1,9})", re.IGNORECASE)


def number(booking: VisitBooking) -> str:
    """The booking's number as people read it: CG-00012."""
    return texts.NUMBER.format(id=booking.id)


def find(booking_id: int | None) -> VisitBooking | None:
    """The booking with this id, or None."""
    return db.session.get(VisitBooking, booking_id) if booking_id else None


def find_by_number(typed: str) -> VisitBooking | None:
    """The booking "CG-00012" (or "cg12", "12") names, or None."""
    match = NUMBER.fullmatch(typed.strip().replace(" ", ""))
    return find(int(match.group(1))) if match else None


def clean_text(text: str, limit: int, empty: str, too_long: str) -> str:
    """The text on one line, stripped; HallError(empty) or HallError(too_long) otherwise."""
    value = " ".join((text or "").split())
    if not value:
        raise HallError(empty)
    if len(value) > limit:
        raise HallError(too_long, limit=limit, length=len(value))
    return value


def clean_purpose(text: str) -> str:
    """The purpose of a visit, checked (not empty, at most MAX_PURPOSE characters)."""
    return clean_text(text, MAX_PURPOSE, "purpose_empty", "purpose_too_long")


def check_slot(slot: HallSlot | None, now: datetime) -> HallSlot:
    """The slot if it may take a booking now; HallError("no_slot"/"past"/"closed")."""
    if slot is None:
        raise HallError("no_slot")
    if slot.starts_at <= now:
        raise HallError("past", time=local_time(slot.starts_at))
    if not slot.open:
        raise HallError("closed", time=local_time(slot.starts_at))
    return slot


def check_size(slot: HallSlot, size: int | None) -> int:
    """The group size if the slot can take it as it stands; HallError otherwise (naming how
    many places are left)."""
    if size is None or size < 1:
        raise HallError("size_not_positive")
    if size > slot.capacity:
        raise HallError("size_over_capacity", size=size, capacity=slot.capacity)
    left = slot.capacity - slot.booked
    if left <= 0:
        raise HallError("full")
    if size > left:
        raise HallError("size_over_free", size=size, free=left)
    return size


def _reserve(slot_id: int, size: int, now: datetime) -> bool:
    """Take `size` places of the slot if it is open, not started and has them (one statement)."""
    result = db.session.execute(
        update(HallSlot)
        .where(HallSlot.id == slot_id, HallSlot.open.is_(True), HallSlot.starts_at > now,
               HallSlot.booked + size <= HallSlot.capacity)
        .values(booked=HallSlot.booked + size).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _release(slot_id: int, size: int) -> None:
    """Give `size` places of the slot back (one statement; never below zero)."""
    db.session.execute(
        update(HallSlot).where(HallSlot.id == slot_id, HallSlot.booked >= size)
        .values(booked=HallSlot.booked - size).execution_options(synchronize_session=False))


def by_key(message_key: str | None) -> VisitBooking | None:
    """The booking a message (or console form) made, if any."""
    if message_key is None:
        return None
    return db.session.scalars(select(VisitBooking).where(
        VisitBooking.message_key == message_key)).first()


def book(slot: HallSlot | None, organization_id: int, size: int | None, purpose: str,
         booked_by: str, now: datetime, contact: Member | None = None,
         message_key: str | None = None, phone: str = "", contact_name: str = ""
         ) -> tuple[VisitBooking, bool]:
    """Reserve `size` places of the slot for the organisation (audited); the booking and True,
    or the earlier booking of the same message key and False. HallError for bad input or when
    the places went meanwhile (saying how many are left); nothing is written then."""
    earlier = by_key(message_key)
    if earlier is not None:
        return earlier, False
    value = clean_purpose(purpose)
    slot = check_slot(slot, now)
    size = check_size(slot, size)
    try:
        with db.session.begin_nested():
            if not _reserve(slot.id, size, now):
                raise _why_not(slot, size, now)
            booking = VisitBooking(
                slot_id=slot.id, organization_id=organization_id,
                contact_id=contact.id if contact else None,
                contact_name=(contact.name if contact else " ".join(contact_name.split()))[:100],
                contact_phone=" ".join(phone.split())[:MAX_PHONE], group_size=size,
                purpose=value, status=VisitStatus.REQUESTED, booked_by=booked_by[:100],
                message_key=message_key, created_at=now)
            db.session.add(booking)
            db.session.flush()
    except IntegrityError:  # the same message or form, handled at the same moment, won
        found = by_key(message_key)
        if found is None:
            raise
        return found, False
    db.session.refresh(slot)
    audit_entry(booked_by, "hall.book", number(booking), organization_id=organization_id,
                slot=slot.id, size=size, purpose=value)
    return booking, True


def _why_not(slot: HallSlot, size: int, now: datetime) -> HallError:
    """Why the conditional UPDATE took no places: the slot as it stands now."""
    db.session.refresh(slot)
    try:
        check_slot(slot, now)
        check_size(slot, size)
    except HallError as error:
        return error
    return HallError("full")  # pragma: no cover - the row changed back between two reads


def move(booking: VisitBooking, before: tuple[str, ...], after: str, **values: object) -> bool:
    """Move the booking from one of `before` to `after` in one statement; False if another
    decision came first."""
    result = db.session.execute(
        update(VisitBooking).where(VisitBooking.id == booking.id,
                                   VisitBooking.status.in_(before))
        .values(status=after, **values).execution_options(synchronize_session=False))
    db.session.refresh(booking)
    return result.rowcount == 1


def status_name(booking: VisitBooking, now: datetime) -> str:
    """How the booking stands, in Chinese (a confirmed one whose slot started is 已参观)."""
    return texts.STATUS_NAMES[display_status(booking, now)]


def display_status(booking: VisitBooking, now: datetime) -> str:
    """The booking's status, "held" for a confirmed booking whose slot has started."""
    if booking.status == VisitStatus.CONFIRMED and booking.slot.starts_at <= now:
        return "held"
    return booking.status


def decline(booking: VisitBooking, reason: str, actor: str, now: datetime) -> None:
    """Decline a requested booking with a reason (audited), giving its places back."""
    value = clean_text(reason, MAX_REASON, "reason_empty", "reason_too_long")
    if not move(booking, (VisitStatus.REQUESTED,), VisitStatus.DECLINED, reason=value,
                 decided_by=actor[:100], decided_at=now):
        raise HallError("not_requested", number=number(booking),
                        status=status_name(booking, now))
    _release(booking.slot_id, booking.group_size)
    db.session.refresh(booking.slot)
    audit_entry(actor, "hall.decline", number(booking), reason=value,
                organization_id=booking.organization_id, size=booking.group_size)


def cancel(booking: VisitBooking, actor: str, now: datetime, reason: str = "") -> None:
    """Cancel a requested or confirmed booking whose slot has not started (audited), giving
    its places back and calling its visit off (no check-in)."""
    if booking.status in LIVE and booking.slot.starts_at <= now:
        raise HallError("already_held", number=number(booking),
                        time=local_time(booking.slot.starts_at))
    value = " ".join(reason.split())[:MAX_REASON]
    if not move(booking, LIVE, VisitStatus.CANCELLED, reason=value, decided_by=actor[:100],
                 decided_at=now):
        raise HallError("not_cancellable", number=number(booking),
                        status=status_name(booking, now))
    _release(booking.slot_id, booking.group_size)
    db.session.refresh(booking.slot)
    if booking.activity_id is not None:
        activity = db.session.get(Activity, booking.activity_id)
        if activity is not None and activity.cancelled_at is None:
            activity.cancelled_at = now
    audit_entry(actor, "hall.cancel", number(booking), reason=value,
                organization_id=booking.organization_id, size=booking.group_size)


def recipients(booking: VisitBooking) -> list[str]:
    """Who hears of a decision: the booking's contact, or the organisation's active contacts
    when that contact left."""
    if booking.contact is not None and booking.contact.is_active:
        return [booking.contact.userid]
    return [member.userid for member in contacts_of(booking.organization_id)]


def recent(organization_ids: list[int], limit: int = 10) -> list[VisitBooking]:
    """The organisations' newest bookings first."""
    if not organization_ids:
        return []
    return list(db.session.scalars(
        select(VisitBooking).where(VisitBooking.organization_id.in_(organization_ids))
        .order_by(VisitBooking.id.desc()).limit(limit)))
