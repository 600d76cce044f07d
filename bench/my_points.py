"""我的积分 benchmark: a member's points, hours and ranks over 1,000,000 ledger rows (PostgreSQL).

    .venv/bin/python -m bench.my_points [--reuse] [--calls 2000]

Seeds `pioneer_bench_ledger` with bench/ledger_seed.py (or, with --reuse, uses it as it is),
then calls `participation.standing.standing(member_id, 2026)` (points, hours, norm, rank in the
organisation and in the committee) for `--calls` members drawn at random (every status, with
and without participations), each call in its own transaction as a request would be, after a
warm-up of 200 calls. It times the same again with `month_points` added (everything 我的积分
reads from the database) and reports p50, p99 and the maximum of each. The issue's target is
p99 under 50 ms. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select

from bench.common import bench_app, machine_line
from bench.ledger_seed import DB_NAME, REDIS_URL, prepare
from models import Member, db
from participation.standing import month_points, standing

YEAR = 2026
NOW = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)
WARMUP = 200


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the sorted values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _time(calls: list[int], work: Callable[[int], object]) -> list[float]:
    """Milliseconds per call, each in its own transaction."""
    timings = []
    for member_id in calls:
        began = time.perf_counter()
        work(member_id)
        db.session.rollback()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def run(url: str, calls: int) -> dict[str, list[float]]:
    """Time standing() alone and with month_points() for the same random members."""
    app = bench_app("http://127.0.0.1:9/cgi-bin", url, REDIS_URL)
    with app.app_context():
        ids = list(db.session.scalars(select(Member.id)))
        db.session.rollback()
        chosen = random.Random(7).choices(ids, k=calls + WARMUP)
        _time(chosen[:WARMUP], lambda m: standing(m, YEAR))
        alone = _time(chosen[WARMUP:], lambda m: standing(m, YEAR))
        both = _time(chosen[WARMUP:], lambda m: (standing(m, YEAR), month_points(m, NOW)))
    return {"standing": alone, "standing + month_points": both}


def main(argv: list[str] | None = None) -> None:
    """Seed (unless --reuse), run, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="use the seeded database as is")
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    url = (f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}" if args.reuse
           else prepare(DB_NAME, args.rows, YEAR))
    results = run(url, args.calls)
    print(machine_line("我的积分 benchmark"))
    for label, timings in results.items():
        print(f"{label}: {len(timings)} calls, p50 {statistics.median(timings):.1f} ms, "
              f"p99 {percentile(timings, 0.99):.1f} ms, max {max(timings):.1f} ms "
              "(target p99 < 50 ms)")


if __name__ == "__main__":
    main()
