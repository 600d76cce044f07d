"""The member's main organisation, as the ledger, the question box and the quiz record it: the
main membership, else the earliest, one member at a time or many in one query."""

from __future__ import annotations

from flask import Flask

from models import Membership, db
from roster.manage import (
    add_member,
    ensure_organization,
    main_organization_id,
    main_organization_ids,
)


def test_the_main_membership_else_the_earliest(app: Flask) -> None:
    """Does a member's main organisation win over an earlier one, the earliest stand in when
    none is main, and a member with none have none, alike for one member and for many?"""
    with app.app_context():
        first, second = ensure_organization("一支部"), ensure_organization("二支部")
        moved = add_member("moved", "调动党员", [first])
        plain = add_member("plain", "普通党员", [])
        alone = add_member("alone", "无支部党员", [])
        db.session.flush()
        for membership in moved.memberships:
            membership.is_main = False
        db.session.add(Membership(member_id=moved.id, organization_id=second.id, is_main=True))
        db.session.add(Membership(member_id=plain.id, organization_id=second.id, is_main=False))
        db.session.add(Membership(member_id=plain.id, organization_id=first.id, is_main=False))
        db.session.commit()
        expected = {moved.id: second.id, plain.id: second.id}
        assert {m: main_organization_id(m) for m in expected} == expected
        assert main_organization_id(alone.id) is None
        assert main_organization_ids([moved.id, plain.id, alone.id]) == expected
        assert main_organization_ids() == expected
