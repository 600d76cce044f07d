"""Extensions: the database, Redis and the RQ queue, each with init_app(app)."""

from __future__ import annotations

import logging
from typing import Any

import redis
from flask import Flask, current_app
from flask_migrate import Migrate
from rq import Queue

from models.base import db

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


redis_store = RedisExt()
jobs = QueueExt()

__all__ = ["db", "jobs", "migrate", "redis_store"]
