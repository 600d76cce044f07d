"""What the contact and the admins are told of a booking, queued in the outbox (sent after the
commit), once per booking and decision."""

from __future__ import annotations

import clock
from bot.outbox import Outbox
from content import hall_texts as texts
from content.texts import local_day_time
from hall.booking import number, recipients
from models import OutboundMessage, VisitBooking
from roster.manage import admin_userids


def when(booking: VisitBooking) -> str:
    """The booking's slot as contacts read it: 12月5日（周五）09:00."""
    return local_day_time(booking.slot.starts_at)


def _to_contact(outbox: Outbox, booking: VisitBooking, content: str) -> list[OutboundMessage]:
    users = recipients(booking)
    return outbox.text(users, content, once=True) if users else []


def confirmed(outbox: Outbox, booking: VisitBooking) -> list[OutboundMessage]:
    """Tell the contact the booking is confirmed, with the time and the check-in code."""
    code = booking.activity.checkin_code if booking.activity is not None else ""
    return _to_contact(outbox, booking, texts.CONFIRMED_NOTICE.format(
        number=number(booking), hall=booking.slot.hall, time=when(booking),
        end=local_end(booking), size=booking.group_size, code=code))


def declined(outbox: Outbox, booking: VisitBooking) -> list[OutboundMessage]:
    """Tell the contact the booking was declined, and why."""
    return _to_contact(outbox, booking, texts.DECLINED_NOTICE.format(
        number=number(booking), time=when(booking), size=booking.group_size,
        reason=booking.reason))


def cancelled(outbox: Outbox, booking: VisitBooking) -> list[OutboundMessage]:
    """Tell the contact an admin cancelled the booking, and why."""
    return _to_contact(outbox, booking, texts.CANCELLED_NOTICE.format(
        number=number(booking), time=when(booking), size=booking.group_size,
        reason=booking.reason or "—"))


def to_admins(outbox: Outbox, content: str) -> list[OutboundMessage]:
    """Tell the active admins (a new booking, a contact's cancellation)."""
    admins = admin_userids()
    return outbox.text(admins, content, once=True) if admins else []


def local_end(booking: VisitBooking) -> str:
    """The slot's end on the committee's clock: 11:00."""
    return f"{clock.local(booking.slot.ends_at):%H:%M}"
