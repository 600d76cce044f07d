"""Dispatching lecture orders (admins: 待派单) and answering them (lecturers: 接单 / 拒单).

    待派单 ──▶ choice ──(派 讲师 时间 | 驳回 理由 | 下一个)──▶ choice (the next order) … ──▶ done
                 │ busy lecturer, bad number, 驳回 without a reason: refused, asked again
    接单 N | card 接单 ──▶ confirmed, the contact told (with the check-in code)
    拒单 N 理由 ──▶ back to pending, admins told
    拒单 N | card 拒单 ──▶ reason ──(理由)──▶ back to pending, admins told
Card taps are answered by message/send: WeCom shows no passive text reply to a card event.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from bot.context import Context
from bot.conversation import Flow
from bot.inbound import TemplateCardEvent
from bot.replies import Reply, Text
from bot.router import Command, Handler
from content import dispatch_texts as texts
from content.texts import local_day_time, local_time
from content.titles import quoted
from lectures import dispatching
from lectures.availability import free_lecturers, topic_lecturers
from lectures.dispatching import DispatchError
from lectures.settings import lecture_settings
from lectures.states import STATUS_NAMES, find_order
from lectures.stats import for_lecturers
from models import Lecture, LectureMode, LectureOrder, Member, OrderStatus, Role

FLOW = "dispatch"
DECLINE_FLOW = "decline"
SEPARATORS = " \t:：,，、;；.。"
DISPATCH = re.compile(r"派\s*(\d+)(?:[\s,，、]+(\d+))?")
MY_UPCOMING_SHOWN = 10  # 我的宣讲: the next lectures
MY_RECENT_SHOWN = 5  # and the latest past ones
LIVE_ORDERS = (OrderStatus.DISPATCHED, OrderStatus.CONFIRMED)  # a check-in code still to use


# -- admins: 待派单 ----------------------------------------------------------------------

def _describe(order: LectureOrder) -> tuple[str, list[int]]:
    """The order as admins see it, with every lecturer's state at every candidate time."""
    topic, slots = order.topic, dispatching.order_slots(order)
    if order.mode == LectureMode.LIVE:
        mode = texts.MODE_LIVE_AT.format(address=order.address) if order.address else (
            texts.MODE_LIVE)
    else:
        mode = texts.MODE_OFFLINE.format(address=order.address)
    text = texts.SHOW.format(
        number=order.number, waiting=max(dispatching.pending_count() - 1, 0),
        organization=order.organization.name if order.organization else texts.NO_ORGANIZATION,
        contact=order.contact.name, topic=quoted(topic.title), minutes=topic.minutes,
        audience=order.audience, mode=mode)
    if order.note:
        text += texts.SHOW_NOTE.format(note=order.note)
    if order.reason:
        text += texts.SHOW_DECLINED.format(reason=order.reason)
    lecturer_ids = [member.id for member in topic_lecturers(topic)]
    buffer = lecture_settings().travel_buffer
    for index, start in enumerate(slots, 1):
        text += texts.SHOW_SLOT.format(index=index, time=local_day_time(start))
        end = dispatching.lecture_end(order, start)
        candidates = free_lecturers(topic, start, end, buffer)
        for number, candidate in enumerate(candidates, 1):
            state = texts.FREE if candidate.conflict is None else texts.BUSY.format(
                time=local_time(candidate.conflict.starts_at))
            text += texts.SHOW_LECTURER.format(index=number, name=candidate.member.name,
                                               state=state)
    if not lecturer_ids:
        text += texts.SHOW_NO_LECTURERS
    example = "派 1" if len(slots) <= 1 else "派 1 2"
    return text + texts.SHOW_HOW.format(example=example), lecturer_ids


def _next(ctx: Context, skip: list[int], before: str = "") -> Reply:
    """Show the oldest pending order not skipped, or say there is none and finish."""
    order = dispatching.next_pending(skip)
    if order is None:
        if ctx.conversation is not None:
            ctx.finish()
        return Text(before + texts.NONE_PENDING)
    text, lecturer_ids = _describe(order)
    ctx.start(FLOW, "choice", order_id=order.id, lecturer_ids=lecturer_ids, skip=skip)
    return Text(before + text)


def pending(ctx: Context) -> Reply:
    """待派单: the oldest pending order, with the topic's lecturers free or busy at each time."""
    return _next(ctx, [])


