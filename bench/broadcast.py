"""Broadcast benchmark: 群发 to everyone on PostgreSQL, delivered through the sandbox.

    .venv/bin/python -m bench.broadcast [--members 6000 100000]

For each size: recreates `pioneer_bench_broadcast`, bulk-inserts that many members into the
roster and the sandbox's directory, then times 确认 (create the broadcast: resolve userids,
check the quota, store the outbound message, audit) through the delivery job to the summary
sent to the admin. Reports the message/send calls for the broadcast (target
ceil(members / 1000)) and the seconds. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import math
import time

import redis
from sqlalchemy import insert, select

from bench.common import bench_app, machine_line, recreate_database
from bot import delivery
from bot.sandbox.server import SandboxServer
from bot.sandbox.state import SandboxState
from broadcasts import sending
from broadcasts.jobs import deliver_broadcast
from models import Broadcast, Member, OutboundMessage, db, utcnow

DB_NAME = "pioneer_bench_broadcast"
REDIS_URL = "redis://127.0.0.1:6379/9"
ADMIN = "admin0"


def run(members: int) -> dict[str, object]:
    """One broadcast to `members` members; the figures for one table row."""
    url = recreate_database(DB_NAME)
    redis.Redis.from_url(REDIS_URL).flushdb()
    users = [ADMIN, *(f"m{i:06d}" for i in range(members - 1))]
    with SandboxServer(SandboxState()) as sandbox:
        for userid in users:
            sandbox.state.add_user(userid, userid, department=[1])
        app = bench_app(sandbox.base_url, url, REDIS_URL)
        with app.app_context():
            db.session.execute(insert(Member), [{"userid": u, "name": u} for u in users])
            db.session.commit()
            client = app.extensions["pioneer_wecom"]
            client.token()
            sandbox.state.calls.clear()
            draft = sending.Draft(ADMIN, "text", {"msgtype": "text",
                                                  "text": {"content": "基准测试群发"}},
                                  {"kind": "all", "values": []})
            started = time.perf_counter()
            row, _ = sending.create(draft, "bench", utcnow())
            db.session.commit()
            confirmed = time.perf_counter()
            deliver_broadcast(row.id)  # the RQ job, run here; it sends the summary's row
            summary_id = max(db.session.scalars(
                select(OutboundMessage.id).where(OutboundMessage.source_key.like("%summary"))))
            delivery.deliver(client, summary_id)
            finished = time.perf_counter()
            status = db.session.get(Broadcast, row.id).status
        sends = [c for c in sandbox.state.calls_to("message/send")
                 if "|" in (c.body or {}).get("touser", "")]
        reached = sum(1 for u in users if sandbox.state.inbox.get(u))
    return {"members": members, "calls": len(sends), "target": math.ceil(members / 1000),
            "confirm": confirmed - started, "total": finished - started,
            "reached": reached, "status": status}


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[6000, 100000])
    args = parser.parse_args(argv)
    rows = [run(n) for n in args.members]
    print("\n" + machine_line("broadcast to everyone, PostgreSQL, sandbox in-process") + "\n")
    print("| members | message/send calls | target | 确认 (create) | 确认 → summary sent | "
          "inboxes reached | status |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['members']} | {r['calls']} | {r['target']} | {r['confirm']:.2f} s | "
              f"{r['total']:.2f} s | {r['reached']} | {r['status']} |")


if __name__ == "__main__":
    main()
