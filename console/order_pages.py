"""点单: the order board by status, an order with the dispatch form (who is free, conflicts
marked) and rejecting (the lecturer pages are console/lecturer_pages.py).

Admins see and dispatch every order; contacts see their organisations' orders. Dispatch and
reject reuse lectures.dispatching (one winner per order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import false, func, select
from sqlalchemy.orm import selectinload

from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from console.auth import guard, viewer
from console.scope import org_scope
from console.views import bp, not_found, page, paginate
from content import console_texts as t
from lectures.availability import Candidate, free_lecturers
from lectures.dispatching import (
    DispatchError,
    dispatch,
    lecture_end,
    notify_contact_rejected,
    notify_lecturer,
    order_slots,
    reject,
)
from lectures.settings import lecture_settings
from models import (
    AuditEntry,
    LectureOrder,
    Member,
    OrderStatus,
    Rating,
    Role,
    db,
    utcnow,
)

BOARD = (OrderStatus.PENDING, OrderStatus.DISPATCHED, OrderStatus.CONFIRMED,
         OrderStatus.COMPLETED, OrderStatus.RATED)
BOARD_ITEMS = 8
HISTORY_ROWS = 50  # an order changes status a handful of times


@dataclass(frozen=True)
class SlotChoice:
    """One candidate time of an order with every lecturer of the topic and their conflicts."""

    number: int
    start: datetime
    past: bool
    candidates: list[Candidate]


def _orders_query() -> object:
    query = select(LectureOrder).options(selectinload(LectureOrder.topic),
                                         selectinload(LectureOrder.organization))
    orgs = org_scope(viewer())
    if orgs is not None:
        query = query.where(LectureOrder.organization_id.in_(orgs) if orgs else false())
    return query


def _order(order_id: int) -> LectureOrder | None:
    query = _orders_query().where(LectureOrder.id == order_id)  # type: ignore[attr-defined]
    return db.session.scalars(query).first()


@bp.get("/orders")
@guard(Role.ADMIN, Role.CONTACT)
def orders_listing() -> Response:
    """The board (a column per status) or, with ?status=, one status's orders paginated."""
    status = request.args.get("status", "")
    query = _orders_query()
    if status in t.ORDER_STATUS_NAMES:
        rows = paginate(query.where(LectureOrder.status == status)  # type: ignore[attr-defined]
                        .order_by(LectureOrder.created_at.desc(), LectureOrder.id.desc()))
        return page("orders.html", rows=rows, status=status, board=None)
    board = []
    for column in BOARD:
        in_column = query.where(LectureOrder.status == column)  # type: ignore[attr-defined]
        count = int(db.session.scalar(select(func.count()).select_from(
            in_column.order_by(None).subquery())) or 0)
        oldest_first = column == OrderStatus.PENDING
        ordering = (LectureOrder.created_at if oldest_first else LectureOrder.updated_at.desc(),
                    LectureOrder.id)
        items = list(db.session.scalars(in_column.order_by(*ordering).limit(BOARD_ITEMS)))
        board.append((column, count, items))
    return page("orders.html", rows=None, status="", board=board,
                other=[s for s in t.ORDER_STATUS_NAMES if s not in BOARD])


def _slot_choices(order: LectureOrder) -> list[SlotChoice]:
    """Every candidate time with the topic's lecturers, each free or with its conflict."""
    now, buffer = utcnow(), lecture_settings().travel_buffer
    choices = []
    for number, start in enumerate(order_slots(order), start=1):
        candidates = free_lecturers(order.topic, start, lecture_end(order, start), buffer)
        choices.append(SlotChoice(number, start, start <= now, candidates))
    return choices


@bp.get("/orders/<int:order_id>")
@guard(Role.ADMIN, Role.CONTACT)
def order_detail(order_id: int) -> Response:
    """One order: what was asked, lecture and rating, and (pending, admins) the dispatch form."""
    order = _order(order_id)
    if order is None:
        return not_found()
    rating = db.session.scalars(select(Rating).where(Rating.order_id == order.id)).first()
    history = list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.target == order.number, AuditEntry.action.startswith("order."))
        .order_by(AuditEntry.at, AuditEntry.id).limit(HISTORY_ROWS)))
    choices = (_slot_choices(order) if viewer().is_admin and order.status == OrderStatus.PENDING
               else [])
    return page("order.html", order=order, rating=rating, choices=choices,
                slots=order_slots(order), history=history)


def _back(order_id: int) -> Response:
    return redirect(url_for(".order_detail", order_id=order_id), 303)  # type: ignore[return-value]


@bp.post("/orders/<int:order_id>/dispatch")
@guard(Role.ADMIN)
def order_dispatch(order_id: int) -> Response:
    """派单: the chosen lecturer at the chosen time; the lecturer gets the card after commit."""
    order = db.session.get(LectureOrder, order_id)
    if order is None:
        return not_found()
    choice = request.form.get("choice", "")
    slot_text, _, lecturer_text = choice.partition(":")
    lecturer = db.session.get(Member, int(lecturer_text)) if lecturer_text.isdecimal() else None
    if not slot_text.isdecimal() or lecturer is None:
        flash(t.DISPATCH_CHOOSE, "error")
        return _back(order_id)
    outbox = Outbox(db.session)
    try:
        lecture = dispatch(order, lecturer, int(slot_text), viewer().actor, utcnow())
        notify_lecturer(outbox, order, lecture)
    except DispatchError as exc:
        db.session.rollback()
        flash(t.DISPATCH_ERRORS.get(exc.reason, str(exc)), "error")
        return _back(order_id)
    number, name = order.number, lecturer.name
    db.session.commit()
    enqueue_deliveries(outbox.pending_ids())
    flash(t.DISPATCH_DONE.format(number=number, lecturer=name), "ok")
    return _back(order_id)


@bp.post("/orders/<int:order_id>/reject")
@guard(Role.ADMIN)
def order_reject(order_id: int) -> Response:
    """驳回 with a reason; the contact is told after commit."""
    order = db.session.get(LectureOrder, order_id)
    if order is None:
        return not_found()
    reason = request.form.get("reason", "").strip()[:500]
    if not reason:
        flash(t.REJECT_REASON_REQUIRED, "error")
        return _back(order_id)
    outbox = Outbox(db.session)
    try:
        reject(order, reason, viewer().actor, utcnow())
        notify_contact_rejected(outbox, order)
    except DispatchError as exc:
        db.session.rollback()
        flash(t.DISPATCH_ERRORS.get(exc.reason, str(exc)), "error")
        return _back(order_id)
    number = order.number
    db.session.commit()
    enqueue_deliveries(outbox.pending_ids())
    flash(t.REJECT_DONE.format(number=number), "ok")
    return _back(order_id)
