"""The reminder tick under a frozen clock: a distribution not confirmed BOOK_REMIND_AFTER_DAYS
committee days after it was sent gets its card again (as a reminder) to its contacts, not
again within BOOK_REMIND_EVERY_DAYS, at most BOOK_REMIND_TIMES times, never in the quiet
hours, never once confirmed; the days are the committee's (Shanghai), at midnight's edges."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from books import receipts
from books.reminders import books_tick, send_reminders
from books.settings import book_settings
from models import db, utcnow
from tests.books.book_helpers import HUAXIN, XIDONG, XINWU, add_book, cards, distribution, send

pytestmark = pytest.mark.clock

SENT = date(2026, 11, 2)  # a Monday


def _tick(app: Flask) -> int:
    with app.app_context():
        return books_tick()


def test_reminded_after_seven_committee_days(app: Flask, people, sandbox, travel):
    """Is nothing sent at 23:59 Shanghai of day 6 (15:59 UTC), and the reminder at 08:00 of
    day 7, to both contacts of the unconfirmed organisation and not to the confirmed one's?"""
    travel("2026-11-02 10:00", tick=False)
    book_id = add_book(app)
    [huaxin, xidong] = send(app, book_id, [HUAXIN, XIDONG], sent_on=SENT)
    with app.app_context():
        receipts.confirm(receipts.find(xidong), None, "wangqiang", utcnow())
        db.session.commit()
    travel("2026-11-08 23:59", tick=False)
    assert _tick(app) == 0
    travel("2026-11-09 08:00", tick=False)
    assert _tick(app) == 1
    for userid in ("lina", "zhoumin"):
        reminder = cards(sandbox, userid)[-1]
        assert reminder["content"]["main_title"]["title"] == "提醒：请确认收到学习用书"
        assert "已过7天仍未确认" in reminder["content"]["sub_title_text"]
    assert len(cards(sandbox, "wangqiang")) == 1  # only the first card
    row = distribution(app, huaxin)
    assert row["reminders"] == 1 and row["reminded_at"] is not None


def test_not_again_too_soon_and_at_most_three_times(app: Flask, people, sandbox, travel):
    """After one reminder, is the next only three days later, and none after the third?"""
    travel("2026-11-02 10:00", tick=False)
    [dist_id] = send(app, add_book(app), [HUAXIN], sent_on=SENT)
    travel("2026-11-09 10:00", tick=False)
    assert _tick(app) == 1
    assert _tick(app) == 0  # the same moment again
    travel("2026-11-12 09:59", tick=False)
    assert _tick(app) == 0  # 2 days 23:59 later
    travel("2026-11-12 10:00", tick=False)
    assert _tick(app) == 1
    travel("2026-11-15 10:00", tick=False)
    assert _tick(app) == 1
    travel("2026-11-18 10:00", tick=False)
    assert _tick(app) == 0
    assert distribution(app, dist_id)["reminders"] == 3
    assert len(cards(sandbox, "lina")) == 4  # the first card and three reminders


def test_quiet_hours(app: Flask, people, sandbox, travel):
    """Is nothing sent at 21:00 or 07:59 Shanghai, and the reminder at 08:00?"""
    travel("2026-11-02 10:00", tick=False)
    send(app, add_book(app), [HUAXIN], sent_on=SENT)
    for moment in ("2026-11-10 21:00", "2026-11-11 07:59"):
        travel(moment, tick=False)
        with app.app_context():
            assert send_reminders(utcnow()).skipped == "quiet_hours"
        assert _tick(app) == 0
    travel("2026-11-11 08:00", tick=False)
    assert _tick(app) == 1


def test_settings_change_the_rule(app: Flask, people, sandbox, travel):
    """With BOOK_REMIND_AFTER_DAYS=3, BOOK_REMIND_TIMES=1: reminded on day 3, once only; an
    organisation without a contact is never counted as reminded."""
    app.config.update(BOOK_REMIND_AFTER_DAYS="3", BOOK_REMIND_TIMES="1",
                      BOOK_REMIND_EVERY_DAYS="1")
    travel("2026-11-02 10:00", tick=False)
    [huaxin, xinwu] = send(app, add_book(app), [HUAXIN, XINWU], sent_on=SENT)
    travel("2026-11-05 09:00", tick=False)
    assert _tick(app) == 1
    travel("2026-11-09 09:00", tick=False)
    assert _tick(app) == 0
    assert (distribution(app, huaxin)["reminders"], distribution(app, xinwu)["reminders"]) == (
        1, 0)


@pytest.mark.parametrize(("name", "value"), [("BOOK_REMIND_AFTER_DAYS", "0"),
                                             ("BOOK_REMIND_EVERY_DAYS", "abc"),
                                             ("BOOK_REMIND_TIMES", "-1"),
                                             ("BOOK_REMIND_TIMES", "2.5")])
def test_bad_settings_are_named(app: Flask, name: str, value: str):
    """Does a malformed BOOK_* setting stop with a message naming it?"""
    app.config[name] = value
    with app.app_context(), pytest.raises(ValueError, match=name):
        book_settings()
