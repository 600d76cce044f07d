"""Profile the callback in-process: CPU per request of the bot, the ceiling and the floor.

    .venv/bin/python -m bench.profile_webhook --mode help|step|write|stranger|answer
        [--count 3000] [--repeat 3] [--database NAME] [--redis URL]
        [--against DIR [--bots-only]] [--instructions] [--profile cpu|wall]

No gunicorn, no wrk: each signed callback is handed to the WSGI app directly (a prebuilt
WSGI environ per request), on PostgreSQL and Redis on this machine, so the figure is the
app's own CPU per request (Flask, crypto, pipeline, SQL client side, Redis client side),
`time.process_time`, which other processes' load moves much less than wall time. The
ceiling, the floor (the ceiling + one autocommitted INSERT) and the bot take turns
`--repeat` times on fresh callbacks; the best (lowest) run of each is reported, and the
bot's first reply of each run is decrypted and checked against the mode's.

`--against DIR` puts another checkout's bot (say a copy of the tree from before a change) in
the same turns; both bots then run in child processes started alike, on the same database and
Redis, so a change is read from two runs side by side rather than across minutes of a host
whose speed drifts. `--instructions` counts user-space instructions per request instead
(valgrind's callgrind, every app in a child, counted over the calls only): what other load
cannot move, though it leaves out the kernel's work (syscalls, the loopback). `--profile`
adds, after the measured runs, a cProfile table (cpu: process time) or a pyinstrument tree
(wall; pyinstrument is not a dependency) of one more run of the bot. Reports only.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
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
    MODE_REPLIES,
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


def run(app: WsgiApp, items: list[tuple[str, bytes]], expect: str = "") -> float:
    """Call the app once per callback; CPU ms per request (a non-200 answer stops the run).
    With `expect`, the first answer must decrypt to a text holding it."""
    return call(app, [environ(q, b) for q, b in items], expect)


def call(app: WsgiApp, envs: list[dict[str, Any]], expect: str = "") -> float:
    """`run` on prebuilt WSGI environs."""
    statuses: list[str] = []

    def start_response(status: str, headers: list[Any], exc_info: Any = None) -> None:
        statuses.append(status)

    first = b""
    started = time.process_time()
    for env in envs:
        body = app(env, start_response)
        answer = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        if not statuses[-1].startswith("200"):
            raise RuntimeError(f"answer {statuses[-1]}")
        first = first or answer
    spent = (time.process_time() - started) * 1000 / len(envs)
    if expect:
        text = simulator().open_reply(first).get("Content", "") if first.strip() else ""
        if expect not in text:
            raise RuntimeError(f"expected a reply holding {expect!r}, got {text!r}")
    return spent


def main(argv: list[str] | None = None) -> int:
    """Measure the ceiling, the floor and the bot in one mode; print CPU ms per request."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, default="help")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each app, taking turns; the best of each is reported")
    parser.add_argument("--database", default=DB_NAME,
                        help=f"PostgreSQL database, dropped and recreated (default {DB_NAME})")
    parser.add_argument("--redis", default=REDIS_URL,
                        help=f"Redis db, flushed (default {REDIS_URL})")
    parser.add_argument("--against", metavar="DIR",
                        help="another checkout (a copy of the tree before a change): its bot "
                             "runs in a child process on the same database and Redis, taking "
                             "turns with this one's (also in a child), and both are reported")
    parser.add_argument("--instructions", action="store_true",
                        help="count user-space instructions per request instead (valgrind's "
                             "callgrind, every app in a child process): what other load "
                             "cannot move")
    parser.add_argument("--bots-only", action="store_true",
                        help="with --against: measure only the two bots (a change's A/B)")
    parser.add_argument("--profile", choices=("wall", "cpu"),
                        help="profile one more run of the bot: cProfile (cpu) or pyinstrument")
    parser.add_argument("--serve", choices=APPS, help=argparse.SUPPRESS)  # a child's app
    args = parser.parse_args(argv)
    if args.serve:
        return _serve(args.mode, args.serve)

    db_url = recreate_database(args.database)
    redis.Redis.from_url(args.redis).flushdb()
    state = SandboxState()
    seed_sandbox(state)
    with SandboxServer(state) as server, tempfile.TemporaryDirectory() as scratch:
        os.environ.update({
            "WECOM_CORP_ID": SANDBOX_CORP_ID, "WECOM_SECRET": SANDBOX_SECRET,
            "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID), "WECOM_TOKEN": TOKEN,
            "WECOM_AES_KEY": AES_KEY, "WECOM_API_BASE": server.base_url,
            "WECOM_MAX_CLOCK_SKEW": str(MAX_CLOCK_SKEW), "DATABASE_URL": db_url,
            "REDIS_URL": args.redis, "SECRET_KEY": "pioneer-bench-secret-key",
        })
        bot = create_app()  # reads the environment as gunicorn's workers do
        with bot.app_context():
            upgrade()
            seed_demo()
            if args.mode == "answer":  # the starter library, as `flask demo seed` syncs it
                sync_library()
                db.session.commit()
        members = _members(args.mode, db_url)
        if args.mode in CONVERSATION_MODES:
            _open_conversations(bot.wsgi_app, members)
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("ANALYZE")  # as bench/run does before the bot's round
        # Imported only now: bench.ceiling reads WECOM_TOKEN and the key at import time.
        ceiling = importlib.import_module("bench.ceiling")
        apps: dict[str, WsgiApp | _Child] = {"ceiling": ceiling.app, "floor": ceiling.floor,
                                            "bot": bot.wsgi_app}
        here = str(Path(__file__).resolve().parent.parent)
        trees = {"ceiling": here, "floor": here, "bot": here}
        if args.against:
            trees["against"] = args.against
            if args.bots_only:
                del trees["ceiling"], trees["floor"], apps["ceiling"], apps["floor"]
        if args.instructions:  # every app a child under callgrind, started alike
            apps = {name: _Child(tree, args.mode, "bot" if name == "against" else name, scratch)
                    for name, tree in trees.items()}
        elif args.against:  # both bots in children started alike (the parent's heap, grown by
            # the seeding, makes its garbage collections dearer than a worker's)
            apps["bot"] = _Child(here, args.mode, "bot")
            apps["against"] = _Child(args.against, args.mode, "bot")
        try:
            best = _measure(apps, args, members)
        finally:
            for app in apps.values():
                if isinstance(app, _Child):
                    app.close()
        if args.profile:
            _profile(args.profile, bot.wsgi_app,
                     callbacks(args.count, 10**8, args.mode, members))
    _report(best, args)
    return 0


