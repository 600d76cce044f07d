"""Points, study hours, norms, ranks and leaderboards (我的积分, 排行榜)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask

from models import Member, MemberStatus, db
from participation.ledger import record
from participation.standing import leaderboard, month_points, standing
from tests.helpers import SHANGHAI

DAY = datetime(2026, 6, 10, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def _give(member_id: int, lectures: int = 0, reflections: int = 0, reads: int = 0,
          at: datetime = DAY) -> None:
    """Lectures (5 points, 2 h), reflections (5, 1 h), completed reads (2, 0.5 h), one a day."""
    for n in range(lectures):
        record(member_id, "lecture", f"lecture:{n}", at + timedelta(days=n))
    for n in range(reflections):
        record(member_id, "reflection", f"reflection:{member_id}-{n}", at + timedelta(days=n))
    for n in range(reads):
        record(member_id, "material_completed", f"material:{n}", at + timedelta(days=n))


def test_points_hours_and_norm_of_a_member(app: Flask, make_member: Any) -> None:
    """Does a member see the ledger's points and hours against the 32-hour norm?"""
    member = make_member("pts1")
    with app.app_context():
        _give(member.id, lectures=3, reflections=2, reads=1)
        db.session.commit()
        mine = standing(member.id, 2026)
        assert (mine.points, mine.hours, mine.participations) == (27, 8.5, 6)
        assert (mine.norm, mine.hours_left) == (32.0, 23.5)
        assert standing(member.id, 2025).points == 0


def test_secretaries_and_committee_members_need_56_hours(app: Flask, make_member: Any) -> None:
    """Is the norm 56 for a contact and for a position naming 书记 or 委员, 32 otherwise?"""
    contact = make_member("sec1", roles=("contact",))
    plain = make_member("plain1")
    member_by_position = make_member("wy1")
    with app.app_context():
        db.session.get(Member, member_by_position.id).position = "支部组织委员"
        db.session.commit()
        assert standing(contact.id, 2026).norm == 56.0
        assert standing(member_by_position.id, 2026).norm == 56.0
        assert standing(plain.id, 2026).norm == 32.0


def test_norms_follow_the_settings(app: Flask, make_member: Any) -> None:
    """Do STUDY_HOURS_NORM and STUDY_HOURS_NORM_LEADER change the norms?"""
    contact = make_member("sec2", roles=("contact",))
    plain = make_member("plain2")
    app.config.update(STUDY_HOURS_NORM="40", STUDY_HOURS_NORM_LEADER="60")
    with app.app_context():
        assert standing(contact.id, 2026).norm == 60.0
        assert standing(plain.id, 2026).norm == 40.0


def test_ranks_share_places_on_ties_in_organisation_and_committee(app: Flask,
                                                                  make_member: Any) -> None:
    """Do equal points share a place, and is the organisation ranked apart from the committee?"""
    a1, a2, a3 = (make_member(f"a{n}", org="甲党支部") for n in (1, 2, 3))
    b1 = make_member("b1", org="乙党支部")
    idle = make_member("a4", org="甲党支部")
    with app.app_context():
        _give(a1.id, lectures=2)  # 10 points
        _give(a2.id, reflections=2)  # 10 points
        _give(a3.id, lectures=1)  # 5 points
        _give(b1.id, lectures=4)  # 20 points
        db.session.commit()
        places = {m.userid: standing(m.id, 2026) for m in (a1, a2, a3, b1, idle)}
        assert [places[u].organization_rank for u in ("a1", "a2", "a3", "a4")] == \
            [1, 1, 3, None]  # nobody is ranked at zero points
        assert [places[u].committee_rank for u in ("b1", "a1", "a2", "a3", "a4")] == \
            [1, 2, 2, 4, None]
        assert places["a1"].organization_ranked == 4 and places["b1"].organization_ranked == 1
        assert places["a1"].committee_ranked == 5
        assert places["b1"].organization_rank == 1


def test_members_who_left_are_not_ranked(app: Flask, make_member: Any) -> None:
    """Does a member who left drop out of everyone's ranks and the leaderboards?"""
    stays = make_member("stays", org="甲党支部")
    leaves = make_member("leaves", org="甲党支部")
    with app.app_context():
        _give(stays.id, lectures=1)
        _give(leaves.id, lectures=4)
        db.session.get(Member, leaves.id).status = MemberStatus.LEFT
        db.session.commit()
        mine = standing(stays.id, 2026)
        assert (mine.organization_rank, mine.organization_ranked) == (1, 1)
        assert (mine.committee_rank, mine.committee_ranked) == (1, 1)
        gone = standing(leaves.id, 2026)
        assert gone.points == 20 and gone.committee_rank is None
        assert gone.organization_rank is None
        assert [row.member_id for row in leaderboard(2026)] == [stays.id]


