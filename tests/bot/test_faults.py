"""Faults injected while the bot works: what the member sees, what WeCom sees (the status code,
so its retries do the right thing), and that nothing is lost or duplicated once the fault ends.

Only the cases no other file covers are here; `docs/reliability.md` lists where the others
are (Redis/PostgreSQL unreachable at start, 45009, -1, 42001, a worker killed between a
broadcast's batches or after a push was committed, replays, stale timestamps, ...).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
import redis
import rq
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

from bot import delivery, keys
from bot.extensions import RedisRoundTrip, redis_store
from bot.jobs import deliver_outbound, run_tick, sweep_outbound
from bot.outbox import Outbox
from bot.replies import Text
from content import reflection_texts
from models import (
    AuditEntry,
    OutboundMessage,
    OutboundStatus,
    ProcessedMessage,
    Reflection,
    db,
    utcnow,
)
from reflections import drafts
from sandbox.server import SandboxServer
from sandbox.simulator import MemberSimulator
from tests.bot.probe_helpers import install
from tests.helpers import ROOT

PART = "学习了党的二十大精神，深受鼓舞，要在岗位上做好本职工作。"


def _refuse(*_args: Any, **_kwargs: Any) -> Any:
    raise redis.ConnectionError("Error 111 connecting to redis: Connection refused (injected)")


@contextmanager
def redis_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every Redis command fails as when the server is stopped (single commands, pipelines and
    the hot path's round trips alike); the data is still there when it comes back."""
    with monkeypatch.context() as patch:
        patch.setattr(redis.Redis, "execute_command", _refuse)
        patch.setattr(redis.client.Pipeline, "execute", _refuse)
        patch.setattr(RedisRoundTrip, "execute", _refuse)
        yield


@contextmanager
def database_down(app: Flask) -> Iterator[None]:
    """Every SQL statement fails as when PostgreSQL is gone (or restarting)."""
    with app.app_context():
        engine = db.engine

    def fail(*_args: Any, **_kwargs: Any) -> None:
        raise OperationalError("statement", {}, ConnectionRefusedError("server closed (injected)"))

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield
    finally:
        event.remove(engine, "before_cursor_execute", fail)


def _post(client: FlaskClient, sim: MemberSimulator, envelope: tuple[dict[str, str], bytes]
          ) -> tuple[int, str]:
    """POST one envelope as WeCom would (each retry is the same envelope); status and reply."""
    query, body = envelope
    response = client.post("/wecom/callback", query_string=query, data=body)
    ok = response.status_code == 200 and response.data
    text = sim.open_reply(response.data).get("Content", "") if ok else ""
    return response.status_code, str(text)


def _draft(app: Flask) -> Reflection:
    with app.app_context():
        row = db.session.scalars(select(Reflection)).one()
        db.session.expunge(row)
        return row


def test_redis_stopped_mid_conversation_and_back(app: Flask, client, sim, make_member,
                                                 monkeypatch):
    """Redis stops while a member is writing a reflection: WeCom gets 503 (and retries), the
    member sees nothing yet, nothing is written; when Redis is back the retry adds the part
    once, a further retry is answered the same without a second part, and the conversation
    goes on where it was."""
    make_member("zhangsan", "张三")
    assert sim.text("zhangsan", "写心得").status == 200
    before = _draft(app)
    envelope = sim.envelope(sim.inner("zhangsan", "text", {"Content": PART, "MsgId": 9001}))
    with redis_down(monkeypatch):
        for _ in range(2):  # WeCom's first try and a retry, both during the outage
            assert _post(client, sim, envelope) == (503, "")
    assert _draft(app).word_count == before.word_count
    status, reply = _post(client, sim, envelope)  # WeCom's next retry, Redis back
    assert status == 200
    assert reply == reflection_texts.PART_SAVED.format(chars=len(PART))
    assert _post(client, sim, envelope) == (200, reply)  # a late retry: same answer
    assert _draft(app).word_count == len(PART)
    finished = sim.text("zhangsan", "完成").text  # the writing step again: it kept its place
    with app.app_context():
        missing = drafts.limits().min_chars - len(PART)
    assert finished == reflection_texts.TOO_SHORT.format(chars=len(PART), missing=missing)


