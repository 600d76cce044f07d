"""Does the webhook's Redis round trip act as redis-py's pipeline did, failures included?"""

from __future__ import annotations

import threading

import pytest
import redis
from flask import Flask

from bot.extensions import RedisRoundTrip, _pack, redis_store


def test_round_trip_answers_in_order_with_set_options(app: Flask):
    """Are replies in command order, and do SET's NX and EX work as in redis-py?"""
    with app.app_context():
        client = redis_store.client
        client.set("t:taken", "x")
        replies = (RedisRoundTrip(client).set("t:claim", "processing", ex=60, nx=True)
                   .set("t:taken", "y", nx=True).get("t:claim").get("t:missing").execute())
        assert [bool(replies[0]), replies[1], replies[2], replies[3]] == [
            True, None, b"processing", None]
        assert 0 < client.ttl("t:claim") <= 60
        assert client.get("t:taken") == b"x"
        assert RedisRoundTrip(client).delete("t:claim", "t:taken").execute() == [2]
        assert client.exists("t:claim", "t:taken") == 0
        assert RedisRoundTrip(client).execute() == []


def test_failed_command_leaves_the_connection_clean(app: Flask):
    """After a command fails mid-trip, is the error raised and the next trip answered right?"""
    with app.app_context():
        client = redis_store.client
        client.rpush("t:list", "a")
        with pytest.raises(redis.ResponseError):
            RedisRoundTrip(client).get("t:list").set("t:after", "1").get("t:after").execute()
        assert RedisRoundTrip(client).get("t:missing").set("t:n", "2").get("t:n").execute() == [
            None, b"OK", b"2"]


def test_each_thread_has_its_own_connection(app: Flask):
    """Do round trips from many threads at once each get their own replies?"""
    with app.app_context():
        client = redis_store.client
    wrong: list[str] = []

    def work(n: int) -> None:
        for i in range(50):
            key = f"t:thread:{n}:{i}"
            got = RedisRoundTrip(client).set(key, str(i)).get(key).execute()
            if got[1] != str(i).encode():
                wrong.append(f"{key}: {got!r}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_send_only_round_trip_is_applied_and_its_replies_read_by_the_next(app: Flask):
    """Is a send-only round trip applied, and does the next one get its own replies only?"""
    with app.app_context():
        client = redis_store.client
        sent = RedisRoundTrip(client).set("t:done", "done:x", ex=60).set("t:conv", "c").send()
        assert sent is None
        assert RedisRoundTrip(client).get("t:done").get("t:conv").execute() == [b"done:x", b"c"]
        assert client.get("t:done") == b"done:x"


def test_send_only_error_reply_is_logged_not_raised(app: Flask, caplog: pytest.LogCaptureFixture):
    """Does a failed send-only command leave the next round trip's replies right, and get logged?"""
    with app.app_context():
        client = redis_store.client
        client.rpush("t:list2", "a")
        RedisRoundTrip(client).get("t:list2").set("t:ok", "1").send()
        with caplog.at_level("ERROR", logger="bot.extensions"):
            assert RedisRoundTrip(client).get("t:ok").get("t:none").execute() == [b"1", None]
        assert "send-only Redis command failed" in caplog.text


def test_send_only_then_idle_past_the_health_check(app: Flask, monkeypatch: pytest.MonkeyPatch):
    """After a send-only round trip and a long idle, does redis-py's health check (a PING) not
    read the unread replies as its own?"""
    with app.app_context():
        client = redis_store.client
        RedisRoundTrip(client).set("t:h", "1").send()
        from bot.extensions import _own_connection

        conn = _own_connection(client)
        if hasattr(conn, "next_health_check"):
            monkeypatch.setattr(conn, "next_health_check", 0)  # due now
            monkeypatch.setattr(conn, "health_check_interval", 1)
        assert RedisRoundTrip(client).get("t:h").execute() == [b"1"]


def test_mget_answers_one_list_in_key_order(app: Flask):
    """Does MGET in a trip after a SET NX answer one reply: the values in order, None where
    missing (what the pipeline unpacks as the conversation, the version, the member)?"""
    with app.app_context():
        client = redis_store.client
        client.set("t:m1", "one")
        client.set("t:m3", "three")
        claimed, values = (RedisRoundTrip(client).set("t:mclaim", "processing", ex=60, nx=True)
                           .mget("t:m1", "t:m2", "t:m3").execute())
        assert claimed and values == [b"one", None, b"three"]
        again, _ = (RedisRoundTrip(client).set("t:mclaim", "processing", ex=60, nx=True)
                    .mget("t:m1").execute())
        assert again is None


def test_commands_are_packed_as_redis_py_packs_them(app: Flask):
    """Are the bytes sent those redis-py's own packer makes, for text, bytes and numbers?"""
    with app.app_context():
        conn = redis_store.client.connection_pool.make_connection()
    commands: list[tuple[str | bytes | int, ...]] = [
        ("SET", "pioneer:dedup:msg:1", "processing", "EX", 60, "NX"),
        ("MGET", "pioneer:conv:张伟", "pioneer:roster:version"),
        ("SET", "k", "done:<xml><![CDATA[已保存，共 52 字]]></xml>".encode(), "EX", 3600),
        ("DEL", "a", "b"), ("GET", b"\x00\xffraw")]
    assert b"".join(_pack(conn, commands)) == b"".join(conn.pack_commands(commands))
