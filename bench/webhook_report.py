"""The webhook benchmark's report: Markdown tables and checks, the results files, the README."""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import subprocess
from datetime import datetime
from pathlib import Path

from bench.webhook_apps import SHORT_REPLY
from bench.webhook_callbacks import MEMBER, MODE_NAMES, QUESTION
from bench.webhook_cpu import NOISY_OTHER_CORES
from bench.webhook_figures import MIN_ROUNDS, RATIOS, TARGETS, Measurement, Pair
from bench.webhook_state import DB_NAME, REPO

RESULTS = REPO / "bench" / "results"
README = REPO / "bench" / "README.md"
LATEST_START, LATEST_END = "<!-- latest:start -->", "<!-- latest:end -->"


def machine() -> str:
    """nproc and CPU model of this machine."""
    model = platform.processor() or "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (f"{len(os.sched_getaffinity(0))} cores (nproc), {model}, "
            f"{platform.system()} {platform.release()}, Python {platform.python_version()}")


def code_version() -> str:
    """The commit measured, and whether tracked files outside bench/ differ from it."""
    git = ["git", "-C", str(REPO)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, check=False)
    if head.returncode:
        return "unknown (not a git checkout)"
    dirty = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no", "--", ".",
                            ":!bench"], capture_output=True, text=True, check=False)
    return head.stdout.strip() + (" + uncommitted changes" if dirty.stdout.strip() else "")


def cpu_text(m: Measurement) -> str:
    """Cores used per process kind in one round, e.g. 'busy 1.95 = app 1.62, ...'."""
    parts = ", ".join(f"{k} {m.cpu.get(k, 0.0):.2f}"
                      for k in ("app", "postgres", "redis", "wrk", "other"))
    return f"busy {m.cpu.get('machine', 0.0):.2f} ({parts})"


APP_LABELS = {"ceiling": "ceiling (the bot's reply)", "short": "ceiling (short reply)",
              "floor": "floor (ceiling + one durable INSERT)", "bot": "bot"}
FLOOR_LABELS = {"ceiling": "ceiling (short reply)", "bot": "floor"}


def table(pairs: list[Pair], rounds: int, floor: bool = False) -> str:
    """The results as a Markdown table, one row per app per gunicorn setting."""
    labels = FLOOR_LABELS if floor else APP_LABELS
    spread = " | req/s range" if rounds > 1 else ""
    rows = [f"| gunicorn | app | requests/s{spread} | p50 ms | p99 ms | errors | bot/ceiling "
            "| app CPU ms/request |",
            "|---|---|---:|" + ("---:|" if rounds > 1 else "") + "---:|---:|---:|---:|---:|"]
    for pair in pairs:
        for runs in pair.measured():
            m = runs.best
            ratio = f"**{pair.ratio:.2f}**" if runs is pair.bot else ""
            if runs is pair.floor and pair.ceiling.best.rps:
                ratio = f"(floor/ceiling {runs.best.rps / pair.ceiling.best.rps:.2f})"
            if runs is pair.short and pair.short_ratio is not None:
                ratio = f"(bot/short {pair.short_ratio:.2f})"
            extra = f" | {runs.spread()}" if rounds > 1 else ""
            rows.append(f"| `{pair.settings.label()}` | {labels[runs.app]} | "
                        f"{m.rps:,.0f}{extra} | "
                        f"{m.p50_ms:.1f} | {m.p99_ms:.1f} | {runs.errors} | {ratio} | "
                        f"{m.app_ms:.2f} |")
    return "\n".join(rows)


def per_round(pair: Pair) -> list[float]:
    """Each round's bot/ceiling, the two measured back to back."""
    return pair.series("bot/ceiling")


def spread_text(values: list[float]) -> str:
    """'median 0.81 (0.74–0.88)' of one ratio over the rounds."""
    return (f"median **{statistics.median(values):.2f}** "
            f"({min(values):.2f}–{max(values):.2f})")