def test_redis_down_for_a_stranger_and_a_command_is_503_without_writes(app: Flask, client, sim,
                                                                       make_member,
                                                                       monkeypatch):
    """With Redis down, a stranger's message and a writing command get 503 and write nothing;
    afterwards each is handled once."""
    make_member("zhangsan", "张三")
    envelopes = [sim.envelope(sim.inner("visitor", "text", {"Content": "你好", "MsgId": 9101})),
                 sim.envelope(sim.inner("zhangsan", "text", {"Content": "写心得",
                                                             "MsgId": 9102}))]
    with app.app_context():
        rows_before = db.session.scalar(select(func.count()).select_from(ProcessedMessage))
    with redis_down(monkeypatch):
        assert [_post(client, sim, e)[0] for e in envelopes] == [503, 503]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProcessedMessage)) == rows_before
        assert db.session.scalar(select(func.count()).select_from(Reflection)) == 0
    assert [_post(client, sim, e)[0] for e in envelopes * 2] == [200] * 4
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reflection)) == 1


def test_database_unavailable_for_a_while_then_back(app: Flask, client, sim, make_member):
    """PostgreSQL is gone for two of WeCom's tries: both get 503 at once, the claim is
    released, nothing is written; the third try runs the handler once and the fourth is a
    replay."""
    make_member("zhangsan", "张三")
    probe = install(app, lambda ctx, run: Text(f"run {run}"))
    envelope = sim.envelope(sim.inner("zhangsan", "text", {"Content": "x", "MsgId": 9201}))
    with database_down(app):
        for _ in range(2):
            started = time.monotonic()
            assert _post(client, sim, envelope) == (503, "")
            assert time.monotonic() - started < 1.5
    with app.app_context():
        assert redis_store.client.get(keys.dedup("msg:9201")) is None  # the claim was let go
        assert db.session.scalars(select(AuditEntry.target)).all() == []
    assert _post(client, sim, envelope) == (200, "run 1")
    assert _post(client, sim, envelope) == (200, "run 1")
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.target)).all() == ["run 1"]
        assert db.session.scalar(select(func.count()).select_from(ProcessedMessage)) == 1
    assert probe.runs == 1  # the two failed tries failed before the handler could write


def _queue(app: Flask, users: list[str], content: str = "通知", once: bool = False) -> int:
    with app.app_context():
        row = Outbox(db.session).send({"msgtype": "text", "text": {"content": content}},
                                      users=users, once=once)
        db.session.commit()
        return row.id


def _row(app: Flask, outbound_id: int) -> OutboundMessage:
    with app.app_context():
        row = db.session.get(OutboundMessage, outbound_id)
        db.session.expunge(row)
        return row


def _landed(sandbox: SandboxServer, calls: int) -> None:
    """Wait until WeCom has answered `calls` message/send calls (a slow one lands late)."""
    deadline = time.monotonic() + 15
    while len(sandbox.state.calls_to("message/send")) < calls:
        assert time.monotonic() < deadline, "the slow call never landed"
        time.sleep(0.05)


@pytest.mark.parametrize(("once", "copies"), [(True, 1), (False, 2)])
def test_wecom_slow_during_delivery(app: Flask, sandbox: SandboxServer, make_member,
                                    once: bool, copies: int):
    """WeCom answers message/send too slowly (over the client's timeout, as a 5 s+ answer is
    for the 4 s default): the send is tried again after 1 s and the message is marked sent,
    not lost. WeCom still takes the slow call (message/send has no idempotency key): a message
    meant once (a push, a broadcast, a reminder) carries WeCom's duplicate check and reaches
    the member once; a chat reply's overflow has no check and may arrive twice."""
    make_member("zhangsan", "张三")
    client = app.extensions["pioneer_wecom"]
    client.api.timeout = 0.3
    outbound_id = _queue(app, ["zhangsan"], once=once)
    with app.app_context():
        client.token()
        sandbox.state.slow_next("message/send", 1.0)
        delivery.deliver(client, outbound_id)
    row = _row(app, outbound_id)
    assert row.status == OutboundStatus.SENT and row.attempts == 1 and row.sent_batches == 1
    assert app.config["TEST_SLEEPS"] == [1]
    _landed(sandbox, 2)  # the slow call lands after the client gave up on it (and its retry)
    assert len(sandbox.state.inbox_since("zhangsan")) == copies
    assert len(sandbox.state.duplicates) == 2 - copies


