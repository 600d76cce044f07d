"""Dispatching orders to lecturers (派单 / 驳回) and their answers (接单 / 拒单), with notices.

Every status change goes through `lectures.states.transition`, after a compare-and-set on the
order's status (`_claim`): of two admins dispatching the same order, or a lecturer's card tap
and typed 接单 arriving at once, exactly one wins; the other gets DispatchError and nothing
changes.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from bot.outbox import Outbox
from checkins.codes import new_checkin_code
from content import dispatch_texts as texts
from content.texts import local_day_time
from content.titles import quoted
from lectures.availability import busy_lectures
from lectures.settings import lecture_settings
from lectures.states import transition
from models import (
    Lecture,
    LectureOrder,
    Member,
    OrderStatus,
    OutboundMessage,
    Role,
    db,
)
from roster.manage import admin_userids

S = OrderStatus
ACCEPTED_STATES = (S.CONFIRMED, S.COMPLETED, S.RATED)
FIELD_MAX = 30  # characters of a card's horizontal_content value


class DispatchError(ValueError):
    """A dispatch or answer that cannot be done; `reason` names why, for a Chinese text.

    Reasons: not_pending, bad_slot, past, not_lecturer, busy (with `conflict`), cancelled,
    not_yours, already_accepted, not_dispatched, changed.
    """

    def __init__(self, reason: str, message: str, conflict: Lecture | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.conflict = conflict


def order_slots(order: LectureOrder) -> list[datetime]:
    """The order's candidate start times, timezone-aware (stored as ISO strings in UTC)."""
    slots = []
    for value in order.slots or []:
        moment = datetime.fromisoformat(value)
        slots.append(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
    return slots


def place_of(order: LectureOrder) -> str:
    """Where the lecture is held: the address, or the live room."""
    return order.address or texts.LIVE_PLACE


def lecture_end(order: LectureOrder, start: datetime) -> datetime:
    """When a lecture of the order's topic starting at `start` ends."""
    return start + timedelta(minutes=order.topic.minutes)


def next_pending(skip: list[int] | tuple[int, ...] = ()) -> LectureOrder | None:
    """The oldest pending order not skipped."""
    query = select(LectureOrder).where(LectureOrder.status == S.PENDING)
    if skip:
        query = query.where(LectureOrder.id.not_in(skip))
    return db.session.scalars(query.order_by(LectureOrder.created_at, LectureOrder.id)
                              .limit(1)).first()


def pending_count() -> int:
    """How many orders wait for dispatch."""
    query = select(func.count()).select_from(LectureOrder).where(LectureOrder.status == S.PENDING)
    return int(db.session.scalar(query) or 0)


def _claim(order: LectureOrder, now: datetime) -> None:
    """Lock the order if its status is still what we read; else refresh it and refuse."""
    expected = order.status
    result = db.session.execute(
        update(LectureOrder).where(LectureOrder.id == order.id, LectureOrder.status == expected)
        .values(updated_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        db.session.refresh(order)
        raise DispatchError("changed", f"{order.number} changed to {order.status} meanwhile")


def dispatch(order: LectureOrder, lecturer: Member, slot: int, actor: str,
             now: datetime) -> Lecture:
    """Create the lecture at candidate time `slot` (1-based) and move the order to dispatched."""
    if order.status != S.PENDING:
        raise DispatchError("not_pending", f"{order.number} is {order.status}")
    slots = order_slots(order)
    if not 1 <= slot <= len(slots):
        raise DispatchError("bad_slot", f"{order.number} has no time {slot}")
    start = slots[slot - 1]
    if start <= now:
        raise DispatchError("past", f"time {slot} of {order.number} has passed")
    if not (lecturer.is_active and lecturer.has_role(Role.LECTURER)):
        raise DispatchError("not_lecturer", f"{lecturer.userid} is not an active lecturer")
    end = lecture_end(order, start)
    busy = busy_lectures(lecturer.id, start, end, lecture_settings().travel_buffer)
    if busy:
        raise DispatchError("busy", f"{lecturer.userid} is busy", conflict=busy[0])
    _claim(order, now)
    if order.lecture is not None:  # left over from an earlier dispatch: never confirmed
        db.session.delete(order.lecture)
        db.session.flush()
        db.session.expire(order, ["lecture"])
    lecture = Lecture(order=order, topic_id=order.topic_id, lecturer_id=lecturer.id,
                      starts_at=start, ends_at=end, place=place_of(order), mode=order.mode,
                      expected_audience=order.audience, checkin_code=new_checkin_code(now))
    db.session.add(lecture)
    transition(order, S.DISPATCHED, actor, "admin", now)
    db.session.flush()
    return lecture


def reject(order: LectureOrder, reason: str, actor: str, now: datetime) -> None:
    """驳回: a pending order is rejected with a reason (the state machine requires one)."""
    if order.status != S.PENDING:
        raise DispatchError("not_pending", f"{order.number} is {order.status}")
    _claim(order, now)
    transition(order, S.REJECTED, actor, "admin", now, reason=reason)


def check_answer(order: LectureOrder, lecturer: Member) -> Lecture:
    """The lecture the lecturer may accept or decline now; DispatchError says why not."""
    if order.status == S.CANCELLED:
        raise DispatchError("cancelled", f"{order.number} was cancelled")
    lecture = order.lecture
    if lecture is None or lecture.lecturer_id != lecturer.id:
        raise DispatchError("not_yours", f"{order.number} is not dispatched to "
                                         f"{lecturer.userid}")
    if order.status in ACCEPTED_STATES:
        raise DispatchError("already_accepted", f"{order.number} is {order.status}")
    if order.status != S.DISPATCHED:
        raise DispatchError("not_dispatched", f"{order.number} is {order.status}")
    return lecture


def _claim_answer(order: LectureOrder, lecturer: Member, now: datetime) -> Lecture:
    lecture = check_answer(order, lecturer)
    try:
        _claim(order, now)
    except DispatchError:
        return check_answer(order, lecturer)  # raises the fitting reason, e.g. already_accepted
    return lecture


def accept(order: LectureOrder, lecturer: Member, now: datetime) -> Lecture:
    """接单: the dispatched lecturer confirms; the order moves to confirmed."""
    lecture = _claim_answer(order, lecturer, now)
    transition(order, S.CONFIRMED, lecturer.userid, "lecturer", now)
    lecture.accepted_at = now
    return lecture


def decline(order: LectureOrder, lecturer: Member, reason: str, now: datetime) -> Lecture:
    """拒单: back to pending with the reason; the unconfirmed lecture is deleted."""
    lecture = _claim_answer(order, lecturer, now)
    transition(order, S.PENDING, lecturer.userid, "lecturer", now, reason=reason)
    db.session.delete(lecture)
    db.session.flush()
    db.session.expire(order, ["lecture"])
    return lecture


# -- notices ----------------------------------------------------------------------------



def _short(value: str) -> str:
    return value if len(value) <= FIELD_MAX else value[:FIELD_MAX - 1] + "…"


def task_id(order: LectureOrder, lecture: Lecture) -> str:
    """The card's task id, within WeCom's 128 bytes of [0-9A-Za-z_-@].

    It ends in a digest of the lecture's random check-in code, so a re-dispatch gets a new
    task id (and an old card is told apart) even where the database reuses the lecture's id.
    """
    digest = hashlib.sha1(f"{lecture.id}:{lecture.checkin_code}:{lecture.starts_at.isoformat()}"
                          .encode()).hexdigest()[:10]
    return f"order-{order.id}-{lecture.id}-{digest}"


def lecturer_card(order: LectureOrder, lecture: Lecture) -> dict[str, Any]:
    """The button_interaction template card offering 接单 / 拒单."""
    organization = order.organization.name if order.organization else texts.NO_ORGANIZATION
    return {"msgtype": "template_card", "template_card": {
        "card_type": "button_interaction",
        "source": {"desc": texts.CARD_SOURCE},
        "main_title": {"title": texts.CARD_TITLE, "desc": order.number},
        "sub_title_text": texts.CARD_SUB.format(topic=quoted(order.topic.title),
                                                organization=organization, number=order.number),
        "horizontal_content_list": [
            {"keyname": texts.CARD_TIME, "value": _short(local_day_time(lecture.starts_at))},
            {"keyname": texts.CARD_PLACE, "value": _short(lecture.place)},
            {"keyname": texts.CARD_AUDIENCE,
             "value": texts.CARD_AUDIENCE_VALUE.format(audience=order.audience)},
        ],
        "task_id": task_id(order, lecture),
        "button_list": [
            {"text": texts.ACCEPT_BUTTON, "style": 1, "key": f"accept:{order.id}"},
            {"text": texts.DECLINE_BUTTON, "style": 2, "key": f"decline:{order.id}"},
        ],
    }}


def notify_lecturer(outbox: Outbox, order: LectureOrder, lecture: Lecture) -> None:
    """Queue the card and the typed-answer fallback to the dispatched lecturer. The card's
    task id is new for every dispatch, so it is sent once; the text is not (a re-dispatch of
    the order to the same lecturer at the same time repeats it and must arrive)."""
    userid = lecture.lecturer.userid
    outbox.send(lecturer_card(order, lecture), users=[userid], once=True)
    note = texts.LECTURER_NOTICE_NOTE.format(note=order.note) if order.note else ""
    organization = order.organization.name if order.organization else texts.NO_ORGANIZATION
    outbox.text([userid], texts.LECTURER_NOTICE.format(
        number=order.number, topic=quoted(order.topic.title),
        time=local_day_time(lecture.starts_at),
        minutes=order.topic.minutes, place=lecture.place, organization=organization,
        audience=order.audience, note=note, id=order.id))


def notify_contact_rejected(outbox: Outbox, order: LectureOrder) -> list[OutboundMessage]:
    """Tell the contact their order was rejected, and why."""
    return outbox.text([order.contact.userid], texts.CONTACT_REJECTED.format(
        number=order.number, topic=quoted(order.topic.title), reason=order.reason),
        once=True)  # rejecting ends the order: once per order


def notify_contact_confirmed(outbox: Outbox, order: LectureOrder,
                             lecture: Lecture) -> list[OutboundMessage]:
    """Tell the contact the lecture is confirmed: topic, time, place, lecturer, check-in code."""
    return outbox.text([order.contact.userid], texts.CONTACT_CONFIRMED.format(
        number=order.number, topic=quoted(order.topic.title),
        time=local_day_time(lecture.starts_at),
        place=lecture.place, lecturer=lecture.lecturer.name, code=lecture.checkin_code),
        once=True)  # the check-in code is new for every lecture


def notify_admins_declined(outbox: Outbox, order: LectureOrder, lecture: Lecture,
                           lecturer: Member) -> list[OutboundMessage]:
    """Tell every admin the lecturer declined and the order is back in the queue."""
    admins = admin_userids()
    if not admins:
        return []
    return outbox.text(admins, texts.ADMINS_DECLINED.format(
        lecturer=lecturer.name, number=order.number, topic=quoted(order.topic.title),
        time=local_day_time(lecture.starts_at), reason=order.reason))
