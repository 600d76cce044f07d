"""Can admins create campaigns, push to a campaign's audience, and members see its materials?"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select

import clock
from campaigns.campaigns import CampaignError, create_campaign, current_campaign
from models import Campaign, Material, db
from roster import audience
from roster.demo import named_committee, seed_roster
from tests.helpers import written
from tests.study_helpers import make_library


@pytest.fixture
def world(app: Flask) -> dict[str, int]:
    """The named committee and the small library."""
    with app.app_context():
        seed_roster(named_committee())
    return make_library(app)


def test_campaign_cli_and_audience(app: Flask, world):
    """Does `campaign add` create it, and does its audience resolve through pushes?"""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["campaign", "add", "2026年冬训", "--from", "2026-11-01",
                                 "--to", "2027-02-28", "--org", "华芯微电子党支部"])
    assert result.exit_code == 0, result.output
    assert "2026年冬训" in runner.invoke(args=["campaign", "list"]).output
    with app.app_context():
        members = audience.resolve({"kind": "campaign", "values": ["2026年冬训"]})
        assert sorted(m.userid for m in members) == ["lina", "zhangwei"]
    at = (datetime.now(UTC) + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    pushed = runner.invoke(args=["push", "add", "--material", "shoudaoren", "--campaign",
                                 "2026年冬训", "--at", at])
    assert pushed.exit_code == 0, pushed.output


def test_campaign_add_refuses_an_unknown_org(app: Flask, world):
    """Is `campaign add --org` with a typo refused, naming the closest organisation, and
    nothing written (it used to be stored and fail only when pushed to)?"""
    before = written(app)
    result = app.test_cli_runner().invoke(args=[
        "campaign", "add", "2026年冬训", "--from", "2026-11-01", "--to", "2027-02-28",
        "--org", "华芯微电子"])
    assert result.exit_code != 0
    assert "no organisation named '华芯微电子'; did you mean: 华芯微电子党支部" in result.output
    assert written(app) == before


@pytest.mark.parametrize(("args", "message"), [
    (("", "winter_training", date(2026, 1, 1), date(2026, 2, 1), {"kind": "all"}), "name"),
    (("冬训", "party", date(2026, 1, 1), date(2026, 2, 1), {"kind": "all"}), "unknown"),
    (("冬训", "theme", date(2026, 3, 1), date(2026, 2, 1), {"kind": "all"}), "end before"),
    (("冬训", "theme", date(2026, 1, 1), date(2026, 2, 1), {"kind": "campaign",
                                                          "values": ["x"]}), "another campaign"),
    (("冬训", "theme", date(2026, 1, 1), date(2026, 2, 1), {"kind": "orgs"}), "at least one"),
    (("冬训", "theme", date(2026, 1, 1), date(2026, 2, 1), {"kind": "orgs",
                                                          "values": ["无此支部"]}),
     "no organisation named '无此支部'"),
])
def test_bad_campaigns_are_refused(app: Flask, world, args, message):
    """Is each bad campaign refused with a plain reason?"""
    with app.app_context(), pytest.raises(CampaignError, match=message):
        create_campaign("test", *args)


def test_current_campaign_drives_my_study(app: Flask, world, make_member, send_text):
    """Does 我的学习 list the unread materials of the campaign running today?"""
    today = clock.today()
    with app.app_context():
        create_campaign("test", "主题教育", "theme", today - timedelta(days=1),
                        today + timedelta(days=9),
                        {"kind": "all"})
        material = db.session.scalars(select(Material).where(Material.slug == "dangshi-2")).one()
        material.campaign = "主题教育"
        db.session.commit()
        assert current_campaign(today).name == "主题教育"
        assert db.session.scalars(select(Campaign)).one().kind == "theme"
    text = send_text(make_member("zhangsan"), "我的学习").text
    assert "「主题教育」还有1篇未读：星火燎原" in text
