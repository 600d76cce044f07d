"""The hall's open slots: opening them (one, or a weekly pattern for the next weeks), closing
and reopening, changing the capacity, and the slots a contact may still book.

Everything writes in the caller's transaction and never commits; every change is audited
("hall.slots_add", "hall.slot_close", "hall.slot_open", "hall.slot_capacity")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

import clock
from bot.refusal import Refusal
from content import hall_texts as texts
from content.texts import local_time
from models import DEFAULT_HALL, HallSlot, audit, db

MAX_WEEKS = 26  # a pattern opens at most half a year ahead
MAX_CAPACITY = 1000
TIME_SPAN = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})")


class HallError(Refusal):
    """A refused slot, booking or decision; `reason` keys content.hall_texts.ERRORS."""

    ERRORS = texts.ERRORS


@dataclass(frozen=True)
class Pattern:
    """Slots to open: each of `weekdays` (0 = Monday) in `weeks` weeks from `first`, at each
    (start, end) wall-clock span, taking `capacity` visitors."""

    first: date
    weeks: int
    weekdays: tuple[int, ...]
    spans: tuple[tuple[time, time], ...]
    capacity: int
    hall: str = DEFAULT_HALL


def parse_spans(text: str) -> tuple[tuple[time, time], ...]:
    """"09:00-11:00, 14:00-16:00" as (start, end) pairs; HallError("times_bad") otherwise."""
    parts = [p.strip() for p in re.split(r"[,，、;；\s]+(?=\d)", text.strip()) if p.strip()]
    spans = []
    for part in parts:
        match = TIME_SPAN.fullmatch(part)
        if match is None:
            raise HallError("times_bad", text=part[:40])
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise HallError("times_bad", text=part[:40])
        start, end = time(h1, m1), time(h2, m2)
        if end <= start:
            raise HallError("slot_end_before_start")
        spans.append((start, end))
    if not spans:
        raise HallError("pattern_bad", weeks=MAX_WEEKS)
    return tuple(spans)


def check_capacity(capacity: int | None) -> int:
    """The capacity, or HallError("capacity_bad") for anything below one (or absurdly big)."""
    if capacity is None or not 1 <= capacity <= MAX_CAPACITY:
        raise HallError("capacity_bad")
    return capacity


def _taken(hall: str, starts: list[datetime]) -> set[datetime]:
    if not starts:
        return set()
    return set(db.session.scalars(select(HallSlot.starts_at).where(
        HallSlot.hall == hall, HallSlot.starts_at.in_(starts))))


def add_slots(pattern: Pattern, actor: str, now: datetime) -> tuple[list[HallSlot], int]:
    """Open the pattern's slots (audited once); the new slots and how many were skipped
    because they are past or exist already. HallError for a bad pattern or capacity."""
    check_capacity(pattern.capacity)
    if not 1 <= pattern.weeks <= MAX_WEEKS or not pattern.weekdays or not pattern.spans:
        raise HallError("pattern_bad", weeks=MAX_WEEKS)
    wanted: list[tuple[datetime, datetime]] = []
    for offset in range(pattern.weeks * 7):
        day = pattern.first + timedelta(days=offset)
        if day.weekday() in pattern.weekdays:
            wanted += [(clock.at(day, start), clock.at(day, end)) for start, end in pattern.spans]
    taken = _taken(pattern.hall, [start for start, _ in wanted])
    made = [HallSlot(hall=pattern.hall, starts_at=start, ends_at=end, capacity=pattern.capacity,
                     booked=0, open=True, created_by=actor, created_at=now)
            for start, end in wanted if start > now and start not in taken]
    db.session.add_all(made)
    db.session.flush()
    if made:
        audit(actor, "hall.slots_add", pattern.hall, count=len(made),
              first=made[0].starts_at.isoformat(), last=made[-1].starts_at.isoformat(),
              capacity=pattern.capacity, skipped=len(wanted) - len(made))
    return made, len(wanted) - len(made)


def add_slot(starts_at: datetime, ends_at: datetime, capacity: int, actor: str, now: datetime,
             hall: str = DEFAULT_HALL) -> HallSlot:
    """Open one slot (audited); HallError when it is past, ends before it starts, exists
    already or its capacity is below one."""
    check_capacity(capacity)
    if ends_at <= starts_at:
        raise HallError("slot_end_before_start")
    if starts_at <= now:
        raise HallError("slot_past", time=local_time(starts_at))
    if _taken(hall, [starts_at]):
        raise HallError("slot_exists", time=local_time(starts_at))
    slot = HallSlot(hall=hall, starts_at=starts_at, ends_at=ends_at, capacity=capacity, booked=0,
                    open=True, created_by=actor, created_at=now)
    db.session.add(slot)
    db.session.flush()
    audit(actor, "hall.slots_add", hall, count=1, first=starts_at.isoformat(),
          last=starts_at.isoformat(), capacity=capacity, skipped=0)
    return slot


def set_open(slot: HallSlot, is_open: bool, actor: str) -> bool:
    """Close a slot to new bookings or open it again (audited); False when it already was.
    Bookings already made stay as they are."""
    result = db.session.execute(
        update(HallSlot).where(HallSlot.id == slot.id, HallSlot.open.is_(not is_open))
        .values(open=is_open).execution_options(synchronize_session=False))
    db.session.refresh(slot)
    if result.rowcount != 1:
        return False
    audit(actor, "hall.slot_open" if is_open else "hall.slot_close", f"slot:{slot.id}",
          starts_at=slot.starts_at.isoformat())
    return True


def set_capacity(slot: HallSlot, capacity: int | None, actor: str) -> None:
    """Change the capacity (audited); refused below one or below what is booked, checked and
    written in one statement so a booking at the same moment cannot slip under it."""
    value = check_capacity(capacity)
    before = slot.capacity
    result = db.session.execute(
        update(HallSlot).where(HallSlot.id == slot.id, HallSlot.booked <= value)
        .values(capacity=value).execution_options(synchronize_session=False))
    db.session.refresh(slot)
    if result.rowcount != 1:
        raise HallError("capacity_below_booked", booked=slot.booked)
    audit(actor, "hall.slot_capacity", f"slot:{slot.id}", before=before, after=value,
          booked=slot.booked)


def find(slot_id: int | None) -> HallSlot | None:
    """The slot with this id, or None."""
    return db.session.get(HallSlot, slot_id) if slot_id else None


def bookable(now: datetime, limit: int = 10, hall: str | None = None) -> list[HallSlot]:
    """The next open slots that have not started and still have free places, soonest first."""
    query = select(HallSlot).where(HallSlot.open.is_(True), HallSlot.starts_at > now,
                                   HallSlot.booked < HallSlot.capacity)
    if hall is not None:
        query = query.where(HallSlot.hall == hall)
    return list(db.session.scalars(query.order_by(HallSlot.starts_at, HallSlot.id).limit(limit)))


def listing(since: datetime, limit: int = 200) -> list[HallSlot]:
    """The slots from `since` on (the console's table), soonest first."""
    return list(db.session.scalars(select(HallSlot).where(HallSlot.starts_at >= since)
                                   .order_by(HallSlot.starts_at, HallSlot.id).limit(limit)))


def free(slot: HallSlot) -> int:
    """Places still free in the slot."""
    return max(slot.capacity - slot.booked, 0)