def rounds_table(pair: Pair, floor_app: bool = False) -> str:
    """Each round back to back: req/s of every app, p99 of the bot, the three ratios; then the
    median and min–max of each column."""
    apps = pair.measured()
    keys = [k for k in RATIOS if pair.series(k)]
    names = {"bot/ceiling": "floor/ceiling"} if floor_app else {}
    labels = ({"ceiling": "short ceiling", "bot": "floor"} if floor_app else
              {"ceiling": "ceiling", "short": "short ceiling", "floor": "floor", "bot": "bot"})
    columns = [labels[r.app] + " req/s" for r in apps]
    head = ("| round | load | " + " | ".join(columns) + f" | {labels['bot']} p99 ms | "
            + " | ".join(names.get(k, k) for k in keys) + " |")
    rows = [head, "|---:|---:|" + "---:|" * (len(apps) + 1 + len(keys))]
    ratios = pair.round_ratios()
    for n, bot in enumerate(pair.bot.rounds):
        rates = " | ".join(f"{r.rounds[n].rps:,.0f}" if n < len(r.rounds) else "" for r in apps)
        values = " | ".join(f"{ratios[n][k]:.2f}" if k in ratios[n] else "" for k in keys)
        rows.append(f"| {n + 1} | {bot.load:.2f} | {rates} | {bot.p99_ms:.1f} | {values} |")
    for label, pick in (("median", statistics.median), ("min", min), ("max", max)):
        rates = " | ".join(f"{pick(m.rps for m in r.rounds):,.0f}" for r in apps)
        p99 = pick(m.p99_ms for m in pair.bot.rounds)
        values = " | ".join(f"{pick(pair.series(k)):.2f}" for k in keys)
        rows.append(f"| {label} |  | {rates} | {p99:.1f} | {values} |")
    return "\n".join(rows)


def round_ratios(pair: Pair) -> str:
    """Each round's ratios with their median and min–max (the host's noise beside the best)."""
    keys = [k for k in RATIOS if pair.series(k)]
    if not keys or len(pair.series(keys[0])) < 2:
        return ""
    return f"- `{pair.settings.label()}`: per round (back to back): " + "; ".join(
        f"{k} {', '.join(f'{r:.2f}' for r in pair.series(k))}, {spread_text(pair.series(k))}"
        for k in keys)


def checks(pairs: list[Pair]) -> list[str]:
    """The integrity notes: every answer handled, request-file wraps, disturbing load."""
    notes = [line for line in map(round_ratios, pairs) if line]
    for pair in pairs:
        label = pair.settings.label()
        answered = [m.requests + m.warmup_requests + 1 for m in pair.bot.rounds]
        sent = [m.sent + m.warmup_sent + 1 for m in pair.bot.rounds]
        done = [(m.handled or 0) - m.seeded for m in pair.bot.rounds]
        if any(d < a for d, a in zip(done, answered, strict=True)):
            verdict = "NO: fewer messages marked done than answered"
        elif any(d > s for d, s in zip(done, sent, strict=True)):
            verdict = "NO: more marked done than sent; something else used Redis db 14"
        else:
            verdict = "yes"
        notes.append(f"- `{label}`: every answered bot request was handled and marked done: "
                     f"{verdict} (done {', '.join(f'{d:,}' for d in done)}; answered "
                     f"{', '.join(f'{a:,}' for a in answered)})")
        rows = [m.processed_rows for m in pair.bot.rounds if m.processed_rows is not None]
        if rows:
            notes.append(f"- `{label}`: processed_messages rows after each round (seed messages "
                         f"included: {', '.join(f'{m.seeded:,}' for m in pair.bot.rounds)}): "
                         f"{', '.join(f'{r:,}' for r in rows)}")
        for runs in pair.measured():
            for m in runs.rounds:
                if m.wrapped:
                    notes.append(f"- WARNING `{label}` {m.app}: the request file ran out and "
                                 f"wrapped {m.wrapped}x; raise --requests")
                if m.cpu.get("other", 0.0) > NOISY_OTHER_CORES:
                    notes.append(f"- WARNING `{label}` {m.app}: other processes used "
                                 f"{m.cpu['other']:.2f} cores during a round; figures disturbed")
    return notes