def _dispatch(ctx: Context, order: LectureOrder, lecturer_index: int, slot: int | None,
              skip: list[int]) -> Reply:
    """派 讲师序号 [时间序号]: dispatch, or refuse and ask again."""
    assert ctx.member is not None
    lecturer_ids: list[int] = ctx.data.get("lecturer_ids", [])
    count = len(dispatching.order_slots(order))
    if not 1 <= lecturer_index <= len(lecturer_ids):
        ctx.stay()
        return Text(texts.BAD_LECTURER.format(index=lecturer_index, count=len(lecturer_ids)))
    if slot is None and count > 1:
        ctx.stay()
        return Text(texts.ASK_SLOT.format(count=count, lecturer=lecturer_index))
    slot = slot or 1
    lecturer = ctx.session.get(Member, lecturer_ids[lecturer_index - 1])
    assert lecturer is not None
    try:
        lecture = dispatching.dispatch(order, lecturer, slot, ctx.member.userid, ctx.now)
    except DispatchError as exc:
        if exc.reason in ("not_pending", "changed"):
            return _next(ctx, skip, texts.GONE.format(
                number=order.number, status=STATUS_NAMES.get(order.status, order.status)))
        ctx.stay()
        return Text(_dispatch_refusal(exc, order, lecturer, slot, count))
    dispatching.notify_lecturer(ctx.outbox, order, lecture)
    return _next(ctx, skip, texts.DISPATCHED.format(
        number=order.number, name=lecturer.name, time=local_day_time(lecture.starts_at)))