def test_invalid_users_and_81013_recorded(app: Flask, sandbox: SandboxServer, make_member):
    """invaliduser (some recipients unknown) and 81013 (all unknown) are recorded on the
    outbound row, which counts as done: no retry, no error for the valid ones."""
    make_member("zhangsan", "张三")
    client = app.extensions["pioneer_wecom"]
    some = _queue(app, ["zhangsan", "ghost"])
    none = _queue(app, ["ghost1", "ghost2"])
    with app.app_context():
        delivery.deliver(client, some)
        delivery.deliver(client, none)
        delivery.deliver(client, none)  # a repeated job does nothing
    assert (_row(app, some).status, _row(app, some).invalid_users) == (OutboundStatus.SENT,
                                                                       "ghost")
    row = _row(app, none)
    assert (row.status, row.invalid_users, row.wecom_msgids) == (OutboundStatus.SENT,
                                                                 "ghost1|ghost2", [])
    assert len(sandbox.state.calls_to("message/send")) == 2
    assert len(sandbox.state.inbox_since("zhangsan")) == 1


def test_worker_killed_mid_push_leaves_its_claim(app: Flask, sandbox: SandboxServer):
    """A worker is killed (SIGKILL: no `finally`) after the first of three batches, its Redis
    claim still set: the sweeper re-enqueues the message, the re-run leaves it alone while the
    claim lives, and once the claim expires sends only batches 2 and 3: every member once."""
    users = [f"m{i}" for i in range(2500)]
    for userid in users:
        sandbox.state.add_user(userid, userid, department=[2])
    client = app.extensions["pioneer_wecom"]
    outbound_id = _queue(app, users)
    original = client.send_batch
    calls = {"n": 0}

    def killed_on_second(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise SystemExit("worker killed")  # not caught by delivery: nothing more runs
        return original(*args, **kwargs)

    with app.app_context():
        client.send_batch = killed_on_second
        with pytest.raises(SystemExit):
            delivery.deliver(client, outbound_id)
        client.send_batch = original
        db.session.rollback()
        client.redis.set(keys.outbound_claim(outbound_id), "1", ex=600)  # the kill left it
        row = db.session.get(OutboundMessage, outbound_id)
        row.created_at = utcnow() - timedelta(days=365)  # (replace(year=) fails on 29 Feb)
        db.session.commit()
        assert sweep_outbound() == 1  # re-enqueued; the (inline) job sees the live claim
        assert db.session.get(OutboundMessage, outbound_id).sent_batches == 1
        client.redis.delete(keys.outbound_claim(outbound_id))  # the claim's TTL ran out
        assert sweep_outbound() == 1
        assert sweep_outbound() == 0
        row = db.session.get(OutboundMessage, outbound_id)
        assert (row.status, row.sent_batches) == (OutboundStatus.SENT, 3)
    assert {len(sandbox.state.inbox_since(u)) for u in users} == {1}


@pytest.mark.parametrize(("late_s", "twice"), [
    (delivery.CLAIM_TTL_S + delivery.SWEEP_PERIOD_S, 0),  # the latest the sweeper re-sends
    (delivery.DUPLICATE_CHECK_S, 1000),  # past the interval: WeCom delivers it again
])
def test_worker_killed_while_wecom_answers(app: Flask, sandbox: SandboxServer, late_s: float,
                                           twice: int):
    """A push's worker dies after WeCom took batch 2 of 3 but before the answer was committed
    (SIGKILL: no `finally`, the claim is left). When the claim has expired the sweeper sends
    batches 2 and 3; batch 2 again carries the duplicate check, so its members get nothing
    new: everyone once. Only a re-send later than the check's interval (DELIVERY_DUPLICATE_
    CHECK_S, longer than the claim plus the sweeper's period) would reach them twice."""
    users = [f"m{i}" for i in range(2500)]
    for userid in users:
        sandbox.state.add_user(userid, userid, department=[2])
    client = app.extensions["pioneer_wecom"]
    outbound_id = _queue(app, users, once=True)
    original = client.send_batch
    calls = {"n": 0}

    def killed_after_second(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        answer = original(*args, **kwargs)
        if calls["n"] == 2:
            raise SystemExit("worker killed")  # WeCom took the batch; nobody saw the answer
        return answer

    with app.app_context():
        client.send_batch = killed_after_second
        with pytest.raises(SystemExit):
            delivery.deliver(client, outbound_id)
        client.send_batch = original
        db.session.rollback()
        assert db.session.get(OutboundMessage, outbound_id).sent_batches == 1
        sandbox.state.advance(late_s)  # the claim's TTL ran out, then the sweeper's tick
        client.redis.delete(keys.outbound_claim(outbound_id))
        db.session.get(OutboundMessage, outbound_id).created_at = utcnow().replace(year=2000)
        db.session.commit()
        assert sweep_outbound() == 1
        row = db.session.get(OutboundMessage, outbound_id)
        assert (row.status, row.sent_batches) == (OutboundStatus.SENT, 3)
    got = [len(sandbox.state.inbox_since(u)) for u in users]
    assert got == [1] * 1000 + [1 + bool(twice)] * 1000 + [1] * 500
    assert len(sandbox.state.duplicates) == 1000 - twice
    assert all(call.body["enable_duplicate_check"] == 1
               for call in sandbox.state.calls_to("message/send"))


def test_two_cron_ticks_at_once(app: Flask):
    """Two cron ticks of one name start together (two cron hosts, or a slow tick overlapped
    by the next minute's): the work runs once, the other tick returns 0 at once, and the
    next tick after it runs again."""
    started, release = threading.Event(), threading.Event()
    runs: list[str] = []

    def work() -> int:
        runs.append(threading.current_thread().name)
        started.set()
        release.wait(5)
        return 7

    results: dict[str, int] = {}

    def tick(name: str) -> None:
        with app.app_context():
            results[name] = run_tick("h9_fault_tick", 60, work)

    first = threading.Thread(target=tick, args=("first",), name="first")
    first.start()
    assert started.wait(5)
    tick("second")  # while the first still holds the lock
    release.set()
    first.join(5)
    assert results == {"first": 7, "second": 0} and runs == ["first"]
    tick("third")
    assert results["third"] == 7 and len(runs) == 2


def test_tick_that_crashes_releases_its_lock(app: Flask):
    """A tick whose work raises lets go of the lock, so the next minute's tick runs."""
    def boom() -> int:
        raise RuntimeError("tick failed")

    with app.app_context():
        with pytest.raises(RuntimeError):
            run_tick("h9_crash_tick", 60, boom)
        assert run_tick("h9_crash_tick", 60, lambda: 3) == 3


@pytest.mark.parametrize(("offset", "status"), [(-250, 200), (250, 200), (-299, 200),
                                                (-301, 400), (301, 400)])
def test_clock_skew(app: Flask, client, sim, make_member, travel, offset: int, status: int):
    """A callback whose timestamp is off by less than WECOM_MAX_CLOCK_SKEW (300 s here) is
    handled; beyond it, 400 and nothing written (WeCom's clock or ours is wrong, or a replay).
    The clock stands still, so a slow machine cannot push -299 past the limit."""
    travel("2027-03-01 10:00", tick=False)
    make_member("zhangsan", "张三")
    install(app, lambda ctx, run: Text(f"run {run}"))
    inner = sim.inner("zhangsan", "text", {"Content": "x", "MsgId": 9300 + offset})
    envelope = sim.envelope(inner, timestamp=str(int(time.time()) + offset))
    got, reply = _post(client, sim, envelope)
    assert got == status
    with app.app_context():
        targets = db.session.scalars(select(AuditEntry.target)).all()
    assert (reply, targets) == (("run 1", ["run 1"]) if status == 200 else ("", []))


WORKER = """
import sys
from redis import Redis
from rq import Queue, SimpleWorker
conn = Redis.from_url(sys.argv[1])
SimpleWorker([Queue(sys.argv[2], connection=conn)], connection=conn).work(burst=True)
"""


def test_rq_worker_sigkilled_mid_push(app: Flask, sandbox: SandboxServer, tmp_path):
    """A real RQ worker process is SIGKILLed while WeCom is answering the 2nd of three batches
    of a push: batch 1 stays recorded as sent, the sweeper (once the dead worker's claim has
    expired) sends from batch 2 on, and nobody is left out. The batch in flight at the kill
    had reached WeCom; sent again with WeCom's duplicate check (as the first time), it reaches
    nobody twice: every member once."""
    if app.config["TEST_BACKEND"] != "services":
        pytest.skip("needs PostgreSQL and Redis shared with another process")
    users = [f"k{i}" for i in range(2500)]
    for userid in users:
        sandbox.state.add_user(userid, userid, department=[2])
    outbound_id = _queue(app, users, once=True)
    sandbox.state.slow_next("message/send", 0.0)  # batch 1 at once
    sandbox.state.slow_next("message/send", 3.0)  # batch 2: WeCom takes its time
    with app.app_context():
        queue = rq.Queue("pioneer-h9-kill", connection=redis_store.client)
        queue.enqueue(deliver_outbound, outbound_id)
    env = {**os.environ, "DATABASE_URL": app.config["DATABASE_URL"],
           "REDIS_URL": app.config["REDIS_URL"], "SECRET_KEY": "test",
           **{k: str(app.config[k]) for k in ("WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET",
                                              "WECOM_TOKEN", "WECOM_AES_KEY", "WECOM_API_BASE")}}
    worker = subprocess.Popen([sys.executable, "-c", WORKER, app.config["REDIS_URL"],
                               "pioneer-h9-kill"], env=env, cwd=ROOT)
    try:
        deadline = time.monotonic() + 30
        # until batch 1 is committed and batch 2's call has reached WeCom (its slow-down taken)
        while _row(app, outbound_id).sent_batches < 1 or sandbox.state._slow.get("message/send"):
            assert worker.poll() is None and time.monotonic() < deadline, "worker did not start"
            time.sleep(0.05)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    row = _row(app, outbound_id)
    assert (row.status, row.sent_batches, row.attempts) == (OutboundStatus.PENDING, 1, 1)
    _landed(sandbox, 2)  # the call the worker was waiting on lands in WeCom anyway
    sandbox.state.advance(delivery.CLAIM_TTL_S + delivery.SWEEP_PERIOD_S)  # the latest re-send
    with app.app_context():
        assert redis_store.client.get(keys.outbound_claim(outbound_id)) is not None  # left
        redis_store.client.delete(keys.outbound_claim(outbound_id))  # its TTL (10 min) ran out
        db.session.get(OutboundMessage, outbound_id).created_at = utcnow().replace(year=2000)
        db.session.commit()
        assert sweep_outbound() == 1
        assert sweep_outbound() == 0
    row = _row(app, outbound_id)
    assert (row.status, row.sent_batches) == (OutboundStatus.SENT, 3)
    assert [len(sandbox.state.inbox_since(u)) for u in users] == [1] * 2500  # nobody lost
    assert len(sandbox.state.duplicates) == 1000  # batch 2's second copy, not delivered
    bodies = [call.body for call in sandbox.state.calls_to("message/send")]
    assert len(bodies) == 4 and all(body["enable_duplicate_check"] == 1 for body in bodies)
