"""Every benchmark in one command, one Markdown results table: `bench/all`.

    .venv/bin/python -m bench.all [--quick] [--only webhook broadcast ...] [--no-save]

Runs, one after the other, each in its own process (so one failing does not stop the rest):
the webhook benchmark in its three modes (帮助, a conversation step, a reflection part: the
write path; each against the ceiling app in the same run), broadcast to 6,000 and 100,000
members, push to 6,000, roster sync (300 organisations / 6,000 members), the annual report over
1,000,000 ledger rows (seeds the ledger), 我的积分 over the same rows, live viewer lists of
6,000 and 100,000 imported into the ledger, and the scale-out demonstration (200 members).
Writes bench/results/all-<date>.md (the summary table with the machine and the date, then each
benchmark's own output) and puts the summary table into bench/README.md. Each benchmark
reports; nothing here asserts a time. Exit status 1 if a benchmark failed (an error, a wrong
reply, a scale-out check), 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.webhook_report import code_version, machine

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
README = REPO / "bench" / "README.md"
START, END = "<!-- all:start -->", "<!-- all:end -->"
PY = sys.executable
REDIS = "redis://127.0.0.1:6379/13"  # broadcast's Redis db (flushed by it)

Row = tuple[str, str, str]  # figure, value, target


@dataclass
class Step:
    """One benchmark: its command, how long it may take and how to read its figures."""

    name: str
    argv: list[str]
    timeout_s: int
    rows: Callable[[str, Path], list[Row]]
    json_out: Path | None = None
    output: str = ""
    seconds: float = 0.0
    status: int | None = None
    figures: list[Row] = field(default_factory=list)


def _find(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text, re.MULTILINE)


def webhook_rows(label: str, target: str) -> Callable[[str, Path], list[Row]]:
    """Rows of one webhook mode, from its --json file."""

    def rows(output: str, json_path: Path) -> list[Row]:
        if not json_path.exists():
            return [(f"webhook {label}", "no result (see its output)", target)]
        f = json.loads(json_path.read_text())
        if f.get("app") == "floor":
            return [(f"webhook {label}: floor (ceiling + one durable INSERT) req/s, p50 / p99 "
                     "ms", f"{f['bot_rps']:,.0f} req/s, {f['bot_p50_ms']:.1f} / "
                     f"{f['bot_p99_ms']:.1f} ms", ""),
                    (f"webhook {label}: floor / ceiling (app CPU ms per request)",
                     f"**{f['ratio']:.2f}** ({f['bot_app_ms']:.2f} ms; ceiling "
                     f"{f['ceiling_rps']:,.0f} req/s)", "")]
        return [(f"webhook {label}: bot req/s, p50 / p99 ms (`{f['gunicorn']}`, "
                 f"{f['connections']} connections)",
                 f"{f['bot_rps']:,.0f} req/s, {f['bot_p50_ms']:.1f} / {f['bot_p99_ms']:.1f} ms",
                 "p99 < 50 ms"),
                (f"webhook {label}: ceiling (answering the bot's reply) req/s, p50 / p99 ms",
                 f"{f['ceiling_rps']:,.0f} req/s, {f['ceiling_p50_ms']:.1f} / "
                 f"{f['ceiling_p99_ms']:.1f} ms", ""),
                (f"webhook {label}: bot / ceiling, best round against best (app CPU ms per "
                 "bot request; each round's ratio)",
                 f"**{f['ratio']:.2f}** ({f['bot_app_ms']:.2f} ms; errors {f['errors']}; "
                 f"rounds {rounds_text(f)})", target),
                *short_rows(label, f)]
    return rows


def rounds_text(f: dict[str, Any]) -> str:
    """Each round's bot/ceiling, e.g. '0.74, 0.69, 0.77'."""
    return ", ".join(f"{r:.2f}" for r in f.get("per_round") or []) or "—"


def short_rows(label: str, f: dict[str, Any]) -> list[Row]:
    """The bot against the ceiling with the short fixed reply, where it was measured (帮助)."""
    if f.get("short_ratio") is None:
        return []
    return [(f"webhook {label}: bot / short-reply ceiling ({f['short_rps']:,.0f} req/s; the "
             "ceiling used before 2026-12-02)", f"{f['short_ratio']:.2f}", "")]


def broadcast_rows(output: str, _json: Path) -> list[Row]:
    """Rows of the broadcast benchmark: calls and 确认 → summary per size."""
    rows = []
    for m in re.finditer(r"^\| (\d+) \| (\d+) \| (\d+) \| ([\d.]+) s \| ([\d.]+) s \| "
                         r"([\d.]+) s \| (\d+) \|", output, re.MULTILINE):
        size = int(m[1])
        target = "6 calls, < 5 s" if size <= 6000 else f"{-(-size // 1000)} calls, < 60 s"
        rows.append((f"broadcast to {size:,}: message/send calls, 确认 → summary",
                     f"{m[2]} calls, {m[6]} s (inboxes {int(m[7]):,})", target))
    return rows or [("broadcast", "no result (see its output)", "")]


