"""The participation ledger: record one participation once, with its hours and points cut to
the daily caps of the rules in force on its day, and keep the member's yearly totals in step."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

import clock
from models import Member, Participation, ParticipationTotal, db, utcnow
from participation.rules import KindRule, rule_on
from participation.settings import ParticipationSettings, participation_settings
from roster.manage import main_organization_id, main_organization_ids


def used_today(member_id: int, kind: str, moment: datetime) -> tuple[int, float]:
    """Points and hours the member already got for this kind on the local day of `moment`."""
    day = clock.day_of(moment)
    points, hours = db.session.execute(
        select(func.coalesce(func.sum(Participation.points), 0),
               func.coalesce(func.sum(Participation.hours), 0)).where(
            Participation.member_id == member_id, Participation.kind == kind,
            Participation.occurred_at >= day.start, Participation.occurred_at < day.end)).one()
    return int(points or 0), float(hours or 0)


def points_today(member_id: int, kind: str, moment: datetime) -> int:
    """Points the member already got for this kind on the local day of `moment`."""
    return used_today(member_id, kind, moment)[0]


def add_to_totals(member_id: int, organization_id: int | None, year: int, points: int,
                  hours: float, count: int = 1) -> None:
    """Add to the member's yearly totals (an upsert, safe under concurrent writers)."""
    db.session.execute(_totals_upsert(), {
        "member_id": member_id, "year": year, "organization_id": organization_id,
        "points": points, "hours": hours, "count": count})


def _totals_upsert() -> Any:
    """INSERT a totals row, or add its points, hours and count to the member's year (and take
    its organisation); run with one row's values or a list of them."""
    return _totals_upsert_for(db.session.get_bind().dialect.name)


@cache
def _totals_upsert_for(dialect: str) -> Any:
    """The totals upsert in that dialect, built once (every ledger write runs it)."""
    table = ParticipationTotal.__table__
    upsert = _insert_in(dialect, table)
    return upsert.on_conflict_do_update(
        index_elements=[table.c.member_id, table.c.year],
        set_={"points": table.c.points + upsert.excluded.points,
              "hours": table.c.hours + upsert.excluded.hours,
              "count": table.c.count + upsert.excluded.count,
              "organization_id": upsert.excluded.organization_id})


def hours_for(rule: KindRule, hours: float | None, earlier_today: float = 0.0) -> float:
    """The kind's hours, or `hours` given (e.g. minutes watched) capped at the kind's; cut to
    what is left of the kind's daily hours cap after `earlier_today`."""
    item = rule.hours if hours is None else min(max(hours, 0.0), rule.hours)
    left = max(rule.daily_hours - earlier_today, 0.0)
    return round(min(item, left), 2)


def points_for(rule: KindRule, earlier_today: int) -> int:
    """The kind's points, cut to what is left of its daily cap after `earlier_today`."""
    return max(0, min(rule.points, rule.daily_points - earlier_today))


def record(member: Member | int, kind: str, source: str, occurred_at: datetime, *,
           hours: float | None = None, points: int | None = None,
           details: dict[str, Any] | None = None,
           settings: ParticipationSettings | None = None) -> Participation | None:
    """Record that the member took part (once per member, kind and source).

    The rule is the kind's in force on the committee day of `occurred_at` (participation.
    rules, over `settings`). Hours default to the kind's; `hours` given (e.g. minutes watched)
    is capped at the kind's; both are cut to what is left of the kind's daily hours cap, and
    points, the kind's (or `points` given, e.g. none, capped at the kind's), to what is left
    of its daily points cap. Returns the new row, or None when this participation was
    recorded before. Runs in the caller's transaction."""
    settings = settings or participation_settings()
    member_id = member if isinstance(member, int) else member.id
    existing = db.session.scalar(select(Participation.id).where(
        Participation.member_id == member_id, Participation.kind == kind,
        Participation.source == source))
    if existing is not None:
        return None
    rule = rule_on(kind, clock.today(occurred_at), settings)
    points_before, hours_before = used_today(member_id, kind, occurred_at)
    credited = hours_for(rule, hours, hours_before)
    earned = points_for(rule, points_before)
    if points is not None:
        earned = max(0, min(points, earned))
    organization_id = main_organization_id(member_id)
    row = Participation(member_id=member_id, organization_id=organization_id, kind=kind,
                        source=source, occurred_at=occurred_at, hours=credited, points=earned,
                        details=details or {})
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:  # a concurrent writer recorded it first
        return None
    add_to_totals(member_id, organization_id, clock.year_of(occurred_at), earned, credited)
    return row


def withdraw(member_id: int, kind: str, source: str) -> Participation | None:
    """Take back one participation (a contact corrected an attendance): the row is deleted
    and its points, hours and count come off the member's totals of its year. Returns the
    deleted row, or None when there was none. Runs in the caller's transaction."""
    row = db.session.scalars(select(Participation).where(
        Participation.member_id == member_id, Participation.kind == kind,
        Participation.source == source)).first()
    if row is None:
        return None
    db.session.delete(row)
    db.session.flush()
    add_to_totals(member_id, main_organization_id(member_id), clock.year_of(row.occurred_at),
                  -int(row.points or 0), -float(row.hours or 0), count=-1)
    return row


