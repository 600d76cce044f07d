"""积分与学时规则: admins' rules per kind from a start date (the committee's day), daily caps on
hours beside those on points, rows already written never changed, the console page (admins
only, audited, saved once), 积分规则 in chat, and no rank at zero points (ties share)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from content import participation_rule_texts as rt
from models import AuditEntry, Participation, ParticipationRule, ParticipationTotal, db
from participation import rules
from participation.ledger import Credit, record, record_many
from participation.rules import KindRule, RuleError
from tests.console_helpers import login_as, post
from tests.helpers import SHANGHAI

pytestmark = pytest.mark.clock

NOON = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def lecture_rule(starts_on: date, points: int = 8, hours: float = 3.0) -> KindRule:
    """A lecture rule: `points` (cap 20) and `hours` an item (cap 6 a day)."""
    return KindRule("lecture", hours, points, 20, 6.0, starts_on)


def credited(row: Participation | None) -> tuple[float, int]:
    """(hours, points) of a new ledger row."""
    assert row is not None
    return float(row.hours), int(row.points)


def test_hours_are_capped_per_kind_per_local_day(app: Flask, make_member: Any) -> None:
    """Three 2-hour lectures a day against the 4-hour cap: 2, 2, then 0; the next day anew;
    the bulk path cuts the same way."""
    member = make_member("hours1")
    other = make_member("hours2")
    with app.app_context():
        day = [credited(record(member.id, "lecture", f"lecture:{n}", NOON)) for n in range(3)]
        late = credited(record(member.id, "lecture", "lecture:8", NOON + timedelta(hours=11.9)))
        next_day = credited(record(member.id, "lecture", "lecture:9",
                                   NOON + timedelta(hours=12.1)))  # 00:06 the next day
        record(other.id, "meeting", "meeting:1", NOON)
        record(other.id, "meeting", "meeting:2", NOON, hours=1.5)
        record_many([Credit(other.id)], "meeting", "meeting:3", NOON)
        db.session.commit()
        assert day == [(2.0, 5), (2.0, 5), (0.0, 0)]  # points: 5, 5, then the 10 cap
        assert late == (0.0, 0) and next_day == (2.0, 5)
        meeting_hours = db.session.scalars(select(Participation.hours).where(
            Participation.member_id == other.id).order_by(Participation.id)).all()
        assert [float(h) for h in meeting_hours] == [2.0, 1.5, 0.5]
        total = db.session.scalars(select(ParticipationTotal).where(
            ParticipationTotal.member_id == member.id)).one()
        assert float(total.hours) == 6.0


def test_a_rule_applies_from_its_start_date_at_shanghai_midnight(app: Flask, make_member: Any,
                                                                 travel: Any) -> None:
    """A rule saved on 20 December for the 21st: not at 23:59 on the 20th, yes at 00:01 on the
    21st (16:01 UTC on the 20th), and the rows of the 20th keep their values."""
    member = make_member("rule1")
    eve = travel("2026-12-20 23:59", tick=False)
    with app.app_context():
        saved, changed = rules.save_rule("test", lecture_rule(date(2026, 12, 21)),
                                         date(2026, 12, 20))
        db.session.commit()
        assert changed and saved.rule_id is not None
        assert rules.rule_on("lecture", date(2026, 12, 20)).points == 5  # the default
        before = record(member.id, "lecture", "lecture:1", eve.astimezone(UTC))
        db.session.commit()
        assert credited(before) == (2.0, 5)
    after = travel("2026-12-21 00:01", tick=False)
    assert after.astimezone(UTC).date() == date(2026, 12, 20)  # still the 20th in UTC
    with app.app_context():
        row = record(member.id, "lecture", "lecture:2", after.astimezone(UTC))
        db.session.commit()
        assert credited(row) == (3.0, 8)
        first = db.session.scalars(select(Participation).where(
            Participation.source == "lecture:1")).one()
        assert (float(first.hours), first.points) == (2.0, 5)  # never rewritten
        in_force = rules.rules_on(date(2026, 12, 21))
        assert in_force["lecture"].starts_on == date(2026, 12, 21)
        assert in_force["meeting"].starts_on is None  # no rule: the settings


def test_a_later_rule_takes_over_and_existing_rows_are_unchanged(app: Flask,
                                                                 make_member: Any) -> None:
    """Rows and totals written under one rule keep their values when the next rule starts."""
    member = make_member("rule2")
    with app.app_context():
        rules.save_rule("test", lecture_rule(date(2026, 11, 1), points=6), date(2026, 11, 1))
        record(member.id, "lecture", "lecture:1", NOON)
        db.session.commit()
        rows = [(r.source, float(r.hours), r.points) for r in db.session.scalars(
            select(Participation))]
        totals = db.session.execute(select(ParticipationTotal.points,
                                           ParticipationTotal.hours)).all()
        rules.save_rule("test", lecture_rule(date(2026, 11, 20), points=1, hours=0.5),
                        date(2026, 11, 20))
        db.session.commit()
        assert [(r.source, float(r.hours), r.points) for r in db.session.scalars(
            select(Participation))] == rows == [("lecture:1", 3.0, 6)]
        assert db.session.execute(select(ParticipationTotal.points,
                                         ParticipationTotal.hours)).all() == totals
        assert credited(record(member.id, "lecture", "lecture:2", NOON)) == (0.5, 1)


@pytest.mark.parametrize(("change", "reason"), [
    ({"kind": "nothing"}, "unknown_kind"),
    ({"starts_on": date(2026, 11, 19)}, "past_day"),
    ({"hours": -1}, "bad_hours"),
    ({"hours": float("nan")}, "bad_hours"),
    ({"daily_hours": 25}, "bad_hours"),
    ({"points": 2.5}, "bad_points"),
    ({"daily_points": 5000}, "bad_points"),
])
def test_bad_rules_are_refused(app: Flask, change: dict[str, Any], reason: str) -> None:
    """Is each bad value refused with its reason, writing nothing?"""
    values: dict[str, Any] = {"kind": "lecture", "starts_on": date(2026, 11, 20), "hours": 2,
                              "points": 5, "daily_points": 10, "daily_hours": 4, **change}
    with app.app_context():
        with pytest.raises(RuleError) as refused:
            rules.check(today=date(2026, 11, 20), **values)
        assert refused.value.reason == reason and refused.value.text()
        assert db.session.scalar(select(func.count(ParticipationRule.id))) == 0


def _people(make_member: Any) -> None:
    make_member("pr-admin", "管理员", org="党委办公室", roles=("admin",))
    make_member("pr-contact", "联络员", org="华芯党支部", roles=("contact",))


def _form(**change: str) -> dict[str, str]:
    return {"kind": "lecture", "starts_on": "2026-12-21", "hours": "3", "points": "8",
            "daily_points": "20", "daily_hours": "6", **change}


def test_the_console_page_is_admins_and_saves_once(app: Flask, make_member: Any,
                                                   sandbox: Any, travel: Any) -> None:
    """A contact gets 403 and writes nothing; an admin's save is audited once however often the
    form is sent; a bad value is said (422) and nothing is written; a rule still to start can
    be deleted, one in force cannot."""
    _people(make_member)
    travel("2026-12-20 10:00")
    contact = app.test_client()
    login_as(contact, sandbox, "pr-contact")
    assert contact.get("/console/participation/rules").status_code == 403
    assert post(contact, "/console/participation/rules", _form()).status_code == 403
    admin = app.test_client()
    login_as(admin, sandbox, "pr-admin")
    page = admin.get("/console/participation/rules").get_data(as_text=True)
    assert rt.PAGE_TITLE in page and 'id="rule-material_completed"' in page
    assert rt.UPCOMING_NONE in page
    for _ in range(2):  # a double submit
        assert post(admin, "/console/participation/rules", _form()).status_code == 303
    refused = post(admin, "/console/participation/rules", _form(points="x", kind="meeting"))
    assert refused.status_code == 422
    assert rt.ERRORS["bad_points"].format(name=rt.POINTS, most=100) in refused.get_data(
        as_text=True)
    past = post(admin, "/console/participation/rules", _form(starts_on="2026-12-19"))
    assert past.status_code == 422 and "不能早于今天" in past.get_data(as_text=True)
    with app.app_context():
        [rule] = db.session.scalars(select(ParticipationRule)).all()
        assert (rule.kind, rule.starts_on, rule.points, rule.updated_by) == (
            "lecture", date(2026, 12, 21), 8, "pr-admin")
        actions = db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.like("participation.%"))).all()
        assert actions == ["participation.rule"]
        rule_id = rule.id
        started = ParticipationRule(kind="meeting", starts_on=date(2026, 12, 1), hours=1,
                                    points=1, daily_points=1, daily_hours=1, updated_by="x")
        db.session.add(started)
        db.session.commit()
        started_id = started.id
    listed = admin.get("/console/participation/rules").get_data(as_text=True)
    assert f'id="upcoming-{rule_id}"' in listed and "2026-12-01起" in listed
    assert post(admin, f"/console/participation/rules/{started_id}/delete").status_code == 422
    assert post(contact, f"/console/participation/rules/{rule_id}/delete").status_code == 403
    assert post(admin, f"/console/participation/rules/{rule_id}/delete").status_code == 303
    with app.app_context():
        assert db.session.scalars(select(ParticipationRule.id)).all() == [started_id]
        assert "participation.rule_delete" in db.session.scalars(select(AuditEntry.action))


def test_points_rules_in_chat_show_the_rules_in_force(app: Flask, make_member: Any,
                                                      send_text: Any) -> None:
    """Does 积分规则 list each kind's points, cap and hours as in force today, and 我的积分
    point to it?"""
    member = make_member("pr-member")
    text = send_text(member, "积分规则").text
    assert "· 宣讲签到：每次5分，每日最多10分；2学时，每日最多4学时" in text
    assert "· 答题：每次1分，每日最多5分" in text and "答题：每次1分，每日最多5分；" not in text
    assert "在阅读页停留满30秒才记阅读积分" in text
    assert "须停留满材料时长的50%（至少1分钟）" in text
    with app.app_context():
        today = datetime.now(SHANGHAI).date()
        rules.save_rule("test", lecture_rule(today), today)
        db.session.commit()
    assert "· 宣讲签到：每次8分，每日最多20分；3学时，每日最多6学时" in send_text(
        member, "积分规则").text
    assert "积分规则" in send_text(member, "我的积分").text


def test_no_rank_at_zero_points_and_ties_share(app: Flask, make_member: Any,
                                               send_text: Any) -> None:
    """With 0 points 我的积分 gives no place; two members on equal points share first place."""
    first = make_member("tie1", org="华芯微电子党支部")
    second = make_member("tie2", org="华芯微电子党支部")
    idle = make_member("tie3", org="华芯微电子党支部")
    text = send_text(idle, "我的积分").text
    assert "排名：暂无排名，完成一次学习即可上榜" in text and "第1名" not in text
    now = datetime.now(UTC)
    with app.app_context():
        record(first.id, "lecture", "lecture:1", now)
        record(second.id, "lecture", "lecture:1", now)
        db.session.commit()
    for member in (first, second):
        assert "华芯微电子党支部第1名（共3人），全党委第1名（共3人）" in send_text(
            member, "我的积分").text
    assert "暂无排名" in send_text(idle, "我的积分").text