def push_rows(output: str, _json: Path) -> list[Row]:
    """Rows of the push benchmark."""
    m = _find(r"^\| (\d+) \| (\d+) \| (\d+) \| ([\d.]+) s \| ([\d.]+) s \| ([\d.]+) s \|", output)
    if not m:
        return [("push to 6,000", "no result (see its output)", "")]
    return [(f"push to {int(m[1]):,}: message/send calls, tick + delivery",
             f"{m[2]} calls, {m[4]} s + {m[5]} s = {m[6]} s", f"{m[3]} calls")]


def roster_rows(output: str, _json: Path) -> list[Row]:
    """Rows of the roster sync benchmark: both runs."""
    rows = []
    for m in re.finditer(r"^\| ((?:first|second) run[^|]*) \| ([\d.]+) s \| (\d+) \|[^|]*\| "
                         r"([^|]*) \|", output, re.MULTILINE):
        rows.append((f"roster sync 300 orgs / 6,000 members, {m[1].strip()}",
                     f"{m[2]} s, {m[3]} user/list calls, rows written {m[4].strip()}", ""))
    return rows or [("roster sync", "no result (see its output)", "")]


def report_rows(output: str, _json: Path) -> list[Row]:
    """Rows of the annual report benchmark."""
    m = _find(r"^best ([\d.]+) s, median ([\d.]+) s", output)
    seed = _find(r"^seeded \S+ in ([\d.]+) s", output)
    rows = [("annual report over 1,000,000 ledger rows: best / median round",
             f"{m[1]} s / {m[2]} s" if m else "no result (see its output)", "< 5 s")]
    if seed:
        rows.append(("ledger seed (1,000,000 rows, 6,000 members)", f"{seed[1]} s", ""))
    return rows


def points_rows(output: str, _json: Path) -> list[Row]:
    """Rows of the 我的积分 benchmark: standing alone and with the month's points."""
    rows = []
    for m in re.finditer(r"^(.+?): (\d+) calls, p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms",
                         output, re.MULTILINE):
        rows.append((f"我的积分 over 1,000,000 rows: {m[1]} p50 / p99 / max",
                     f"{m[3]} / {m[4]} / {m[5]} ms ({m[2]} calls)", "p99 < 50 ms"))
    return rows or [("我的积分", "no result (see its output)", "")]


def live_rows(output: str, _json: Path) -> list[Row]:
    """Rows of the live-import benchmark: import + commit per list size."""
    rows = [(f"live import of {int(m[1]):,} viewers (one ledger row each)", f"{m[2]} s", "")
            for m in re.finditer(r"^\| (\d+) \| ([\d.]+) s \|", output, re.MULTILINE)]
    return rows or [("live import", "no result (see its output)", "")]


def scaleout_rows(output: str, _json: Path) -> list[Row]:
    """Rows of the scale-out demonstration: its figures and whether every check held."""
    rows: list[Row] = []
    setup = _find(r"^(\d+) gunicorn instances × (\d+) sync workers, (\d+) RQ workers", output)
    prefix = (f"scale-out ({setup[1]} gunicorn × {setup[2]} workers, {setup[3]} RQ workers)"
              if setup else "scale-out")
    for name in ("callbacks POSTed (incl. duplicates)", "chat phase",
                 "member × broadcast deliveries exactly once", "gettoken calls"):
        m = _find(rf"^\| {re.escape(name)} \| (.+) \|$", output)
        if m:
            rows.append((f"{prefix}: {name}", m[1], ""))
    ok = len(re.findall(r"^- ok: ", output, re.MULTILINE))
    failed = re.findall(r"^- FAILED: (.+)$", output, re.MULTILINE)
    rows.append((f"{prefix}: checks (once, none lost, broadcasts once, one gettoken)",
                 f"{ok} ok" + (f", FAILED: {'; '.join(failed)}" if failed else ""), "all ok"))
    return rows


