"""Annual report benchmark: `report annual` over a year of 1,000,000 ledger rows on PostgreSQL.

    .venv/bin/python -m bench.annual_report [--reuse] [--rounds 3] [--rows 1000000]

Seeds `pioneer_bench_ledger` with bench/ledger_seed.py (or, with --reuse, uses it as it is),
then builds the 2026 report and writes its workbook and Markdown summary `--rounds` times,
timing the figures (all the SQL) and the writing apart, and prints the plan of its one pass
over the ledger (summed per member). It reports the best and the median round; the issue's
target is under 5 s. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bench.common import bench_app, machine_line
from bench.ledger_seed import DB_NAME, REDIS_URL, prepare
from models import db
from participation import rates
from report.figures import build, ledger_sums
from report.writing import markdown, write_workbook

YEAR = 2026
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _plan() -> str:
    """EXPLAIN ANALYZE of the report's one pass over the ledger (summed per member)."""
    query = ledger_sums(rates.year_period(YEAR))
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    rows = db.session.execute(text(f"EXPLAIN (ANALYZE, BUFFERS OFF) {compiled}")).scalars()
    return "\n".join(rows)


def run(url: str, rounds: int) -> dict[str, object]:
    """Time `rounds` builds and writes; the figures of the last one for a sanity line."""
    app = bench_app("http://127.0.0.1:9/cgi-bin", url, REDIS_URL)
    builds, writes, totals = [], [], []
    with app.app_context(), tempfile.TemporaryDirectory() as out:
        rows = db.session.scalar(text("SELECT count(*) FROM participations"))
        for _ in range(rounds):
            began = time.perf_counter()
            built = build(YEAR, NOW)
            built_at = time.perf_counter()
            write_workbook(built, Path(out) / "report.xlsx")
            (Path(out) / "report.md").write_text(markdown(built), encoding="utf-8")
            done = time.perf_counter()
            db.session.rollback()
            builds.append(built_at - began)
            writes.append(done - built_at)
            totals.append(done - began)
        size = (Path(out) / "report.xlsx").stat().st_size
        plan = _plan()
    return {"rows": rows, "builds": builds, "writes": writes, "totals": totals,
            "figures": built.figures, "organizations": len(built.organizations),
            "members": len(built.members), "xlsx_bytes": size, "plan": plan}


def main(argv: list[str] | None = None) -> None:
    """Seed (unless --reuse), run, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="use the seeded database as is")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    url = (f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}" if args.reuse
           else prepare(DB_NAME, args.rows, YEAR))
    result = run(url, args.rounds)
    totals: list[float] = result["totals"]  # type: ignore[assignment]
    figures: dict[str, object] = result["figures"]  # type: ignore[assignment]
    print(machine_line("Annual report benchmark"))
    print(f"ledger rows: {result['rows']:,}; organisations {result['organizations']}, "
          f"members counted {result['members']:,}; workbook {result['xlsx_bytes']:,} bytes")
    print("rounds (figures + writing = total, s): " + "; ".join(
        f"{b:.2f} + {w:.2f} = {t:.2f}" for b, w, t in
        zip(result["builds"], result["writes"], totals, strict=True)))  # type: ignore[arg-type]
    print(f"best {min(totals):.2f} s, median {statistics.median(totals):.2f} s (target < 5 s)")
    print("figures: " + ", ".join(f"{key} {figures[key]}" for key in (
        "participations", "participants", "participating", "members", "deliveries",
        "lectures", "lecture_attendances", "live_viewers", "hours", "met_norm")))
    print("plan of the per-member ledger query:")
    print(result["plan"])


if __name__ == "__main__":
    main()
