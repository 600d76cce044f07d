"""Reminders of unconfirmed distributions: a distribution not confirmed BOOK_REMIND_AFTER_DAYS
committee days after it was sent gets its receipt card again (as a reminder) to its
organisation's active contacts, at most every BOOK_REMIND_EVERY_DAYS days and at most
BOOK_REMIND_TIMES times, never in the quiet hours. Each reminder is claimed by a conditional
UPDATE of the distribution's reminder count, so two runs never remind one twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

import clock
from books import cards
from books.people import active_contacts
from books.settings import BookSettings, book_settings
from bot.jobs import enqueue_deliveries, run_tick
from bot.outbox import Outbox
from models import BookDistribution, db, utcnow
from participation.settings import in_quiet_hours

TICK_S = 900


@dataclass(frozen=True)
class Reminded:
    """What one run did: distributions reminded, contacts told, outbound rows, or why none."""

    distributions: int = 0
    contacts: int = 0
    outbound_ids: tuple[int, ...] = ()
    skipped: str = ""  # quiet_hours


def due(now: datetime, settings: BookSettings) -> list[BookDistribution]:
    """The unconfirmed distributions a reminder is due for now, oldest sent first."""
    if settings.remind_times <= 0:
        return []
    sent_by = clock.today(now) - timedelta(days=settings.remind_after_days)
    last_before = now - timedelta(days=settings.remind_every_days)
    return list(db.session.scalars(
        select(BookDistribution)
        .options(selectinload(BookDistribution.book),
                 selectinload(BookDistribution.organization))
        .where(BookDistribution.confirmed_at.is_(None),
               BookDistribution.sent_on <= sent_by,
               BookDistribution.reminders < settings.remind_times,
               or_(BookDistribution.reminded_at.is_(None),
                   BookDistribution.reminded_at <= last_before))
        .order_by(BookDistribution.sent_on, BookDistribution.id)))


def send_reminders(now: datetime, settings: BookSettings | None = None) -> Reminded:
    """Queue the reminders due (caller's transaction; the caller commits, then delivers)."""
    settings = settings or book_settings()
    if in_quiet_hours(now, settings.quiet_hours):
        return Reminded(skipped="quiet_hours")
    outbox = Outbox(db.session)
    reminded = contacts = 0
    for distribution in due(now, settings):
        if not distribution.organization.active:
            continue
        userids = active_contacts(distribution.organization_id)
        if not userids:  # nobody to remind; the console lists it for the admins
            continue
        claimed = db.session.execute(
            update(BookDistribution).where(BookDistribution.id == distribution.id,
                                           BookDistribution.confirmed_at.is_(None),
                                           BookDistribution.reminders == distribution.reminders)
            .values(reminders=distribution.reminders + 1, reminded_at=now)
            .execution_options(synchronize_session=False))
        if claimed.rowcount != 1:
            continue
        outbox.send(cards.card(distribution, now, reminder=True), users=userids, once=True)
        reminded += 1
        contacts += len(userids)
    db.session.flush()
    return Reminded(reminded, contacts, tuple(outbox.pending_ids()))


def books_tick() -> int:
    """Cron tick: remind contacts of the distributions not confirmed; returns how many."""
    def work() -> int:
        result = send_reminders(utcnow())
        db.session.commit()
        enqueue_deliveries(list(result.outbound_ids))
        return result.distributions

    return run_tick("books_tick", TICK_S, work)
