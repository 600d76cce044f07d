"""Does the webhook's Redis batch behave like the pipeline it replaced, failures included?"""

from __future__ import annotations

import threading

import pytest
import redis
from flask import Flask

from bot.extensions import Batch, redis_store


def test_batch_answers_in_order_with_set_options(app: Flask):
    """Are replies in command order, and do SET's NX and EX work as in redis-py?"""
    with app.app_context():
        client = redis_store.client
        client.set("t:taken", "x")
        replies = (Batch(client).set("t:claim", "processing", ex=60, nx=True)
                   .set("t:taken", "y", nx=True).get("t:claim").get("t:missing").execute())
        assert [bool(replies[0]), replies[1], replies[2], replies[3]] == [
            True, None, b"processing", None]
        assert 0 < client.ttl("t:claim") <= 60
        assert client.get("t:taken") == b"x"
        assert Batch(client).delete("t:claim", "t:taken").execute() == [2]
        assert client.exists("t:claim", "t:taken") == 0
        assert Batch(client).execute() == []


def test_failed_command_leaves_the_connection_clean(app: Flask):
    """After a command fails mid-batch, is the error raised and the next batch answered right?"""
    with app.app_context():
        client = redis_store.client
        client.rpush("t:list", "a")
        with pytest.raises(redis.ResponseError):
            Batch(client).get("t:list").set("t:after", "1").get("t:after").execute()
        assert Batch(client).get("t:missing").set("t:n", "2").get("t:n").execute() == [
            None, b"OK", b"2"]


def test_each_thread_has_its_own_connection(app: Flask):
    """Do batches from many threads at once each get their own replies?"""
    with app.app_context():
        client = redis_store.client
    wrong: list[str] = []

    def work(n: int) -> None:
        for i in range(50):
            key = f"t:thread:{n}:{i}"
            got = Batch(client).set(key, str(i)).get(key).execute()
            if got[1] != str(i).encode():
                wrong.append(f"{key}: {got!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_send_only_batch_is_applied_and_its_replies_read_by_the_next(app: Flask):
    """Is a send-only batch applied, and does the next batch get its own replies only?"""
    with app.app_context():
        client = redis_store.client
        assert Batch(client).set("t:done", "done:x", ex=60).set("t:conv", "c").send() is None
        assert Batch(client).get("t:done").get("t:conv").execute() == [b"done:x", b"c"]
        assert client.get("t:done") == b"done:x"


def test_send_only_error_reply_is_logged_not_raised(app: Flask, caplog: pytest.LogCaptureFixture):
    """Does a failed send-only command leave the next batch's replies right, and get logged?"""
    with app.app_context():
        client = redis_store.client
        client.rpush("t:list2", "a")
        Batch(client).get("t:list2").set("t:ok", "1").send()
        with caplog.at_level("ERROR", logger="bot.extensions"):
            assert Batch(client).get("t:ok").get("t:none").execute() == [b"1", None]
        assert "send-only Redis command failed" in caplog.text


def test_send_only_then_idle_past_the_health_check(app: Flask, monkeypatch: pytest.MonkeyPatch):
    """After a send-only batch and a long idle, does redis-py's health check (a PING) not
    read the unread replies as its own?"""
    with app.app_context():
        client = redis_store.client
        Batch(client).set("t:h", "1").send()
        from bot.extensions import _own_connection

        conn = _own_connection(client)
        if hasattr(conn, "next_health_check"):
            monkeypatch.setattr(conn, "next_health_check", 0)  # due now
            monkeypatch.setattr(conn, "health_check_interval", 1)
        assert Batch(client).get("t:h").execute() == [b"1"]
