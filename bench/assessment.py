"""Scorecard benchmark (考核): every organisation's quarterly card over a committee's year on
PostgreSQL — 300 organisations, 6,000 members, 1,000,000 ledger rows (bench/ledger_seed.py).

    .venv/bin/python -m bench.assessment [--reuse] [--rounds 5] [--rows 1000000]

Seeds `pioneer_bench_ledger` (or, with --reuse, uses it as it is), then scores and ranks the
organisations for each quarter of 2026 `--rounds` times, and reports the best and the median
round per quarter. The issue's target: 300 organisations scored in under 2 s. It asserts
nothing about time.
"""

from __future__ import annotations

import argparse
import statistics
import time

from assessment import scorecard
from bench.common import bench_app, machine_line
from bench.ledger_seed import DB_NAME, REDIS_URL, prepare
from models import db

YEAR = 2026


def run(url: str, rounds: int) -> dict[int, tuple[list[float], int, float]]:
    """Per quarter: the round times, the organisations ranked and the best total."""
    app = bench_app("http://127.0.0.1:9/cgi-bin", url, REDIS_URL)
    found: dict[int, tuple[list[float], int, float]] = {}
    with app.app_context():
        for quarter in (1, 2, 3, 4):
            times: list[float] = []
            ranked: list[scorecard.Ranked] = []
            for _ in range(rounds):
                began = time.perf_counter()
                ranked = scorecard.ranking(scorecard.cards(YEAR, quarter))
                times.append(time.perf_counter() - began)
                db.session.rollback()
            found[quarter] = (times, len(ranked), ranked[0].card.total if ranked else 0.0)
    return found


def main(argv: list[str] | None = None) -> None:
    """Seed (unless --reuse), run, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="use the seeded database as is")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    url = (f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}" if args.reuse
           else prepare(DB_NAME, args.rows, YEAR))
    result = run(url, args.rounds)
    print(machine_line("Scorecard benchmark"))
    for quarter, (times, organizations, best) in result.items():
        print(f"{YEAR}-Q{quarter}: {organizations} organisations scored and ranked; best "
              f"{min(times):.2f} s, median {statistics.median(times):.2f} s "
              f"(target < 2 s); top total {best}")


if __name__ == "__main__":
    main()
