"""Webhook benchmark: the bot against the ceiling app, under gunicorn, driven by wrk.

    .venv/bin/python -m bench.webhook            # or: bench/run
    .venv/bin/python -m bench.webhook --sweep    # also compare other gunicorn settings
    .venv/bin/python -m bench.webhook --mode write   # or step, stranger, answer; default help

Modes (what each measured callback is; the ceiling and the floor get the same stream):
- help: text 帮助 from zhangwei (read-only: no SQL at all);
- step: a conversation step that writes nothing: a member inside 写心得 with an empty draft
  sends 完成 and is re-asked (TOO_SHORT; reads the draft, writes no row);
- write: the reflection write path: a member inside 写心得 sends a text part, which stores a
  reflection_parts row, updates the draft and writes its processed_messages row;
- stranger: someone in the corp but not in the roster (50 userids in turn): the refusal,
  noted once per person per committee day;
- answer: 问答, a question the demo library answers (quotes, read-only).
For step and write the callbacks come from the demo roster's active members in turn (one
message per member in flight), and before each bot round every one of them opens 写心得
through the running bot (the seed messages are counted apart).

One run: recreate the bench database (migrate, seed the demo roster), flush Redis db 14,
start the WeCom sandbox in-thread, pre-generate distinct signed callbacks (text "帮助" from
zhangwei, a fresh MsgId each), ask the bot once for its reply to the mode's callback (the
ceiling answers that same text), put PostgreSQL's and Redis's autogroups at the bench's
niceness (as root; restored at the end), then for each round (5 by default): recreate the bench
database and Redis (so no MsgId is ever seen twice), start gunicorn for every app and check one
reply of each decrypts to the expected text, open the bot's conversations, VACUUM (ANALYZE) and
CHECKPOINT (so no autovacuum pass or checkpoint of the seed falls inside a window), then
warm every app up, then measure them in turns with wrk: the ceiling app (in help mode also the
ceiling with its short reply), the floor (the ceiling + one durable INSERT per message) and the
bot, in that order in odd rounds and the reverse in even ones, each app's measured time cut
into slices (--slices, 5 by default: 2 s each of the 10) taken in turns, the order reversed in
every other slice, each slice on its own lines of the stream (the machine's speed drifts within
minutes; slices put every app's time among the others'), and stop them all.
Prints a Markdown report with each ratio's spread (bot/ceiling, floor/ceiling, bot/floor per
round, median, min-max), writes bench/results/webhook-[<mode>-]<date>.md, the ratios to
bench/results/webhook-<mode>-<date>.json and a PNG beside them (latency distributions and the
rounds), and a help run updates bench/README.md.
Asserts nothing about time; exits 1 only if a request failed or a reply was wrong.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

import psycopg
import redis
import requests

from bench.webhook_apps import SHORT_REPLY, apps, bench_round, sample_reply
from bench.webhook_callbacks import MODES, mode_members, write_callbacks
from bench.webhook_cpu import NOISY_OTHER_CORES, background_load
from bench.webhook_figures import TARGETS, AppRuns, Gunicorn, Pair
from bench.webhook_harness import Processes, servers_prioritised
from bench.webhook_plot import plot
from bench.webhook_report import APP_LABELS, FLOOR_LABELS, RESULTS, machine, report, save, summary
from bench.webhook_results import plot_name, record, save_json
from bench.webhook_state import DB_NAME, REPO, bench_env, fresh_state
from sandbox.seed import seed_sandbox
from sandbox.server import SandboxServer
from sandbox.state import SandboxState

WRK_INSTALL_HINT = "wrk is not installed: sudo apt-get install -y wrk   (macOS: brew install wrk)"
LOCK_FILE = Path(tempfile.gettempdir()) / "pioneer-bench-webhook.lock"
DEFAULT_NICE = -10 if os.geteuid() == 0 else 0
SWEEP = (Gunicorn("sync", 4), Gunicorn("sync", 2), Gunicorn("sync", 3), Gunicorn("sync", 6),
         Gunicorn("gthread", 2, 4), Gunicorn("gthread", 2, 4, 0), Gunicorn("gthread", 4, 2, 0))


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    """SIGTERM handler: unwind like Ctrl-C, so the servers are stopped on the way out."""
    raise KeyboardInterrupt(f"signal {signum}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.webhook", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    default = Gunicorn()
    parser.add_argument("--worker-class", "-k", default=default.worker_class,
                        choices=("sync", "gthread"))
    parser.add_argument("--workers", "-w", type=int, default=default.workers)
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
    parser.add_argument("--keep-alive", type=int, default=None,
                        help="gthread keep-alive seconds (0 = close after each response)")
    parser.add_argument("--sweep", action="store_true",
                        help="also measure: " + "; ".join(g.label() for g in SWEEP))
    parser.add_argument("--rounds", type=int, default=5,
                        help="rounds (the apps back to back in each); the median round's "
                             "ratios are judged, their spread printed")
    parser.add_argument("--connections", "-c", type=int, default=32)
    parser.add_argument("--duration", "-d", type=float, default=10.0,
                        help="measured seconds per app per round")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds")
    parser.add_argument("--slices", type=int, default=5,
                        help="cut each app's measured time into this many slices, the apps "
                             "taking turns slice by slice (1 = one window per app, the apps "
                             "back to back, as before 2026-12-08)")
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--requests", type=int, default=200_000,
                        help="distinct callbacks generated for the measured window")
    parser.add_argument("--quiet-wait", type=float, default=60.0,
                        help="before each measurement, wait up to this many seconds while "
                             "other processes keep the CPU busy (0 = never wait)")
    parser.add_argument("--nice", type=int, default=DEFAULT_NICE,
                        help="niceness of gunicorn and wrk, so other people's test runs "
                             "disturb less (default: -10 as root, else 0 = unchanged)")
    parser.add_argument("--mode", choices=MODES, default="help",
                        help="what each callback is: help (帮助), step (a conversation step "
                             "that writes nothing), write (a reflection part: the write path), "
                             "stranger (someone not in the roster), answer (问答)")
    parser.add_argument("--app", choices=("bot", "floor"), default="bot",
                        help="bot: the ceiling, the floor and the bot in every round; floor: "
                             "only the floor of a durable write (the ceiling + one "
                             "autocommitted INSERT per message) against the short ceiling")
    parser.add_argument("--no-floor", dest="floor", action="store_false",
                        help="leave the floor out of the rounds (no bot/floor ratio)")
    parser.add_argument("--json", type=Path, default=None,
                        help="also write the chosen setting's figures to this JSON file")
    parser.add_argument("--no-save", action="store_true", help="print only; write no files")
    args = parser.parse_args(argv)
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if args.slices < 1 or args.requests // args.slices < 1000:
        parser.error("--slices must be at least 1 and leave each slice 1,000 callbacks "
                     "(--requests / --slices)")
    args.floor = args.floor and args.app == "bot"
    return args


def chosen_settings(args: argparse.Namespace) -> Gunicorn:
    """The gunicorn settings named on the command line."""
    if args.worker_class == "sync":
        return Gunicorn("sync", args.workers)
    return Gunicorn("gthread", args.workers, args.threads, args.keep_alive)


@contextlib.contextmanager
def single_run() -> Iterator[bool]:
    """Hold the machine-wide benchmark lock; yields False if another run holds it."""
    with LOCK_FILE.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        yield True


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark unless another run holds the database and Redis db 14."""
    args = parse_args(argv)
    if shutil.which("wrk") is None:
        print(WRK_INSTALL_HINT, file=sys.stderr)
        return 2
    with single_run() as alone:
        if not alone:
            holder = LOCK_FILE.read_text().strip() or "?"
            print(f"another webhook benchmark is running (pid {holder}); it owns "
                  f"{DB_NAME} and Redis db 14, so wait for it to finish", file=sys.stderr)
            return 2
        return run(args)


