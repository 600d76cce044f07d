"""Demo 学习用书: three books sent over the year to every demo organisation (the committee's
own aside), most receipts confirmed by the organisation's contact a few days after sending,
most of those with the members given, and a few of the latest book not confirmed and overdue,
already reminded. Deterministic (random.Random(SEED)); writes rows only, commits nothing."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

import clock
from books.records import committee_ids
from models import (
    Book,
    BookDistribution,
    Member,
    Membership,
    MemberStatus,
    Organization,
    Role,
    RoleGrant,
    db,
)

SEED = 2501
ACTOR = "demo"
# (title, publisher, days before today it was sent, share of receipts confirmed)
BOOKS = (
    ("习近平新时代中国特色社会主义思想学习纲要（2023年版）", "学习出版社、人民出版社", 270, 1.0),
    ("中国共产党简史", "人民出版社、中共党史出版社", 150, 0.97),
    ("党的二十届三中全会《决定》学习辅导百问", "党建读物出版社、学习出版社", 20, 0.8),
)


def _organizations() -> list[tuple[int, int, int | None]]:
    """(organisation id, active members, a contact's member id) of the demo branches."""
    members = dict(db.session.execute(
        select(Membership.organization_id, func.count(func.distinct(Membership.member_id)))
        .join(Member, Member.id == Membership.member_id)
        .where(Member.status == MemberStatus.ACTIVE)
        .group_by(Membership.organization_id)).all())
    contacts: dict[int, int] = {}
    for org_id, member_id in db.session.execute(
            select(RoleGrant.organization_id, RoleGrant.member_id)
            .join(Member, Member.id == RoleGrant.member_id)
            .where(RoleGrant.role == Role.CONTACT, Member.status == MemberStatus.ACTIVE)
            .order_by(RoleGrant.id)):
        if org_id is not None:
            contacts.setdefault(org_id, member_id)
    skip = committee_ids()
    orgs = db.session.scalars(select(Organization.id).where(Organization.active)
                              .order_by(Organization.id))
    return [(org_id, members.get(org_id, 0), contacts.get(org_id))
            for org_id in orgs if org_id not in skip and members.get(org_id, 0) > 0]


def _confirmed_at(rng: random.Random, sent_on: date, today: date) -> datetime:
    """A working-hours moment 1 to 6 days after sending, never after today."""
    day = min(sent_on + timedelta(days=rng.randint(1, 6)), today)
    return clock.at(day, time(rng.randint(9, 17), rng.choice((0, 15, 30, 45))))


def seed_demo_year(today: date) -> int:
    """Write the demo year's books and distributions; how many rows were written."""
    rng = random.Random(SEED)
    orgs = _organizations()
    if not orgs:
        return 0
    written = 0
    for title, publisher, days_ago, share in BOOKS:
        sent_on = today - timedelta(days=days_ago)
        copies = {org_id: max(5, -(-members // 5) * 5) for org_id, members, _ in orgs}
        book = Book(title=title, publisher=publisher, copies=sum(copies.values()) + 50,
                    created_by=ACTOR, created_at=clock.at(sent_on - timedelta(days=3), time(9)))
        db.session.add(book)
        db.session.flush()
        written += 1
        for org_id, members, contact_id in orgs:
            row = BookDistribution(book_id=book.id, organization_id=org_id,
                                   copies=copies[org_id], sent_on=sent_on, created_by=ACTOR,
                                   created_at=clock.at(sent_on, time(10)))
            if contact_id is not None and rng.random() < share:
                row.confirmed_at = _confirmed_at(rng, sent_on, today)
                row.confirmed_by_id = contact_id
                row.confirmed_by_actor = ACTOR
                if rng.random() < 0.75:
                    row.members_given = rng.randint(max(1, members * 7 // 10), members)
            elif days_ago >= 7:  # overdue: reminded already
                row.reminders = 1
                row.reminded_at = clock.at(sent_on + timedelta(days=7), time(10))
            db.session.add(row)
            written += 1
    db.session.flush()
    return written