APPS = ("ceiling", "floor", "bot")


def _measure(apps: dict[str, WsgiApp | _Child], args: argparse.Namespace,
             members: list[str]) -> dict[str, float]:
    """Warm every app up, then `--repeat` turns of one run each: the best run of each app."""
    first = 1000  # MsgIds: every callback of every app and run distinct
    expect = MODE_REPLIES[args.mode]
    for app in apps.values():
        _run_one(app, 300, first, args.mode, members, "")
        first += 300
        if isinstance(app, _Child):
            app.start_counting()
    best = {name: float("inf") for name in apps}
    unit = "k instructions" if args.instructions else "ms CPU"
    for n in range(args.repeat):
        order = [name for name in apps if name != "against"]  # a slow minute hits them alike
        if "against" in apps:  # the two bots one after the other, in turn first
            order[-1:] = ["bot", "against"] if n % 2 == 0 else ["against", "bot"]
        for name in order:
            spent = _run_one(apps[name], args.count, first, args.mode, members,
                             expect if name in ("bot", "against") else "")
            first += args.count
            best[name] = min(best[name], spent)
            print(f"  run {n + 1} {name:7s} {spent:.3f} {unit}/request", flush=True)
    return best


def _report(best: dict[str, float], args: argparse.Namespace) -> None:
    """The best run of each app and the ratios (the higher, the nearer the bot to the app)."""
    unit = "k user-space instructions" if args.instructions else "ms CPU"
    bot = best["bot"]
    if "ceiling" not in best:  # --bots-only
        other = best["against"]
        print(f"mode {args.mode}: bot {bot:.3f}, against {args.against} {other:.3f} {unit}"
              f"/request (best of {args.repeat} x {args.count}, in-process); this bot "
              f"{bot - other:+.3f} ({(bot - other) / other:+.1%})")
        return
    ceiling, floor = best["ceiling"], best["floor"]
    print(f"mode {args.mode}: ceiling {ceiling:.3f}, floor {floor:.3f}, bot {bot:.3f} {unit}"
          f"/request (best of {args.repeat} x {args.count}, in-process); bot/ceiling "
          f"{ceiling / bot:.2f}, bot/floor {floor / bot:.2f}, floor/ceiling {ceiling / floor:.2f}")
    if args.against:
        other = best["against"]
        print(f"  against {args.against}: bot {other:.3f} {unit}/request, bot/ceiling "
              f"{ceiling / other:.2f}, bot/floor {floor / other:.2f}; this bot "
              f"{bot - other:+.3f} ({(bot - other) / other:+.1%})")


