"""Seed a committee's year into a PostgreSQL database, fast: the ledger benchmarks' data.

    .venv/bin/python -m bench.ledger_seed [--db pioneer_bench_ledger] [--rows 1000000]

300 organisations (kinds in turn); 6,000 members (member N of organisation N is its secretary
and contact, member 300 + N a committee member; 60 lecturers; 2 % left, 1 % disabled);
`--rows` ledger rows over the year up to 30 November (a quarter of the members never take
part); yearly totals summed from those rows (so they agree with the ledger); 52 weekly pushes
delivered to every active member; 53 lectures (22 ordered) with check-ins; 20 live sessions;
reflections (some featured) and a year of meetings. Every table is filled by one INSERT ...
SELECT over generate_series; the database is dropped and recreated first, and migrated by the
app.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from bench.common import bench_app, recreate_database
from participation.settings import DEFAULT_HOURS, DEFAULT_POINTS

DB_NAME = "pioneer_bench_ledger"
REDIS_URL = "redis://127.0.0.1:6379/9"
KIND_SHARES = (  # (kind, upper bound of a random 0..99): 45 % reads, 25 % completions, ...
    ("material_read", 45), ("material_completed", 70), ("reflection", 75), ("lecture", 83),
    ("live", 90), ("meeting", 95), ("campaign_item", 98), ("qiangguo", 100))


def _kind_case() -> str:
    """SQL: a kind drawn at random with the shares above."""
    whens = " ".join(f"WHEN r < {bound} THEN '{kind}'" for kind, bound in KIND_SHARES)
    return f"CASE {whens} END"


def _per_kind(values: dict[str, float] | dict[str, int]) -> str:
    """SQL: a CASE over the kind column k giving the kind's value."""
    whens = " ".join(f"WHEN '{kind}' THEN {values[kind]}" for kind, _ in KIND_SHARES)
    return f"CASE k {whens} END"


def statements(year: int, organizations: int, members: int, rows: int) -> list[tuple[str, str]]:
    """(label, SQL) in order; ids are set explicitly, sequences moved past them at the end."""
    start = f"'{year}-01-01 00:00:00+08'::timestamptz"
    seconds = 334 * 24 * 3600  # 1 January to 30 November
    learners = members * 3 // 4
    o, n = organizations, members
    return [
        ("organizations", f"""
INSERT INTO organizations (id, name, kind, active, "order", created_at)
SELECT g, '第' || g || '党支部', (ARRAY['foreign','private','state','other'])[1 + g % 4],
       true, g, now() FROM generate_series(1, {o}) g"""),
        ("members", f"""
INSERT INTO members (id, userid, name, position, status, created_at)
SELECT g, 'm' || lpad(g::text, 6, '0'), '党员' || g,
       CASE WHEN g <= {o} THEN '支部书记' WHEN g <= {2 * o} THEN '组织委员' END,
       CASE WHEN g % 50 = 0 THEN 'left' WHEN g % 97 = 0 THEN 'disabled' ELSE 'active' END,
       '{year - 1}-06-01' FROM generate_series(1, {n}) g"""),
        ("memberships", f"""
INSERT INTO memberships (id, member_id, organization_id, is_main)
SELECT g, g, 1 + (g - 1) % {o}, true FROM generate_series(1, {n}) g"""),
        ("role_grants", f"""
INSERT INTO role_grants (id, member_id, role, organization_id, created_at)
SELECT row_number() OVER (), member_id, role, organization_id, now() FROM (
  SELECT g AS member_id, 'contact' AS role, g AS organization_id
  FROM generate_series(1, {o}) g
  UNION ALL SELECT g, 'lecturer', NULL FROM generate_series(1, 60) g) r"""),
        ("participations", f"""
INSERT INTO participations (id, member_id, organization_id, kind, source, occurred_at, hours,
                            points, details, recorded_at)
SELECT g, m, 1 + (m - 1) % {o}, k, k || ':' || g, t, {_per_kind(DEFAULT_HOURS)},
       {_per_kind(DEFAULT_POINTS)}, '{{}}', t
FROM (SELECT g, m, {_kind_case()} AS k, t
      FROM (SELECT g, 1 + floor(random() * {learners})::int AS m, floor(random() * 100) AS r,
                   {start} + floor(random() * {seconds}) * interval '1 second' AS t
            FROM generate_series(1, {rows}) g) drawn) s"""),
        ("participation_totals", f"""
INSERT INTO participation_totals (member_id, year, organization_id, points, hours, count)
SELECT member_id, {year}, min(organization_id), sum(points), sum(hours), count(*)
FROM participations GROUP BY member_id"""),
        ("materials", f"""
INSERT INTO materials (id, slug, title, kind, tags, summary, body, published_on, minutes,
                       active, updated_at)
SELECT g, 'm-' || g, '学习材料' || g, 'article', '[]', '', '', '{year}-01-01'::date + g * 6,
       10, true, now() FROM generate_series(1, 52) g"""),
        ("pushes", """
INSERT INTO pushes (id, audience, msgtype, repeat, weekdays, status, created_by, created_at)
VALUES (1, '{"kind": "all"}', 'news', 'weekly', '[1]', 'active', 'bench', now())"""),
        ("push_occurrences", f"""
INSERT INTO push_occurrences (id, push_id, due_at, material_id, recipients, created_at)
SELECT g, 1, {start} + (g * 6 + 1) * interval '1 day', g,
       (SELECT count(*) FROM members WHERE status = 'active'), now()
FROM generate_series(1, 52) g"""),
        ("push_deliveries", """
INSERT INTO push_deliveries (occurrence_id, member_id)
SELECT o.id, m.id FROM push_occurrences o CROSS JOIN members m WHERE m.status = 'active'"""),
        ("topics", """
INSERT INTO topics (id, slug, title, summary, category, minutes, modes, active)
SELECT g, 't-' || g, '宣讲专题' || g, '', '理论', 60, '["offline"]', true
FROM generate_series(1, 10) g"""),
        ("lecture_orders", """
INSERT INTO lecture_orders (id, organization_id, contact_id, topic_id, slots, audience, mode,
                            address, note, status, created_at, updated_at)
SELECT g, g, g, 1 + g % 10, '[]', 40, 'offline', '', '',
       CASE WHEN g % 3 = 0 THEN 'completed' ELSE 'rated' END, now(), now()
FROM generate_series(1, 22) g"""),
        ("lectures", f"""
INSERT INTO lectures (id, order_id, topic_id, lecturer_id, starts_at, ends_at, place, mode,
                      expected_audience, live_viewers, checkin_code)
SELECT g, CASE WHEN g <= 22 THEN g END, 1 + g % 10, 1 + g % 60,
       {start} + g * interval '6 days', {start} + g * interval '6 days' + interval '2 hours',
       '', 'offline', 250, NULL, lpad(g::text, 6, '0') FROM generate_series(1, 53) g"""),
        ("check_ins", f"""
INSERT INTO check_ins (member_id, lecture_id, status, reason, checked_at)
SELECT m.id, l.id, CASE WHEN (m.id + l.id) % 40 = 0 THEN 'leave' ELSE 'present' END, '',
       l.starts_at
FROM lectures l JOIN members m ON (m.id + l.id) % 22 = 0 AND m.id <= {n}"""),
        ("ratings", """
INSERT INTO ratings (order_id, contact_id, score, comment, created_at)
SELECT id, contact_id, 3 + id % 3, '', now() FROM lecture_orders WHERE status = 'rated'"""),
        ("live_sessions", f"""
INSERT INTO live_sessions (title, starts_at, viewers, unmatched_viewers, source_file,
                           imported_by, imported_at)
SELECT '红色直播间' || g, {start} + g * interval '15 days', 500 + g * 7, 40 + g, '', 'bench',
       now() FROM generate_series(1, 20) g"""),
        ("reflections", f"""
INSERT INTO reflections (member_id, subject_kind, subject_title, text, word_count,
                         image_count, status, consent_public, featured, created_at, updated_at,
                         submitted_at)
SELECT 1 + (g * 13) % {learners}, 'free', '', '心得', 2, 0,
       CASE WHEN g % 17 = 0 THEN 'featured' ELSE 'submitted' END, true, g % 17 = 0, t, t, t
FROM (SELECT g, {start} + ((g::bigint * 40503) % {seconds}) * interval '1 second' AS t
      FROM generate_series(1, 5000) g) s"""),
        ("org_meetings", f"""
INSERT INTO org_meetings (organization_id, kind, topic, starts_at, ends_at, recorded_by_id,
                          created_at)
SELECT o, 'theme_day', '主题党日', {start} + (mo * 30 + 10) * interval '1 day',
       {start} + (mo * 30 + 10) * interval '1 day' + interval '2 hours', o, now()
FROM generate_series(1, {o}) o CROSS JOIN generate_series(0, 10) mo"""),
    ]


