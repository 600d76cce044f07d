"""The demo year of 学习用书: three books sent to every demo branch (never the committee itself),
copies within each book's stock, most receipts confirmed by the branch's own contact after the
day sent, members given within the active members, a few overdue and reminded; deterministic."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

import clock
from books.demo import seed_demo_year
from books.people import active_members, contact_org_ids
from books.records import committee_ids
from models import Book, BookDistribution, Organization, db, utcnow
from roster.demo import generate, seed_roster


def _seed(app: Flask) -> tuple[int, list[tuple]]:
    with app.app_context():
        seed_roster(generate({"foreign": 4, "private": 3, "state": 2, "other": 1}, members=90))
        today = clock.today(utcnow())
        count = seed_demo_year(today)
        db.session.commit()
        rows = db.session.execute(select(
            BookDistribution.organization_id, BookDistribution.book_id, BookDistribution.copies,
            BookDistribution.sent_on, BookDistribution.confirmed_at,
            BookDistribution.confirmed_by_id, BookDistribution.members_given,
            BookDistribution.reminders).order_by(BookDistribution.id)).all()
        return count, [tuple(r) for r in rows]


def test_demo_year(app: Flask):
    """Are the figures non-zero and consistent with the roster and the stock?"""
    count, rows = _seed(app)
    with app.app_context():
        today = clock.today(utcnow())
        books = db.session.scalars(select(Book)).all()
        branches = set(db.session.scalars(select(Organization.id))) - committee_ids()
        assert count == len(books) + len(rows) and len(books) == 3
        assert {r[0] for r in rows} == branches - {o for o in branches if active_members(o) == 0}
        for book in books:
            assert sum(r[2] for r in rows if r[1] == book.id) <= book.copies
        confirmed = [r for r in rows if r[4] is not None]
        assert len(rows) * 0.8 < len(confirmed) < len(rows)
        for org, _book, _copies, sent_on, at, by, given, _reminders in confirmed:
            assert sent_on < clock.local(at).date() <= today
            assert org in contact_org_ids(by)
            assert given is None or 0 < given <= active_members(org)
        assert any(r[6] is not None for r in confirmed)
        overdue = [r for r in rows if r[4] is None
                   and r[3] <= today - timedelta(days=7)]
        assert overdue and all(r[7] >= 1 for r in overdue)
        total = db.session.scalar(select(func.count(BookDistribution.id)))
        assert total == len(rows)


def test_demo_is_deterministic(app: Flask):
    """Does seeding again (books emptied, the same roster) write the same rows?"""
    _count, first = _seed(app)
    with app.app_context():
        db.session.execute(BookDistribution.__table__.delete())
        db.session.execute(Book.__table__.delete())
        db.session.commit()
        seed_demo_year(clock.today(utcnow()))
        db.session.commit()
        again = [tuple(r)[2:] for r in db.session.execute(select(
            BookDistribution.organization_id, BookDistribution.book_id, BookDistribution.copies,
            BookDistribution.sent_on, BookDistribution.confirmed_at,
            BookDistribution.confirmed_by_id, BookDistribution.members_given,
            BookDistribution.reminders).order_by(BookDistribution.id))]
    assert again == [r[2:] for r in first]
