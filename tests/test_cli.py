"""Do the CLI commands do their one thing and refuse bad input with a plain message?"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from bot.sandbox.server import SandboxServer
from content.menu import MENU
from models import Member, Organization, db
from tests.helpers import written


def test_member_add_with_org_and_roles(app: Flask):
    """Does `member add` create the member, the organisation and the roles?"""
    result = app.test_cli_runner().invoke(args=[
        "member", "add", "zhaoli", "赵丽", "--org", "华芯微电子党支部", "--kind", "foreign",
        "--role", "contact", "--role", "lecturer"])
    assert result.exit_code == 0, result.output
    assert "contact, lecturer, member" in result.output
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == "zhaoli")).one()
        assert member.main_organization.name == "华芯微电子党支部"
        assert member.main_organization.kind == "foreign"


def test_member_add_is_idempotent(app: Flask):
    """Does adding the same member twice keep one member with one membership?"""
    runner = app.test_cli_runner()
    for _ in range(2):
        runner.invoke(args=["member", "add", "zhaoli", "赵丽", "--org", "某党支部"])
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == "zhaoli")).one()
        assert len(member.memberships) == 1


def test_member_add_refuses_bad_input(app: Flask):
    """Are a bad userid, an unknown role, a contact without org refused, nothing written?"""
    runner = app.test_cli_runner()
    for args, message in [
        (["bad id", "x"], "invalid WeCom userid"),
        (["ok", "x", "--role", "king"], "unknown role"),
        (["ok", "x", "--role", "contact"], "must belong to an organisation"),
        (["ok", "x", "--org", "o", "--kind", "alien"], "unknown organisation kind"),
    ]:
        result = runner.invoke(args=["member", "add", *args])
        assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert db.session.scalars(select(Member)).all() == []
        assert db.session.scalars(select(Organization)).all() == []


def test_demo_seed_twice(app: Flask):
    """Does `demo seed` write the demo committee, and a second run change nothing?"""
    from roster.demo import demo_committee

    people = len(demo_committee().people)
    runner = app.test_cli_runner()
    assert f"{people} members" in runner.invoke(args=["demo", "seed"]).output
    before = written(app)
    runner.invoke(args=["demo", "seed"])
    assert written(app) == before
    with app.app_context():
        assert len(db.session.scalars(select(Member)).all()) == people
        lina = db.session.scalars(select(Member).where(Member.userid == "lina")).one()
        assert "contact" in lina.roles()


def test_push_menu(app: Flask, sandbox: SandboxServer):
    """Does `wecom push-menu` put content/menu.py into WeCom, and report a refusal plainly?"""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["wecom", "push-menu"]).exit_code == 0
    assert sandbox.state.menu == MENU
    sandbox.state.fail_next("menu/create", 40016, errmsg="invalid button size")
    result = runner.invoke(args=["wecom", "push-menu"])
    assert result.exit_code != 0 and "menu not pushed" in result.output
