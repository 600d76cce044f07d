"""The organisations a contact acts for (active ones only, once each, by name) and the answer
to "which organisation?": a number in range, a whole name or a part of exactly one name."""

from __future__ import annotations

import pytest
from flask import Flask

from content import roster_texts as texts
from models import Member, Organization, db
from roster.contacts import contact_organizations, pick_organization
from roster.manage import ensure_organization, grant_role

HUAXIN, XINWU, XIDONG = "华芯微电子党支部", "新吴物流党支部", "锡东精密机械党支部"


@pytest.fixture
def three() -> list[Organization]:
    """Three organisations, in the order a contact is shown them."""
    return [Organization(name=HUAXIN), Organization(name=XINWU), Organization(name=XIDONG)]


def test_contact_organizations_are_the_active_granted_ones_by_name(app: Flask, make_member):
    """Are a member's contact grants listed by name, once each, without a closed organisation
    or the organisation the member only belongs to?"""
    member = make_member("lina", "李娜", org=XINWU)
    with app.app_context():
        lina = db.session.get(Member, member.id)
        for name in (XIDONG, HUAXIN, "远景党支部"):
            grant_role(lina, "contact", ensure_organization(name))
        grant_role(lina, "contact", ensure_organization(HUAXIN))  # granted twice
        ensure_organization("远景党支部").active = False
        db.session.commit()
        assert [o.name for o in contact_organizations(lina)] == [HUAXIN, XIDONG]


@pytest.mark.parametrize(("typed", "index"), [
    ("2", 1), (" 3。", 2), ("１", 0), (XINWU, 1), ("锡东", 2), ("华芯微电子", 0)])
def test_a_number_or_a_name_picks_one(three: list[Organization], typed: str, index: int):
    """A number from 1 (full-width too, with a trailing stop), a whole name or a part of one
    name picks that organisation."""
    assert pick_organization(typed, three) is three[index]


def test_a_whole_name_wins_over_a_longer_one_containing_it():
    """Is 新吴党支部 picked by its whole name though 新吴物流党支部 contains it too?"""
    organizations = [Organization(name="新吴物流党支部"), Organization(name="新吴党支部")]
    assert pick_organization("新吴党支部", organizations) is organizations[1]


@pytest.mark.parametrize(("typed", "answer"), [
    ("4", texts.ORG_OUT_OF_RANGE.format(number=4, count=3)),
    ("0", texts.ORG_OUT_OF_RANGE.format(number=0, count=3)),
    ("党支部", texts.ORG_AMBIGUOUS.format(count=3, typed="党支部")),
    ("远景", texts.ORG_ASK_AGAIN),
    ("", texts.ORG_ASK_AGAIN),
    ("第一个", texts.ORG_ASK_AGAIN),
])
def test_anything_else_is_asked_again(three: list[Organization], typed: str, answer: str):
    """A number out of range, a part of several names, no name, nothing, or a number in words
    gets the text that asks again."""
    assert pick_organization(typed, three) == answer