def drawn(pair: Pair, args: argparse.Namespace, started: datetime, path: Path) -> str | None:
    """Draw the run's PNG; its file name, or None (said on stderr) when it could not be made."""
    floor = args.app == "floor"
    title = (f"webhook {args.mode}{' floor' if floor else ''}, {pair.settings.label()}, "
             f"{args.connections} connections, {started:%Y-%m-%d %H:%M} UTC, load "
             f"{args.load_before[0]:.2f} at the start")
    try:
        RESULTS.mkdir(parents=True, exist_ok=True)
        plot(pair, path, title, FLOOR_LABELS if floor else APP_LABELS,
             None if floor else TARGETS[args.mode])
    except (OSError, ValueError) as exc:  # the figures stand without their picture
        print(f"could not draw {path.name}: {exc}", file=sys.stderr)
        return None
    return path.name


def run(args: argparse.Namespace) -> int:
    """Run the benchmark; exit status 1 if any request failed or a reply was wrong."""
    chosen = chosen_settings(args)
    settings = [chosen, *(g for g in SWEEP if g != chosen)] if args.sweep else [chosen]
    signal.signal(signal.SIGTERM, _raise_interrupt)
    started = datetime.now(UTC)
    args.load_before = os.getloadavg()
    procs = Processes()
    sandbox = SandboxServer(SandboxState())
    seed_sandbox(sandbox.state)
    work = Path(tempfile.mkdtemp(prefix="pioneer-bench-"))
    files = (work / "warmup.txt", work / "stream.txt")
    pairs: list[Pair] = []
    try:
        sandbox.start()
        env = bench_env(sandbox.base_url)
        print(f"machine: {machine()}\nlogs: {work}", flush=True)
        idle_load = background_load()
        if idle_load > NOISY_OTHER_CORES:
            print(f"WARNING: the machine is already busy ({idle_load:.2f} cores in use by other "
                  "processes); the figures will be disturbed", flush=True)
        fresh_state(env, work / "setup.log")  # fails early if PostgreSQL or Redis is missing
        args.members = mode_members(args.mode)
        t0, first = time.monotonic(), time.time_ns() // 1000
        write_callbacks(files[0], max(5_000, args.requests // 10), first, args.mode,
                        args.members)
        write_callbacks(files[1], args.requests, first + 10_000_000, args.mode, args.members)
        print(f"generated {args.requests:,} signed callbacks in {time.monotonic() - t0:.1f} s",
              flush=True)
        args.bot_reply = (SHORT_REPLY if args.app == "floor"  # the floor answers the short one
                          else sample_reply(procs, chosen, env, args, work))
        args.apps = apps(args, args.bot_reply)
        pairs = [Pair(g, AppRuns("ceiling"), AppRuns("bot")) for g in settings]
        with servers_prioritised(args.nice) as args.prioritised:
            for round_no in range(1, args.rounds + 1):  # settings interleaved: drift hits all
                for pair in pairs:
                    bench_round(procs, pair, round_no, env, files, args, work)
    except KeyboardInterrupt:
        print("interrupted; stopping the servers", file=sys.stderr)
        return 130
    except (RuntimeError, OSError, psycopg.Error, redis.RedisError,
            requests.RequestException) as exc:
        print(f"benchmark failed: {exc}\n(logs kept in {work})", file=sys.stderr)
        return 1
    finally:
        procs.stop_all()
        sandbox.stop()
        for path in files:
            path.unlink(missing_ok=True)
    legacy_floor = args.app == "floor"
    picture = None if args.no_save else plot_name(started, args.mode, args.sweep, legacy_floor)
    if picture is not None:
        picture = drawn(pairs[0], args, started, RESULTS / picture)
    markdown = report(pairs, args, started, picture)
    print(f"\n{markdown}")
    if not args.no_save:
        path = save(markdown, started, sweep=args.sweep, mode=args.mode, floor=legacy_floor)
        data = save_json(record(pairs[0], args, started, picture), started, args.mode,
                         args.sweep, legacy_floor)
        readme = not args.sweep and args.mode == "help"
        print(f"written: {path.relative_to(REPO)}, {data.relative_to(REPO)}"
              + (f", results/{picture}" if picture else "")
              + (" and bench/README.md" if readme else ""))
    if args.json is not None:
        args.json.write_text(json.dumps(summary(pairs[0], args), ensure_ascii=False))
    shutil.rmtree(work, ignore_errors=True)
    return 1 if any(r.errors for p in pairs for r in p.measured()) else 0


if __name__ == "__main__":
    sys.exit(main())
