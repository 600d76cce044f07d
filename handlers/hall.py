"""Booking the hall (政治生活馆) in chat, for contacts; 我的预约 and 取消预约.

    预约参观 ──▶ [organization: by number or name, when a contact acts for several]
             ──▶ slot ──(number of an open slot with free places)──▶ size ──(1..free)──▶
             purpose ──(text)──▶ confirm ──(确认)──▶ places reserved, admins told
The places are taken at 确认 with one conditional UPDATE (hall.booking), so a slot that filled
meanwhile gets a clear answer instead of an overbooking. 取消 and the timeout are bot/'s.
"""

from __future__ import annotations

import re
from datetime import datetime

import clock
from bot.context import Context
from bot.conversation import Flow
from bot.replies import Reply, Text
from bot.router import Command
from content import hall_texts as texts
from content.texts import local_day_time
from hall import booking, notices, slots
from hall.slots import HallError
from models import DEFAULT_HALL, Organization, Role, VisitBooking, VisitStatus
from roster.contacts import STEP, OrganizationStep, contact_organizations

FLOW = "hall_booking"
SLOTS_SHOWN = 10
MINE_SHOWN = 10
SIZE = re.compile(r"(?:约|大约|大概|预计|共|一共)?\s*(-?\d{1,9})\s*(?:人|名|位|个人)?"
                  r"\s*(?:左右)?[。.！!]?")


def parse_size(text: str) -> int | None:
    """The number in "30", "30人", "约30人"; None when the answer is not a number."""
    match = SIZE.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def _number(text: str) -> int | None:
    answer = text.strip().rstrip(".。、")
    return int(answer) if answer.isdecimal() else None


def _org_ids(ctx: Context) -> list[int]:
    assert ctx.member is not None
    return [org.id for org in contact_organizations(ctx.member)]


def _slot_list(ctx: Context, org: Organization) -> Reply:
    """The open slots with free places; (re)start the conversation at the slot step."""
    rows = slots.bookable(ctx.now, SLOTS_SHOWN)
    hall = rows[0].hall if rows else DEFAULT_HALL
    if not rows:
        ctx.finish()
        return Text(texts.NO_SLOTS.format(hall=hall))
    lines = "\n".join(texts.SLOT_LINE.format(number=n, time=local_day_time(s.starts_at),
                                             end=_end(s.ends_at), free=slots.free(s))
                      for n, s in enumerate(rows, 1))
    ctx.start(FLOW, "slot", org_id=org.id, slot_ids=[s.id for s in rows])
    return Text(texts.SLOTS.format(hall=hall, org=org.name, lines=lines))


def _end(moment: datetime) -> str:
    return f"{clock.local(moment):%H:%M}"


ORGANIZATION = OrganizationStep(FLOW, texts.CHOOSE_ORG, texts.NO_ORGANIZATION, _slot_list)


def book(ctx: Context) -> Reply:
    """预约参观: the open slots, after asking which organisation when the contact has several."""
    return ORGANIZATION.begin(ctx)


def choose_slot(ctx: Context) -> Reply:
    """A slot number; a slot that closed or filled since the list was shown is explained."""
    slot_ids: list[int] = ctx.data.get("slot_ids", [])
    number = _number(ctx.text)
    ctx.stay()
    if number is None:
        return Text(texts.SLOT_ASK_AGAIN)
    if not 1 <= number <= len(slot_ids):
        return Text(texts.OUT_OF_RANGE.format(number=number, count=len(slot_ids)))
    slot = slots.find(slot_ids[number - 1])
    try:
        slot = booking.check_slot(slot, ctx.now)
        if slots.free(slot) <= 0:
            raise HallError("full")
    except HallError as error:
        return Text(error.text())
    ctx.goto("size", slot_id=slot.id)
    return Text(texts.ASK_SIZE.format(time=local_day_time(slot.starts_at),
                                      free=slots.free(slot)))


def size(ctx: Context) -> Reply:
    """The group size: at least one, within the slot's capacity and its free places."""
    slot = slots.find(ctx.data.get("slot_id"))
    count = parse_size(ctx.text)
    ctx.stay()
    if count is None:
        return Text(texts.SIZE_NOT_NUMBER)
    try:
        slot = booking.check_slot(slot, ctx.now)
    except HallError as error:
        ctx.finish()
        return Text(error.text())
    try:
        booking.check_size(slot, count)
    except HallError as error:
        return Text(error.text())
    ctx.goto("purpose", size=count)
    return Text(texts.ASK_PURPOSE.format(size=count, limit=booking.MAX_PURPOSE))