def _run_one(app: WsgiApp | _Child, count: int, first: int, mode: str, members: list[str],
             expect: str) -> float:
    """One run of one app (here, or in a child): CPU ms (or k instructions) per request."""
    if isinstance(app, _Child):
        return app.run(count, first)
    return run(app, callbacks(count, first, mode, members), expect)


# A child runs this file with its tree's packages first on its path (so a copy of the tree
# made before these options existed works too), under callgrind for --instructions.
_CHILD = ("import runpy, sys; sys.path.insert(0, sys.argv[1]); "
          "sys.argv = sys.argv[2:]; runpy.run_path(sys.argv[0], run_name='__main__')")


class _Child:
    """One tree's app in a child process, serving runs on request (`COUNT FIRST` in, `ms X`
    out); under callgrind (`scratch`: where its dumps go), instructions are counted instead."""

    def __init__(self, tree: str, mode: str, app: str, scratch: str = "") -> None:
        root = self.root = str(Path(tree).resolve())
        command = [sys.executable, "-c", _CHILD, root, str(Path(__file__).resolve()),
                   "--serve", app, "--mode", mode]
        self.dumps = ""
        if scratch:
            if shutil.which("valgrind") is None:
                raise RuntimeError("--instructions needs valgrind (apt-get install valgrind)")
            self.dumps = str(Path(scratch, f"{app}-{len(os.listdir(scratch))}"))
            command = ["valgrind", "--tool=callgrind", "--instr-atstart=no",
                       f"--callgrind-out-file={self.dumps}.%p", *command]
        self.log = Path(scratch, Path(self.dumps).name + ".log") if scratch else None
        with self.log.open("w") if self.log else contextlib.nullcontext() as errors:
            self.child = subprocess.Popen(command, cwd=root, stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=errors, text=True)

    def start_counting(self) -> None:
        """Under callgrind: instrument from now on (after the warm-up)."""
        if self.dumps:
            self._control("-i", "on")

    def run(self, count: int, first: int) -> float:
        """CPU ms (k instructions under callgrind) per request of one run of `count`
        callbacks from MsgId `first`."""
        assert self.child.stdin is not None and self.child.stdout is not None
        try:
            self.child.stdin.write(f"{count} {first}\n")  # the child builds the callbacks
            self.child.stdin.flush()
            for line in self.child.stdout:
                if line.startswith("ready"):
                    if self.dumps:  # count from here: the calls only
                        self._control("-z")
                    self.child.stdin.write("go\n")
                    self.child.stdin.flush()
                elif line.startswith("ms "):
                    if not self.dumps:
                        return float(line.split()[1])
                    self._control("-d")
                    return self._instructions() / count / 1000
        except BrokenPipeError:
            pass
        said = self.log.read_text()[-2000:] if self.log else ""
        raise RuntimeError(f"the {self.root} child stopped (exit {self.child.wait()}) {said}")

    def _control(self, *words: str) -> None:
        subprocess.run(["callgrind_control", *words, str(self.child.pid)], check=True,
                       capture_output=True, timeout=600)

    def _instructions(self) -> int:
        """The instructions of the newest dump (counted since the last zeroing)."""
        dumps = Path(self.dumps).parent.glob(f"{Path(self.dumps).name}.{self.child.pid}.*")
        newest = max(dumps,
                     key=lambda path: path.stat().st_mtime_ns)
        for line in newest.read_text().splitlines():
            if line.startswith("totals:"):
                return int(line.split()[1])
        raise RuntimeError(f"no totals in {newest}")

    def close(self) -> None:
        """End the child (its stdin closed)."""
        if self.child.stdin is not None:
            with contextlib.suppress(BrokenPipeError):
                self.child.stdin.close()
        self.child.wait(timeout=600)


