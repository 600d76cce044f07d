"""学习用书 distribution: a book registered with its copies, sent to chosen organisations, to
all not yet given it, or to one kind of enterprise; never more copies than the book has, once
per organisation; the receipt card to each organisation's active contacts; bad input refused
with nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

import clock
from books import records
from books.records import BookError
from bot.outbox import Outbox
from models import BookDistribution, Member, MemberStatus, Organization, OrgKind, db, utcnow
from tests.books.book_helpers import (
    COMMITTEE,
    HUAXIN,
    XIDONG,
    XINWU,
    add_book,
    audits,
    button,
    cards,
    org_id,
    send,
)
from tests.helpers import written


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in after if after[name] != before.get(name)} - {"redis_keys"}


def test_chosen_organisations_get_copies_and_cards(app: Flask, people, sandbox):
    """Are the chosen organisations each sent the copies, audited once, and does every
    active contact of each (both of 华芯's) get a card with the 确认收到 button, and nobody
    else?"""
    book_id = add_book(app, copies=100)
    ids = send(app, book_id, [HUAXIN, XIDONG], copies_each=30)
    assert len(ids) == 2
    with app.app_context():
        rows = db.session.scalars(select(BookDistribution).order_by(BookDistribution.id)).all()
        assert [(r.organization.name, r.copies, r.confirmed_at) for r in rows] == [
            (HUAXIN, 30, None), (XIDONG, 30, None)]
        assert records.given_copies(book_id) == 60
    for userid, distribution_id in (("lina", ids[0]), ("zhoumin", ids[0]),
                                    ("wangqiang", ids[1])):
        [card] = cards(sandbox, userid)
        assert card["content"]["card_type"] == "button_interaction"
        assert button(card) == f"book:{distribution_id}:confirm"
        assert "《中国共产党简史》" in card["content"]["main_title"]["desc"]
    for userid in ("zhangwei", "wangfang", "chenjing"):
        assert cards(sandbox, userid) == []
    assert [a[1] for a in audits(app)] == ["book.create", "book.distribute"]


def test_all_and_kind_skip_those_given(app: Flask, people):
    """Does "all" go to every active organisation not yet given the book, and "kind" to those
    of that kind of enterprise only?"""
    book_id = add_book(app, copies=1000)
    with app.app_context():
        db.session.get(Organization, org_id(app, XIDONG)).kind = OrgKind.FOREIGN
        db.session.get(Organization, org_id(app, XINWU)).kind = OrgKind.FOREIGN
        db.session.commit()
        book = records.find_book(book_id)
        foreign = records.targets(book, "kind", kind=OrgKind.FOREIGN)
        assert sorted(o.name for o in foreign) == sorted([XIDONG, XINWU])
    send(app, book_id, [XIDONG])
    with app.app_context():
        book = records.find_book(book_id)
        assert [o.name for o in records.targets(book, "kind", kind=OrgKind.FOREIGN)] == [XINWU]
        assert sorted(o.name for o in records.targets(book, "all")) == sorted(
            [HUAXIN, XINWU, COMMITTEE])


def test_committee_itself_is_never_a_target(app: Flask, people):
    """Is the committee at the top of the tree (with branches under it) left out of "all"?"""
    with app.app_context():
        committee = db.session.scalar(select(Organization).where(Organization.name == COMMITTEE))
        for name in (HUAXIN, XIDONG, XINWU):
            db.session.scalar(select(Organization).where(Organization.name == name)).parent = (
                committee)
        db.session.commit()
    book_id = add_book(app)
    with app.app_context():
        names = {o.name for o in records.targets(records.find_book(book_id), "all")}
        assert names == {HUAXIN, XIDONG, XINWU}
        with pytest.raises(BookError) as refused:
            records.targets(records.find_book(book_id), "list",
                            org_ids=[org_id(app, COMMITTEE)])
        assert refused.value.reason == "unknown_organization"


def _refused(app: Flask, book_id: int, orgs: list[int], copies_each: object,
             sent_on_days: int = 0, mode: str = "list") -> str:
    """The reason a distribution is refused for; nothing may be written."""
    before = written(app)
    with app.app_context():
        now = utcnow()
        book = records.find_book(book_id)
        with pytest.raises(BookError) as refused:
            chosen = records.targets(book, mode, org_ids=orgs)
            records.distribute(book, chosen, copies_each,  # type: ignore[arg-type]
                               clock.today(now) + timedelta(days=sent_on_days), "chenjing",
                               now, clock.today(now), Outbox(db.session))
        db.session.rollback()
    assert _changed(before, written(app)) == set()
    return refused.value.reason


def test_bad_distributions_are_refused(app: Flask, people, sandbox):
    """More copies than are left, a second time to an organisation, an unknown or inactive
    organisation, none at all, zero, negative or garbage copies, a date in the future: each
    refused with its reason, nothing written, no card sent."""
    book_id = add_book(app, copies=50)
    huaxin, xidong = org_id(app, HUAXIN), org_id(app, XIDONG)
    assert _refused(app, book_id, [huaxin, xidong], 30) == "over_stock"
    send(app, book_id, [HUAXIN], copies_each=20)
    sent = len(cards(sandbox, "lina"))
    assert _refused(app, book_id, [xidong], 31) == "over_stock"  # 30 left
    assert _refused(app, book_id, [huaxin], 1) == "already_given"
    assert _refused(app, book_id, [huaxin, xidong], 1) == "already_given"
    assert _refused(app, book_id, [999], 1) == "unknown_organization"
    assert _refused(app, book_id, [], 1) == "no_organizations"
    assert _refused(app, book_id, [xidong], 0) == "copies_each_zero"
    assert _refused(app, book_id, [xidong], -5) == "negative"
    assert _refused(app, book_id, [xidong], "十本") == "not_number"
    assert _refused(app, book_id, [xidong], 1, sent_on_days=1) == "sent_in_future"
    with app.app_context():
        db.session.get(Organization, xidong).active = False
        db.session.commit()
    assert _refused(app, book_id, [xidong], 1) == "unknown_organization"
    assert len(cards(sandbox, "lina")) == sent and cards(sandbox, "wangqiang") == []
    send(app, book_id, [XINWU], copies_each=30)  # exactly what is left
    with app.app_context():
        assert records.given_copies(book_id) == 50


@pytest.mark.parametrize(("copies", "reason"), [("-1", "negative"), ("abc", "not_number"),
                                                ("", "not_number"), ("1000001", "too_big")])
def test_bad_book_copies(app: Flask, people, copies: str, reason: str):
    """Is a book with negative, garbage or absurd copies refused, nothing written?"""
    before = written(app)
    with app.app_context():
        with pytest.raises(BookError) as refused:
            records.create_book("中国共产党简史", "", copies, "", "chenjing", utcnow())
        db.session.rollback()
    assert refused.value.reason == reason
    assert _changed(before, written(app)) == set()


def test_untitled_book_is_refused(app: Flask, people):
    """Is a book without a title (or only 《》) refused?"""
    with app.app_context():
        for title in ("", "  ", "《》"):
            with pytest.raises(BookError) as refused:
                records.create_book(title, "", 10, "", "chenjing", utcnow())
            assert refused.value.reason == "title_empty"


def test_no_card_for_an_organisation_without_active_contact(app: Flask, people, sandbox):
    """Is an organisation without a contact (or whose contact left) sent the books, named as
    told nobody, with no card to anyone?"""
    with app.app_context():
        db.session.scalar(select(Member).where(Member.userid == "wangqiang")).status = (
            MemberStatus.LEFT)
        db.session.commit()
        book = records.find_book(add_book(app))
        chosen = records.targets(book, "list", org_ids=[org_id(app, XIDONG), org_id(app, XINWU)])
        now = utcnow()
        done = records.distribute(book, chosen, 5, clock.today(now), "chenjing", now,
                                  clock.today(now), Outbox(db.session))
        db.session.commit()
        assert sorted(done.without_contact) == sorted([XIDONG, XINWU])
        assert done.contacts == 0 and done.outbound_ids == []
    assert cards(sandbox, "wangqiang") == []