def _dispatch_refusal(exc: DispatchError, order: LectureOrder, lecturer: Member, slot: int,
                      count: int) -> str:
    """The admin-facing text for a refused dispatch."""
    if exc.reason == "busy" and exc.conflict is not None:
        minutes = int(lecture_settings().travel_buffer.total_seconds() // 60)
        return texts.BUSY_REFUSED.format(name=lecturer.name, index=slot,
                                         time=local_time(exc.conflict.starts_at),
                                         topic=quoted(exc.conflict.topic.title),
                                         buffer=minutes)
    if exc.reason == "past":
        return texts.PAST_SLOT.format(index=slot,
                                      time=local_day_time(dispatching.order_slots(order)[slot - 1]))
    if exc.reason == "not_lecturer":
        return texts.NOT_LECTURER.format(name=lecturer.name)
    return texts.BAD_SLOT.format(index=slot, count=count)


def choice(ctx: Context) -> Reply | None:
    """The admin's answer on the order shown: 派 …, 驳回 理由 or 下一个."""
    assert ctx.member is not None
    elsewhere = _lecturer_answer(ctx)
    if elsewhere is not None:
        return elsewhere(ctx)
    skip: list[int] = list(ctx.data.get("skip", []))
    order_id = ctx.data.get("order_id")
    order = ctx.session.get(LectureOrder, order_id) if order_id else None
    if order is None:
        return _next(ctx, skip)
    if order.status != OrderStatus.PENDING:
        return _next(ctx, skip, texts.GONE.format(
            number=order.number, status=STATUS_NAMES.get(order.status, order.status)))
    text = ctx.text
    if text in texts.SKIP_WORDS:
        return _next(ctx, [*skip, order.id])
    if text.startswith(texts.REJECT_WORD):
        reason = text[len(texts.REJECT_WORD):].strip(SEPARATORS)
        if not reason:
            ctx.stay()
            return Text(texts.ASK_REJECT_REASON)
        try:
            dispatching.reject(order, reason, ctx.member.userid, ctx.now)
        except DispatchError:
            return _next(ctx, skip, texts.GONE.format(
                number=order.number, status=STATUS_NAMES.get(order.status, order.status)))
        dispatching.notify_contact_rejected(ctx.outbox, order)
        return _next(ctx, skip, texts.REJECTED.format(number=order.number))
    match = DISPATCH.fullmatch(text)
    if match is None:
        ctx.stay()
        return Text(texts.ASK_CHOICE)
    slot = int(match.group(2)) if match.group(2) else None
    return _dispatch(ctx, order, int(match.group(1)), slot, skip)


# -- lecturers: 接单 / 拒单 ------------------------------------------------------------------

def _refusal(exc: DispatchError, order: LectureOrder, declining: bool = False) -> str:
    """The lecturer-facing text for a refused answer."""
    if exc.reason == "already_accepted":
        template = texts.CANNOT_DECLINE_CONFIRMED if declining else texts.ALREADY_ACCEPTED
        return template.format(number=order.number)
    if exc.reason == "cancelled":
        return texts.CANCELLED_ORDER.format(number=order.number)
    if exc.reason == "not_yours":
        return texts.NOT_YOURS
    return texts.NOT_DISPATCHED.format(number=order.number,
                                       status=STATUS_NAMES.get(order.status, order.status))


def _accept(ctx: Context, order: LectureOrder) -> str:
    """Accept for the member; the text to tell them."""
    assert ctx.member is not None
    try:
        lecture = dispatching.accept(order, ctx.member, ctx.now)
    except DispatchError as exc:
        return _refusal(exc, order)
    dispatching.notify_contact_confirmed(ctx.outbox, order, lecture)
    return texts.ACCEPTED.format(number=order.number, topic=quoted(order.topic.title),
                                 time=local_day_time(lecture.starts_at), place=lecture.place,
                                 code=lecture.checkin_code)


def _decline(ctx: Context, order: LectureOrder, reason: str) -> str:
    """Decline for the member with a reason; the text to tell them."""
    assert ctx.member is not None
    try:
        lecture = dispatching.decline(order, ctx.member, reason, ctx.now)
    except DispatchError as exc:
        return _refusal(exc, order, declining=True)
    dispatching.notify_admins_declined(ctx.outbox, order, lecture, ctx.member)
    return texts.DECLINED.format(number=order.number)


def _ask_reason(ctx: Context, order: LectureOrder) -> str:
    """A decline without a reason: check it may be declined, then ask why."""
    assert ctx.member is not None
    try:
        dispatching.check_answer(order, ctx.member)
    except DispatchError as exc:
        return _refusal(exc, order, declining=True)
    ctx.start(DECLINE_FLOW, "reason", order_id=order.id)
    return texts.ASK_DECLINE_REASON.format(number=order.number)


def accept(ctx: Context) -> Reply:
    """接单 N: accept the lecture dispatched to the member."""
    words = ctx.text[len(texts.ACCEPT_WORD):].split()
    if not words:
        return Text(texts.ACCEPT_USAGE)
    order = find_order(words[0])
    if order is None:
        return Text(texts.NOT_FOUND.format(number=words[0]))
    return Text(_accept(ctx, order))


def decline(ctx: Context) -> Reply:
    """拒单 N 理由: decline it with a reason (without one, the reason is asked for)."""
    words = ctx.text[len(texts.DECLINE_WORD):].strip().split(maxsplit=1)
    if not words:
        return Text(texts.DECLINE_USAGE)
    order = find_order(words[0])
    if order is None:
        return Text(texts.NOT_FOUND.format(number=words[0]))
    reason = words[1].strip(SEPARATORS) if len(words) > 1 else ""
    return Text(_decline(ctx, order, reason) if reason else _ask_reason(ctx, order))


def reason(ctx: Context) -> Reply | None:
    """The reason of a decline asked for after a card tap or a bare 拒单 N."""
    elsewhere = _lecturer_answer(ctx)
    if elsewhere is not None:
        ctx.finish()
        return elsewhere(ctx)
    text = ctx.text.strip(SEPARATORS)
    order_id = ctx.data.get("order_id")
    order = ctx.session.get(LectureOrder, order_id) if order_id else None
    if order is None:
        ctx.finish()
        return Text(texts.NOT_FOUND.format(number=order_id))
    if not text:
        ctx.stay()
        return Text(texts.ASK_DECLINE_REASON.format(number=order.number))
    ctx.finish()
    return Text(_decline(ctx, order, text))


def on_card(ctx: Context) -> None:
    """template_card_event: 接单 (accept:ID) or 拒单 (decline:ID) tapped on a dispatch card."""
    message = ctx.message
    assert isinstance(message, TemplateCardEvent) and ctx.member is not None
    action, _, order_id = message.event_key.partition(":")
    order = ctx.session.get(LectureOrder, int(order_id)) if order_id.isdecimal() else None
    if action not in ("accept", "decline") or order is None:
        ctx.outbox.text([ctx.member.userid], texts.UNKNOWN_BUTTON)
        return None
    answer = _card_answer(ctx, order, action)
    ctx.outbox.text([ctx.member.userid], answer)
    return None


def _card_answer(ctx: Context, order: LectureOrder, action: str) -> str:
    """Accept, or ask for the decline reason, unless the card is for an older dispatch."""
    assert isinstance(ctx.message, TemplateCardEvent) and ctx.member is not None
    try:
        lecture = dispatching.check_answer(order, ctx.member)
    except DispatchError as exc:
        return _refusal(exc, order, declining=action == "decline")
    if ctx.message.task_id and ctx.message.task_id != dispatching.task_id(order, lecture):
        return texts.STALE_CARD
    return _accept(ctx, order) if action == "accept" else _ask_reason(ctx, order)


def _lecturer_answer(ctx: Context) -> Handler | None:
    """A card tap or typed 接单 / 拒单 reaching an open conversation: its handler."""
    if isinstance(ctx.message, TemplateCardEvent):
        return on_card
    word = ctx.text.split(maxsplit=1)[0] if ctx.text else ""
    if word in (texts.ACCEPT_WORD, texts.DECLINE_WORD) and ctx.member is not None \
            and ctx.member.has_role(Role.LECTURER):
        return accept if word == texts.ACCEPT_WORD else decline
    return None


def _lecture_line(lecture: Lecture, upcoming: bool) -> str:
    """One of the lecturer's lectures: order number, topic, time, place, status (and code)."""
    order = lecture.order
    status = STATUS_NAMES.get(order.status, order.status) if order else ""
    line = texts.MY_LECTURES_LINE.format(
        number=order.number if order else texts.MY_LECTURES_NO_ORDER,
        topic=quoted(lecture.topic.title), time=local_day_time(lecture.starts_at),
        place=lecture.place or texts.MY_LECTURES_NO_PLACE, status=status)
    if upcoming and (order is None or order.status in LIVE_ORDERS) and lecture.checkin_code:
        line += texts.MY_LECTURES_CODE.format(code=lecture.checkin_code)
    return line


def my_lectures(ctx: Context) -> Reply:
    """我的宣讲 (lecturer): upcoming and recent lectures, and the held figures of lectures.stats
    (the one definition of a lecture held)."""
    assert ctx.member is not None
    mine = select(Lecture).where(Lecture.lecturer_id == ctx.member.id).options(
        selectinload(Lecture.order), selectinload(Lecture.topic))
    upcoming = ctx.session.scalars(mine.where(Lecture.ends_at >= ctx.now).order_by(
        Lecture.starts_at, Lecture.id).limit(MY_UPCOMING_SHOWN)).all()
    recent = ctx.session.scalars(mine.where(Lecture.ends_at < ctx.now).order_by(
        Lecture.starts_at.desc(), Lecture.id.desc()).limit(MY_RECENT_SHOWN)).all()
    if not upcoming and not recent:
        return Text(texts.MY_LECTURES_NONE)
    figures = for_lecturers([ctx.member])[ctx.member.id]
    rating = (texts.MY_LECTURES_RATING.format(average=figures.average_rating,
                                              count=figures.ratings)
              if figures.average_rating is not None else "")
    lines = [texts.MY_LECTURES_FIGURES.format(held=figures.lectures, audience=figures.audience,
                                              rating=rating)]
    if upcoming:
        lines.append(texts.MY_LECTURES_UPCOMING.format(count=len(upcoming)))
        lines += [_lecture_line(lecture, True) for lecture in upcoming]
    if recent:
        lines.append(texts.MY_LECTURES_RECENT)
        lines += [_lecture_line(lecture, False) for lecture in recent]
    if any(lec.order is not None and lec.order.status == OrderStatus.DISPATCHED
           for lec in upcoming):
        lines.append(texts.MY_LECTURES_ACCEPT)
    return Text("\n".join(lines))


COMMANDS = [
    Command("dispatch_orders", ("待派单",), pending, texts.DISPATCH_SUMMARY, role=Role.ADMIN),
    Command("accept_lecture", (texts.ACCEPT_WORD,), accept, texts.ACCEPT_SUMMARY,
            role=Role.LECTURER),
    Command("decline_lecture", (texts.DECLINE_WORD,), decline, texts.DECLINE_SUMMARY,
            role=Role.LECTURER),
    Command("my_lectures", ("我的宣讲",), my_lectures, texts.MY_LECTURES_SUMMARY,
            role=Role.LECTURER),
]

# A lecturer's typed 接单 / 拒单 reaches these steps (they hand it on: _lecturer_answer).
LECTURER_WORDS = (texts.ACCEPT_WORD, texts.DECLINE_WORD)
FLOWS = [Flow(FLOW, {"choice": choice}, answers={"choice": LECTURER_WORDS}),
         Flow(DECLINE_FLOW, {"reason": reason}, answers={"reason": LECTURER_WORDS})]

EVENTS = {"template_card_event": on_card}
