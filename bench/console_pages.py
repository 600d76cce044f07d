"""Console page times on a committee-sized PostgreSQL database (300 organisations, 6,000
members, a year of ledger rows), for an admin and for a contact.

    .venv/bin/python -m bench.console_pages [--reuse] [--rows 200000] [--rounds 5]

Seeds `pioneer_bench_console` with bench/ledger_seed.py (or reuses it), then requests each page
through the app (Flask test client: the whole request, template included, no network) and
prints the median and the slowest of `--rounds` requests. It asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from sqlalchemy import select

from bench.common import bench_app, machine_line
from bench.ledger_seed import prepare
from bot.extensions import redis_store
from console import auth
from models import Member, Role, RoleGrant, db

DB_NAME = "pioneer_bench_console"
REDIS_URL = "redis://127.0.0.1:6379/7"
ADMIN_PAGES = ("/console/", "/console/orgs", "/console/members", "/console/members?q=党员12",
               "/console/reflections?status=all", "/console/orders", "/console/lecturers",
               "/console/broadcasts", "/console/materials", "/console/audit")
CONTACT_PAGES = ("/console/", "/console/members", "/console/reflections?status=all",
                 "/console/orders")


def _client_as(app: object, member_id: int) -> object:
    """A test client logged in as the member (the session written as a login writes it)."""
    client = app.test_client()  # type: ignore[attr-defined]
    sid = f"bench-{member_id}"
    with app.app_context():  # type: ignore[attr-defined]
        redis_store.client.set(auth.session_key(sid), json.dumps(
            {"kind": "member", "id": member_id, "at": int(time.time())}), ex=3600)
    with client.session_transaction() as session:
        session[auth.SESSION_SID] = sid
        session[auth.SESSION_CSRF] = "bench"
    return client


def _time(client: object, path: str, rounds: int) -> tuple[float, float]:
    """Median and slowest milliseconds of `rounds` requests (after one warm-up)."""
    assert client.get(path).status_code == 200, path  # type: ignore[attr-defined]
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(path)  # type: ignore[attr-defined]
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, path
    return statistics.median(samples), max(samples)


def run(url: str, rounds: int) -> list[str]:
    """Time every page; the result lines."""
    app = bench_app("http://127.0.0.1:9/cgi-bin", url, REDIS_URL)
    with app.app_context():
        contact_id = db.session.scalar(select(RoleGrant.member_id).where(
            RoleGrant.role == Role.CONTACT).order_by(RoleGrant.id).limit(1))
        admin = db.session.scalar(select(Member).where(Member.userid == "m000001"))
        assert admin is not None and contact_id is not None
        if not admin.has_role(Role.ADMIN):
            admin.grants.append(RoleGrant(role=Role.ADMIN))
            db.session.commit()
        admin_id = admin.id
    lines = [machine_line("Console pages"), f"{'viewer':<8} {'page':<36} median ms  max ms"]
    for who, member_id, pages in (("admin", admin_id, ADMIN_PAGES),
                                  ("contact", contact_id, CONTACT_PAGES)):
        client = _client_as(app, member_id)
        for path in pages:
            median, slowest = _time(client, path, rounds)
            lines.append(f"{who:<8} {path:<36} {median:9.1f} {slowest:7.1f}")
    return lines


def main(argv: list[str] | None = None) -> None:
    """Seed (unless --reuse) and time the pages."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="use the seeded database as is")
    parser.add_argument("--rows", type=int, default=200_000, help="ledger rows to seed")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    url = (f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}" if args.reuse
           else prepare(DB_NAME, args.rows))
    print("\n".join(run(url, args.rounds)))


if __name__ == "__main__":
    main()
