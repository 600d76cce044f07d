"""Do the CLI commands do their one thing and refuse bad input with a plain message?"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from bot.demo_data import is_demo_database
from content.menu import MENU
from models import AuditEntry, Member, Organization, db
from sandbox.server import SandboxServer
from tests.helpers import written


def test_member_add_with_org_and_roles(app: Flask):
    """Does `member add --create-org` create the member, the organisation and the roles?"""
    result = app.test_cli_runner().invoke(args=[
        "member", "add", "zhaoli", "赵丽", "--org", "华芯微电子党支部", "--create-org",
        "--kind", "foreign", "--role", "contact", "--role", "lecturer"])
    assert result.exit_code == 0, result.output
    assert "organisation 华芯微电子党支部 (foreign) created" in result.output
    assert "contact, lecturer, member" in result.output
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == "zhaoli")).one()
        assert member.main_organization.name == "华芯微电子党支部"
        assert member.main_organization.kind == "foreign"
        assert [a.action for a in db.session.scalars(select(AuditEntry).order_by(
            AuditEntry.id))] == ["org.add", "member.add"]


def test_member_add_is_idempotent(app: Flask):
    """Does adding the same member twice keep one member with one membership (and one org)?"""
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["member", "add", "zhaoli", "赵丽", "--org", "某党支部",
                                     "--create-org"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == "zhaoli")).one()
        assert len(member.memberships) == 1
        assert len(db.session.scalars(select(Organization)).all()) == 1


def test_member_add_joins_an_existing_org(app: Flask):
    """Does `member add --org ORG --role admin` work as before when ORG exists?"""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["org", "add", "高新区企业党委"]).exit_code == 0
    result = runner.invoke(args=["member", "add", "chenjing", "陈静", "--org", "高新区企业党委",
                                 "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert "created" not in result.output and "admin, member" in result.output
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == "chenjing")).one()
        assert member.main_organization.name == "高新区企业党委"


def test_member_add_never_creates_an_org_from_a_typo(app: Flask):
    """Is an unknown --org refused in one line naming the closest organisations, nothing
    written (no member, no organisation, no audit row)?"""
    runner = app.test_cli_runner()
    for name in ("华芯微电子党支部", "新吴物流党支部", "高新区企业党委"):
        assert runner.invoke(args=["org", "add", name]).exit_code == 0
    before = written(app)
    result = runner.invoke(args=["member", "add", "zhaoli", "赵丽", "--org", "华芯党之部",
                                 "--role", "admin"])
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        "Error: no organisation named '华芯党之部'; did you mean: 华芯微电子党支部?"]
    assert written(app) == before
    nothing_close = runner.invoke(args=["member", "add", "zhaoli", "赵丽", "--org", "xyz"])
    assert nothing_close.exit_code != 0
    assert "no organisation named 'xyz'" in nothing_close.output
    assert "did you mean" not in nothing_close.output
    alone = runner.invoke(args=["member", "add", "zhaoli", "赵丽", "--create-org"])
    assert alone.exit_code != 0 and "--create-org needs --org" in alone.output
    assert written(app) == before


def test_member_add_refuses_bad_input(app: Flask):
    """Are a bad userid, an unknown role, a contact without org refused, nothing written?"""
    runner = app.test_cli_runner()
    for args, message in [
        (["bad id", "x"], "invalid WeCom userid"),
        (["ok", "x", "--role", "king"], "unknown role"),
        (["ok", "x", "--role", "contact"], "must belong to an organisation"),
        (["ok", "x", "--org", "o", "--kind", "alien"], "unknown organisation kind"),
        (["ok", "x", "--org", "o", "--create-org", "--kind", "alien"],
         "unknown organisation kind"),
        (["ok", "x", "--org", "o", "--create-org", "--role", "king"], "unknown role"),
    ]:
        result = runner.invoke(args=["member", "add", *args])
        assert result.exit_code != 0 and message in result.output
    with app.app_context():
        assert db.session.scalars(select(Member)).all() == []
        assert db.session.scalars(select(Organization)).all() == []


def test_org_add(app: Flask):
    """Does `org add` create an organisation (kind, parent; audited) and refuse a taken name,
    an unknown parent (naming the closest) and a bad kind, writing nothing?"""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["org", "add", "高新区企业党委", "--kind", "state"]).exit_code == 0
    result = runner.invoke(args=["org", "add", "华芯微电子党支部", "--kind", "foreign",
                                 "--parent", "高新区企业党委"])
    assert result.exit_code == 0, result.output
    assert "organisation 华芯微电子党支部 (foreign) created under 高新区企业党委" in result.output
    with app.app_context():
        org = db.session.scalars(select(Organization).where(
            Organization.name == "华芯微电子党支部")).one()
        assert (org.kind, org.parent.name) == ("foreign", "高新区企业党委")
        assert [(a.action, a.target) for a in db.session.scalars(
            select(AuditEntry).order_by(AuditEntry.id))] == [
            ("org.add", "高新区企业党委"), ("org.add", "华芯微电子党支部")]
    before = written(app)
    for args, message in [
        (["华芯微电子党支部"], "an organisation named '华芯微电子党支部' exists already"),
        (["新吴物流党支部", "--parent", "高新区企业党"],
         "no organisation named '高新区企业党'; did you mean: 高新区企业党委?"),
        (["新吴物流党支部", "--kind", "alien"], "Invalid value for '--kind'"),
        (["  "], "an organisation needs a name"),
    ]:
        result = runner.invoke(args=["org", "add", *args])
        assert result.exit_code != 0 and message in result.output, result.output
    assert written(app) == before


def test_demo_seed_twice(app: Flask):
    """Does `demo seed` write the demo committee and its year, and a second run change
    nothing?"""
    from roster.demo import demo_committee

    people = len(demo_committee().people)
    runner = app.test_cli_runner()
    output = runner.invoke(args=["demo", "seed"]).output
    assert f"{people} members" in output
    year = dict(part.rsplit(" ", 1) for part in output.split("demo year: ")[1].strip().split(", "))
    assert all(int(year[name]) > 0 for name in ("participation", "books", "activities", "hall",
                                                  "trainings", "publicity", "awards")), year
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


def test_demo_seed_refuses_a_database_that_is_not_the_demos(app: Flask, make_member):
    """Does `demo seed` refuse a database holding the committee's own data, write nothing,
    and name the override, which alone lets it in?"""
    make_member("realone", "真实党员", org="真实党支部")
    before = written(app)
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["demo", "seed"])
    assert refused.exit_code != 0 and "holds data the demo did not write" in refused.output
    assert "--into-a-database-that-is-not-the-demos" in refused.output
    assert written(app) == before
    forced = runner.invoke(args=["demo", "seed", "--roster-only",
                                 "--into-a-database-that-is-not-the-demos"])
    assert forced.exit_code == 0 and "members" in forced.output
    with app.app_context():
        assert is_demo_database()


def test_demo_seed_marks_an_empty_database_as_the_demos(app: Flask):
    """Is an empty database marked the demo's on its first seed, so later seeds go on?"""
    runner = app.test_cli_runner()
    with app.app_context():
        assert not is_demo_database()
    assert runner.invoke(args=["demo", "seed", "--roster-only"]).exit_code == 0
    with app.app_context():
        assert is_demo_database()
    assert runner.invoke(args=["demo", "seed", "--roster-only"]).exit_code == 0


def test_suggestions_name_only_the_closest():
    """Does the shared hint name at most three of the closest names, best first, map a name to
    its key, and say nothing when nothing is close?"""
    from bot.suggest import suggest

    branches = ["高新区企业党委", "华芯微电子党支部", "远景党支部", "新吴物流党支部"]
    assert suggest("华芯党之部", branches) == "; did you mean: 华芯微电子党支部?"
    assert suggest("dangshi", ["x", "dangshi-1", "dangshi-2", "dangshi-3", "dangshi-4"]) == (
        "; did you mean: dangshi-1, dangshi-2, dangshi-3?")
    assert suggest("赵丽", {"zhaoli": "zhaoli", "赵丽丽": "zhaoli"}) == "; did you mean: zhaoli?"
    assert suggest("不存在", branches) == suggest("x", []) == suggest(" ", branches) == ""
