"""Are change_contact events applied to the roster as they arrive, exactly once?"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from models import Member, MemberStatus, Organization, Tag, TagMember, TagOrganization, db
from sandbox.simulator import MemberSimulator
from tests.helpers import written


@pytest.fixture
def roster(app: Flask):
    """The demo committee in the roster (departments 1-4, five members)."""
    with app.app_context():
        from roster.demo import named_committee, seed_roster

        seed_roster(named_committee())


def get(app: Flask, userid: str) -> Member | None:
    """A member as stored (detached), or None."""
    with app.app_context():
        found = db.session.scalars(select(Member).where(Member.userid == userid)).first()
        if found is not None:
            found.main_organization  # noqa: B018  (load before detaching)
            db.session.expunge_all()
        return found


def org(app: Flask, dept_id: int) -> Organization | None:
    """An organisation by WeCom department id."""
    with app.app_context():
        found = db.session.scalars(
            select(Organization).where(Organization.wecom_dept_id == dept_id)).first()
        db.session.expunge_all()
        return found


def test_create_user(app: Flask, sim: MemberSimulator, roster):
    """Does create_user add the member to their departments, main one first?"""
    delivery = sim.change_contact("create_user", UserID="zhaolei", Name="赵磊",
                                  Department="3,2", MainDepartment="3", Position="技术员")
    assert delivery.statuses == [200] and delivery.reply is None
    added = get(app, "zhaolei")
    assert added.name == "赵磊" and added.position == "技术员"
    assert added.main_organization.name == "锡东精密机械党支部"


def test_update_user_fields_and_move(app: Flask, sim: MemberSimulator, roster):
    """Does update_user change only the fields it carries, and move departments?"""
    sim.change_contact("update_user", UserID="zhangwei", Department="4", MainDepartment="4")
    moved = get(app, "zhangwei")
    assert moved.main_organization.name == "新吴物流党支部" and moved.name == "张伟"
    sim.change_contact("update_user", UserID="zhangwei", Position="高级工程师")
    assert get(app, "zhangwei").position == "高级工程师"


def test_update_user_rename(app: Flask, sim: MemberSimulator, roster):
    """Does a NewUserID rename keep the same member (and history) under the new id?"""
    before = get(app, "wangfang")
    sim.change_contact("update_user", UserID="wangfang", NewUserID="wangfang2")
    assert get(app, "wangfang") is None
    assert get(app, "wangfang2").id == before.id


def test_rename_onto_existing_user_is_refused(app: Flask, sim: MemberSimulator, roster):
    """Is a rename onto a userid already taken ignored, not merged?"""
    sim.change_contact("update_user", UserID="wangfang", NewUserID="lina")
    assert get(app, "wangfang") is not None and get(app, "lina").name == "李娜"


def test_update_unknown_user_adds_them(app: Flask, sim: MemberSimulator, roster):
    """Is an update for someone we never heard of turned into an add?"""
    sim.change_contact("update_user", UserID="ghost", Name="新同志", Department="2")
    assert get(app, "ghost").name == "新同志"


def test_delete_user_marks_left(app: Flask, sim: MemberSimulator, roster):
    """Does delete_user mark the member left, keeping the row?"""
    sim.change_contact("delete_user", UserID="liuyang")
    gone = get(app, "liuyang")
    assert gone.status == MemberStatus.LEFT and gone.left_on is not None
    sim.change_contact("delete_user", UserID="nobody-here")  # unknown: ignored


def test_status_in_update(app: Flask, sim: MemberSimulator, roster):
    """Is a Status change (2 = disabled) applied?"""
    sim.change_contact("update_user", UserID="zhangwei", Status="2")
    assert get(app, "zhangwei").status == MemberStatus.DISABLED


def test_party_create_update_delete(app: Flask, sim: MemberSimulator, roster):
    """Are departments created, renamed, moved and closed (kept) by party events?"""
    sim.change_contact("create_party", Id="9", Name="新建党支部", ParentId="1", Order="5")
    assert org(app, 9).name == "新建党支部"
    sim.change_contact("update_party", Id="9", Name="更名党支部", ParentId="2")
    renamed = org(app, 9)
    assert renamed.name == "更名党支部" and renamed.parent_id == org(app, 2).id
    sim.change_contact("delete_party", Id="9")
    assert org(app, 9).active is False
    sim.change_contact("delete_party", Id="99")  # unknown: ignored


def test_update_party_for_unknown_department_creates_it(app: Flask, sim, roster):
    """Is an update for an unknown department created rather than crashing?"""
    sim.change_contact("update_party", Id="12", Name="补录党支部")
    assert org(app, 12).name == "补录党支部"


def test_update_tag(app: Flask, sim: MemberSimulator, roster):
    """Are members and departments added to and removed from a tag?"""
    sim.change_contact("update_tag", TagId="7", AddUserItems="lina,zhangwei,ghost",
                       AddPartyItems="2")
    sim.change_contact("update_tag", TagId="7", DelUserItems="zhangwei")
    with app.app_context():
        tag = db.session.scalars(select(Tag).where(Tag.wecom_tag_id == 7)).one()
        members = db.session.scalars(select(Member.userid).join(
            TagMember, TagMember.member_id == Member.id).where(TagMember.tag_id == tag.id)).all()
        assert members == ["lina"]
        parties = db.session.scalar(select(func.count()).select_from(TagOrganization))
        assert parties == 1


def test_malformed_events_change_nothing(app: Flask, sim: MemberSimulator, roster):
    """Do events with missing or junk fields leave the roster as it was, with a 200?"""
    before = written(app)
    for change, fields in [
        ("create_user", {}),
        ("update_user", {"UserID": ""}),
        ("create_party", {"Id": "abc"}),
        ("update_tag", {"TagId": "x"}),
        ("no_such_change", {"UserID": "zhangwei"}),
    ]:
        assert sim.change_contact(change, **fields).statuses == [200]
    after = written(app)
    assert {k: v for k, v in after.items() if k not in ("processed_messages", "redis_keys")} == \
        {k: v for k, v in before.items() if k not in ("processed_messages", "redis_keys")}


def test_event_delivered_twice_applies_once(app: Flask, client, sim: MemberSimulator, roster):
    """Is a change_contact retried by WeCom applied once?"""
    inner = sim.inner("sys", "event", {"Event": "change_contact", "ChangeType": "create_user",
                                       "UserID": "twice", "Name": "两次", "Department": "2"})
    query, body = sim.envelope(inner)
    for _ in range(2):
        assert client.post("/wecom/callback", query_string=query, data=body).status_code == 200
    with app.app_context():
        assert db.session.scalar(
            select(func.count()).select_from(Member).where(Member.userid == "twice")) == 1