def _serve(mode: str, name: str) -> int:
    """A child: one app of its tree on the parent's database, Redis and sandbox (from the
    environment): per run, `COUNT FIRST` read, the callbacks built, `ready`, `go` read, the
    calls made, `ms X` written."""
    if name == "bot":
        app: WsgiApp = create_app().wsgi_app
    else:
        app = getattr(importlib.import_module("bench.ceiling"), "app" if name == "ceiling"
                      else name)
    members = _members(mode, os.environ["DATABASE_URL"])
    for line in sys.stdin:
        count, first = (int(word) for word in line.split())
        envs = [environ(q, b) for q, b in callbacks(count, first, mode, members)]
        print("ready", flush=True)
        if sys.stdin.readline().strip() != "go":
            break
        spent = call(app, envs, MODE_REPLIES[mode] if name == "bot" else "")
        print(f"ms {spent}", flush=True)
    return 0


def _members(mode: str, db_url: str) -> list[str]:
    """Who sends the mode's callbacks."""
    if mode == "stranger":
        return [f"bench_stranger_{n:03d}" for n in range(STRANGERS)]
    if mode not in CONVERSATION_MODES:
        return [MEMBER]
    with psycopg.connect(db_url) as conn:
        return [r[0] for r in conn.execute(
            "SELECT userid FROM members WHERE status = 'active' AND userid <> %s "
            "ORDER BY id LIMIT %s", (MEMBER, CONVERSATION_MEMBERS))]


def _open_conversations(bot: WsgiApp, members: list[str]) -> None:
    """Put each member inside 写心得 (subject 0 when asked), as bench/run does."""
    sim = simulator()
    for n, member in enumerate(members):
        for k, text in enumerate(("写心得", "0")):
            inner = sim.inner(member, "text", {"Content": text, "MsgId": 10**9 + 2 * n + k})
            query, body = sim.envelope(inner)
            run(bot, [("&".join(f"{a}={b}" for a, b in query.items()), body)])


def _profile(kind: str, bot: WsgiApp, items: list[tuple[str, bytes]]) -> None:
    """One more run of the bot under cProfile (process time) or pyinstrument (wall)."""
    if kind == "cpu":
        cpu_profile = cProfile.Profile(time.process_time)
        cpu_profile.runcall(run, bot, items)
        order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime
        if os.environ.get("PROFILE_DUMP"):  # a pstats file, for print_callers and the like
            cpu_profile.dump_stats(os.environ["PROFILE_DUMP"])
        pstats.Stats(cpu_profile).sort_stats(order).print_stats(
            int(os.environ.get("PROFILE_LINES", "45")))
        return
    from pyinstrument import Profiler  # optional, not a dependency: only when asked

    profiler = Profiler(interval=0.0002)
    profiler.start()
    run(bot, items)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    sys.exit(main())
