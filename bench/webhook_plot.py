"""The webhook benchmark's picture: each app's latency distribution and the rounds' ratios.

One PNG beside the day's Markdown report (matplotlib, requirements-dev.txt). Left: latency
against percentile from wrk's histogram (the percentile axis stretched towards the tail, as
HdrHistogram plots are), every round of every app, the median round's line bold. Middle:
requests/s of each app per round. Right: each round's bot/ceiling, floor/ceiling and
bot/floor with their medians dashed and the mode's target dotted.
"""

from __future__ import annotations

import math
import statistics
from pathlib import Path

from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

from bench.webhook_figures import RATIOS, AppRuns, Pair, Target

COLOURS = {"ceiling": "tab:green", "short": "tab:olive", "floor": "tab:blue", "bot": "tab:red",
           "bot/ceiling": "tab:red", "floor/ceiling": "tab:blue", "bot/floor": "tab:purple"}
TICKS = (50, 90, 99, 99.9, 99.99)


def _tail(percent: float) -> float:
    """Where a percentile sits on the stretched axis: 90 % -> 1, 99 % -> 2, 99.9 % -> 3."""
    return -math.log10(max(1e-4, 1 - percent / 100))


def _median_round(runs: AppRuns) -> int:
    """The index of the round whose req/s is the median (the lower one for an even count)."""
    order = sorted(range(len(runs.rounds)), key=lambda n: runs.rounds[n].rps)
    return order[(len(order) - 1) // 2]


def plot(pair: Pair, path: Path, title: str, labels: dict[str, str],
         target: Target | None) -> Path:
    """Draw the run's figure into `path` (PNG); returns the path."""
    figure = Figure(figsize=(16, 5.2))
    latency, rates, ratios = figure.subplots(1, 3, gridspec_kw={"width_ratios": [1.4, 1, 1]})
    figure.suptitle(title, fontsize=11)
    for runs in pair.measured():
        colour, middle = COLOURS.get(runs.app, "tab:gray"), _median_round(runs)
        for n, m in enumerate(runs.rounds):
            points = [(p, ms) for p, ms in m.percentiles if p < 100]
            if not points:
                continue
            bold = n == middle
            latency.plot([_tail(p) for p, _ in points], [ms for _, ms in points], color=colour,
                         linewidth=2.2 if bold else 0.8, alpha=1.0 if bold else 0.45,
                         label=f"{labels[runs.app]} (median round)" if bold else None)
        rounds = range(1, len(runs.rounds) + 1)
        rates.plot(rounds, [m.rps for m in runs.rounds], marker="o", color=colour,
                   label=labels[runs.app])
    latency.set_xticks([_tail(p) for p in TICKS], [f"{p:g}%" for p in TICKS])
    latency.set_xlabel("percentile (wrk's latency histogram; thin lines: the other rounds)")
    latency.set_ylabel("latency, ms")
    latency.set_yscale("log")
    latency.grid(True, which="both", alpha=0.3)
    latency.legend(fontsize=8, loc="upper left")
    rates.set_xlabel("round (apps back to back)")
    rates.set_ylabel("requests/s")
    rates.set_ylim(bottom=0)
    rates.grid(True, alpha=0.3)
    rates.legend(fontsize=8)
    for key in RATIOS:
        values = pair.series(key)
        if not values:
            continue
        colour = COLOURS[key]
        ratios.plot(range(1, len(values) + 1), values, marker="o", color=colour,
                    label=f"{key} (median {statistics.median(values):.2f})")
        ratios.axhline(statistics.median(values), color=colour, linestyle="--", linewidth=0.8)
    if target is not None:
        ratios.axhline(target.at_least, color="black", linestyle=":", linewidth=1.0,
                       label=f"target: {target.ratio} >= {target.at_least:g}")
    ratios.set_xlabel("round")
    ratios.set_ylabel("ratio of requests/s, same round")
    ratios.set_ylim(0, max(1.05, *(v for k in RATIOS for v in pair.series(k))) + 0.05)
    ratios.grid(True, alpha=0.3)
    ratios.legend(fontsize=8, loc="lower left")
    for axis in (rates, ratios):
        axis.xaxis.get_major_locator().set_params(integer=True)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return path