def test_leaderboard_orders_by_points_then_hours(app: Flask, make_member: Any) -> None:
    """Is the leaderboard ordered by points, then hours, with ties sharing a rank?"""
    first = make_member("lb1", name="一号", org="甲党支部")
    tied = make_member("lb2", name="二号", org="甲党支部")
    other = make_member("lb3", name="三号", org="乙党支部")
    make_member("lb4", name="无分", org="甲党支部")
    with app.app_context():
        _give(first.id, lectures=2)  # 10 points, 4 h
        _give(tied.id, reflections=2)  # 10 points, 2 h
        _give(other.id, lectures=1)  # 5 points, 2 h
        db.session.commit()
        board = leaderboard(2026)
        assert [(r.rank, r.name, r.organization, r.points, r.hours) for r in board] == [
            (1, "一号", "甲党支部", 10, 4.0), (1, "二号", "甲党支部", 10, 2.0),
            (3, "三号", "乙党支部", 5, 2.0)]
        org = standing(first.id, 2026).organization_id
        assert [r.name for r in leaderboard(2026, org)] == ["一号", "二号"]
        assert [r.name for r in leaderboard(2026, limit=1)] == ["一号"]


def test_month_points_are_this_local_month_by_kind(app: Flask, make_member: Any) -> None:
    """Are this month's points counted per kind, in Shanghai's calendar month?"""
    member = make_member("month1")
    june_first = datetime(2026, 5, 31, 16, 30, tzinfo=UTC)  # 1 June 00:30 in Shanghai
    with app.app_context():
        record(member.id, "lecture", "lecture:1", june_first)
        record(member.id, "reflection", "reflection:1", june_first)
        record(member.id, "lecture", "lecture:2", june_first - timedelta(hours=1))  # 31 May
        db.session.commit()
        assert month_points(member.id, DAY) == {"lecture": 5, "reflection": 5}


def test_my_points_in_chat(app: Flask, make_member: Any, send_text: Any) -> None:
    """Does 我的积分 show points, hours left, both ranks and this month's points?"""
    member = make_member("chat1", name="张三", org="甲党支部")
    better = make_member("chat2", org="甲党支部")
    now = datetime.now(UTC)
    with app.app_context():
        record(member.id, "lecture", "lecture:1", now)
        record(member.id, "reflection", "reflection:1", now)
        _give(better.id, lectures=3, at=now - timedelta(minutes=1))
        db.session.commit()
    text = send_text(member, "我的积分").text
    year = now.astimezone(SHANGHAI).year
    assert f"我的积分（{year}年）" in text
    assert "积分：10分，参学2次" in text
    assert "学时：3/32学时，还差29学时" in text
    assert "甲党支部第2名（共2人），全党委第2名（共2人）" in text
    assert "本月积分：宣讲签到5，心得5" in text


def test_my_points_with_nothing_yet(app: Flask, make_member: Any, send_text: Any) -> None:
    """Does a member with no participation get 0 and a way to start?"""
    text = send_text(make_member("chat3"), "我的积分").text
    assert "积分：0分，参学0次" in text and "还差32学时" in text
    assert "本月还没有积分" in text


def test_leaderboard_in_chat_shows_own_place_when_outside(app: Flask, make_member: Any,
                                                          send_text: Any) -> None:
    """Does 排行榜 list the organisation's and committee's top 10 and add the member's place?"""
    now = datetime.now(UTC)
    me = make_member("me", name="我自己", org="甲党支部")
    tops = [make_member(f"top{n}", name=f"学员{n:02d}", org="甲党支部") for n in range(11)]
    with app.app_context():
        for n, top in enumerate(tops):
            record(top.id, "lecture", "lecture:1", now)
            if n < 5:
                record(top.id, "reflection", "reflection:1", now)
        db.session.commit()
    text = send_text(me, "排行榜").text
    assert "甲党支部积分榜" in text and "全党委积分榜" in text
    assert "1. 学员00 10分 3学时" in text and "6. 学员05 5分 2学时" in text
    assert "1. 学员00（甲党支部）10分" in text
    assert "学员10" not in text  # 11th
    assert "我自己" not in text
    assert text.count("您：暂无排名，完成一次学习即可上榜") == 2  # nobody is ranked at zero
    with app.app_context():
        record(me.id, "reflection", "reflection:1", now)
        db.session.commit()
    # Tied with six others on 5 points (sixth place), but below them on hours: off the board.
    assert send_text(me, "排行榜").text.count("您：第6名，5分") == 2
