"""Does the outbound client keep one token, retry the right errors and batch at WeCom's limits?"""

from __future__ import annotations

import threading
import time

import pytest
from flask import Flask

from bot.extensions import redis_store
from bot.wecom import (
    WeComClient,
    WeComError,
    WeComNoRecipients,
    WeComRateLimited,
    WeComUnavailable,
    batches,
)
from sandbox.server import SandboxServer


@pytest.fixture
def client(app: Flask, sandbox: SandboxServer) -> WeComClient:
    """The app's WeCom client (pointed at the sandbox), used inside an app context."""
    with app.app_context():
        yield app.extensions["pioneer_wecom"]


def _text(content: str = "hi") -> dict:
    return {"msgtype": "text", "text": {"content": content}}


def test_token_fetched_once_under_concurrency(client: WeComClient, sandbox: SandboxServer):
    """Do 16 threads needing a token at once cause exactly one gettoken call?"""
    sandbox.state.slow_next("gettoken", 0.3)
    tokens: list[str] = []
    threads = [threading.Thread(target=lambda: tokens.append(client.token())) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(sandbox.state.calls_to("gettoken")) == 1
    assert len(set(tokens)) == 1 and len(tokens) == 16


def test_token_is_shared_through_redis(app: Flask, client: WeComClient, sandbox: SandboxServer):
    """Does a second client (another process) reuse the cached token?"""
    client.token()
    other = WeComClient(client.base_url, client.corp_id, client.secret, client.agent_id,
                        redis_store.client)
    assert other.token() == client.token()
    assert len(sandbox.state.calls_to("gettoken")) == 1


@pytest.mark.parametrize("errcode", [40014, 42001])
def test_expired_token_refreshed_once(client: WeComClient, sandbox: SandboxServer, errcode):
    """On 40014/42001 is the token refreshed once and the call retried?"""
    client.token()
    sandbox.state.fail_next("message/send", errcode)
    client.send(_text(), users=["zhangwei"])
    assert len(sandbox.state.calls_to("gettoken")) == 2
    assert len(sandbox.state.calls_to("message/send")) == 2
    assert len(sandbox.state.inbox_since("zhangwei")) == 1


def test_real_token_expiry(client: WeComClient, sandbox: SandboxServer):
    """When WeCom expires every token, does the next call recover by itself?"""
    client.token()
    sandbox.state.expire_tokens()
    client.send(_text(), users=["zhangwei"])
    assert len(sandbox.state.inbox_since("zhangwei")) == 1


def test_token_refresh_gives_up_after_one_try(client: WeComClient, sandbox: SandboxServer):
    """If the fresh token is refused too, does it stop instead of looping?"""
    sandbox.state.fail_next("message/send", 42001, times=5)
    with pytest.raises(WeComError):
        client.send(_text(), users=["zhangwei"])
    assert len(sandbox.state.calls_to("message/send")) == 2


def test_system_busy_backs_off_1_2_4(app: Flask, client: WeComClient, sandbox: SandboxServer):
    """Is -1 retried after 1, 2 and 4 seconds, then given up?"""
    sandbox.state.fail_next("message/send", -1, times=3)
    client.send(_text(), users=["zhangwei"])
    assert app.config["TEST_SLEEPS"] == [1, 2, 4]
    sandbox.state.fail_next("message/send", -1, times=4)
    with pytest.raises(WeComUnavailable):
        client.send(_text(), users=["zhangwei"])


def test_http_errors_and_timeouts_are_retried(app: Flask, client: WeComClient,
                                              sandbox: SandboxServer):
    """Are an HTTP 502 and a too-slow answer retried like -1?"""
    client.api.timeout = 0.2
    sandbox.state.http_error_next("message/send", 502)
    sandbox.state.slow_next("message/send", 0.5)
    client.send(_text(), users=["zhangwei"])
    assert app.config["TEST_SLEEPS"] == [1, 2]
    time.sleep(0.5)  # the slow call still lands in the sandbox after the client gave up on it
    assert len(sandbox.state.inbox_since("zhangwei")) == 2


@pytest.mark.parametrize("errcode", [45009, 45033])
def test_rate_limit_is_not_hammered(client: WeComClient, sandbox: SandboxServer, errcode):
    """Does 45009/45033 raise at once, after a single call?"""
    sandbox.state.fail_next("message/send", errcode)
    with pytest.raises(WeComRateLimited):
        client.send(_text(), users=["zhangwei"])
    assert len(sandbox.state.calls_to("message/send")) == 1


def test_invalid_recipients_recorded_not_retried(client: WeComClient, sandbox: SandboxServer):
    """Are invaliduser and 81013 recorded, with no retry?"""
    result = client.send(_text(), users=["zhangwei", "ghost"])
    assert result.invalid_users == ["ghost"] and len(result.msgids) == 1
    result = client.send(_text(), users=["ghost1", "ghost2"])
    assert result.invalid_users == ["ghost1", "ghost2"] and result.msgids == []
    assert len(sandbox.state.calls_to("message/send")) == 2


def test_no_recipients_error_class(client: WeComClient):
    """Does a single batch to nobody valid raise WeComNoRecipients?"""
    with pytest.raises(WeComNoRecipients):
        client.send_batch(batches(["ghost"])[0], _text())


def test_batches_respect_limits():
    """Are users cut at 1000, parties and tags at 100, and @all sent once?"""
    users = [f"u{i}" for i in range(2500)]
    parties = [str(i) for i in range(150)]
    plan = batches(users, parties, ["1"])
    assert [len(b.users) for b in plan] == [1000, 1000, 500]
    assert [len(b.parties) for b in plan] == [100, 50, 0]
    assert [len(b.tags) for b in plan] == [1, 0, 0]
    assert batches(["@all", "u1"]) == [batches(["@all"])[0]]
    assert len(batches([], [str(i) for i in range(201)])) == 3


def test_send_to_many_users_batches_calls(client: WeComClient, sandbox: SandboxServer):
    """Does a send to 2,100 users make 3 calls of at most 1000?"""
    for i in range(2100):
        sandbox.state.add_user(f"m{i}", f"成员{i}", department=[2])
    result = client.send(_text(), users=[f"m{i}" for i in range(2100)])
    sends = sandbox.state.calls_to("message/send")
    assert [len(c.body["touser"].split("|")) for c in sends] == [1000, 1000, 100]
    assert len(result.msgids) == 3 and result.invalid_users == []


def test_menu_push(client: WeComClient, sandbox: SandboxServer):
    """Does the content menu reach WeCom's menu/create?"""
    from content.menu import MENU

    client.create_menu(MENU)
    assert sandbox.state.menu == MENU
