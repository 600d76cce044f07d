"""Are pushes scheduled safely and sent exactly once, to exactly their audience?"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

import clock
from bot.jobs import sweep_outbound
from models import (
    Material,
    Organization,
    OutboundMessage,
    Push,
    PushDelivery,
    PushOccurrence,
    PushStatus,
    Series,
    Tag,
    TagMember,
    TagOrganization,
    db,
)
from roster import audience
from roster.demo import named_committee, seed_roster
from sandbox.server import SandboxServer
from study.jobs import push_tick
from study.pushes import PushError, create_push, run_due, send_occurrence
from tests.helpers import SHANGHAI, written
from tests.study_helpers import make_library

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai


@pytest.fixture
def world(app: Flask) -> dict[str, int]:
    """The named committee in the roster and a small library."""
    with app.app_context():
        seed_roster(named_committee())
    return make_library(app)


def push(app: Flask, slug: str | None = "shoudaoren", audience_: dict | None = None,
         at: datetime = NOW, **kwargs) -> int:
    """Schedule a push as of NOW - 1 hour; returns its id."""
    with app.app_context():
        material = db.session.scalars(select(Material).where(Material.slug == slug)).first() \
            if slug else None
        row = create_push("test", audience_ or {"kind": "all"}, at, material=material,
                          now=NOW - timedelta(hours=1), **kwargs)
        db.session.commit()
        return row.id


def count(app: Flask, model: type) -> int:
    """Rows of a model."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_not_due_sends_nothing(app: Flask, world):
    """Before its time, does a tick leave the push alone?"""
    push(app)
    with app.app_context():
        assert run_due(NOW - timedelta(minutes=1)).occurrences == 0
    assert count(app, PushOccurrence) == 0


def test_due_push_sent_once_to_everyone(app: Flask, world, sandbox: SandboxServer):
    """When due, is it sent once, one message to every member, with the occurrence's link?"""
    push_id = push(app)
    with app.app_context():
        result = run_due(NOW)
        again = run_due(NOW + timedelta(minutes=1))
        assert result.occurrences == 1 and result.recipients == 5 and again.occurrences == 0
        assert db.session.get(Push, push_id).status == PushStatus.DONE
        outbound = db.session.get(OutboundMessage, result.outbound_ids[0])
        assert len(outbound.touser.split("|")) == 5
        assert "/r/" in outbound.payload["news"]["articles"][0]["url"]
    assert count(app, PushDelivery) == 5


def test_overlapping_ticks_send_once(app: Flask, world):
    """If two ticks claim the same occurrence, does only one send it?"""
    push_id = push(app)
    with app.app_context():
        row = db.session.get(Push, push_id)
        first = send_occurrence(row, NOW)
        db.session.commit()
        row.status, row.next_at = PushStatus.ACTIVE, NOW  # a stale view of the same push
        assert send_occurrence(row, NOW) is None
        db.session.rollback()
    assert first is not None and count(app, PushOccurrence) == 1
    assert count(app, OutboundMessage) == 1


def test_tick_delivers_through_wecom(app: Flask, world, sandbox: SandboxServer):
    """Does the cron job send the news to every member's WeCom, in one call for five?"""
    push(app)
    with app.app_context():
        row = db.session.scalars(select(Push)).one()
        row.next_at = datetime.now(UTC) - timedelta(seconds=1)  # due now, in real time
        db.session.commit()
        assert push_tick() == 1
    assert len(sandbox.state.calls_to("message/send")) == 1
    news = sandbox.state.inbox_since("lina")[0]
    assert news["msgtype"] == "news" and news["content"]["articles"][0]["title"] == "守岛人"


def test_worker_restart_is_swept(app: Flask, world, sandbox: SandboxServer):
    """If the worker died after the occurrence was committed, does the sweeper send it?"""
    push(app)
    with app.app_context():
        run_due(NOW)  # committed, but no delivery job ran
        outbound = db.session.scalars(select(OutboundMessage)).one()
        outbound.created_at = datetime.now(UTC) - timedelta(minutes=5)
        db.session.commit()
        assert sweep_outbound() == 1
    assert len(sandbox.state.inbox_since("zhangwei")) == 1


