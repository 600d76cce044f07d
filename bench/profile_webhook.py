"""Profile the callback in-process: CPU per request of the bot and of the ceiling app.

    .venv/bin/python -m bench.profile_webhook --mode help|step|write|stranger|answer
        [--count 3000] [--profile cpu|wall]

No gunicorn, no wrk: each signed callback is handed to the WSGI app directly (a prebuilt
WSGI environ per request), on PostgreSQL and Redis on this machine, so the figure is the
app's own CPU per request (Flask, crypto, pipeline, SQL client side, Redis client side).
`--profile` adds a pyinstrument tree of the bot's requests (text, to stdout). Reports only.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import os
import pstats
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import psycopg
import redis
from flask_migrate import upgrade
from werkzeug.test import EnvironBuilder

from bench.common import recreate_database
from bench.webhook_callbacks import (
    CONVERSATION_MEMBERS,
    CONVERSATION_MODES,
    MEMBER,
    MODES,
    STRANGERS,
    mode_text,
    simulator,
)
from bench.webhook_state import AES_KEY, MAX_CLOCK_SKEW, TOKEN
from models import db
from pioneer import create_app
from roster.demo import seed_demo
from sandbox.seed import seed_sandbox
from sandbox.server import SandboxServer
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET, SandboxState
from study.library import sync_library

DB_NAME = "pioneer_bench_profile"
REDIS_URL = "redis://127.0.0.1:6379/13"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def environ(query: str, body: bytes) -> dict[str, Any]:
    """A WSGI environ for one POST /wecom/callback."""
    return EnvironBuilder(method="POST", path="/wecom/callback", query_string=query, data=body,
                          content_type="text/xml").get_environ()


def callbacks(count: int, first: int, mode: str, members: list[str]) -> list[tuple[str, bytes]]:
    """`count` distinct signed callbacks of a mode, as (query, body)."""
    sim = simulator()
    out = []
    for n in range(count):
        inner = sim.inner(members[n % len(members)], "text",
                          {"Content": mode_text(mode, first + n), "MsgId": first + n})
        query, body = sim.envelope(inner)
        out.append(("&".join(f"{k}={v}" for k, v in query.items()), body))
    return out


def run(app: WsgiApp, items: list[tuple[str, bytes]]) -> float:
    """Call the app once per callback; CPU ms per request (a non-200 answer stops the run)."""
    statuses: list[str] = []

    def start_response(status: str, headers: list[Any], exc_info: Any = None) -> None:
        statuses.append(status)

    envs = [environ(q, b) for q, b in items]
    started = time.process_time()
    for env in envs:
        body = app(env, start_response)
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
        if not statuses[-1].startswith("200"):
            raise RuntimeError(f"answer {statuses[-1]}")
    return (time.process_time() - started) * 1000 / len(items)


def main(argv: list[str] | None = None) -> int:
    """Measure the ceiling and the bot in one mode; print CPU ms per request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, default="help")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--profile", choices=("wall", "cpu"),
                        help="profile the bot's run: pyinstrument (wall) or cProfile (CPU)")
    args = parser.parse_args(argv)

    db_url = recreate_database(DB_NAME)
    redis.Redis.from_url(REDIS_URL).flushdb()
    state = SandboxState()
    seed_sandbox(state)
    with SandboxServer(state) as server:
        env = {
            "WECOM_CORP_ID": SANDBOX_CORP_ID, "WECOM_SECRET": SANDBOX_SECRET,
            "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID), "WECOM_TOKEN": TOKEN,
            "WECOM_AES_KEY": AES_KEY, "WECOM_API_BASE": server.base_url,
            "WECOM_MAX_CLOCK_SKEW": str(MAX_CLOCK_SKEW), "DATABASE_URL": db_url,
            "REDIS_URL": REDIS_URL, "SECRET_KEY": "pioneer-bench-secret-key",
        }
        os.environ.update(env)
        bot = create_app()  # reads the environment as gunicorn's workers do
        with bot.app_context():
            upgrade()
            seed_demo()
            if args.mode == "answer":  # the starter library, as `flask demo seed` syncs it
                sync_library()
                db.session.commit()
        # Imported only now: bench.ceiling reads WECOM_TOKEN and the key at import time.
        ceiling = importlib.import_module("bench.ceiling").app
        members = [MEMBER]
        if args.mode == "stranger":
            members = [f"bench_stranger_{n:03d}" for n in range(STRANGERS)]
        if args.mode in CONVERSATION_MODES:
            with psycopg.connect(db_url) as conn:
                members = [r[0] for r in conn.execute(
                    "SELECT userid FROM members WHERE status = 'active' AND userid <> %s "
                    "ORDER BY id LIMIT %s", (MEMBER, CONVERSATION_MEMBERS))]
            sim = simulator()
            for n, member in enumerate(members):  # open 写心得 (subject 0 when asked)
                for k, text in enumerate(("写心得", "0")):
                    inner = sim.inner(member, "text", {"Content": text, "MsgId": 10**9 + 2 * n + k})
                    query, body = sim.envelope(inner)
                    run(bot.wsgi_app, [("&".join(f"{a}={b}" for a, b in query.items()), body)])
        warm = callbacks(300, 1, args.mode, members)
        run(ceiling, warm)
        run(bot.wsgi_app, warm)
        items = callbacks(args.count, 1000, args.mode, members)
        ceiling_ms = run(ceiling, items)
        items = callbacks(args.count, 100000, args.mode, members)
        if args.profile == "cpu":
            cpu_profile = cProfile.Profile(time.process_time)
            bot_ms = cpu_profile.runcall(run, bot.wsgi_app, items)
            order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
            if os.environ.get("PROFILE_DUMP"):  # a pstats file, for print_callers and the like
                cpu_profile.dump_stats(os.environ["PROFILE_DUMP"])
            pstats.Stats(cpu_profile).sort_stats(order).print_stats(45)
        elif args.profile == "wall":
            from pyinstrument import Profiler  # optional, not a dependency: only when asked

            profiler = Profiler(interval=0.0002)
            profiler.start()
            bot_ms = run(bot.wsgi_app, items)
            profiler.stop()
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        else:
            bot_ms = run(bot.wsgi_app, items)
    print(f"mode {args.mode}: ceiling {ceiling_ms:.3f} ms CPU/request, bot {bot_ms:.3f} ms "
          f"CPU/request, ratio {ceiling_ms / bot_ms:.2f} ({args.count} requests, in-process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
