"""Does 6.本月未参学党员 reach exactly the active members with no participation this month?"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import event, select

from models import Broadcast, Member, MemberStatus, OutboundMessage, ParticipationKind, db, utcnow
from participation.ledger import record
from roster import audience
from roster.demo import named_committee, seed_roster
from sandbox.server import SandboxServer
from tests.helpers import SHANGHAI

ADMIN = "chenjing"
TEXT = "本月还没有参学的同志，请抽时间学习"


def month_start(now: datetime) -> datetime:
    """The first instant of the Asia/Shanghai month holding `now`, in UTC."""
    local = now.astimezone(SHANGHAI)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


@pytest.fixture
def ledger(app: Flask) -> datetime:
    """The named committee with a known ledger; returns the month's start (UTC).

    zhangwei read today; wangfang at the month's first second (still the previous day in
    UTC); lina only in the last second of last month; liuyang never, and he has left;
    chenjing (the admin) never."""
    now = utcnow()
    start = month_start(now)
    with app.app_context():
        seed_roster(named_committee())
        ids = {u: i for u, i in db.session.execute(select(Member.userid, Member.id))}
        record(ids["zhangwei"], ParticipationKind.MATERIAL_READ, "material:1", now)
        record(ids["wangfang"], ParticipationKind.REFLECTION, "reflection:1", start)
        record(ids["lina"], ParticipationKind.MEETING, "meeting:1",
               start - timedelta(seconds=1))
        db.session.get(Member, ids["liuyang"]).status = MemberStatus.LEFT
        db.session.commit()
    return start


def test_idle_in_chat(app: Flask, ledger, send_text, sandbox: SandboxServer):
    """Is 6 listed, resolved to lina and chenjing only, sent to them, and recorded?"""
    send_text(ADMIN, "群发")
    ask = send_text(ADMIN, TEXT).text
    assert ask.startswith("发给谁？1.全体党员 2.指定党组织 3.标签 4.角色(书记/讲师) 5.冬训对象 "
                          "6.本月未参学党员")
    assert "将发给 2 人" in send_text(ADMIN, "6").text
    send_text(ADMIN, "确认")
    month = f"{ledger.astimezone(SHANGHAI):%Y-%m}"
    with app.app_context():
        row = db.session.scalars(select(Broadcast)).one()
        assert row.audience == {"kind": "idle", "values": [month]}
        assert row.audience_size == 2 and row.summary["sent"] == 2
        outbound = db.session.get(OutboundMessage, row.outbound_id)
        assert sorted(outbound.touser.split("|")) == ["chenjing", "lina"]
    for userid, expected in (("lina", 1), ("chenjing", 2), ("zhangwei", 0), ("wangfang", 0),
                             ("liuyang", 0)):  # the admin also had the preview
        got = [m for m in sandbox.state.inbox_since(userid)
               if (m["content"] or {}).get("content") == TEXT]
        assert len(got) == expected, userid
    assert f"未参学党员({month}) 2人" in send_text(ADMIN, "群发记录").text


def test_nobody_idle(app: Flask, ledger, send_text):
    """When every active member took part this month, is that said and nothing sent?"""
    with app.app_context():
        for userid in ("lina", "chenjing"):
            member = db.session.scalars(select(Member).where(Member.userid == userid)).one()
            record(member.id, ParticipationKind.LIVE, "live:1", utcnow())
        db.session.commit()
    send_text(ADMIN, "群发")
    send_text(ADMIN, TEXT)
    assert send_text(ADMIN, "6").text == "本月在册党员都已参学，无人可发。请重新选择发给谁"
    assert "将发给 4 人" in send_text(ADMIN, "1").text  # asked again; liuyang has left
    with app.app_context():
        assert db.session.scalars(select(Broadcast)).all() == []


def test_idle_is_one_query(app: Flask, ledger):
    """Is the audience resolved by one SQL statement (an anti-join), not one per member?"""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

        def count(conn, cursor, statement, *args) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", count)
        try:
            found = audience.resolve(audience.idle_audience(utcnow()))
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert sorted(r.userid for r in found) == ["chenjing", "lina"]
    assert len(statements) == 1 and "NOT (EXISTS" in statements[0]


def test_idle_last_month(app: Flask, ledger):
    """Does a month named explicitly use its own bounds (lina active last month)?"""
    last = ledger - timedelta(days=1)
    with app.app_context():
        found = audience.resolve({"kind": "idle", "values": [audience.local_month(last)]})
        assert sorted(r.userid for r in found) == ["chenjing", "wangfang", "zhangwei"]


def test_month_bounds_and_validation():
    """Are Shanghai months turned into UTC bounds (December too), and bad months refused?"""
    assert audience.month_bounds("2026-12") == (datetime(2026, 11, 30, 16, tzinfo=UTC),
                                                datetime(2026, 12, 31, 16, tzinfo=UTC))
    assert audience.local_month(datetime(2026, 11, 30, 16, 30, tzinfo=UTC)) == "2026-12"
    for month in ("2026-13", "2026-00", "2026-1", "26-11", "本月"):
        with pytest.raises(audience.AudienceError, match="not a month"):
            audience.validate({"kind": "idle", "values": [month]})
    with pytest.raises(audience.AudienceError, match="needs at least one value"):
        audience.validate({"kind": "idle", "values": []})
    with pytest.raises(audience.AudienceError, match="exactly one month"):
        audience.validate({"kind": "idle", "values": ["2026-11", "2026-12"]})


def test_idle_from_the_cli(app: Flask, ledger, sandbox: SandboxServer):
    """Does `broadcast send --idle` reach the idle members, and bad uses get plain errors?"""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["broadcast", "send", "--text", TEXT, "--idle"])
    assert result.exit_code == 0, result.output
    assert ": 2 members" in result.output
    assert [m["content"]["content"] for m in sandbox.state.inbox_since("lina")] == [TEXT]
    assert sandbox.state.inbox_since("zhangwei") == []
    month = audience.local_month(ledger - timedelta(days=1))
    last = runner.invoke(args=["broadcast", "send", "--text", TEXT, "--idle", month])
    assert last.exit_code == 0 and ": 3 members" in last.output
    bad = runner.invoke(args=["broadcast", "send", "--text", TEXT, "--idle", "2026-13"])
    assert bad.exit_code != 0 and "not a month '2026-13'" in bad.output
    both = runner.invoke(args=["broadcast", "send", "--text", TEXT, "--idle", "--all"])
    assert both.exit_code != 0 and "choose exactly one audience" in both.output
    with app.app_context():
        assert len(db.session.scalars(select(Broadcast)).all()) == 2


@pytest.mark.parametrize("now", ["2027-02-01 00:30", "2027-02-01 07:59"])
def test_this_month_is_the_committees_at_its_first_morning(app: Flask, send_text, travel,
                                                            now: str):
    """Early on 1 February in Shanghai (still 31 January in UTC), is a member who read at
    00:10 active this month, one who read at 23:59 the night before idle, and does 6 in
    群发 reach exactly those idle in February?"""
    travel(now)
    with app.app_context():
        seed_roster(named_committee())
        ids = {u: i for u, i in db.session.execute(select(Member.userid, Member.id))}
        record(ids["zhangwei"], ParticipationKind.MATERIAL_READ, "material:1",
               datetime(2027, 2, 1, 0, 10, tzinfo=SHANGHAI))
        record(ids["wangfang"], ParticipationKind.MATERIAL_READ, "material:1",
               datetime(2027, 1, 31, 23, 59, tzinfo=SHANGHAI))
        db.session.commit()
        idle = audience.idle_audience(utcnow())
        assert idle == {"kind": "idle", "values": ["2027-02"]}
        found = {r.userid for r in audience.resolve(idle)}
    assert "wangfang" in found and "zhangwei" not in found
    send_text(ADMIN, "群发")
    send_text(ADMIN, TEXT)
    assert f"将发给 {len(found)} 人" in send_text(ADMIN, "6").text
