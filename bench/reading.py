"""Tracked-link benchmark: how fast a member's open of /r/<token> is recorded and answered.

    .venv/bin/python -m bench.reading [--members 500] [--opens 4000]

On PostgreSQL (`pioneer_bench_reading`) and Redis db 10: members already signed in (the WeCom
OAuth step done once per browser) open push links; each open checks the link, the member and
their push delivery, records the read (insert the first time, update after) and renders the
page. Reports p50/p99/max latency per open, in-process through the WSGI app (no network).
It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

import redis
from sqlalchemy import select

import clock
from bench.common import bench_app, machine_line, recreate_database
from models import Material, Member, OutboundMessage, db
from roster.demo import generate, seed_roster
from sandbox.server import SandboxServer
from sandbox.state import SandboxState
from study.pushes import create_push, run_due
from study.reading import SESSION_LOGIN_AT, SESSION_USER

DB_NAME = "pioneer_bench_reading"
REDIS_URL = "redis://127.0.0.1:6379/10"


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values fall."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=500)
    parser.add_argument("--opens", type=int, default=4000)
    args = parser.parse_args(argv)
    url = recreate_database(DB_NAME)
    redis.Redis.from_url(REDIS_URL).flushdb()
    with SandboxServer(SandboxState()) as sandbox:
        app = bench_app(sandbox.base_url, url, REDIS_URL, PUBLIC_URL="http://bench.local")
        with app.app_context():
            seed_roster(generate(members=args.members))
            material = Material(slug="bench", title="基准测试材料", kind="article",
                                summary="用于基准测试", body="# 标题\n\n" + "正文。" * 400,
                                published_on=clock.today())
            db.session.add(material)
            db.session.flush()
            now = datetime.now(UTC)
            create_push("bench", {"kind": "all"}, now + timedelta(seconds=1), material=material,
                        now=now)
            db.session.commit()
            result = run_due(now + timedelta(seconds=2))
            link = db.session.get(OutboundMessage,
                                  result.outbound_ids[0]).payload["news"]["articles"][0]["url"]
            userids = list(db.session.scalars(select(Member.userid)))
        path = link.removeprefix("http://bench.local")
        browsers = {}
        for userid in userids:
            browser = app.test_client()
            with browser.session_transaction() as session:
                session[SESSION_USER], session[SESSION_LOGIN_AT] = userid, int(time.time())
            browsers[userid] = browser
        rng = random.Random(7)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        for _ in range(args.opens):
            browser = browsers[rng.choice(userids)]
            started = time.perf_counter()
            response = browser.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    print("\n" + machine_line(f"tracked link opens, {len(userids)} signed-in members, "
                              "PostgreSQL, in-process") + "\n")
    print("| opens | statuses | p50 | p99 | max | mean |")
    print("|---|---|---|---|---|---|")
    print(f"| {len(latencies)} | {statuses} | {percentile(latencies, 0.5):.1f} ms | "
          f"{percentile(latencies, 0.99):.1f} ms | {max(latencies):.1f} ms | "
          f"{statistics.mean(latencies):.1f} ms |")


if __name__ == "__main__":
    main()
