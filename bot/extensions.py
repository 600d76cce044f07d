"""Extensions: the database, Redis and the RQ queue, each with init_app(app)."""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

import redis
from flask import Flask, Request, current_app
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_migrate import Migrate
from rq import Queue

from models.base import db

try:  # C packing of the commands (requirements.txt pins hiredis; redis-py's own when missing)
    from hiredis import pack_command as _hiredis_pack
except ImportError:  # pragma: no cover - hiredis is a requirement
    _hiredis_pack = None

log = logging.getLogger(__name__)
migrate = Migrate()

# One in-process fake server per process, so every FakeRedis client sees the same data.
_fake_server: Any = None

REDIS_TIMEOUT_S = 1.0


def _fake_redis() -> redis.Redis:
    """An in-process Redis (fakeredis) shared by everything in this process."""
    global _fake_server
    import fakeredis

    if _fake_server is None:
        _fake_server = fakeredis.FakeServer()
    return fakeredis.FakeRedis(server=_fake_server)


class RedisRoundTrip:
    """Redis commands sent in one round trip on one pooled connection: the webhook's Redis work.

    What `client.pipeline(transaction=False)` does for the few commands the hot path uses
    (get, set, delete), at about a third of its CPU: no command stack objects, response
    callbacks or retry wrapper, and each thread keeps its own connection instead of taking one
    from the pool (with its locks, counters and a readiness poll) twice per message. Replies
    come back raw (SET gives b"OK" or None). A connection that fails mid-trip is closed and
    the error raised; the caller answers 503 and WeCom retries, where redis-py's pipeline would
    have re-sent a SET NX that might already have run. The next round trip reconnects.
    """

    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self.commands: list[tuple[str | bytes | int, ...]] = []

    def get(self, name: str) -> RedisRoundTrip:
        """Queue GET name."""
        self.commands.append(("GET", name))
        return self

    def set(self, name: str, value: str | bytes, ex: int | None = None,
            nx: bool = False) -> RedisRoundTrip:
        """Queue SET name value [EX ex] [NX]."""
        command: tuple[str | bytes | int, ...] = ("SET", name, value)
        if ex is not None:
            command += ("EX", ex)
        if nx:
            command += ("NX",)
        self.commands.append(command)
        return self

    def mget(self, *names: str) -> RedisRoundTrip:
        """Queue MGET names (one reply: the list of values, None where missing)."""
        self.commands.append(("MGET", *names))
        return self

    def delete(self, *names: str) -> RedisRoundTrip:
        """Queue DEL names."""
        self.commands.append(("DEL", *names))
        return self

    def execute(self) -> list[Any]:
        """Send every queued command at once and return their replies in order."""
        return self._send(wait=True)

    def send(self) -> None:
        """Send every queued command at once without waiting for the replies.

        For writes nothing depends on at once (the after-commit "done" mark): the replies are
        read, and an error reply logged, at the start of this thread's next round trip (by then
        they have long arrived), which saves the wait of a round trip per message. Redis runs one
        connection's commands in order, and reads them before the member's next callback can
        reach it. If the connection is dead, the next round trip fails (503) and WeCom retries.
        """
        self._send(wait=False)

    def _send(self, wait: bool) -> list[Any]:
        commands, self.commands = self.commands, []
        if not commands:
            return []
        conn = _own_connection(self.client)
        try:
            _read_unread(conn)  # long arrived: no wait; and redis-py's health check can't mix in
            conn.send_packed_command(_pack(conn, commands))
            if not wait:
                conn.pioneer_unread = len(commands)
                return []
            return [conn.read_response() for _ in commands]
        except BaseException:
            conn.pioneer_unread = 0
            conn.disconnect()  # replies may be left unread on it
            raise


def _pack(conn: Any, commands: list[tuple[str | bytes | int, ...]]) -> list[bytes]:
    """The commands in Redis's protocol, as one buffer: hiredis packs each in C (the same
    bytes as redis-py's packer, without its per-argument type checks in Python)."""
    if _hiredis_pack is None:
        return conn.pack_commands(commands)
    return [b"".join([_hiredis_pack(command) for command in commands])]


def _read_unread(conn: Any) -> None:
    """Read the replies of earlier send-only round trips; an error reply is logged, not raised."""
    unread, conn.pioneer_unread = getattr(conn, "pioneer_unread", 0), 0
    for _ in range(unread):
        try:
            conn.read_response()
        except redis.ResponseError as error:
            log.error("a send-only Redis command failed: %s", error)


_OWN = "_pioneer_own_connections"


def _own_connection(client: redis.Redis) -> Any:
    """This thread's own connection to the client's server, made on first use in a process."""
    own = client.__dict__.get(_OWN)
    if own is None:
        own = client.__dict__.setdefault(_OWN, threading.local())
    held = getattr(own, "held", None)
    if held is None or held[0] != os.getpid():  # never share a socket across a fork
        held = own.held = (os.getpid(), client.connection_pool.make_connection())
    return held[1]


class RedisExt:
    """Holds the app's Redis client: a real server when REDIS_URL is set, else in-process."""

    def init_app(self, app: Flask) -> None:
        """Connect (lazily) to REDIS_URL, or fall back to fakeredis with a loud warning."""
        url = app.config.get("REDIS_URL")
        if url:
            client = redis.Redis.from_url(
                url,
                socket_timeout=REDIS_TIMEOUT_S,
                socket_connect_timeout=REDIS_TIMEOUT_S,
                health_check_interval=30,
            )
            app.config["REDIS_EMBEDDED"] = False
        else:
            client = _fake_redis()
            app.config["REDIS_EMBEDDED"] = True
            if not app.config.get("TESTING"):
                log.warning(
                    "REDIS_URL is not set: using an IN-PROCESS Redis. Fine for the demo, "
                    "never for production (nothing is shared between processes)."
                )
        app.extensions["pioneer_redis"] = client

    @property
    def client(self) -> redis.Redis:
        """The current app's Redis client."""
        return current_app.extensions["pioneer_redis"]


class QueueExt:
    """Holds the app's RQ queue; jobs run inline when there is no Redis server."""

    def init_app(self, app: Flask) -> None:
        """Create the default queue on the app's Redis connection."""
        client = app.extensions["pioneer_redis"]
        inline = app.config.get("RQ_INLINE", app.config["REDIS_EMBEDDED"])
        app.extensions["pioneer_queue"] = Queue(
            app.config.get("RQ_QUEUE", "pioneer"), connection=client, is_async=not inline
        )

    @property
    def queue(self) -> Queue:
        """The current app's RQ queue."""
        return current_app.extensions["pioneer_queue"]


class LazyCookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, minus the per-request signer when there is no cookie.

    Flask builds an itsdangerous serializer for every request just to find no cookie; WeCom's
    callbacks never carry one. Same sessions, same cookies, same checks otherwise.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """An empty session when the request has no session cookie, else Flask's own."""
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)


redis_store = RedisExt()
jobs = QueueExt()

__all__ = ["db", "jobs", "migrate", "redis_store"]
