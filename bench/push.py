"""Push benchmark: one push to 6,000 members on PostgreSQL, delivered through the sandbox.

    .venv/bin/python -m bench.push [--members 6000]

Recreates `pioneer_bench_push`, seeds a committee of that size into the roster and the
sandbox's directory, schedules a push of one material to everyone, then times the cron tick
(claim the occurrence, resolve the audience, write the deliveries and the outbound message)
and the delivery job until every batch is sent. Reports the message/send calls (the target is
ceil(members / 1000), never one per member) and the seconds. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import math
import time
from datetime import UTC, datetime, timedelta

import redis
from sqlalchemy import select

import clock
from bench.common import bench_app, machine_line, recreate_database
from bot import delivery
from models import Material, OrgKind, OutboundMessage, Push, db
from roster.demo import generate, seed_roster
from sandbox.seed import seed_directory
from sandbox.server import SandboxServer
from sandbox.state import SandboxState
from study.pushes import create_push, run_due

DB_NAME = "pioneer_bench_push"
REDIS_URL = "redis://127.0.0.1:6379/11"


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=6000)
    args = parser.parse_args(argv)
    committee = generate({OrgKind.FOREIGN: 120, OrgKind.PRIVATE: 120, OrgKind.STATE: 40,
                          OrgKind.OTHER: 16}, members=args.members)
    url = recreate_database(DB_NAME)
    redis.Redis.from_url(REDIS_URL).flushdb()
    with SandboxServer(SandboxState()) as sandbox:
        seed_directory(sandbox.state, committee)
        app = bench_app(sandbox.base_url, url, REDIS_URL)
        with app.app_context():
            seed_roster(committee)
            material = Material(slug="bench", title="基准测试材料", kind="article",
                                summary="用于基准测试", body="正文", published_on=clock.today())
            db.session.add(material)
            db.session.flush()
            now = datetime.now(UTC)
            create_push("bench", {"kind": "all"}, now + timedelta(seconds=1), material=material,
                        now=now)
            db.session.commit()
            push = db.session.scalars(select(Push)).one()
            push.next_at = now
            db.session.commit()
            client = app.extensions["pioneer_wecom"]
            client.token()
            sandbox.state.calls.clear()
            started = time.perf_counter()
            result = run_due()
            ticked = time.perf_counter()
            for outbound_id in result.outbound_ids:
                delivery.deliver(client, outbound_id)
            finished = time.perf_counter()
            row = db.session.get(OutboundMessage, result.outbound_ids[0])
            status = row.status
        sends = sandbox.state.calls_to("message/send")
        reached = sum(1 for u in sandbox.state.inbox if sandbox.state.inbox[u])
    people = len(committee.people)
    print("\n" + machine_line(f"push to {people} members, PostgreSQL") + "\n")
    print("| recipients | message/send calls | target calls | tick (claim, audience, "
          "deliveries) | delivery | total | inboxes reached | status |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {result.recipients} | {len(sends)} | {math.ceil(result.recipients / 1000)} | "
          f"{ticked - started:.2f} s | {finished - ticked:.2f} s | {finished - started:.2f} s | "
          f"{reached} | {status} |")


if __name__ == "__main__":
    main()
