"""Is a message WeCom delivers up to four times handled exactly once?"""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot.context import Context
from bot.extensions import redis_store
from bot.replies import Reply, Text
from models import AuditEntry, Member, ProcessedMessage, db
from sandbox.simulator import MemberSimulator
from tests.bot.probe_helpers import install


def processed_records(app: Flask) -> int:
    """How many messages the processed records say were handled."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProcessedMessage)) or 0


@pytest.fixture
def member(make_member):
    """A roster member."""
    return make_member("zhangsan", "张三")


def test_four_sequential_deliveries_run_once(app, client, sim: MemberSimulator, member):
    """Are the 2nd-4th deliveries of one MsgId answered with the same reply, handler run once?"""
    probe = install(app, lambda ctx, run: Text(f"第{run}次"))
    query, body = sim.envelope(sim.inner("zhangsan", "text", {"Content": "x", "MsgId": 42}))
    replies = []
    for _ in range(4):
        response = client.post("/wecom/callback", query_string=query, data=body)
        assert response.status_code == 200
        replies.append(sim.open_reply(response.data)["Content"])
    assert probe.runs == 1
    assert replies == ["第1次"] * 4
    assert processed_records(app) == 1


def test_four_concurrent_deliveries_run_once(app, client, sim: MemberSimulator, member):
    """Do retries that arrive while the first still runs get an empty 200, handler run once?"""
    def slow(ctx: Context, run: int) -> Reply:
        time.sleep(0.4)
        return Text("done")

    probe = install(app, slow)
    query, body = sim.envelope(sim.inner("zhangsan", "text", {"Content": "x", "MsgId": 43}))
    results: list[tuple[int, bytes]] = []

    def deliver() -> None:
        response = app.test_client().post("/wecom/callback", query_string=query, data=body)
        results.append((response.status_code, response.data))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
        time.sleep(0.02)
    for thread in threads:
        thread.join()
    assert probe.runs == 1
    assert [status for status, _ in results] == [200] * 4
    assert sorted(bool(data) for _, data in results) == [False, False, False, True]
    assert processed_records(app) == 1


def test_handler_failing_once_is_processed_on_retry(app, sim: MemberSimulator, member):
    """Does a raising handler roll back, answer 500, and succeed once on WeCom's retry?"""
    def flaky(ctx: Context, run: int) -> Reply:
        ctx.session.add(Member(userid=f"written-{run}", name="x"))
        if run == 1:
            raise RuntimeError("boom")
        return Text("ok")

    probe = install(app, flaky)
    delivery = sim.text("zhangsan", "x")
    assert delivery.statuses == [500, 200]
    assert delivery.text == "ok"
    assert probe.runs == 2
    with app.app_context():
        userids = set(db.session.scalars(select(Member.userid)))
    assert "written-1" not in userids and "written-2" in userids
    assert processed_records(app) == 1


def test_database_record_stops_a_repeat_when_redis_forgot(app, client, sim, member):
    """If Redis lost the claim, does the processed record keep the writes single and the reply
    the same?"""
    install(app, lambda ctx, run: Text(f"run {run}"))
    query, body = sim.envelope(sim.inner("zhangsan", "text", {"Content": "x", "MsgId": 44}))
    first = client.post("/wecom/callback", query_string=query, data=body)
    with app.app_context():
        redis_store.client.flushdb()
    second = client.post("/wecom/callback", query_string=query, data=body)
    assert sim.open_reply(second.data)["Content"] == sim.open_reply(first.data)["Content"]
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.target)).all() == ["run 1"]


def test_read_only_handler_needs_no_processed_record(app, client, sim, member):
    """Is a handler that writes nothing deduplicated by Redis alone, with no processed record?"""
    probe = install(app, lambda ctx, run: Text(f"run {run}"), writes=False)
    query, body = sim.envelope(sim.inner("zhangsan", "text", {"Content": "x", "MsgId": 45}))
    replies = [sim.open_reply(client.post("/wecom/callback", query_string=query,
                                          data=body).data)["Content"] for _ in range(3)]
    assert replies == ["run 1"] * 3 and probe.runs == 1
    assert processed_records(app) == 0


def test_events_dedup_by_sender_time_and_key(app, client, sim, member):
    """Are two deliveries of one click event handled once, and two clicks a second apart twice?"""
    probe = install(app, lambda ctx, run: Text("ok"))
    inner = sim.inner("zhangsan", "event", {"Event": "click", "EventKey": "help"},
                      create_time=1_800_000_000)
    later = sim.inner("zhangsan", "event", {"Event": "click", "EventKey": "help"},
                      create_time=1_800_000_001)
    app.extensions["pioneer_crypto"].max_skew = 0
    for inner_xml in (inner, inner, later):
        query, body = sim.envelope(inner_xml)
        assert client.post("/wecom/callback", query_string=query, data=body).status_code == 200
    assert processed_records(app) == 2 and probe.runs == 2