def test_daily_and_weekly_repeat(app: Flask, world):
    """Do daily pushes come back a day later, and weekly ones on the chosen days only?"""
    daily = push(app, repeat="daily")
    weekly = push(app, repeat="weekly", weekdays=[0, 2])  # Mondays and Wednesdays
    with app.app_context():
        run_due(NOW)
        assert db.session.get(Push, daily).next_at == NOW + timedelta(days=1)
        first_weekly = db.session.get(Push, weekly).next_at
        assert first_weekly.astimezone(UTC).weekday() in (0, 2)
        run_due(first_weekly)
        following = db.session.get(Push, weekly).next_at
        assert following > first_weekly and following.weekday() in (0, 2)


def test_series_push_walks_the_series(app: Flask, world):
    """Does a daily series push send item 1, 2, 3 and then finish?"""
    with app.app_context():
        series = db.session.scalars(select(Series)).one()
        row = create_push("test", {"kind": "all"}, NOW, series=series, repeat="daily",
                          now=NOW - timedelta(hours=1))
        db.session.commit()
        sent = []
        for day in range(4):
            run_due(NOW + timedelta(days=day))
        for occurrence in db.session.scalars(select(PushOccurrence).order_by(PushOccurrence.id)):
            sent.append(occurrence.material.slug if occurrence.material else occurrence.note)
        assert sent == ["dangshi-1", "dangshi-2", "dangshi-3", "series finished"]
        assert db.session.get(Push, row.id).status == PushStatus.DONE


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"at": NOW - timedelta(hours=2)}, "in the past"),
    ({"audience_": {"kind": "roles", "values": ["lecturer"]}, "at": NOW}, None),
    ({"audience_": {"kind": "orgs", "values": ["没有这个党支部"]}}, "no organisation"),
    ({"audience_": {"kind": "planets"}}, "unknown audience kind"),
    ({"audience_": {"kind": "tags", "values": [99]}}, "audience is empty"),
    ({"repeat": "weekly"}, "weekdays"),
    ({"repeat": "hourly"}, "repeat must be"),
    ({"slug": None}, "either a material or a series"),
])
def test_bad_pushes_are_refused(app: Flask, world, kwargs, message):
    """Is each bad push refused with a plain reason and nothing written?"""
    if message is None:  # the control case: a valid audience
        push(app, **kwargs)
        return
    with pytest.raises(PushError, match=message):
        push(app, **kwargs)
    assert count(app, Push) == 0


def test_audiences(app: Flask, world):
    """Do orgs (with sub-organisations), tags, roles and everyone resolve to the right members?"""
    with app.app_context():
        def userids(spec: dict) -> list[str]:
            return sorted(r.userid for r in audience.resolve(spec))

        assert userids({"kind": "all"}) == ["chenjing", "lina", "liuyang", "wangfang",
                                            "zhangwei"]
        assert userids({"kind": "orgs", "values": ["华芯微电子党支部"]}) == ["lina", "zhangwei"]
        assert len(userids({"kind": "orgs", "values": ["高新区企业党委"]})) == 5  # the subtree
        assert userids({"kind": "roles", "values": ["contact", "admin"]}) == ["chenjing", "lina"]
        tag = Tag(wecom_tag_id=3, name="书记")
        db.session.add(tag)
        db.session.flush()
        member_id = next(r.member_id for r in audience.resolve({"kind": "all"})
                         if r.userid == "wangfang")
        db.session.add(TagMember(tag_id=tag.id, member_id=member_id))
        branch = db.session.scalars(select(Organization).where(
            Organization.name == "新吴物流党支部")).one()
        db.session.add(TagOrganization(tag_id=tag.id, organization_id=branch.id))
        db.session.commit()
        assert userids({"kind": "tags", "values": [3]}) == ["liuyang", "wangfang"]


