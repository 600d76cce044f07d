"""Participation rates: per organisation, per kind, for the committee; 参学率 and 未参学名单."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

import clock
from models import Member, Membership, MemberStatus, db
from participation import rates
from participation.ledger import record
from roster.manage import ensure_organization
from tests.helpers import SHANGHAI

# The clock is set to 02:30 on 1 March in Shanghai (18:30 UTC on 28 February), where a month
# cut in UTC would put this morning's reads in February.
NOW = datetime(2027, 3, 1, 2, 30, tzinfo=SHANGHAI)
MONTH = rates.month_period(NOW)
EARLIER = MONTH.start - timedelta(days=1)  # last month, still this year


@pytest.fixture
def world(app: Flask, make_member: Any, travel: Any) -> dict[str, int]:
    """Three organisations of two kinds; members who took part, did not, left, are disabled."""
    travel(NOW)
    with app.app_context():
        ensure_organization("外企党支部", "foreign")
        ensure_organization("民企党支部", "private")
        ensure_organization("民企二支部", "private")
        db.session.commit()
    people = {
        "f1": make_member("f1", "方一", org="外企党支部"),
        "f2": make_member("f2", "方二", org="外企党支部"),
        "f3": make_member("f3", "方三", org="外企党支部"),
        "p1": make_member("p1", "潘一", org="民企党支部", roles=("contact",)),
        "p2": make_member("p2", "潘二", org="民企党支部"),
        "p3": make_member("p3", "潘三", org="民企党支部"),
        "q1": make_member("q1", "秦一", org="民企二支部"),
        "admin": make_member("admin", "管理员", org=None, roles=("admin",)),
        "plain": make_member("plain", "普通", org="民企二支部"),
    }
    ids = {key: member.id for key, member in people.items()}
    with app.app_context():
        db.session.get(Member, ids["f3"]).status = MemberStatus.LEFT
        db.session.get(Member, ids["p3"]).status = MemberStatus.DISABLED
        second = ensure_organization("民企二支部")
        db.session.add(Membership(member_id=ids["f1"], organization_id=second.id, is_main=False))
        moment = NOW - timedelta(minutes=1)
        record(ids["f1"], "material_read", "material:1", moment)
        record(ids["f3"], "material_read", "material:1", moment)  # left: not counted
        record(ids["p1"], "lecture", "lecture:1", moment)
        record(ids["p2"], "reflection", "reflection:1", EARLIER)
        record(ids["p3"], "lecture", "lecture:1", moment)  # disabled: not counted
        db.session.commit()
    return ids


def test_committee_kind_and_org_rates(app: Flask, world: dict[str, int]) -> None:
    """Are rates counted over active members of their main organisation, per kind too?"""
    year = rates.year_period(clock.year_of(NOW))
    with app.app_context():
        assert rates.committee_rate(MONTH) == rates.Rate(6, 2)
        assert rates.committee_rate(year) == rates.Rate(6, 3)
        assert rates.kind_rates(MONTH) == {"foreign": rates.Rate(2, 1),
                                           "private": rates.Rate(4, 1)}
        assert rates.kind_rates(year) == {"foreign": rates.Rate(2, 1),
                                          "private": rates.Rate(4, 2)}
        by_name = {r.name: (r.kind, r.rate) for r in rates.org_rates(MONTH)}
        assert by_name == {"外企党支部": ("foreign", rates.Rate(2, 1)),
                           "民企二支部": ("private", rates.Rate(2, 0)),
                           "民企党支部": ("private", rates.Rate(2, 1))}
        assert [r.name for r in rates.lowest(rates.org_rates(MONTH), 2)] == [
            "民企二支部", "外企党支部"]
        org_id = next(r.organization_id for r in rates.org_rates(MONTH) if r.name == "民企党支部")
        assert rates.non_participants(org_id, MONTH) == ["潘二"]
        assert rates.non_participants(org_id, year) == []


def test_percent() -> None:
    """Is the percent rounded to one decimal, and 0 for an empty audience?"""
    assert rates.Rate(3, 1).percent == 33.3
    assert rates.Rate(3, 2).percent == 66.7
    assert rates.Rate(0, 0).percent == 0.0
    assert rates.Rate(4, 1).idle == 3


def test_month_period_is_shanghai() -> None:
    """Does the month start at local midnight (16:00 UTC the day before)?"""
    period = rates.month_period(datetime(2026, 11, 30, 17, 0, tzinfo=UTC))  # 1 Dec local
    assert period.start == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)
    assert period.end == datetime(2026, 12, 31, 16, 0, tzinfo=UTC)


def test_admin_sees_the_committee(app: Flask, world: dict[str, int], send_text: Any) -> None:
    """Does an admin see the month and year, every kind, and the lowest organisations?"""
    reply = send_text("admin", "参学率").text
    local = clock.local(NOW)
    assert reply == "\n".join([
        "全委参学率（至少参学一次的在册党员/在册党员）",
        f"本月（{local.year}年{local.month}月）：2/6人，33.3%",
        f"今年（{local.year}年）：3/6人，50.0%",
        "本月按企业类型：",
        "· 外资企业：1/2人，50.0%",
        "· 民营企业：1/4人，25.0%",
        "本月参学率最低的3个组织：",
        "· 民企二支部：0/2人，0.0%",
        "· 外企党支部：1/2人，50.0%",
        "· 民企党支部：1/2人，50.0%",
    ])


def test_contact_sees_the_organisation(app: Flask, world: dict[str, int],
                                       send_text: Any) -> None:
    """Does a contact see their organisation's rate and who has not taken part?"""
    local = clock.local(NOW)
    assert send_text("p1", "参学率").text == "\n".join([
        "民企党支部 参学率",
        f"本月（{local.year}年{local.month}月）：1/2人，50.0%",
        f"今年（{local.year}年）：2/2人，100.0%",
        "本月尚未参学1人：潘二",
    ])
    assert send_text("p1", "未参学名单").text == (
        f"民企党支部 本月（{local.year}年{local.month}月）尚未参学1人：\n潘二\n\n"
        "可以提醒他们发送“学习”看看今天的学习材料。")


def test_plain_member_is_refused(app: Flask, world: dict[str, int], send_text: Any) -> None:
    """Is a plain member told the command is for admins or contacts?"""
    assert "管理员" in send_text("plain", "参学率").text
    assert "联络员" in send_text("plain", "未参学名单").text


def test_help_lists_the_commands_by_role(app: Flask, world: dict[str, int],
                                         send_text: Any) -> None:
    """Do contacts see both commands in 帮助, admins 参学率, plain members neither?"""
    contact, admin, plain = (send_text(u, "帮助").text for u in ("p1", "admin", "plain"))
    assert "参学率" in contact and "未参学名单" in contact
    assert "参学率" in admin and "未参学名单" not in admin
    assert "参学率" not in plain and "未参学名单" not in plain
