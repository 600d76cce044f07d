"""Scale-out demonstration: several gunicorn processes and several RQ workers against one
PostgreSQL and one Redis, under load from the member simulator.

    .venv/bin/python -m bench.scaleout [--members 200] [--apps 2] [--app-workers 2] [--rq 3]

Starts the WeCom sandbox in-thread, `--apps` gunicorn instances (each `-w --app-workers`) on
their own ports, `--rq` RQ workers, on a fresh database `pioneer_scaleout` and Redis db 12
(the access token cache emptied, so every process needs a token at once). Then:
1. every member writes and submits a reflection (写心得 → text → 完成 → 确认), each
   callback POSTed to one instance and, at the same moment, the same callback to another
   instance (as WeCom's retries may land on another host);
2. one broadcast per organisation is created by the CLI; the RQ workers share the jobs.
Checks: each distinct write message handled once (processed_messages), no message lost (each
member's reflection submitted, each member's last reply the confirmation), each broadcast
reaching each of its members exactly once (sandbox inboxes), and `gettoken` called once.
Prints a Markdown report; exits 1 if a check fails. Reports timings, asserts none.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import redis

from bench.common import machine_line
from bench.webhook_callbacks import simulator
from bench.webhook_harness import Processes, free_port, wait_http
from bench.webhook_state import REPO, bench_env
from content.reflection_texts import SUBMITTED
from sandbox.seed import seed_sandbox
from sandbox.server import SandboxServer
from sandbox.state import SandboxState

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "pioneer_scaleout"
DB_URL = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/12"
TEXT = "学习了这篇材料，我深受教育，要在岗位上立足本职、发挥党员先锋模范作用。" * 2
STEPS = ("写心得", TEXT, "完成", "确认")  # the demo database has no materials to choose from


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--apps", type=int, default=2, help="gunicorn instances")
    parser.add_argument("--app-workers", type=int, default=2, help="workers per instance")
    parser.add_argument("--rq", type=int, default=3, help="RQ workers")
    parser.add_argument("--threads", type=int, default=32, help="concurrent simulated members")
    parser.add_argument("--worker-class", default="rq.worker.SimpleWorker",
                        help="RQ worker class (rq.worker.Worker forks, and builds the app, "
                        "per job)")
    return parser.parse_args(argv)


def fresh_state(env: dict[str, str], log: Path) -> None:
    """A new database, migrated and seeded with the demo committee; Redis db 12 emptied."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    redis.Redis.from_url(REDIS_URL).flushdb()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["demo", "seed"]):
        with log.open("ab") as out:
            subprocess.run([*flask, *command], cwd=REPO, env=env, stdout=out,
                           stderr=subprocess.STDOUT, check=True)


def members(count: int) -> list[str]:
    """`count` active demo members (userids), the same every run."""
    with psycopg.connect(DB_URL) as conn:
        rows = conn.execute("SELECT userid FROM members WHERE status = 'active' "
                            "ORDER BY userid LIMIT %s", (count,)).fetchall()
    return [row[0] for row in rows]


def deliver_twice(urls: list[str], query: dict[str, str], body: bytes) -> tuple[str, int]:
    """POST one callback to two instances at once, then retry (as WeCom does) until one
    answers with a reply; the reply text and the number of POSTs."""
    first, second = random.sample(urls, 2) if len(urls) > 1 else (urls[0], urls[0])
    with ThreadPoolExecutor(2) as pair:
        answers = list(pair.map(lambda url: simulator(url).transport(query, body, 5.0),
                                (first, second)))
    posts = 2
    for _ in range(3):
        replies = [data for status, data in answers if status == 200 and data]
        if replies:
            return simulator().open_reply(replies[0]).get("Content", ""), posts
        time.sleep(0.5)  # both got the in-progress empty 200: WeCom asks again later
        answers = [simulator(first).transport(query, body, 5.0)]
        posts += 1
    return "", posts


def converse(urls: list[str], userid: str, msg_base: int) -> tuple[str, int]:
    """One member's reflection, every callback sent twice to two instances at once."""
    last, posts = "", 0
    for n, content in enumerate(STEPS):
        sim = simulator()
        inner = sim.inner(userid, "text", {"Content": content, "MsgId": msg_base + n})
        last, sent = deliver_twice(urls, *sim.envelope(inner))
        posts += sent
    return last, posts


def broadcast_per_org(env: dict[str, str], log: Path, count: int = 20) -> dict[str, set[str]]:
    """One broadcast to each of `count` organisations without sub-organisations (CLI);
    organisation id → its active members."""
    with psycopg.connect(DB_URL) as conn:
        rows = conn.execute(
            "SELECT o.id, m.userid FROM organizations o JOIN memberships s ON "
            "s.organization_id = o.id JOIN members m ON m.id = s.member_id "
            "WHERE m.status = 'active' AND NOT EXISTS (SELECT 1 FROM organizations c "
            "WHERE c.parent_id = o.id) ORDER BY o.id").fetchall()
    orgs: dict[str, set[str]] = {}
    for org_id, userid in rows:
        orgs.setdefault(str(org_id), set()).add(userid)
    chosen = dict(list(orgs.items())[:count])
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for org_id in chosen:
        with log.open("ab") as out:
            subprocess.run([*flask, "broadcast", "send", "--text", f"扩容演示：{org_id}",
                            "--org", org_id], cwd=REPO, env=env, stdout=out,
                           stderr=subprocess.STDOUT, check=True)
    return chosen


