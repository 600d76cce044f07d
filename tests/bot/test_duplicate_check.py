"""WeCom's duplicate check (enable_duplicate_check): asked for exactly the outbound messages meant
once per source, emulated by the sandbox, and never swallowing a legitimate repeat."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from bot import delivery
from bot.jobs import RETRY
from bot.outbox import Outbox
from bot.replies import Text
from bot.router import Route
from bot.wecom import BUSY_BACKOFF_S
from models import OutboundMessage, db
from sandbox import api_messages
from sandbox.server import SandboxServer
from sandbox.state import SANDBOX_AGENT_ID, SandboxState

NOTICE = {"msgtype": "text", "text": {"content": "本周五下午开支部大会"}}


def _send(state: SandboxState, users: list[str], message: dict[str, Any] = NOTICE,
          **options: Any) -> dict[str, Any]:
    """One message/send through the sandbox's own route handler."""
    body = {"touser": "|".join(users), "agentid": SANDBOX_AGENT_ID, **message, **options}
    return api_messages.send(state, {}, body)


def _count(state: SandboxState, userid: str) -> int:
    return len(state.inbox_since(userid))


@pytest.fixture
def state() -> SandboxState:
    """A sandbox with three members and a clock the test moves."""
    state = SandboxState(clock=lambda: 1_000_000.0)
    for userid in ("a", "b", "c"):
        state.add_user(userid, userid)
    return state


def test_sandbox_does_not_deliver_the_same_content_twice(state: SandboxState):
    """Same content with the flag within the interval: errcode 0, a msgid, nobody gets it
    again; a recipient new to it still does; after the interval it is delivered again."""
    check = {"enable_duplicate_check": 1, "duplicate_check_interval": 600}
    assert _send(state, ["a", "b"], **check)["errcode"] == 0
    answer = _send(state, ["a", "b", "c"], **check)
    assert answer["errcode"] == 0 and answer["msgid"] and answer["invaliduser"] == ""
    assert [_count(state, u) for u in "abc"] == [1, 1, 1]
    assert [d["userid"] for d in state.duplicates] == ["a", "b"]
    state.advance(599)
    _send(state, ["a"], **check)
    assert _count(state, "a") == 1
    state.advance(1)  # 600 s after the copy a got (the suppressed one does not restart it)
    _send(state, ["a"], **check)
    assert _count(state, "a") == 2


def test_sandbox_checks_only_flagged_sends_of_the_same_content(state: SandboxState):
    """Without the flag nothing is checked; a copy sent without it does not count; another
    text or another msgtype with the same words is other content; the default is 1800 s."""
    _send(state, ["a"])
    _send(state, ["a"])
    assert _count(state, "a") == 2
    _send(state, ["a"], enable_duplicate_check=1)  # the earlier copies had no flag
    assert _count(state, "a") == 3
    _send(state, ["a"], {"msgtype": "text", "text": {"content": "另一条通知"}},
          enable_duplicate_check=1)
    _send(state, ["a"], {"msgtype": "markdown", "markdown": {"content": "本周五下午开支部大会"}},
          enable_duplicate_check=1)
    _send(state, ["a"], enable_duplicate_check=0)
    assert _count(state, "a") == 6
    state.advance(1799)
    _send(state, ["a"], enable_duplicate_check=1)
    assert _count(state, "a") == 6
    state.advance(1)
    _send(state, ["a"], enable_duplicate_check=1)
    assert _count(state, "a") == 7


def test_sandbox_uses_the_new_sends_interval(state: SandboxState):
    """A long interval on the first send does not stretch a later send's shorter one."""
    _send(state, ["a"], enable_duplicate_check=1, duplicate_check_interval=14400)
    state.advance(700)
    _send(state, ["a"], enable_duplicate_check=1, duplicate_check_interval=3600)
    _send(state, ["a"], enable_duplicate_check=1, duplicate_check_interval=600)
    assert _count(state, "a") == 2


def test_sandbox_choices_where_wecom_is_silent(state: SandboxState):
    """A recalled copy still counts; a copy dropped by the per-member rate limit does not."""
    msgid = _send(state, ["a"], enable_duplicate_check=1)["msgid"]
    assert state.recall(msgid) == 0
    _send(state, ["a"], enable_duplicate_check=1)
    assert _count(state, "a") == 1 and len(state.duplicates) == 1
    for n in range(29):
        _send(state, ["b"], {"msgtype": "text", "text": {"content": f"第{n}条"}})
    _send(state, ["b"], enable_duplicate_check=1)  # the 30th this minute: still delivered
    _send(state, ["b"], {"msgtype": "text", "text": {"content": "另一条"}},
          enable_duplicate_check=1)  # the 31st: dropped by the rate limit
    assert _count(state, "b") == 30 and len(state.dropped) == 1
    state.advance(60)
    _send(state, ["b"], {"msgtype": "text", "text": {"content": "另一条"}},
          enable_duplicate_check=1)
    assert _count(state, "b") == 31


def test_sandbox_refuses_a_bad_interval(state: SandboxState):
    """0 and more than 4 h are refused (40058), as before."""
    for interval in (0, 14401):
        answer = _send(state, ["a"], enable_duplicate_check=1, duplicate_check_interval=interval)
        assert answer["errcode"] != 0
    assert _count(state, "a") == 0


