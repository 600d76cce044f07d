"""The order state machine, enforced on the server; every transition is audited."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

import clock
from models import LectureOrder, OrderStatus, audit, db

S = OrderStatus
NUMBER = re.compile(r"(?:DD-(\d{4})-)?0*(\d{1,9})", re.IGNORECASE)
# who may move an order from one state to another
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.PENDING, S.DISPATCHED): "admin",  # 派单
    (S.PENDING, S.REJECTED): "admin",  # 驳回, with a reason
    (S.PENDING, S.CANCELLED): "contact",  # 取消点单
    (S.DISPATCHED, S.CANCELLED): "contact",  # still before the lecturer confirmed
    (S.DISPATCHED, S.CONFIRMED): "lecturer",  # 接单
    (S.DISPATCHED, S.PENDING): "lecturer",  # 拒单: back to the admins' queue, with a reason
    (S.CONFIRMED, S.COMPLETED): "system",  # the lecture's end time passed
    (S.COMPLETED, S.RATED): "contact",  # 评单
}

STATUS_NAMES = {
    S.PENDING: "待受理",
    S.DISPATCHED: "已派单",
    S.CONFIRMED: "已确认",
    S.COMPLETED: "已完成",
    S.RATED: "已评价",
    S.CANCELLED: "已取消",
    S.REJECTED: "已驳回",
}


class OrderError(ValueError):
    """A transition the state machine refuses; `reason` names why, for a Chinese text."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def allowed(current: str, target: str) -> str | None:
    """Who may make this transition, or None if it is not a transition at all."""
    return TRANSITIONS.get((current, target))


def transition(order: LectureOrder, target: str, actor: str, as_role: str, now: datetime,
               reason: str | None = None) -> None:
    """Move the order to `target` if the machine allows it for this role; audit it."""
    who = allowed(order.status, target)
    if who is None:
        raise OrderError(f"order {order.number} cannot go from {order.status} to {target}",
                         "invalid_transition")
    if who != as_role:
        raise OrderError(f"only a {who} may move order {order.number} to {target}",
                         "not_allowed")
    if target in (S.REJECTED,) and not (reason or "").strip():
        raise OrderError("a rejection needs a reason", "reason_required")
    previous = order.status
    order.status = target
    order.updated_at = now
    if reason:
        order.reason = reason.strip()
    audit(actor, f"order.{target}", order.number, previous=previous, reason=reason)


def find_order(reference: str) -> LectureOrder | None:
    """The order "DD-2026-0042" (or "42"; case and full-width forgiven), or None."""
    match = NUMBER.fullmatch(unicodedata.normalize("NFKC", reference).strip())
    if match is None:
        return None
    order = db.session.get(LectureOrder, int(match.group(2)))
    if order is None or (match.group(1) and int(match.group(1)) != clock.year_of(order.created_at)):
        return None  # a different year: a different order was meant
    return order
