"""Ordering a lecture (点单) as plain logic: who orders for what, reading answers, the order row.

The chat conversation in handlers/lectures.py asks the questions; everything it decides
with (organisations, audience, mode and address, creating and cancelling) lives here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, update

from content import lecture_texts as texts
from lectures.states import OrderError, allowed, find_order, transition
from models import (
    LectureMode,
    LectureOrder,
    Member,
    OrderStatus,
    Topic,
    db,
)

ADDRESS_MIN = 4
ADDRESS_MAX = 300  # the column's length
AUDIENCE = re.compile(r"(?:约|大约|大概|预计|估计|共|一共)?\s*(\d{1,9})\s*(?:人|名|位|个人)?"
                      r"\s*(?:左右|上下|以内)?[。.！!]?")
LEADING = "，,:：。;；、 \t"


def parse_audience(text: str) -> int | None:
    """The number in "40", "40人", "约40人左右"; None when the answer is not a number."""
    match = AUDIENCE.fullmatch(text.strip())
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class ModeAnswer:
    """How the lecture is held and where; `problem` names what is wrong with the answer."""

    mode: str | None = None
    address: str = ""
    problem: str | None = None


def _offline(address: str, modes: list[str]) -> ModeAnswer:
    address = address.strip(LEADING)
    if LectureMode.OFFLINE not in modes:
        return ModeAnswer(problem="offline_not_offered")
    if not address:
        return ModeAnswer(problem="address_missing")
    if len(address) < ADDRESS_MIN:
        return ModeAnswer(address=address, problem="address_short")
    if len(address) > ADDRESS_MAX:
        return ModeAnswer(problem="address_long")
    return ModeAnswer(LectureMode.OFFLINE, address)


def parse_mode(text: str, modes: list[str]) -> ModeAnswer:
    """"线上"/"直播" → live; "线下，<地址>" or just an address → offline, checked against modes."""
    text = text.strip()
    for word in texts.OFFLINE_WORDS:
        if text.startswith(word):
            return _offline(text[len(word):], modes)
    if any(word in text for word in texts.LIVE_WORDS):
        if LectureMode.LIVE not in modes:
            return ModeAnswer(problem="live_not_offered")
        return ModeAnswer(LectureMode.LIVE)
    return _offline(text, modes)


def slot_values(slots: list[datetime]) -> list[str]:
    """Start times as the order stores them: ISO strings in UTC."""
    return [slot.astimezone(UTC).isoformat() for slot in slots]


def slot_times(values: list[str]) -> list[datetime]:
    """Stored ISO strings back to aware datetimes."""
    return [datetime.fromisoformat(value) for value in values]


def create_order(contact: Member, organization_id: int, topic: Topic, slots: list[str],
                 audience: int, mode: str, address: str, submit_key: str,
                 now: datetime) -> tuple[LectureOrder, bool]:
    """The pending order for this submit key; False when it already existed (a retry)."""
    existing = db.session.scalars(
        select(LectureOrder).where(LectureOrder.submit_key == submit_key)).first()
    if existing is not None:
        return existing, False
    order = LectureOrder(organization_id=organization_id, contact_id=contact.id,
                         topic_id=topic.id, slots=list(slots), audience=audience, mode=mode,
                         address=address if mode == LectureMode.OFFLINE else "",
                         status=OrderStatus.PENDING, submit_key=submit_key, created_at=now,
                         updated_at=now)
    db.session.add(order)
    db.session.flush()
    return order, True




def recent_orders(organization_ids: list[int], limit: int = 10) -> list[LectureOrder]:
    """The organisations' newest orders first."""
    if not organization_ids:
        return []
    return list(db.session.scalars(
        select(LectureOrder).where(LectureOrder.organization_id.in_(organization_ids))
        .order_by(LectureOrder.id.desc()).limit(limit)))


def find_order_of(reference: str, organization_ids: list[int]) -> LectureOrder | None:
    """The order "DD-2026-0042" (or "42") if it belongs to one of the organisations."""
    order = find_order(reference)
    return order if order is not None and order.organization_id in organization_ids else None


def cancel_order(order: LectureOrder, contact: Member, now: datetime) -> None:
    """Cancel for the contact (pending or dispatched only); OrderError otherwise.

    The status is compared and set in one statement, so a lecturer accepting at the same
    moment wins or loses cleanly instead of being overwritten.
    """
    if allowed(order.status, OrderStatus.CANCELLED) != "contact":
        transition(order, OrderStatus.CANCELLED, contact.userid, as_role="contact", now=now)
    claimed = db.session.execute(
        update(LectureOrder).where(LectureOrder.id == order.id,
                                   LectureOrder.status == order.status)
        .values(updated_at=now).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        db.session.refresh(order)
        raise OrderError(f"order {order.number} changed to {order.status} meanwhile", "changed")
    transition(order, OrderStatus.CANCELLED, contact.userid, as_role="contact", now=now)
