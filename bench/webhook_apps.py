"""The apps under test in the webhook benchmark: the ceilings, the bot or the floor, one round."""

from __future__ import annotations

import argparse
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
from bench.webhook_figures import Gunicorn, Pair
from bench.webhook_harness import Processes, measure, serve
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


def bench_round(procs: Processes, pair: Pair, round_no: int, env: dict[str, str],
                files: tuple[Path, Path], args: argparse.Namespace, logs: Path) -> None:
    """One round under one setting: the ceiling(s), the floor and the bot (on a fresh
    database), in the round's order."""
    legacy_floor = args.app == "floor"  # the floor in the bot's column
    for app in round_order(args.apps, round_no):
        name, target, expect = app.name, app.target, app.expect
        writes_floor = name == "floor" or (legacy_floor and name == "bot")
        if name == "bot":
            fresh_state(env, logs / "setup.log")
        elif writes_floor:  # the stream's MsgIds again: an empty table, as in every round
            empty_processed()
        child, url = serve(procs, target, pair.settings, {**env, **dict(app.env)},
                           logs / f"{name}.log", args)
        seeded = 0
        try:
            check_reply(url, expect)
            if name == "bot" and not legacy_floor:
                if args.mode in CONVERSATION_MODES:
                    seeded = open_conversations(url, args.members)
                settle()  # in every mode: the bot's database was just seeded
                if args.mode != "help":
                    seeded += 1
                    check_reply(url, MODE_REPLIES[args.mode], args.members[-1],
                                mode_text(args.mode, 0))
            m = measure(name, url, child.pid, files, args)
        finally:
            procs.stop(child)
        if writes_floor:  # one processed_messages row per answered request
            m.processed_rows = processed_rows()
            m.handled = m.processed_rows
        elif name == "bot":
            m.handled, m.seeded, m.processed_rows = handled_messages(), seeded, processed_rows()
        pair.runs(name).rounds.append(m)
        print(f"  round {round_no} {pair.settings.label():14s} {name:7s} {m.rps:7,.0f} req/s  "
              f"p50 {m.p50_ms:6.1f} ms  p99 {m.p99_ms:6.1f} ms  errors {m.errors}  "
              f"app {m.app_ms:.2f} ms/req  other load {m.cpu.get('other', 0.0):.2f}  "
              f"load {m.load:.2f}", flush=True)