def purpose(ctx: Context) -> Reply:
    """The visit's purpose, then the booking as it will be submitted."""
    try:
        value = booking.clean_purpose(ctx.text)
    except HallError as error:
        ctx.stay()
        return Text(error.text())
    ctx.goto("confirm", purpose=value)
    data = ctx.data
    slot = slots.find(data.get("slot_id"))
    org = ctx.session.get(Organization, data.get("org_id"))
    if slot is None or org is None:
        ctx.finish()
        return Text(texts.ERRORS["no_slot"])
    return Text(texts.CONFIRM.format(org=org.name, time=local_day_time(slot.starts_at),
                                     end=_end(slot.ends_at), size=data["size"], purpose=value))


def confirm(ctx: Context) -> Reply:
    """确认 reserves the places (once per message) and tells the admins."""
    assert ctx.member is not None
    if ctx.text not in texts.CONFIRM_WORDS:
        ctx.stay()
        return Text(texts.CONFIRM_ASK_AGAIN)
    data = dict(ctx.data)
    ctx.finish()
    org = ctx.session.get(Organization, data.get("org_id"))
    if org is None or org.id not in _org_ids(ctx):
        return Text(texts.NO_LONGER_CONTACT.format(org=org.name if org else ""))
    try:
        row, created = booking.book(slots.find(data.get("slot_id")), org.id, data.get("size"),
                                    data.get("purpose", ""), ctx.member.userid, ctx.now,
                                    contact=ctx.member, message_key=ctx.message.key)
    except HallError as error:
        return Text(error.text())
    if not created:
        return Text(texts.SUBMITTED_AGAIN.format(number=booking.number(row)))
    notices.to_admins(ctx.outbox, texts.ADMIN_NEW.format(
        number=booking.number(row), org=org.name, time=notices.when(row), size=row.group_size,
        contact=ctx.member.name, purpose=row.purpose))
    return Text(texts.SUBMITTED.format(number=booking.number(row), time=notices.when(row),
                                       size=row.group_size))


def _mine_line(row: VisitBooking, ctx: Context, several: bool) -> str:
    line = texts.MINE_LINE.format(number=booking.number(row), time=notices.when(row),
                                  size=row.group_size,
                                  status=booking.status_name(row, ctx.now))
    if several:
        line += texts.MINE_ORG.format(org=row.organization.name)
    if row.status == VisitStatus.CONFIRMED and row.activity is not None:
        line += texts.MINE_CODE.format(code=row.activity.checkin_code or "")
    if row.status in (VisitStatus.DECLINED, VisitStatus.CANCELLED) and row.reason:
        line += texts.MINE_REASON.format(reason=row.reason)
    return line


def mine(ctx: Context) -> Reply:
    """我的预约: the organisations' recent bookings with their status (and code once confirmed)."""
    org_ids = _org_ids(ctx)
    rows = booking.recent(org_ids, MINE_SHOWN)
    if not rows:
        return Text(texts.MINE_NONE)
    lines = [texts.MINE_HEAD.format(count=len(rows))]
    lines += [_mine_line(row, ctx, len(org_ids) > 1) for row in rows]
    lines.append(texts.MINE_FOOT)
    return Text("\n".join(lines))


def cancel(ctx: Context) -> Reply:
    """取消预约 编号: cancel a booking of the contact's organisation that is not yet held."""
    assert ctx.member is not None
    words = ctx.text.split(maxsplit=1)
    if len(words) < 2:
        return Text(texts.CANCEL_USAGE)
    typed = words[1][:20]
    row = booking.find_by_number(words[1])
    if row is None or row.organization_id not in _org_ids(ctx):
        return Text(texts.CANCEL_NOT_FOUND.format(number=typed))
    try:
        booking.cancel(row, ctx.member.userid, ctx.now)
    except HallError as error:
        return Text(error.text())
    notices.to_admins(ctx.outbox, texts.ADMIN_CANCELLED.format(
        number=booking.number(row), who=ctx.member.name, org=row.organization.name,
        time=notices.when(row), size=row.group_size))
    return Text(texts.CANCELLED.format(number=booking.number(row), time=notices.when(row)))


COMMANDS = [
    Command("hall_book", texts.BOOK_WORDS, book, texts.BOOK_SUMMARY, role=Role.CONTACT),
    Command("hall_mine", texts.MINE_WORDS, mine, texts.MINE_SUMMARY, role=Role.CONTACT),
    Command("hall_cancel", texts.CANCEL_WORDS, cancel, texts.CANCEL_SUMMARY, role=Role.CONTACT),
]

FLOWS = [Flow(FLOW, {STEP: ORGANIZATION.choose_organization, "slot": choose_slot,
                     "size": size, "purpose": purpose, "confirm": confirm})]
