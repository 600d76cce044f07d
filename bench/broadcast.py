"""Broadcast benchmark: 群发 in chat to everyone on PostgreSQL, delivered through the sandbox.

    .venv/bin/python -m bench.broadcast [--members 6000 100000] [--database NAME] [--redis URL]

For each size: recreates the database (default `pioneer_bench_broadcast`) and flushes the
Redis db, bulk-inserts that many members into the roster and the sandbox's directory (one of
them the admin), and half of them a participation this month. Then the admin chats through
signed, encrypted callbacks (the member simulator, the app's test client): 群发, the text,
"1" (the audience resolved and counted, the preview sent), and 确认, timed from the callback
until the summary has reached the admin: create the broadcast (resolve the userids, check
the quota, store the outbound message, audit), the delivery job batch by batch through the
sandbox, the summary. Jobs run inline in the process (RQ_INLINE), so the figure has no queue
wait in it. It also times the audience step for 6.本月未参学党员 (the anti-join over the
ledger) after a warm-up draft, and cancels both. Reports the message/send calls of the
broadcast (target ceil(members / 1000)) and the seconds. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable
from datetime import timedelta

import redis
from sqlalchemy import insert, select

from bench.common import AES_KEY, bench_app, machine_line, recreate_database
from models import Broadcast, Member, Participation, ParticipationKind, db, utcnow
from roster.manage import add_member
from sandbox.server import SandboxServer
from sandbox.simulator import Delivery, FlaskTransport, MemberSimulator
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SandboxState

DB_NAME = "pioneer_bench_broadcast"
REDIS_URL = "redis://127.0.0.1:6379/9"
ADMIN = "admin0"
TEXT = "基准测试群发"


def _seed(members: int) -> list[str]:
    """The admin and members - 1 others; every second member read something this month."""
    add_member(ADMIN, "管理员", roles=("admin",))
    users = [f"m{i:06d}" for i in range(members - 1)]
    db.session.execute(insert(Member), [{"userid": u, "name": u} for u in users])
    ids = list(db.session.scalars(select(Member.id).order_by(Member.id)))
    now = utcnow()
    db.session.execute(insert(Participation), [
        {"member_id": member_id, "kind": ParticipationKind.MATERIAL_READ, "source": "material:1",
         "occurred_at": now - timedelta(minutes=1), "hours": 0.1, "points": 1, "details": {},
         "recorded_at": now} for member_id in ids[::2]])
    db.session.commit()
    return [ADMIN, *users]


def _timed(action: Callable[[], Delivery]) -> tuple[float, str]:
    started = time.perf_counter()
    reply = action()
    return time.perf_counter() - started, reply.text


def run(members: int, database: str, redis_url: str) -> dict[str, object]:
    """One chat broadcast to `members` members; the figures for one table row."""
    url = recreate_database(database)
    redis.Redis.from_url(redis_url).flushdb()
    with SandboxServer(SandboxState()) as sandbox:
        app = bench_app(sandbox.base_url, url, redis_url, RQ_INLINE=True)
        with app.app_context():
            users = _seed(members)
        for userid in users:
            sandbox.state.add_user(userid, userid, department=[1])
        sim = MemberSimulator(FlaskTransport(app.test_client()), "bench", AES_KEY,
                              SANDBOX_CORP_ID, SANDBOX_AGENT_ID)
        with app.app_context():
            app.extensions["pioneer_wecom"].token()
        for answer in ("1", "6"):  # a warm-up draft, then the one timed for 本月未参学
            sim.text(ADMIN, "群发")
            sim.text(ADMIN, "草稿：" + TEXT)
            idle_s, idle_reply = _timed(lambda: sim.text(ADMIN, answer))  # noqa: B023
            sim.text(ADMIN, "取消")
        sim.text(ADMIN, "群发")
        sim.text(ADMIN, TEXT)
        audience_s, preview = _timed(lambda: sim.text(ADMIN, "1"))
        sandbox.state.calls.clear()
        started = time.perf_counter()
        confirm_reply = sim.text(ADMIN, "确认").text
        while not any("已完成" in ((m.get("content") or {}).get("content") or "")
                      for m in sandbox.state.inbox_since(ADMIN)):
            if time.perf_counter() - started > 600:
                raise SystemExit(f"no summary within 600 s; 确认 answered {confirm_reply!r}")
            time.sleep(0.01)
        total_s = time.perf_counter() - started
        with app.app_context():
            row = db.session.scalars(select(Broadcast)).one()
            status, summary = row.status, row.summary
        sends = [c for c in sandbox.state.calls_to("message/send")
                 if "|" in (c.body or {}).get("touser", "")]
        reached = sum(1 for u in users
                      if any((m.get("content") or {}).get("content") == TEXT
                             for m in sandbox.state.inbox_since(u)))
    assert f"将发给 {members // 2} 人" in idle_reply, idle_reply
    assert f"将发给 {members} 人" in preview, preview
    return {"members": members, "calls": len(sends), "target": math.ceil(members / 1000),
            "audience": audience_s, "idle": idle_s, "total": total_s, "reached": reached,
            "sent": summary.get("sent"), "status": status}


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, nargs="+", default=[6000, 100000])
    parser.add_argument("--database", default=DB_NAME,
                        help="PostgreSQL database to drop and recreate for each size")
    parser.add_argument("--redis", default=REDIS_URL, help="Redis db to flush and use")
    args = parser.parse_args(argv)
    rows = [run(n, args.database, args.redis) for n in args.members]
    print("\n" + machine_line("broadcast in chat to everyone, PostgreSQL, sandbox in-process")
          + "\n")
    print("| members | message/send calls | target | “1” (resolve + preview) | "
          "“6” (本月未参学, half idle) | 确认 → summary received | inboxes reached | "
          "summary sent | status |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['members']} | {r['calls']} | {r['target']} | {r['audience']:.2f} s | "
              f"{r['idle']:.2f} s | {r['total']:.2f} s | {r['reached']} | {r['sent']} | "
              f"{r['status']} |")


if __name__ == "__main__":
    main()
