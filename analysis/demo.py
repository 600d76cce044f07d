"""The demo's 研判: a watch list of a few terms (with variants and the committee's note), the
year's texts matched against it, and last month's analysis built, as an admin would have
started it in the console. Writes in the caller's transaction, commits nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

import clock
from analysis import watch
from analysis.build import build
from analysis.corpus import texts
from analysis.scope import PeriodSpec
from models import Analysis, AnalysisStatus, Member, Role, RoleGrant, WatchTerm, db

SEED = 2026
TERMS = (
    ("欠薪", ("拖欠工资", "工资拖欠"), "劳动关系风险：了解情况后转企业工会或人社部门。"),
    ("裁员", ("减员", "辞退"), "企业经营波动：请支部书记了解职工思想动态。"),
    ("上访", ("信访",), "涉稳线索：核实后按信访工作规定处理。"),
)


def _admin() -> str:
    """The userid of one of the demo committee's admins (the analysis's starter)."""
    userid = db.session.scalar(select(Member.userid).join(RoleGrant)
                               .where(RoleGrant.role == Role.ADMIN).order_by(Member.id))
    return userid or "cli:demo"


def seed_demo_year(today: date) -> int:
    """The watch list, its hits over the year to `today`, and last month's analysis; how
    many rows were written."""
    rng = random.Random(SEED)
    actor = _admin()
    now = clock.at(today, clock.local(clock.utcnow()).time())
    written = 0
    for term, variants, note in TERMS:
        created = now - timedelta(days=rng.randint(60, 200))
        db.session.add(WatchTerm(term=term, normal=watch.normal(term), variants=list(variants),
                                 note=note, active=True, created_by=actor, created_at=created))
        written += 1
    db.session.flush()
    year = clock.year(today.year)
    written += watch.scan(texts(clock.Period(year.start, now), None), now)
    first = clock.month_of(now).start - timedelta(days=1)
    month = PeriodSpec("month", clock.local(first).year, clock.local(first).month)
    row = Analysis(unit=month.unit, year=month.year, number=month.number,
                   scope={"kind": "all", "values": []}, idle_weeks=4,
                   status=AnalysisStatus.RUNNING, created_by=actor, created_at=now,
                   started_at=now)
    db.session.add(row)
    db.session.flush()
    row.result = build(row, now, lambda _percent, _stage: None)
    row.status, row.progress, row.stage, row.finished_at = AnalysisStatus.DONE, 100, "done", now
    return written + 1
