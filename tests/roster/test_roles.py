"""Are roles granted and revoked by command (audited), and checked in chat?"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from content import texts
from models import AuditEntry, Member, RefusedUser, db


@pytest.fixture
def runner(app: Flask):
    """The CLI runner, with one member in one organisation."""
    cli = app.test_cli_runner()
    cli.invoke(args=["org", "add", "华芯微电子党支部"])
    cli.invoke(args=["member", "add", "zhaoli", "赵丽", "--org", "华芯微电子党支部"])
    return cli


def grants(app: Flask, userid: str) -> list[tuple[str, int | None, int | None]]:
    """(role, organisation id, batch) of each grant."""
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == userid)).one()
        return sorted((g.role, g.organization_id, g.batch) for g in member.grants)


def test_grant_and_revoke_are_audited(app: Flask, runner):
    """Do grant and revoke change the roles and each leave an audit row?"""
    assert runner.invoke(args=["roles", "grant", "zhaoli", "contact", "--org",
                               "华芯微电子党支部"]).exit_code == 0
    result = runner.invoke(args=["roles", "grant", "zhaoli", "lecturer", "--batch", "2",
                                 "--specialties", "党史"])
    assert result.exit_code == 0
    assert [g[0] for g in grants(app, "zhaoli")] == ["contact", "lecturer"]
    assert runner.invoke(args=["roles", "revoke", "zhaoli", "contact"]).exit_code == 0
    assert grants(app, "zhaoli") == [("lecturer", None, 2)]
    with app.app_context():
        actions = [a.action for a in db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["org.add", "member.add", "role.grant", "role.grant", "role.revoke"]


def test_granting_twice_is_harmless(app: Flask, runner):
    """Does a second identical grant say so and write no second row?"""
    runner.invoke(args=["roles", "grant", "zhaoli", "admin"])
    result = runner.invoke(args=["roles", "grant", "zhaoli", "admin"])
    assert "already held" in result.output
    assert grants(app, "zhaoli") == [("admin", None, None)]


@pytest.mark.parametrize(("args", "message"), [
    (["roles", "grant", "nobody", "admin"], "no member with userid"),
    (["roles", "grant", "zhaoli", "king"], "unknown role"),
    (["roles", "grant", "zhaoli", "contact"], "must belong to an organisation"),
    (["roles", "grant", "zhaoli", "contact", "--org", "不存在"], "no organisation named"),
    (["roles", "grant", "zhaoli", "contact", "--org", "华芯党支部"],
     "no organisation named '华芯党支部'; did you mean: 华芯微电子党支部?"),
    (["roles", "revoke", "zhaoli", "contact", "--org", "华芯微电子"],
     "no organisation named '华芯微电子'; did you mean: 华芯微电子党支部?"),
    (["roles", "grant", "zhaol", "admin"], "no member with userid 'zhaol'; did you mean: zhaoli?"),
    (["roles", "grant", "赵丽", "admin"], "no member with userid '赵丽'; did you mean: zhaoli?"),
    (["roles", "revoke", "zhaoli", "king"], "unknown role"),
    (["roles", "grant", "zhaoli", "lecturer", "--batch", "0"], "0"),
])
def test_bad_role_commands_change_nothing(app: Flask, runner, args, message):
    """Is each bad grant/revoke refused with a plain message and nothing changed?"""
    result = runner.invoke(args=args)
    assert result.exit_code != 0 and message in result.output
    assert grants(app, "zhaoli") == []


def test_refused_strangers_are_listed_for_admins(app: Flask, make_member, send_text):
    """Are refusals noted (days, not messages: test_roster_refused_days.py), shown to an admin
    in chat, and hidden from members?"""
    send_text("stranger1", "你好")
    send_text("stranger1", "在吗")
    send_text("stranger2", "学习")
    with app.app_context():
        rows = {r.userid: r.attempts for r in db.session.scalars(select(RefusedUser))}
    assert rows == {"stranger1": 1, "stranger2": 1}
    admin = make_member("boss", roles=("admin",))
    listing = send_text(admin, "未登记").text
    assert "stranger1：1天" in listing and "stranger2" in listing
    assert "管理员" in send_text(make_member("plain"), "未登记").text
    result = app.test_cli_runner().invoke(args=["roster", "refused"])
    assert "stranger1\t1 day\t" in result.output


def test_no_refusals_yet(make_member, send_text):
    """With nobody refused, does the admin get a plain answer?"""
    assert send_text(make_member("boss", roles=("admin",)), "未登记").text == texts.REFUSED_NONE
