"""The participation ledger: record one participation once, with its hours and capped points,
and keep the member's yearly totals in step."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from content.texts import SHANGHAI
from models import Member, Participation, ParticipationTotal, db
from participation.settings import ParticipationSettings, participation_settings


def local_day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The Asia/Shanghai calendar day holding `moment`, as UTC start and end."""
    day = moment.astimezone(SHANGHAI).date()
    start = datetime.combine(day, time(), SHANGHAI).astimezone(UTC)
    return start, start + timedelta(days=1)


def local_year(moment: datetime) -> int:
    """The Asia/Shanghai year of `moment` (a participation on 31 Dec 20:00 UTC is next year's)."""
    return moment.astimezone(SHANGHAI).year


def main_organization_id(member_id: int) -> int | None:
    """The member's main organisation id (or any one), without loading the member."""
    from models import Membership

    return db.session.scalars(
        select(Membership.organization_id).where(Membership.member_id == member_id)
        .order_by(Membership.is_main.desc(), Membership.id).limit(1)).first()


def points_today(member_id: int, kind: str, moment: datetime) -> int:
    """Points the member already got for this kind on the local day of `moment`."""
    start, end = local_day_bounds(moment)
    return int(db.session.scalar(
        select(func.coalesce(func.sum(Participation.points), 0)).where(
            Participation.member_id == member_id, Participation.kind == kind,
            Participation.occurred_at >= start, Participation.occurred_at < end)) or 0)


def add_to_totals(member_id: int, organization_id: int | None, year: int, points: int,
                  hours: float, count: int = 1) -> None:
    """Add to the member's yearly totals (an upsert, safe under concurrent writers)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = ParticipationTotal.__table__
    statement = insert(table).values(member_id=member_id, year=year,
                                     organization_id=organization_id, points=points,
                                     hours=hours, count=count)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.member_id, table.c.year],
        set_={"points": table.c.points + points, "hours": table.c.hours + hours,
              "count": table.c.count + count, "organization_id": organization_id})
    db.session.execute(statement)


def record(member: Member | int, kind: str, source: str, occurred_at: datetime, *,
           hours: float | None = None, details: dict[str, Any] | None = None,
           settings: ParticipationSettings | None = None) -> Participation | None:
    """Record that the member took part (once per member, kind and source).

    Hours default to the kind's; `hours` given (e.g. minutes watched) is capped at the kind's.
    Points are the kind's, cut to what is left of the kind's daily cap. Returns the new row,
    or None when this participation was recorded before. Runs in the caller's transaction."""
    settings = settings or participation_settings()
    member_id = member if isinstance(member, int) else member.id
    existing = db.session.scalar(select(Participation.id).where(
        Participation.member_id == member_id, Participation.kind == kind,
        Participation.source == source))
    if existing is not None:
        return None
    kind_hours = settings.hours.get(kind, 0.0)
    credited = kind_hours if hours is None else round(min(max(hours, 0.0), kind_hours), 2)
    left = settings.daily_caps.get(kind, 0) - points_today(member_id, kind, occurred_at)
    points = max(0, min(settings.points.get(kind, 0), left))
    organization_id = main_organization_id(member_id)
    row = Participation(member_id=member_id, organization_id=organization_id, kind=kind,
                        source=source, occurred_at=occurred_at, hours=credited, points=points,
                        details=details or {})
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:  # a concurrent writer recorded it first
        return None
    add_to_totals(member_id, organization_id, local_year(occurred_at), points, credited)
    return row


def rebuild_totals(year: int) -> int:
    """Recompute every member's totals for `year` from the ledger; the number of members."""
    start = datetime(year, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)
    end = datetime(year + 1, 1, 1, tzinfo=SHANGHAI).astimezone(UTC)
    rows = db.session.execute(
        select(Participation.member_id, func.sum(Participation.points),
               func.sum(Participation.hours), func.count(Participation.id))
        .where(Participation.occurred_at >= start, Participation.occurred_at < end)
        .group_by(Participation.member_id)).all()
    db.session.execute(ParticipationTotal.__table__.delete().where(
        ParticipationTotal.year == year))
    for member_id, points, hours, count in rows:
        db.session.add(ParticipationTotal(
            member_id=member_id, year=year, organization_id=main_organization_id(member_id),
            points=int(points or 0), hours=float(hours or 0), count=int(count)))
    return len(rows)
