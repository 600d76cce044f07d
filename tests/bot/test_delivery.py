"""Are outbound messages sent batch by batch, never twice, and swept up when a job died?"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from bot import delivery
from bot.extensions import redis_store
from bot.jobs import sweep_outbound
from bot.outbox import Outbox
from bot.wecom import WeComRateLimited
from models import OutboundMessage, OutboundStatus, db, utcnow
from sandbox.server import SandboxServer


@pytest.fixture
def many(sandbox: SandboxServer) -> list[str]:
    """2,500 members known to WeCom."""
    users = [f"m{i}" for i in range(2500)]
    for userid in users:
        sandbox.state.add_user(userid, userid, department=[2])
    return users


def _queue(users: list[str], content: str = "通知") -> int:
    outbox = Outbox(db.session)
    row = outbox.send({"msgtype": "text", "text": {"content": content}}, users=[*users, "ghost"])
    db.session.commit()
    return row.id


def test_rerun_after_rate_limit_sends_only_the_rest(app: Flask, sandbox: SandboxServer, many):
    """After 45009 on the first batch, does the re-run send each batch exactly once?"""
    client = app.extensions["pioneer_wecom"]
    with app.app_context():
        outbound_id = _queue(many)
        sandbox.state.fail_next("message/send", 45009)
        with pytest.raises(WeComRateLimited):
            delivery.deliver(client, outbound_id)
        row = db.session.get(OutboundMessage, outbound_id)
        assert row.sent_batches == 0 and row.status == OutboundStatus.PENDING
        delivery.deliver(client, outbound_id)
        delivery.deliver(client, outbound_id)  # a duplicate job does nothing
        db.session.refresh(row)
        assert row.status == OutboundStatus.SENT and row.sent_batches == 3
        assert row.invalid_users == "ghost" and len(row.wecom_msgids) == 3
    inboxes = [len(sandbox.state.inbox_since(u)) for u in many]
    assert set(inboxes) == {1}


def test_progress_survives_a_mid_send_failure(app: Flask, sandbox: SandboxServer, many):
    """If the 2nd batch fails, is the 1st recorded as sent so no one gets it twice?"""
    client = app.extensions["pioneer_wecom"]
    with app.app_context():
        outbound_id = _queue(many)
        client.token()
        original = client.send_batch
        calls = {"n": 0}

        def second_fails(batch, payload, **options):
            calls["n"] += 1
            if calls["n"] == 2:
                raise WeComRateLimited(45009, "limited")
            return original(batch, payload, **options)

        client.send_batch = second_fails
        with pytest.raises(WeComRateLimited):
            delivery.deliver(client, outbound_id)
        client.send_batch = original
        assert db.session.get(OutboundMessage, outbound_id).sent_batches == 1
        delivery.deliver(client, outbound_id)
    assert {len(sandbox.state.inbox_since(u)) for u in many} == {1}


def test_other_errors_fail_for_good(app: Flask, sandbox: SandboxServer):
    """Is a non-retriable WeCom error recorded as failed and not retried?"""
    client = app.extensions["pioneer_wecom"]
    with app.app_context():
        outbound_id = _queue(["zhangwei"], content="")  # empty text: WeCom refuses it
        row = delivery.deliver(client, outbound_id)
        assert row.status == OutboundStatus.FAILED and row.last_error


def test_claimed_message_is_left_to_its_worker(app: Flask, sandbox: SandboxServer):
    """While another worker holds a message, does a second job leave it alone?"""
    client = app.extensions["pioneer_wecom"]
    with app.app_context():
        outbound_id = _queue(["zhangwei"])
        redis_store.client.set(f"pioneer:outbound:{outbound_id}", "1")
        delivery.deliver(client, outbound_id)
        assert sandbox.state.calls_to("message/send") == []


def test_sweeper_sends_stale_pending_once(app: Flask, sandbox: SandboxServer):
    """Does the cron tick pick up a pending message whose job died, and only once?"""
    with app.app_context():
        outbound_id = _queue(["zhangwei"])
        row = db.session.get(OutboundMessage, outbound_id)
        row.created_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
        assert sweep_outbound() == 1
        assert sweep_outbound() == 0
        assert db.session.get(OutboundMessage, outbound_id).status == OutboundStatus.SENT
    assert len(sandbox.state.inbox_since("zhangwei")) == 1


def test_two_ticks_at_once(app: Flask):
    """When a tick is already running, does a second one do nothing?"""
    with app.app_context():
        redis_store.client.set("pioneer:cron:sweep_outbound", "1")
        assert sweep_outbound() == 0
