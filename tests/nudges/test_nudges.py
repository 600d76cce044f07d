"""Who gets a weekly nudge, who does not, and what each contact's digest says."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from models import Member, MemberStatus, Nudge, OutboundMessage, Participation, db
from nudges import nudges
from nudges.jobs import nudge_tick
from participation.ledger import record
from participation.settings import in_quiet_hours
from sandbox.server import SandboxServer
from tests.helpers import written
from tests.study_helpers import make_library, sign_in

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 10:00 in Shanghai
LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def _member(app: Flask, make_member: Any, userid: str, org: str, *,
            status: str = MemberStatus.ACTIVE, created: datetime = LONG_AGO,
            roles: tuple[str, ...] = ()) -> int:
    member = make_member(userid, org=org, roles=roles)
    with app.app_context():
        row = db.session.get(Member, member.id)
        row.status, row.created_at = status, created
        db.session.commit()
    return member.id


@pytest.fixture
def world(app: Flask, make_member: Any) -> dict[str, int]:
    """Members of two organisations in every situation the rules name."""
    make_library(app)
    ids = {
        "idle1": _member(app, make_member, "idle1", "甲党支部"),
        "recent": _member(app, make_member, "recent", "甲党支部"),
        "old": _member(app, make_member, "old", "甲党支部"),
        "left": _member(app, make_member, "left", "甲党支部", status=MemberStatus.LEFT),
        "disabled": _member(app, make_member, "disabled", "乙党支部",
                            status=MemberStatus.DISABLED),
        "newcomer": _member(app, make_member, "newcomer", "乙党支部",
                            created=NOW - timedelta(days=2)),
        "already": _member(app, make_member, "already", "乙党支部"),
        "contact": _member(app, make_member, "contact", "甲党支部", roles=("contact",)),
    }
    with app.app_context():
        record(ids["recent"], "material_read", "material:1", NOW - timedelta(days=3))
        record(ids["old"], "material_read", "material:1", NOW - timedelta(days=20))
        record(ids["contact"], "lecture", "lecture:1", NOW - timedelta(days=1))
        db.session.add(Nudge(member_id=ids["already"], kind="idle", period="2026-W48"))
        db.session.commit()
    return ids


def _outbound(app: Flask) -> list[tuple[list[str], dict[str, Any]]]:
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id))
        return [(row.touser.split("|"), row.payload) for row in rows]


def test_week_and_quiet_hours(app: Flask) -> None:
    """Is the period the Shanghai ISO week, and are 21:00–08:00 quiet?"""
    with app.app_context():
        settings = nudges.participation_settings()
        assert nudges.week_of(NOW) == "2026-W48"
        # Sunday 23:00 UTC is already Monday in Shanghai: the next week.
        assert nudges.week_of(datetime(2026, 11, 29, 23, 0, tzinfo=UTC)) == "2026-W49"
        assert not in_quiet_hours(NOW, settings.quiet_hours)
        assert in_quiet_hours(NOW + timedelta(hours=11), settings.quiet_hours)  # 21:00
        assert in_quiet_hours(NOW - timedelta(hours=2, minutes=1), settings.quiet_hours)  # 07:59
        assert not in_quiet_hours(NOW - timedelta(hours=2), settings.quiet_hours)  # 08:00


def test_only_idle_active_members_get_one_card(app: Flask, world: dict[str, int]) -> None:
    """Do idle members (and nobody else) get one card with today's material?"""
    with app.app_context():
        result = nudges.run_weekly(NOW)
    assert result.idle == 2 and not result.skipped
    messages = _outbound(app)
    cards = [(users, p) for users, p in messages if p["msgtype"] == "textcard"]
    assert len(cards) == 1
    users, payload = cards[0]
    assert users == ["idle1", "old"]
    card = payload["textcard"]
    assert card["title"] == "好久不见，今天学一点？"
    assert card["description"] == ("您已有14天没有参学了。今天推荐：《守岛人》"
                                   "（教育片，约110分钟），点开就能学。")
    assert "/r/" in card["url"] and card["btntxt"] == "去学习"
    with app.app_context():
        periods = db.session.execute(select(Nudge.member_id, Nudge.period).where(
            Nudge.kind == "idle")).all()
    assert sorted(periods) == sorted([(world["idle1"], "2026-W48"), (world["old"], "2026-W48"),
                                      (world["already"], "2026-W48")])


def test_at_most_once_a_week(app: Flask, world: dict[str, int]) -> None:
    """Does a second run the same week send nothing, and the next week's run send again?"""
    with app.app_context():
        first = nudges.run_weekly(NOW)
        again = nudges.run_weekly(NOW + timedelta(hours=5))
        before = db.session.scalar(select(func.count()).select_from(OutboundMessage))
        next_week = nudges.run_weekly(NOW + timedelta(days=7))
    assert first.idle == 2 and first.digests == 1
    assert (again.idle, again.digests, again.outbound_ids) == (0, 0, ())
    # A week later idle1 and old are still idle (old now 27 days), and "already" joins them.
    assert next_week.idle == 3 and next_week.digests == 1
    assert before == 2


