"""Roster sync benchmark: 300 organisations and 6,000 members from the sandbox, on PostgreSQL.

    .venv/bin/python -m bench.roster_sync [--orgs 300] [--members 6000]

Recreates the database `pioneer_bench_sync`, starts the WeCom sandbox in this process with a
generated committee, then runs `roster sync` twice: the first run adds everyone, the second
must find nothing to change. Reports wall time, WeCom API calls (user/list per organisation)
and, for the second run, the rows PostgreSQL says were inserted, updated or deleted. It asserts
nothing about time; it reports.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import psycopg
import redis

from bench.common import bench_app, machine_line, recreate_database
from bot.extensions import redis_store
from models import OrgKind, db
from roster.demo import generate
from roster.sync import RosterSync
from sandbox.seed import seed_directory
from sandbox.server import SandboxServer
from sandbox.state import SandboxState

DB_NAME = "pioneer_bench_sync"
REDIS_URL = "redis://127.0.0.1:6379/13"


def tuple_writes(app: Any, url: str) -> int:
    """Rows inserted, updated or deleted in the project's tables so far (PostgreSQL's counters)."""
    with app.app_context():
        db.engine.dispose()  # a backend flushes its counters when it ends (or after 10 s idle)
    time.sleep(1)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables"
        ).fetchone()
    return int(row[0]) if row else 0


def run_sync(app: Any, state: SandboxState) -> dict[str, Any]:
    """One sync; its wall time, summary and the API calls it made."""
    calls_before = len(state.calls)
    with app.app_context():
        started = time.perf_counter()
        summary = RosterSync(app.extensions["pioneer_wecom"], redis_store.client).run()
        elapsed = time.perf_counter() - started
    calls = state.calls[calls_before:]
    return {"seconds": elapsed, "summary": summary,
            "user_list": sum(1 for c in calls if c.path == "user/list"),
            "department_list": sum(1 for c in calls if c.path == "department/list"),
            "gettoken": sum(1 for c in calls if c.path == "gettoken")}


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=300)
    parser.add_argument("--members", type=int, default=6000)
    args = parser.parse_args(argv)
    share = args.orgs // 15
    kinds = {OrgKind.FOREIGN: share * 6, OrgKind.PRIVATE: share * 6, OrgKind.STATE: share * 2}
    kinds[OrgKind.OTHER] = max(args.orgs - 4 - sum(kinds.values()), 0)
    committee = generate(kinds, members=args.members)
    url = recreate_database(DB_NAME)
    redis.Redis.from_url(REDIS_URL).flushdb()
    with SandboxServer(SandboxState()) as sandbox:
        seed_directory(sandbox.state, committee)
        app = bench_app(sandbox.base_url, url, REDIS_URL)
        first = run_sync(app, sandbox.state)
        writes_before = tuple_writes(app, url)
        second = run_sync(app, sandbox.state)
        second_writes = tuple_writes(app, url) - writes_before
    orgs, people = len(committee.orgs), len(committee.people)
    rows = [
        ("first run (adds everyone)", first, "—"),
        ("second run (no change)", second, str(second_writes)),
    ]
    print("\n" + machine_line(f"roster sync, {orgs} organisations / {people} members, "
                              "PostgreSQL") + "\n")
    print("| run | wall time | user/list calls | department/list | rows written | members |")
    print("|---|---|---|---|---|---|")
    for name, result, writes in rows:
        members = ", ".join(f"{k} {v}" for k, v in sorted(result["summary"].members.items()))
        print(f"| {name} | {result['seconds']:.2f} s | {result['user_list']} | "
              f"{result['department_list']} | {writes} | {members} |")


if __name__ == "__main__":
    main()