def wait_broadcasts(expected: int, timeout: float = 120) -> int:
    """Wait until every broadcast is finished; how many are."""
    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        with psycopg.connect(DB_URL) as conn:
            done = conn.execute("SELECT count(*) FROM broadcasts WHERE status IN "
                                "('sent', 'failed')").fetchone()[0]
        if done >= expected:
            break
        time.sleep(0.5)
    return int(done)


def run(args: argparse.Namespace) -> int:
    """The demonstration; 0 when every check holds."""
    logs = Path(tempfile.mkdtemp(prefix="pioneer-scaleout-"))
    log = logs / "run.log"
    state = SandboxState()
    sandbox = SandboxServer(state)
    sandbox.start()
    seed_sandbox(state)
    env = bench_env(sandbox.base_url)
    env.update({"DATABASE_URL": DB_URL, "REDIS_URL": REDIS_URL})
    procs = Processes()
    try:
        fresh_state(env, log)
        urls = []
        for _ in range(args.apps):
            port = free_port()
            child = procs.start([sys.executable, "-m", "gunicorn", "-k", "sync", "-w",
                                 str(args.app_workers), "-b", f"127.0.0.1:{port}",
                                 "--log-level", "warning", "wsgi:app"], env, log)
            urls.append(f"http://127.0.0.1:{port}/wecom/callback")
            wait_http(urls[-1], child, log)
        for _ in range(args.rq):
            procs.start([sys.executable, "-m", "rq.cli", "worker", "--url", REDIS_URL,
                         "--worker-class", args.worker_class, "pioneer"], env, log)
        redis.Redis.from_url(REDIS_URL).delete(*redis.Redis.from_url(REDIS_URL).keys(
            "*token*") or ["none"])
        people = members(args.members)
        started = time.monotonic()
        with ThreadPoolExecutor(args.threads) as pool:
            results = list(pool.map(lambda p: converse(urls, p[1], 10**9 + p[0] * 10),
                                    enumerate(people)))
        chat_s = time.monotonic() - started
        sent = sum(n for _, n in results)
        confirmed = sum(1 for last, _ in results if last.startswith(SUBMITTED.split("{")[0]))
        orgs = broadcast_per_org(env, log)
        delivery_started = time.monotonic()  # the CLI enqueued each as it was created
        finished = wait_broadcasts(len(orgs))
        broadcast_s = time.monotonic() - delivery_started
        with psycopg.connect(DB_URL) as conn:
            processed = conn.execute("SELECT count(*) FROM processed_messages").fetchone()[0]
            submitted = conn.execute("SELECT count(*) FROM reflections WHERE status = "
                                     "'submitted'").fetchone()[0]
            parts = conn.execute("SELECT count(*) FROM reflection_parts").fetchone()[0]
        per_member: Counter[tuple[str, str]] = Counter()
        for name, userids in orgs.items():
            for userid in userids:
                for item in state.inbox_since(userid):
                    text = str(item.get("content"))
                    if f"扩容演示：{name}" in text:
                        per_member[(name, userid)] += 1
        expected_pairs = {(name, u) for name, us in orgs.items() for u in us}
        once = sum(1 for pair in expected_pairs if per_member[pair] == 1)
        gettoken = len(state.calls_to("gettoken"))
        distinct = len(people) * len(STEPS)
        checks = {
            # the text was POSTed twice to two instances: handled twice would be two parts
            "each message handled once": parts == len(people) and processed <= distinct,
            "no message lost: every reflection submitted": submitted == len(people),
            "every member's last reply confirms": confirmed == len(people),
            "every broadcast finished": finished >= len(orgs),
            "each member got each broadcast once": once == len(expected_pairs),
            "token fetched once": gettoken == 1,
        }
        print(f"## {machine_line('Scale-out')}\n")
        print(f"{args.apps} gunicorn instances × {args.app_workers} sync workers, {args.rq} RQ "
              f"workers ({args.worker_class}), one PostgreSQL, one Redis; {len(people)} "
              f"members, {args.threads} at a time, every callback sent to two instances at "
              "once.\n")
        print("| figure | value |\n|---|---|")
        print(f"| callbacks POSTed (incl. duplicates) | {sent} |")
        print(f"| distinct messages / processed records of those that write | {distinct} / "
              f"{processed} |")
        print(f"| reflection parts (one text per member, POSTed twice) | {parts} |")
        print(f"| reflections submitted | {submitted} of {len(people)} |")
        print(f"| chat phase | {chat_s:.1f} s ({sent / chat_s:.0f} callbacks/s) |")
        print(f"| broadcasts (one per organisation) finished | {finished} of {len(orgs)}, "
              f"the last {broadcast_s:.1f} s after the last was created |")
        print(f"| member × broadcast deliveries exactly once | {once} of "
              f"{len(expected_pairs)} |")
        print(f"| gettoken calls | {gettoken} |\n")
        for name, ok in checks.items():
            print(f"- {'ok' if ok else 'FAILED'}: {name}")
        print(f"\nlogs: {logs}")
        return 0 if all(checks.values()) else 1
    finally:
        procs.stop_all()
        sandbox.stop()


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    return run(parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