def target_line(pair: Pair, args: argparse.Namespace) -> str:
    """The mode's target and whether the median round met it."""
    if args.app == "floor":
        return "target: none (the floor alone is what the write path is read against)"
    target = TARGETS[args.mode]
    values = pair.series(target.ratio)
    if not values:
        return f"target ({target.ratio} >= {target.at_least}): not measured (no floor)"
    verdict = "met" if pair.target_met(target) else "NOT met"
    if len(values) < MIN_ROUNDS:
        verdict = f"not judged: {len(values)} of the {MIN_ROUNDS} rounds it needs"
    return (f"target (the median round's {target.ratio} >= {target.at_least} with the bot's "
            f"median p99 < {target.p99_ms:g} ms, no errors): **{verdict}** — "
            f"{target.ratio} {spread_text(values)}, bot p99 median "
            f"{pair.bot_p99_median():.1f} ms; best round against best bot/ceiling "
            f"{pair.ratio:.2f}{short_text(pair)}")


def report(pairs: list[Pair], args: argparse.Namespace, started: datetime,
           plot: str | None = None) -> str:
    """The full Markdown report of this run; the first pair is the chosen setting."""
    chosen = pairs[0]
    cpu_rows = "\n".join(
        f"- `{p.settings.label()}`: "
        + "; ".join(f"{r.app} {cpu_text(r.best)}" for r in p.measured()) for p in pairs)
    order = ", ".join(a.name for a in args.apps)
    rounds = (f"{args.rounds} rounds ({order} back to back in odd rounds, the reverse in "
              f"even ones, settings interleaved; every app's server started and the bot's "
              f"database settled before a round's first window)" if args.rounds > 1
              else f"1 round ({order})")
    floor = (" — the FLOOR app (ceiling + one autocommitted INSERT per message) in the bot's "
             "column" if args.app == "floor" else "")
    figure = f"\n![latency distributions and rounds]({plot})\n" if plot else ""
    load = ", ".join(f"{x:.2f}" for x in args.load_before)
    slices = getattr(args, "slices", 1)
    sliced = (f" in {slices} slices of {args.duration / slices:g} s, the apps taking turns "
              "slice by slice" if slices > 1 else "")
    return f"""## Webhook benchmark ({MODE_NAMES[args.mode]}{floor}), \
{started:%Y-%m-%d %H:%M %Z}

- machine: {machine()}; load average at the start {load} (1, 5, 15 min)
- code: {code_version()}
- load: wrk, {args.connections} connections, {args.wrk_threads} thread(s), \
{args.warmup:g} s warm-up then {args.duration:g} s measured per app{sliced}, {rounds}; every \
request a distinct signed, encrypted callback, {mode_line(args)}
- gunicorn: `{chosen.settings.label()}` for every app; bot on PostgreSQL 127.0.0.1 \
(`{DB_NAME}`), Redis db 14, WeCom sandbox; {priority_line(args)}
- ceiling: {ceiling_line(args)}
- {target_line(chosen, args)}

{table(pairs, args.rounds, args.app == "floor")}

Rounds (`{chosen.settings.label()}`; load = the 1-minute load average before the bot's window):

{rounds_table(chosen, args.app == "floor")}
{figure}
CPU cores in use during the best round's measured window (machine has \
{len(os.sched_getaffinity(0))}; "busy" is the whole machine incl. kernel networking):
{cpu_rows}

Checks: sample reply of each app decrypted and matched before load; non-200 and socket \
errors counted by wrk.
{chr(10).join(checks(pairs))}
"""


def priority_line(args: argparse.Namespace) -> str:
    """Who ran at which niceness."""
    if not args.nice:
        return "every process at its own niceness"
    servers = args.prioritised
    kept = [n for n in ("PostgreSQL", "Redis") if n not in servers]
    return (f"gunicorn, wrk{''.join(', ' + n for n in servers)} at niceness {args.nice}"
            + (f" ({' and '.join(kept)} unchanged)" if kept else
               " (the servers' autogroups, restored after the run)"))