def test_push_cli(app: Flask, world):
    """Do push add, list, cancel and stats work from the command line?"""
    runner = app.test_cli_runner()
    at = (datetime.now(UTC) + timedelta(days=1)).astimezone().strftime("%Y-%m-%d %H:%M")
    result = runner.invoke(args=["push", "add", "--material", "shoudaoren", "--org",
                                 "华芯微电子党支部", "--at", at])
    assert result.exit_code == 0, result.output
    assert "push 1 scheduled" in result.output
    assert "shoudaoren" in runner.invoke(args=["push", "list"]).output
    bad = runner.invoke(args=["push", "add", "--material", "shoudaoren", "--all", "--at",
                              "2020-01-01 09:00"])
    assert bad.exit_code != 0 and "in the past" in bad.output
    assert runner.invoke(args=["push", "cancel", "1"]).exit_code == 0
    assert "already cancelled" in runner.invoke(args=["push", "cancel", "1"]).output
    stats = runner.invoke(args=["push", "stats"]).output
    assert "守岛人" in stats


def test_push_cli_names_the_closest(app: Flask, world):
    """Does an unknown material, series, organisation or campaign stop `push add` (and
    `push stats`) in one line naming the closest ones, with nothing written?"""
    runner = app.test_cli_runner()
    at = (datetime.now(UTC) + timedelta(days=1)).astimezone().strftime("%Y-%m-%d %H:%M")
    before = written(app)
    for args, message in [
        (["--material", "shoudaore", "--all"],
         "no active material 'shoudaore'; did you mean: shoudaoren?"),
        (["--material", "守岛", "--all"], "no active material '守岛'; did you mean: shoudaoren?"),
        (["--series", "党史学习", "--all"], "no series '党史学习'; did you mean: 党史学习教育?"),
        (["--material", "shoudaoren", "--org", "华芯党支部"],
         "no organisation named '华芯党支部'; did you mean: 华芯微电子党支部"),
        (["--material", "shoudaoren", "--campaign", "2026冬训"], "no campaign '2026冬训'"),
    ]:
        result = runner.invoke(args=["push", "add", *args, "--at", at])
        assert result.exit_code != 0 and message in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
    stats = runner.invoke(args=["push", "stats", "--material", "dangshi"])
    assert stats.exit_code != 0
    assert "no active material 'dangshi'; did you mean: dangshi-1, dangshi-2, dangshi-3?" \
        in stats.output
    assert written(app) == before


def test_figures_by_organisation(app: Flask, world):
    """Are delivered, opened and completed counted per material and per organisation?"""
    from models import MaterialRead, Member, utcnow
    from study.stats import by_organization, material_figures

    push(app)
    with app.app_context():
        run_due(NOW)
        lina = db.session.scalars(select(Member).where(Member.userid == "lina")).one()
        zhang = db.session.scalars(select(Member).where(Member.userid == "zhangwei")).one()
        db.session.add_all([
            MaterialRead(member_id=lina.id, material_id=world["shoudaoren"], completed_at=utcnow()),
            MaterialRead(member_id=zhang.id, material_id=world["shoudaoren"]),
        ])
        db.session.commit()
        overall = next(f for f in material_figures() if f.label.startswith("shoudaoren"))
        assert (overall.delivered, overall.opened, overall.completed) == (5, 2, 1)
        huaxin = next(f for f in by_organization(world["shoudaoren"])
                      if f.label == "华芯微电子党支部")
        assert (huaxin.delivered, huaxin.opened, huaxin.completed) == (2, 2, 1)


