"""The apps under test in the webhook benchmark: the ceilings, the bot or the floor, one round."""

from __future__ import annotations

import argparse
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.webhook_callbacks import (
    CONVERSATION_MODES,
    MODE_REPLIES,
    check_reply,
    mode_text,
    open_conversation,
    open_conversations,
)
from bench.webhook_figures import Gunicorn, Measurement, Pair
from bench.webhook_harness import Processes, measure, merged, serve, warm_up, window
from bench.webhook_state import (
    empty_processed,
    fresh_state,
    handled_messages,
    processed_rows,
    settle,
)

SHORT_REPLY = "ceiling: 收到"  # the short ceiling's answer (bench/ceiling.py's default)


@dataclass(frozen=True)
class App:
    """One app measured in every round: name, WSGI target, expected reply text, extra env."""

    name: str
    target: str
    expect: str
    env: tuple[tuple[str, str], ...] = ()


def apps(args: argparse.Namespace, bot_reply: str) -> list[App]:
    """What each round measures, in order: the ceiling(s), the floor, then the bot."""
    # The ceiling and the floor answer the bot's own reply text; in help mode the ceiling with
    # its short reply is measured too.
    if args.app == "floor":  # the floor alone in the bot's column, against the short ceiling
        return [App("ceiling", "bench.ceiling:app", SHORT_REPLY),
                App("bot", "bench.ceiling:floor", SHORT_REPLY)]
    reply = (("CEILING_REPLY_TEXT", bot_reply),)
    measured = [App("ceiling", "bench.ceiling:app", bot_reply, reply)]
    if args.mode == "help":  # 帮助's reply is ~3.5x the short one: show both ceilings
        measured.append(App("short", "bench.ceiling:app", SHORT_REPLY))
    if args.floor:
        measured.append(App("floor", "bench.ceiling:floor", bot_reply, reply))
    return [*measured, App("bot", "wsgi:app", MODE_REPLIES["help"])]  # checked with 帮助


def round_order(measured: list[App], round_no: int) -> list[App]:
    """The apps of round `round_no` (from 1) in their order: as listed in odd rounds, the
    reverse in even ones, so no app always runs first or last (the machine's speed drifts
    within minutes; an order kept fixed would lean every round the same way)."""
    return list(measured) if round_no % 2 else list(reversed(measured))


def sample_reply(procs: Processes, settings: Gunicorn, env: dict[str, str],
                 args: argparse.Namespace, logs: Path) -> str:
    """The text the bot answers to one callback of the mode, for the ceiling to answer too."""
    # So both apps encrypt, sign and send replies of one size. Leaves state behind: the caller
    # recreates it before the bot's first round.
    child, url = serve(procs, "wsgi:app", settings, env, logs / "sample.log", args)
    try:
        if args.mode == "help":
            return check_reply(url, MODE_REPLIES["help"])
        if args.mode in CONVERSATION_MODES:
            open_conversation(url, args.members[-1])
        return check_reply(url, MODE_REPLIES[args.mode], args.members[-1],
                           mode_text(args.mode, 0))
    finally:
        procs.stop(child)


def sliced(order: list[App], servers: dict[str, tuple[subprocess.Popen[bytes], str]],
           files: tuple[Path, Path], args: argparse.Namespace) -> list[tuple[str, Measurement]]:
    """`--slices K`: every app warmed up, then K windows of duration/K each, the apps taking
    turns (the order reversed in every other slice), each slice on its own lines of the stream;
    an app's slices added up (`merged`). The apps' windows then lie seconds apart instead of a
    whole window, so the machine's drift within a round reaches every app alike."""
    warmup, stream = files
    warm = {app.name: warm_up(servers[app.name][1], servers[app.name][0].pid, warmup, args)
            for app in order}
    lines = args.requests // args.slices
    parts: dict[str, list[Measurement]] = {app.name: [] for app in order}
    for slice_no in range(args.slices):
        for app in round_order(order, slice_no + 1):  # the round's order, then reversed
            child, url = servers[app.name]
            parts[app.name].append(window(app.name, url, child.pid, stream,
                                          args.duration / args.slices, args, warm[app.name],
                                          (slice_no * lines, lines)))
    return [(app.name, merged(parts[app.name])) for app in order]


def bench_round(procs: Processes, pair: Pair, round_no: int, env: dict[str, str],
                files: tuple[Path, Path], args: argparse.Namespace, logs: Path) -> None:
    """One round under one setting: every app's server started and ready first (the bot on a
    fresh database, its conversations opened, the database settled), then the apps measured
    back to back in the round's order, each window right after the one before."""
    # The machine's speed drifts within minutes (bench/README.md): when the bot's database
    # was recreated and seeded between the floor's window and the bot's, their windows lay
    # half a minute or more apart, and bot/floor moved with the drift. Now only each app's
    # warm-up separates them. Idle servers use no CPU; the floor's rows carry their own key
    # prefix, so they share the bot's fresh processed_messages without meeting its keys.
    legacy_floor = args.app == "floor"  # the floor in the bot's column
    if legacy_floor:  # the stream's MsgIds again: an empty table, as in every round
        empty_processed()
    else:
        fresh_state(env, logs / "setup.log")
    servers: dict[str, tuple[subprocess.Popen[bytes], str]] = {}
    seeded = 0
    try:
        for app in args.apps:
            servers[app.name] = serve(procs, app.target, pair.settings,
                                      {**env, **dict(app.env)}, logs / f"{app.name}.log", args)
            check_reply(servers[app.name][1], app.expect)
        if not legacy_floor:
            url = servers["bot"][1]
            if args.mode in CONVERSATION_MODES:
                seeded = open_conversations(url, args.members)
            settle()  # in every mode: the bot's database was just seeded
            if args.mode != "help":
                seeded += 1
                check_reply(url, MODE_REPLIES[args.mode], args.members[-1],
                            mode_text(args.mode, 0))
        order = round_order(args.apps, round_no)
        if args.slices > 1:
            measured = sliced(order, servers, files, args)
        else:
            measured = [(app.name, measure(app.name, servers[app.name][1],
                                           servers[app.name][0].pid, files, args))
                        for app in order]
    finally:
        for child, _url in servers.values():
            procs.stop(child)
    for name, m in measured:
        if name == "floor" or legacy_floor:  # one floor row per answered request
            m.processed_rows = m.handled = processed_rows(floor=True)
        elif name == "bot":
            m.handled, m.seeded = handled_messages(), seeded
            m.processed_rows = processed_rows(floor=False)
        pair.runs(name).rounds.append(m)
        detail = m.app_detail()
        print(f"  round {round_no} {pair.settings.label():14s} {name:7s} {m.rps:7,.0f} req/s  "
              f"p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  errors {m.errors}  "
              f"app {m.app_ms:.2f} ms/req (sys {detail.get('app_sys_ms', 0.0):.2f}, "
              f"waits {detail.get('app_waits', 0.0):.1f}, "
              f"preempted {detail.get('app_preempted', 0.0):.1f}; postgres "
              f"{detail.get('postgres_cpu_ms', 0.0):.2f}, redis "
              f"{detail.get('redis_cpu_ms', 0.0):.2f})  "
              f"other load {m.cpu.get('other', 0.0):.2f}  load {m.load:.2f}", flush=True)