def test_not_on_other_days_nor_at_night(app: Flask, world: dict[str, int]) -> None:
    """On another weekday, or at 22:00 on the day, is nothing written at all?"""
    before = written(app)
    with app.app_context():
        monday = nudges.run_weekly(NOW - timedelta(days=1))
        night = nudges.run_weekly(NOW + timedelta(hours=12))  # 22:00 Tuesday
        early = nudges.run_weekly(NOW - timedelta(hours=3))  # 07:00 Tuesday
    assert (monday.skipped, night.skipped, early.skipped) == ("weekday", "quiet hours",
                                                              "quiet hours")
    assert written(app) == before


def test_weekday_is_configurable(app: Flask, world: dict[str, int]) -> None:
    """With NUDGE_WEEKDAY=0 do the nudges go on Monday instead?"""
    app.config["NUDGE_WEEKDAY"] = "0"
    with app.app_context():
        assert nudges.run_weekly(NOW).skipped == "weekday"
        assert nudges.run_weekly(NOW - timedelta(days=1)).idle == 2


def test_contact_digest_lists_who_has_not_taken_part(app: Flask,
                                                     world: dict[str, int]) -> None:
    """Does the contact get the names of the members idle this month, once a week?"""
    with app.app_context():
        result = nudges.run_weekly(NOW)
        digests = db.session.scalars(select(Nudge.member_id).where(
            Nudge.kind == "contact_digest")).all()
    assert result.digests == 1 and digests == [world["contact"]]
    texts = [(users, p["text"]["content"]) for users, p in _outbound(app)
             if p["msgtype"] == "text"]
    # 甲党支部: idle1, recent, old, contact active (left is not counted); recent, old and
    # contact took part in November.
    assert texts == [(["contact"], "本周参学提醒（2026年11月，截至11月24日）\n"
                                   "甲党支部：本月参学3/4人，75.0%，尚未参学1人：idle1\n"
                                   "可以提醒他们发送“学习”参学。发送“参学率”随时查看。")]


def test_no_digest_when_everyone_took_part(app: Flask, make_member: Any) -> None:
    """Is a contact whose members all took part this month left in peace?"""
    contact = _member(app, make_member, "c2", "丙党支部", roles=("contact",))
    with app.app_context():
        record(contact, "reflection", "reflection:1", NOW - timedelta(days=2))
        db.session.commit()
        result = nudges.run_weekly(NOW)
        assert result.digests == 0 and result.idle == 0
        assert db.session.scalar(select(func.count()).select_from(Nudge)) == 0


def test_tick_delivers_to_wecom(app: Flask, world: dict[str, int], sandbox: SandboxServer,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Does the cron tick send the card and the digest to the members' WeCom?"""
    monkeypatch.setattr(nudges, "utcnow", lambda: NOW)
    inbox = {u: len(sandbox.state.inbox_since(u)) for u in ("idle1", "old", "contact", "recent")}
    with app.app_context():
        assert nudge_tick() == 3
    assert sandbox.state.inbox_since("idle1", inbox["idle1"])[0]["msgtype"] == "textcard"
    assert sandbox.state.inbox_since("old", inbox["old"])[0]["msgtype"] == "textcard"
    digest = sandbox.state.inbox_since("contact", inbox["contact"])[0]["content"]
    assert "idle1" in digest["content"]
    assert sandbox.state.inbox_since("recent", inbox["recent"]) == []


def test_one_tap_brings_the_member_back(app: Flask, world: dict[str, int], client: Any,
                                        sandbox: SandboxServer) -> None:
    """Does opening the card's link record the read, so next week's run leaves them be?"""
    with app.app_context():
        nudges.run_weekly(NOW)
    url = next(p["textcard"]["url"] for _, p in _outbound(app) if p["msgtype"] == "textcard")
    page = sign_in(client, sandbox, url.rsplit("/r/", 1)[1], "idle1")
    # 守岛人 is a film kept elsewhere: the read is recorded, then the member is sent there.
    assert page.status_code == 302 and page.location == "https://www.12371.cn/"
    with app.app_context():
        kinds = db.session.scalars(select(Participation.kind).where(
            Participation.member_id == world["idle1"])).all()
        # The read was recorded now (real time); a week after it, idle1 is not idle.
        opened = db.session.scalar(select(Participation.occurred_at).where(
            Participation.member_id == world["idle1"]))
        later = nudges.idle_members(opened + timedelta(days=7),
                                    nudges.participation_settings())
    assert kinds == ["material_read"]
    assert world["idle1"] not in [member_id for member_id, _ in later]