def _deliver_rows(app: Flask, rows: list[tuple[dict[str, Any], bool]], users: list[str]
                  ) -> list[int]:
    client = app.extensions["pioneer_wecom"]
    with app.app_context():
        outbox = Outbox(db.session)
        for payload, once in rows:
            outbox.send(payload, users=users, once=once)
        db.session.commit()
        ids = outbox.pending_ids()
        for outbound_id in ids:
            delivery.deliver(client, outbound_id)
    return ids


@pytest.mark.parametrize("setting", [None, "3600"])
def test_the_request_carries_the_flag_and_interval(app: Flask, sandbox: SandboxServer,
                                                   setting: str | None):
    """A row marked once goes out with enable_duplicate_check=1 and the configured interval;
    a plain row without either field."""
    if setting:
        app.config["DELIVERY_DUPLICATE_CHECK_S"] = setting
    _deliver_rows(app, [(NOTICE, True), (NOTICE, False)], ["zhangwei"])
    first, second = (call.body for call in sandbox.state.calls_to("message/send"))
    assert first["enable_duplicate_check"] == 1
    assert first["duplicate_check_interval"] == int(setting or delivery.DUPLICATE_CHECK_S)
    assert "enable_duplicate_check" not in second and "duplicate_check_interval" not in second
    assert len(sandbox.state.inbox_since("zhangwei")) == 2  # the first copy was not flagged


def test_outbox_default_is_no_check(app: Flask):
    """Outbox.send and .text default to no duplicate check: a producer that forgets the flag
    risks a rare duplicate, never a lost message."""
    with app.app_context():
        outbox = Outbox(db.session)
        plain = outbox.send(NOTICE, users=["zhangwei"])
        texts = outbox.text(["zhangwei"], "很长的一行。\n" * 400, once=True)
        db.session.commit()
        assert plain.duplicate_check is False
        assert len(texts) > 1 and all(row.duplicate_check for row in texts)


def test_a_chat_reply_asked_twice_arrives_twice(app: Flask, make_member, sim,
                                                sandbox: SandboxServer):
    """A reply pushed to the member who asked (its overflow past 2048 bytes goes by
    message/send) is not checked: asking twice gets the same answer twice."""

    class Long(Route):
        name = "long"

        def match(self, ctx):
            return (lambda c: Text("很长的一行。\n" * 400)) if ctx.text == "长" else None

    app.extensions["pioneer_pipeline"].router.routes.insert(0, Long())
    member = make_member("zhangsan")
    sim.text(member.userid, "长")
    once = len(sandbox.state.inbox_since(member.userid))
    sim.text(member.userid, "长")
    assert once >= 1 and len(sandbox.state.inbox_since(member.userid)) == 2 * once
    assert not sandbox.state.duplicates
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage)).all()
        assert len(rows) == 2 * once and not any(row.duplicate_check for row in rows)
    assert not any("enable_duplicate_check" in (call.body or {})
                   for call in sandbox.state.calls_to("message/send"))


def _broadcast(app: Flask, text: str) -> None:
    result = app.test_cli_runner().invoke(args=["broadcast", "send", "--text", text, "--all"])
    assert result.exit_code == 0, result.output


def test_broadcasts_with_different_text_both_arrive(app: Flask, sandbox: SandboxServer):
    """Two broadcasts with different text both reach everyone, with the check on; the same
    text again within the interval does not (WeCom's check: same content, same member), and
    does once the interval is over."""
    from roster.demo import named_committee, seed_roster

    with app.app_context():
        seed_roster(named_committee())
        db.session.commit()
    _broadcast(app, "年终总结会通知")
    _broadcast(app, "年终总结会改到周六")
    calls = [call.body for call in sandbox.state.calls_to("message/send")]
    assert len(calls) == 2 and all(body["enable_duplicate_check"] == 1 for body in calls)
    members = calls[0]["touser"].split("|")
    assert len(members) == 5
    texts = {u: [m["content"]["content"] for m in sandbox.state.inbox_since(u)] for u in members}
    assert all(got == ["年终总结会通知", "年终总结会改到周六"] for got in texts.values()), texts
    _broadcast(app, "年终总结会通知")
    assert all(len(sandbox.state.inbox_since(u)) == 2 for u in members)
    sandbox.state.advance(delivery.DUPLICATE_CHECK_S)
    _broadcast(app, "年终总结会通知")
    assert all(len(sandbox.state.inbox_since(u)) == 3 for u in members)


def test_the_interval_covers_every_retry(app: Flask):
    """The smallest allowed interval exceeds a dead worker's claim plus the sweeper's period;
    the default also covers the whole job retry chain (RQ's intervals plus every attempt's
    client timeouts and backoff), so a batch sent again by a retry always falls inside it."""
    with app.app_context():
        assert delivery.duplicate_check_s() == delivery.DUPLICATE_CHECK_S
        app.config["DELIVERY_DUPLICATE_CHECK_S"] = delivery.CLAIM_TTL_S + delivery.SWEEP_PERIOD_S
        with pytest.raises(ValueError, match="DELIVERY_DUPLICATE_CHECK_S"):
            delivery.duplicate_check_s()
    client = app.extensions["pioneer_wecom"]
    tries = len(BUSY_BACKOFF_S) + 1
    attempt_s = tries * client.api.timeout + sum(BUSY_BACKOFF_S)
    chain_s = sum(RETRY.intervals) + delivery.MAX_ATTEMPTS * attempt_s
    assert chain_s < delivery.DUPLICATE_CHECK_S
    assert delivery.CLAIM_TTL_S + delivery.SWEEP_PERIOD_S < delivery.DUPLICATE_CHECK_S