SEQUENCES = ("organizations", "members", "memberships", "role_grants", "participations",
             "materials", "pushes", "push_occurrences", "topics", "lecture_orders", "lectures")


@contextmanager
def _without_keys(conn: psycopg.Connection, table: str) -> Iterator[None]:
    """Drop the table's unique and foreign keys and indexes (not its primary key) for a bulk
    insert, and put back exactly what was there: one index build beats a million updates."""
    constraints = conn.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('u', 'f')", (table,)).fetchall()
    indexes = conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT IN "
        "(SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        (table, table)).fetchall()
    for name, _ in constraints:
        conn.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _ in indexes:
        conn.execute(f"DROP INDEX {name}")
    yield
    for name, definition in constraints:
        conn.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
    for _, definition in indexes:
        conn.execute(definition)


def seed(database_url: str, year: int = 2026, organizations: int = 300, members: int = 6000,
         rows: int = 1_000_000) -> dict[str, float]:
    """Fill the (migrated, empty) database; seconds per table."""
    timings: dict[str, float] = {}
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT setseed(0.42)")  # the same data every time
        for label, sql in statements(year, organizations, members, rows):
            began = time.perf_counter()
            if label == "participations":
                with _without_keys(conn, "participations"):
                    conn.execute(sql)
            else:
                conn.execute(sql)
            timings[label] = time.perf_counter() - began
        for table in SEQUENCES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT max(id) FROM {table}))")
        began = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        timings["vacuum analyze"] = time.perf_counter() - began
    return timings


def prepare(db_name: str = DB_NAME, rows: int = 1_000_000, year: int = 2026) -> str:
    """Recreate and migrate the database, seed it; its URL. Prints the seconds per table."""
    url = recreate_database(db_name)
    bench_app("http://127.0.0.1:9/cgi-bin", url, REDIS_URL)
    timings = seed(url, year=year, rows=rows)
    total = sum(timings.values())
    print(f"seeded {db_name} in {total:.1f} s: "
          + ", ".join(f"{label} {seconds:.1f}" for label, seconds in timings.items()
                      if seconds >= 0.1))
    return url


def main(argv: list[str] | None = None) -> None:
    """Seed the benchmark database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DB_NAME)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--year", type=int, default=2026)
    args = parser.parse_args(argv)
    prepare(args.db, args.rows, args.year)


if __name__ == "__main__":
    main()