def move(kind: str, source: str, occurred_at: datetime) -> int:
    """Move every participation of one source to a new moment (a meeting's time corrected);
    a row whose committee year changes takes its points, hours and count to the new year's
    totals. The points stay as credited (the daily caps are not worked out again). Returns
    how many rows moved. Runs in the caller's transaction."""
    rows = list(db.session.scalars(select(Participation).where(
        Participation.kind == kind, Participation.source == source)))
    year = clock.year_of(occurred_at)
    for row in rows:
        old = clock.year_of(row.occurred_at)
        row.occurred_at = occurred_at
        if old != year:
            organization_id = main_organization_id(row.member_id)
            points, hours = int(row.points or 0), float(row.hours or 0)
            add_to_totals(row.member_id, organization_id, old, -points, -hours, count=-1)
            add_to_totals(row.member_id, organization_id, year, points, hours)
    db.session.flush()
    return len(rows)


@dataclass(frozen=True)
class Credit:
    """One member's share of a bulk record: hours (None: the kind's) and the row's details."""

    member_id: int
    hours: float | None = None
    details: dict[str, Any] = field(default_factory=dict)


BULK_CHUNK = 1000  # members per round of statements (each an executemany of one compiled one)


def record_many(credits: Iterable[Credit], kind: str, source: str, occurred_at: datetime, *,
                settings: ParticipationSettings | None = None) -> set[int]:
    """`record` for many members at once (one kind, source and moment): a few statements per
    1,000 members instead of seven per member. Returns the ids of the members recorded now; one
    recorded before (or by a concurrent writer) is left as it was. A member named twice counts
    once (the first). Runs in the caller's transaction."""
    settings = settings or participation_settings()
    by_member: dict[int, Credit] = {}
    for credit in credits:
        by_member.setdefault(credit.member_id, credit)
    if not by_member:
        return set()
    day = clock.day_of(occurred_at)
    rule = rule_on(kind, clock.today(occurred_at), settings)
    # Points and hours of this kind already credited that day, per member: one scan of the
    # day's rows of the kind, before any of ours is written (each member is in the call once).
    today = {member_id: (int(points or 0), float(hours or 0)) for member_id, points, hours
             in db.session.execute(
                 select(Participation.member_id, func.sum(Participation.points),
                        func.sum(Participation.hours))
                 .where(Participation.kind == kind, Participation.occurred_at >= day.start,
                        Participation.occurred_at < day.end)
                 .group_by(Participation.member_id))}
    recorded: set[int] = set()
    ids = list(by_member)
    for start in range(0, len(ids), BULK_CHUNK):
        chunk = [by_member[i] for i in ids[start:start + BULK_CHUNK]]
        recorded |= _record_chunk(chunk, kind, source, occurred_at, today, rule)
    return recorded


def _record_chunk(chunk: list[Credit], kind: str, source: str, occurred_at: datetime,
                  today: dict[int, tuple[int, float]], rule: KindRule) -> set[int]:
    ids = [c.member_id for c in chunk]
    organizations = main_organization_ids(ids)
    now = utcnow()
    rows = [{"member_id": c.member_id, "organization_id": organizations.get(c.member_id),
             "kind": kind, "source": source, "occurred_at": occurred_at,
             "hours": hours_for(rule, c.hours, today.get(c.member_id, (0, 0.0))[1]),
             "points": points_for(rule, today.get(c.member_id, (0, 0.0))[0]),
             "details": c.details, "recorded_at": now} for c in chunk]
    table = Participation.__table__
    insert_rows = _insert(table).on_conflict_do_nothing(
        index_elements=[table.c.member_id, table.c.kind, table.c.source])
    fresh = set(db.session.execute(insert_rows.returning(table.c.member_id), rows).scalars())
    if not fresh:
        return set()
    year = clock.year_of(occurred_at)
    db.session.execute(_totals_upsert(), [
        {"member_id": r["member_id"], "year": year, "organization_id": r["organization_id"],
         "points": r["points"], "hours": r["hours"], "count": 1}
        for r in rows if r["member_id"] in fresh])
    return fresh


def _insert(table: Any) -> Any:
    """The session's dialect's INSERT (for ON CONFLICT): PostgreSQL's or SQLite's."""
    return _insert_in(db.session.get_bind().dialect.name, table)


def _insert_in(dialect: str, table: Any) -> Any:
    """That dialect's INSERT (for ON CONFLICT): PostgreSQL's or SQLite's."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def rebuild_totals(year: int) -> int:
    """Recompute every member's totals for `year` from the ledger; the number of members."""
    period = clock.year(year)
    rows = db.session.execute(
        select(Participation.member_id, func.sum(Participation.points),
               func.sum(Participation.hours), func.count(Participation.id))
        .where(Participation.occurred_at >= period.start, Participation.occurred_at < period.end)
        .group_by(Participation.member_id)).all()
    db.session.execute(ParticipationTotal.__table__.delete().where(
        ParticipationTotal.year == year))
    organizations = main_organization_ids()
    for member_id, points, hours, count in rows:
        db.session.add(ParticipationTotal(
            member_id=member_id, year=year, organization_id=organizations.get(member_id),
            points=int(points or 0), hours=float(hours or 0), count=int(count)))
    return len(rows)
