"""The webhook benchmark's machine-readable results: one JSON record per run, the day's file.

`bench/results/webhook-<mode>-<date>.json` holds {"runs": [...]}, newest first. A run has its
settings, the load average, and for each round (the apps back to back) every app's req/s,
p50/p99 and latency percentiles with the round's `bot/ceiling`, `floor/ceiling` and
`bot/floor`; then `median`, `min` and `max` of each ratio and of each app's figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.webhook_figures import MIN_ROUNDS, RATIOS, TARGETS, Measurement, Pair
from bench.webhook_report import RESULTS, code_version, machine

FIGURES = ("rps", "p50_ms", "p99_ms")


def stem(started: datetime, mode: str, sweep: bool = False, floor: bool = False) -> str:
    """The day's name of a run's files without the suffix, e.g. 'webhook-write-2026-12-07'."""
    return (f"webhook-{'sweep-' if sweep else ''}{mode}-{'floor-' if floor else ''}"
            f"{started:%Y-%m-%d}")


def plot_name(started: datetime, mode: str, sweep: bool = False, floor: bool = False) -> str:
    """The PNG of one run (the minute it started), beside the day's Markdown report."""
    return f"{stem(started, mode, sweep, floor)}-{started:%H%M}.png"


def app_round(m: Measurement) -> dict[str, Any]:
    """One app in one round."""
    return {"rps": round(m.rps, 1), "p50_ms": round(m.p50_ms, 2), "p99_ms": round(m.p99_ms, 2),
            "errors": m.errors, "app_cpu_ms": round(m.app_ms, 3),
            **m.app_detail(),
            "other_cores": round(m.cpu.get("other", 0.0), 2), "load": round(m.load, 2),
            "percentiles": [[p, round(ms, 2)] for p, ms in m.percentiles]}


def _over(pick: Callable[[Iterable[float]], float], pair: Pair) -> dict[str, float]:
    """`pick` (median, min, max) of each ratio and of each app's req/s, p50 and p99."""
    values = {k: round(pick(pair.series(k)), 3) for k in RATIOS if pair.series(k)}
    for runs in pair.measured():
        for figure in FIGURES:
            values[f"{runs.app}_{figure}"] = round(pick(getattr(m, figure)
                                                         for m in runs.rounds), 2)
    return values


def record(pair: Pair, args: argparse.Namespace, started: datetime,
           plot: str | None) -> dict[str, Any]:
    """The run as one JSON-ready record."""
    ratios = pair.round_ratios()
    rounds = []
    for n, bot_round in enumerate(pair.bot.rounds):
        entry: dict[str, Any] = {"round": n + 1}
        for runs in pair.measured():
            if n < len(runs.rounds):
                entry[runs.app] = app_round(runs.rounds[n])
        entry.update({k: round(v, 3) for k, v in ratios[n].items()} if n < len(ratios) else {})
        entry["bot_processed_rows"] = bot_round.processed_rows
        rounds.append(entry)
    target = TARGETS[args.mode]
    return {
        "started": started.isoformat(timespec="seconds"), "mode": args.mode, "app": args.app,
        "gunicorn": pair.settings.label(), "connections": args.connections,
        "duration_s": args.duration, "warmup_s": args.warmup,
        "slices": getattr(args, "slices", 1), "code": code_version(),
        "machine": machine(), "load_before": [round(x, 2) for x in args.load_before],
        "order": [a.name for a in args.apps], "rounds": rounds,
        "median": _over(statistics.median, pair), "min": _over(min, pair),
        "max": _over(max, pair),
        "target": {"ratio": target.ratio, "at_least": target.at_least,
                   "p99_ms": target.p99_ms,
                   "met": (pair.target_met(target) if args.app == "bot"
                           and len(pair.series(target.ratio)) >= MIN_ROUNDS else None)},
        "plot": plot,
    }


def save_json(run: dict[str, Any], started: datetime, mode: str, sweep: bool = False,
              floor: bool = False) -> Path:
    """Add the run to the day's JSON file (newest first); returns its path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{stem(started, mode, sweep, floor)}.json"
    runs: list[dict[str, Any]] = []
    if path.exists():
        try:
            runs = list(json.loads(path.read_text()).get("runs", []))
        except (ValueError, AttributeError):
            runs = []  # a damaged file is replaced, not extended
    path.write_text(json.dumps({"runs": [run, *runs]}, ensure_ascii=False, indent=1) + "\n")
    return path
