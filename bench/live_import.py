"""Live-import benchmark: a 红色直播间 viewer list of N members becomes N ledger rows.

    .venv/bin/python -m bench.live_import [--viewers 6000 100000] [--database NAME]

For each size: recreates the database (default `pioneer_bench_live`), bulk-inserts that many
members in 100 organisations (each member's membership is the main one), writes a .csv viewer
list naming each of them by userid with minutes watched, and times `flask live import`'s work
(live.live.import_live: read and check the file, match every viewer, the session row,
one LIVE ledger row per member with the yearly totals, the audit row) and the commit. Then it
checks what was written: one ledger row and one totals row per viewer. Asserts nothing about
time; exits 1 if the rows written are not one per viewer.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, insert, select

from bench.common import bench_app, machine_line, recreate_database
from live import live
from models import Member, Membership, Organization, Participation, ParticipationTotal, db

DB_NAME = "pioneer_bench_live"
REDIS_URL = "redis://127.0.0.1:6379/8"
STARTS = datetime(2026, 11, 20, 11, 30, tzinfo=UTC)
ORGS = 100


def _seed(viewers: int) -> list[str]:
    """`viewers` members spread over ORGS organisations; their userids."""
    db.session.execute(insert(Organization), [{"name": f"基准党支部{n:03d}", "kind": "private"}
                                              for n in range(ORGS)])
    org_ids = list(db.session.scalars(select(Organization.id).order_by(Organization.id)))
    users = [f"v{i:06d}" for i in range(viewers)]
    db.session.execute(insert(Member), [{"userid": u, "name": u} for u in users])
    member_ids = list(db.session.scalars(select(Member.id).order_by(Member.id)))
    db.session.execute(insert(Membership), [
        {"member_id": m, "organization_id": org_ids[n % ORGS], "is_main": True}
        for n, m in enumerate(member_ids)])
    db.session.commit()
    return users


def run(viewers: int, database: str) -> dict[str, float | int]:
    """One import of a `viewers`-row list; the figures for one table row."""
    url = recreate_database(database)
    app = bench_app("http://127.0.0.1:9", url, REDIS_URL)  # no WeCom call is made
    with app.app_context(), tempfile.TemporaryDirectory(prefix="pioneer-live-") as folder:
        started = time.perf_counter()
        users = _seed(viewers)
        seed_s = time.perf_counter() - started
        path = Path(folder) / "viewers.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["企业微信账号", "观看时长（分钟）"])
            writer.writerows([u, 30 + n % 90] for n, u in enumerate(users))
        started = time.perf_counter()
        result = live.import_live(path, "基准直播", STARTS, "bench")
        db.session.commit()
        import_s = time.perf_counter() - started
        rows = db.session.scalar(select(func.count(Participation.id)))
        totals = db.session.scalar(select(func.count(ParticipationTotal.id)))
    if not (result.recorded == rows == totals == viewers):
        raise SystemExit(f"{viewers} viewers: {result.recorded} recorded, {rows} ledger rows, "
                         f"{totals} totals rows; expected one each")
    return {"viewers": viewers, "seed": seed_s, "import": import_s, "rows": rows}


def main(argv: list[str] | None = None) -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, nargs="+", default=[6000, 100000])
    parser.add_argument("--database", default=DB_NAME,
                        help="PostgreSQL database to drop and recreate for each size")
    args = parser.parse_args(argv)
    results = [run(n, args.database) for n in args.viewers]
    print("\n" + machine_line("live import (红色直播间 viewer list), PostgreSQL") + "\n")
    print("| viewers | import + commit | per 1,000 viewers | ledger rows | seed (not timed) |")
    print("|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['viewers']} | {r['import']:.2f} s | {r['import'] / r['viewers'] * 1000:.3f} s"
              f" | {r['rows']} | {r['seed']:.1f} s |")


if __name__ == "__main__":
    main()