def steps(args: argparse.Namespace, work: Path) -> list[Step]:
    """The benchmarks to run, in order."""
    rounds = "1" if args.quick else "3"  # this host's speed moves within minutes: 3 rounds
    duration = "5" if args.quick else "10"
    webhook = []
    for mode, label, target in (("help", "帮助", ">= 0.8"),
                                ("step", "conversation step", ""),
                                ("write", "reflection part (write path)", ">= 0.5")):
        out = work / f"webhook-{mode}.json"
        webhook.append(Step(f"webhook {mode}", [PY, "-m", "bench.webhook", "--mode", mode,
                                                "--rounds", rounds, "--duration", duration,
                                                "--quiet-wait", "20", "--json", str(out)],
                            900, webhook_rows(label, target), out))
    out = work / "webhook-write-floor.json"
    webhook.append(Step("webhook write floor", [PY, "-m", "bench.webhook", "--mode", "write",
                                                "--app", "floor", "--rounds", rounds,
                                                "--duration", duration, "--quiet-wait", "20",
                                                "--json", str(out)],
                        900, webhook_rows("write path floor", ""), out))
    return [
        *webhook,
        Step("broadcast", [PY, "-m", "bench.broadcast", "--redis", REDIS], 900, broadcast_rows),
        Step("push", [PY, "-m", "bench.push"], 600, push_rows),
        Step("roster sync", [PY, "-m", "bench.roster_sync"], 600, roster_rows),
        Step("annual report", [PY, "-m", "bench.annual_report", "--rounds", rounds], 900,
             report_rows),
        Step("我的积分", [PY, "-m", "bench.my_points", "--reuse"], 600, points_rows),
        Step("live import", [PY, "-m", "bench.live_import"], 600, live_rows),
        Step("scale-out", [PY, "-m", "bench.scaleout", "--members", "200"], 900, scaleout_rows),
    ]


def run_step(step: Step) -> None:
    """Run one benchmark, keep its output and read its figures."""
    print(f"== {step.name}: {' '.join(step.argv[1:])}", flush=True)
    t0 = time.monotonic()
    try:
        done = subprocess.run(step.argv, cwd=REPO, capture_output=True, text=True,
                              timeout=step.timeout_s, check=False)
        step.output, step.status = done.stdout + done.stderr[-3000:], done.returncode
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else ""
        step.output, step.status = out + f"\n(timed out after {step.timeout_s} s)", -1
    step.seconds = time.monotonic() - t0
    step.figures = step.rows(step.output, step.json_out or Path("/nonexistent"))
    for figure, value, _target in step.figures:
        print(f"   {figure}: {value}", flush=True)
    print(f"   ({step.seconds:.0f} s, exit {step.status})", flush=True)


def summary(done: list[Step], started: datetime) -> str:
    """The one results table, with the machine, the date and the code."""
    rows = ["| benchmark | figure | value | target |", "|---|---|---|---|"]
    for step in done:
        state = "" if step.status == 0 else f" (exit {step.status})"
        for figure, value, target in step.figures:
            rows.append(f"| {step.name}{state} | {figure} | {value} | {target} |")
    took = ", ".join(f"{s.name} {s.seconds:.0f} s" for s in done)
    return (f"### All benchmarks, {started:%Y-%m-%d %H:%M %Z}\n\n"
            f"- machine: {machine()}\n- code: {code_version()}\n"
            f"- run: `bench/all` ({took}); targets are reported, never asserted\n\n"
            + "\n".join(rows) + "\n")


def save(table: str, done: list[Step], started: datetime) -> Path:
    """Write bench/results/all-<date>.md (newest run first) and the table into the README."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"all-{started:%Y-%m-%d}.md"
    outputs = "\n".join(f"#### {s.name}: `{' '.join(s.argv[1:])}`\n\n```\n"
                        f"{s.output.strip()[-12000:]}\n```\n" for s in done)
    run = f"{table}\n{outputs}"
    earlier = path.read_text() if path.exists() else ""
    path.write_text(run.rstrip("\n") + ("\n\n" + earlier if earlier.strip() else "\n"))
    text = README.read_text()
    block = f"{START}\n{table}\n(from `{path.relative_to(REPO)}`)\n{END}"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.replace("# Benchmarks\n", "# Benchmarks\n\n" + block + "\n", 1)
    README.write_text(text)
    return path


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; 1 if any of them failed."""
    parser = argparse.ArgumentParser(prog="bench/all", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help="webhook: 1 round of 5 s per mode (default 3 rounds of 10 s); "
                             "annual report: 1 round (default 3)")
    parser.add_argument("--only", nargs="+", default=None, metavar="NAME",
                        help="run only the benchmarks whose name starts with one of these")
    parser.add_argument("--no-save", action="store_true", help="print only; write no files")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    work = Path(tempfile.mkdtemp(prefix="pioneer-bench-all-"))
    chosen = [s for s in steps(args, work)
              if not args.only or any(s.name.startswith(o) for o in args.only)]
    if not chosen:
        parser.error("--only matched no benchmark")
    for step in chosen:
        run_step(step)
    table = summary(chosen, started)
    print("\n" + table)
    if not args.no_save:
        print(f"written: {save(table, chosen, started).relative_to(REPO)} and bench/README.md")
    return 0 if all(s.status == 0 for s in chosen) else 1


if __name__ == "__main__":
    sys.exit(main())