def ceiling_line(args: argparse.Namespace) -> str:
    """What the ceiling answered."""
    if args.app == "floor":
        return f"the short fixed reply {SHORT_REPLY!r} (the floor answers the same)"
    size = len(args.bot_reply.encode())
    text = (f"the bot's own reply to the mode's callback ({size:,} bytes of text before "
            "encryption), so the apps encrypt, sign and send replies of one size")
    if args.floor:
        text += ("; the floor is the same ceiling plus ONE autocommitted INSERT of the "
                 "message key into processed_messages (psycopg, no ORM, no Redis)")
    if args.mode == "help":
        text += (f"; also the short fixed reply {SHORT_REPLY!r} (\"short\"), the ceiling this "
                 "benchmark used before 2026-12-02")
    return text


def short_text(pair: Pair) -> str:
    """' (against the short-reply ceiling 0.66)' when it was measured, else ''."""
    ratio = pair.short_ratio
    return "" if ratio is None else f" (against the short-reply ceiling {ratio:.2f})"


MODE_LINES = {
    "step": "完成 with an empty draft (re-asked, no write)",
    "write": "a new text part (stores a reflection_parts row + processed_messages row)",
    "stranger": "text from userids the roster does not have (refused; noted once a day each)",
    "answer": "a question the demo library answers",
}


def mode_line(args: argparse.Namespace) -> str:
    """What every request of this run is, in words."""
    if args.mode in ("help", "answer"):
        text = "帮助" if args.mode == "help" else f"{QUESTION} ({MODE_LINES['answer']})"
        return f"text {text} from `{MEMBER}` (fresh MsgId)"
    if args.mode == "stranger":
        return f"{MODE_LINES['stranger']}, {len(args.members)} of them in turn"
    return (f"from {len(args.members)} demo members in turn, each inside 写心得 (opened through "
            f"the bot before the round): {MODE_LINES[args.mode]}")


def summary(pair: Pair, args: argparse.Namespace) -> dict[str, object]:
    """The chosen setting's figures, for bench/all."""
    bot, ceiling = pair.bot.best, pair.ceiling.best
    return {"mode": args.mode, "gunicorn": pair.settings.label(), "ceiling_rps": ceiling.rps,
            "ceiling_p50_ms": ceiling.p50_ms, "ceiling_p99_ms": ceiling.p99_ms,
            "bot_rps": bot.rps, "bot_p50_ms": bot.p50_ms, "bot_p99_ms": bot.p99_ms,
            "ratio": pair.ratio, "short_ratio": pair.short_ratio, "per_round": per_round(pair),
            "short_rps": pair.short.best.rps if pair.short.rounds else None,
            "errors": sum(r.errors for r in pair.measured()),
            "bot_app_ms": bot.app_ms, "connections": args.connections, "app": args.app,
            **{f"median {k}": pair.median(k) for k in RATIOS}}


def save(markdown: str, started: datetime, sweep: bool, mode: str = "help",
         floor: bool = False) -> Path:
    """Add the run to the day's results file (newest first); a plain help run updates README."""
    # Only a plain help run (no sweep, no floor) replaces the README's "Latest figures".
    RESULTS.mkdir(parents=True, exist_ok=True)
    kind = "sweep-" if sweep else ("" if mode == "help" else f"{mode}-")
    kind += "floor-" if floor else ""
    path = RESULTS / f"webhook-{kind}{started:%Y-%m-%d}.md"
    earlier = path.read_text() if path.exists() else ""
    path.write_text(markdown.rstrip("\n") + ("\n\n" + earlier if earlier.strip() else "\n"))
    text = README.read_text() if README.exists() else ""
    if not sweep and not floor and mode == "help" and LATEST_START in text and LATEST_END in text:
        head, rest = text.split(LATEST_START, 1)
        tail = rest.split(LATEST_END, 1)[1]
        section = markdown.replace("## Webhook benchmark", "### Webhook benchmark", 1)
        section = section.replace("](webhook-", "](results/webhook-")  # the PNG, from bench/
        README.write_text(f"{head}{LATEST_START}\n{section.strip()}\n\n"
                          f"(from `{path.relative_to(REPO)}`)\n{LATEST_END}{tail}")
    return path