def test_weekly_pushes_keep_the_committees_weekday_and_hour(app: Flask, world):
    """Does a Monday 07:30 push (Sunday 23:30 in UTC) come back each Monday at 07:30 in
    Shanghai, across the year's end and across 29 February?"""
    monday = datetime(2026, 12, 28, 7, 30, tzinfo=SHANGHAI)
    weekly = push(app, at=monday.astimezone(UTC), repeat="weekly", weekdays=[0])
    daily = push(app, at=datetime(2028, 2, 28, 23, 50, tzinfo=SHANGHAI), repeat="daily")
    with app.app_context():
        run_due(monday.astimezone(UTC))
        following = db.session.get(Push, weekly).next_at
        assert clock.local(following) == datetime(2027, 1, 4, 7, 30, tzinfo=SHANGHAI)
        assert following.astimezone(UTC).weekday() == 6  # Sunday in UTC, Monday for members
        run_due(datetime(2028, 2, 28, 23, 50, tzinfo=SHANGHAI))
        assert clock.local(db.session.get(Push, daily).next_at) == datetime(
            2028, 2, 29, 23, 50, tzinfo=SHANGHAI)


def test_paused_pushes_are_skipped_and_resume_after_now(app: Flask, world):
    """Does the tick skip a paused push though due, and does resuming go on from the first
    time after now on its schedule (daily: the next 09:00; weekly: the next chosen weekday at
    its hour), skipping what was missed — each audited; and may a paused push be cancelled?"""
    from models import AuditEntry
    from study.pushes import cancel_push, pause_push, resume_push

    daily = push(app, repeat="daily")
    weekly = push(app, at=datetime(2026, 12, 2, 7, 30, tzinfo=SHANGHAI), repeat="weekly",
                  weekdays=[0])  # Mondays 07:30 Shanghai, first on 7 December
    later = NOW + timedelta(days=10, hours=5)  # Friday 11 December, 14:00 Shanghai
    with app.app_context():
        for push_id in (daily, weekly):
            pause_push("admin", push_id)
        db.session.commit()
        assert run_due(later).occurrences == 0
        assert count(app, PushOccurrence) == 0
        with pytest.raises(PushError, match="already paused"):
            pause_push("admin", daily)
        resume_push("admin", daily, now=later)
        resume_push("admin", weekly, now=later)
        db.session.commit()
        assert clock.local(db.session.get(Push, daily).next_at) == datetime(
            2026, 12, 12, 9, 0, tzinfo=SHANGHAI)
        assert clock.local(db.session.get(Push, weekly).next_at) == datetime(
            2026, 12, 14, 7, 30, tzinfo=SHANGHAI)
        with pytest.raises(PushError, match="already active"):
            resume_push("admin", daily, now=later)
        pause_push("admin", weekly)
        cancel_push("admin", weekly)
        db.session.commit()
        assert db.session.get(Push, weekly).status == PushStatus.CANCELLED
        assert run_due(later + timedelta(days=1)).occurrences == 1  # the daily one only
        actions = sorted(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action.in_(["push.pause", "push.resume", "push.cancel"]))))
        assert actions == ["push.cancel"] + ["push.pause"] * 3 + ["push.resume"] * 2


def test_a_paused_one_off_past_its_time_stays_paused(app: Flask, world):
    """Is resuming a one-off push whose time went by while paused refused, nothing changed?"""
    from study.pushes import PushTimePassed, pause_push, resume_push

    push_id = push(app)
    with app.app_context():
        pause_push("admin", push_id)
        db.session.commit()
        with pytest.raises(PushTimePassed):
            resume_push("admin", push_id, now=NOW + timedelta(minutes=5))
        db.session.rollback()
        assert resume_push("admin", push_id, now=NOW - timedelta(minutes=5)).next_at == NOW


def test_push_cli_lists_paused_pushes(app: Flask, world):
    """Does `push list` show a paused push with the active ones, and cancel it?"""
    from study.pushes import pause_push

    runner = app.test_cli_runner()
    at = datetime.now(UTC) + timedelta(days=1)
    push_id = push(app, at=at)
    with app.app_context():
        db.session.get(Push, push_id).next_at = at  # created as of NOW, due tomorrow
        pause_push("admin", push_id)
        db.session.commit()
    assert f"{push_id}\tpaused" in runner.invoke(args=["push", "list"]).output
    assert runner.invoke(args=["push", "cancel", str(push_id)]).exit_code == 0
    assert f"{push_id}\t" not in runner.invoke(args=["push", "list"]).output
