"""Does a broadcast to 2,500+ members reach each exactly once through WeCom's failures?"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert, select

from bot.wecom import WeComUnavailable
from broadcasts.jobs import broadcast_tick, deliver_broadcast
from models import Broadcast, BroadcastStatus, Member, OutboundMessage, db
from roster.demo import named_committee, seed_roster
from sandbox.server import SandboxServer

ADMIN = "chenjing"
EXTRA = 2500


@pytest.fixture
def crowd(app: Flask, sandbox: SandboxServer) -> list[str]:
    """The named committee plus 2,500 members (bulk-inserted), all known to WeCom."""
    users = [f"m{i:04d}" for i in range(EXTRA)]
    with app.app_context():
        seed_roster(named_committee())
        db.session.execute(insert(Member), [{"userid": u, "name": u} for u in users])
        db.session.commit()
        everyone = list(db.session.scalars(select(Member.userid)))
    for userid in users:
        sandbox.state.add_user(userid, userid, department=[2])
    return everyone


def confirm(send_text) -> None:
    """群发 → text → everyone → 确认."""
    send_text(ADMIN, "群发")
    send_text(ADMIN, "年终总结会通知")
    assert f"将发给 {EXTRA + 5} 人" in send_text(ADMIN, "1").text
    send_text(ADMIN, "确认")


def on_call(app: Flask, n: int, action: Callable[[], Any]) -> None:
    """Run `action` just before the broadcast's n-th batch (previews and summaries skipped)."""
    client = app.extensions["pioneer_wecom"]
    original, calls = client.send_batch, {"n": 0}

    def wrapped(batch, payload, **options):
        calls["n"] += len(batch.users) > 1
        if calls["n"] == n:
            action()
        return original(batch, payload, **options)

    client.send_batch = wrapped


def finish_and_check(app: Flask, sandbox: SandboxServer, everyone: list[str]) -> Broadcast:
    """Re-run the job as RQ would, then: one broadcast, one message per member, a summary."""
    with app.app_context():
        ids = list(db.session.scalars(select(Broadcast.id)))
        assert len(ids) == 1
        deliver_broadcast(ids[0])
        deliver_broadcast(ids[0])  # a duplicate job sends nothing
        broadcast_tick()
        row = db.session.get(Broadcast, ids[0])
        outbound = db.session.get(OutboundMessage, row.outbound_id)
        assert outbound.sent_batches == 3 and len(outbound.wecom_msgids) == 3
        db.session.expunge(row)
    for userid in everyone:
        got = [m for m in sandbox.state.inbox_since(userid)
               if (m["content"] or {}).get("content") == "年终总结会通知"]
        assert len(got) == (2 if userid == ADMIN else 1), userid  # the admin had a preview
    summaries = [m for m in sandbox.state.inbox_since(ADMIN)
                 if "已完成" in (m["content"] or {}).get("content", "")]
    assert len(summaries) == 1
    assert row.status == BroadcastStatus.SENT and row.summary["sent"] == len(everyone)
    return row


def test_rate_limited_on_batch_three(app: Flask, crowd, send_text, sandbox: SandboxServer):
    """45009 on batch 3: are batches 1–2 kept and only batch 3 sent again?"""
    on_call(app, 3, lambda: sandbox.state.fail_next("message/send", 45009))
    confirm(send_text)
    with app.app_context():
        assert db.session.scalars(select(OutboundMessage.sent_batches)
                                  .where(OutboundMessage.touser.like("%m0000%"))).one() == 2
    finish_and_check(app, sandbox, crowd)


def test_token_expired_mid_way(app: Flask, crowd, send_text, sandbox: SandboxServer):
    """42001 on batch 2: is the token refreshed and the send carried on?"""
    on_call(app, 2, lambda: sandbox.state.fail_next("message/send", 42001))
    confirm(send_text)
    finish_and_check(app, sandbox, crowd)


def test_busy_twice(app: Flask, crowd, send_text, sandbox: SandboxServer):
    """-1 twice: is the batch retried with backoff and sent once?"""
    on_call(app, 2, lambda: sandbox.state.fail_next("message/send", -1, times=2))
    confirm(send_text)
    assert app.config["TEST_SLEEPS"][:2] == [1, 2]
    finish_and_check(app, sandbox, crowd)


def test_worker_killed_between_batches(app: Flask, crowd, send_text, sandbox: SandboxServer):
    """The job dies after batch 1: does the next run send batches 2–3 only?"""

    def die() -> None:
        raise WeComUnavailable(None, "worker killed")

    on_call(app, 2, die)
    confirm(send_text)
    with app.app_context():
        row = db.session.scalars(select(Broadcast)).one()
        assert row.status == BroadcastStatus.SENDING
    finish_and_check(app, sandbox, crowd)


def test_duplicate_confirm(app: Flask, crowd, send_text, sandbox: SandboxServer, sim):
    """确认 retried by WeCom, then typed again: is there one broadcast, one message each?"""
    send_text(ADMIN, "群发")
    send_text(ADMIN, "年终总结会通知")
    send_text(ADMIN, "1")
    assert "已开始发送" in sim.text(ADMIN, "确认", msg_id=4242).text
    sim.text(ADMIN, "确认", msg_id=4242)  # WeCom's retry of the same message
    send_text(ADMIN, "确认")
    finish_and_check(app, sandbox, crowd)
