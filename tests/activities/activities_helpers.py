"""Helpers of the activities tests: films in the library, and a screening or committee lecture
written straight into the database."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from models import (
    Activity,
    ActivityAudience,
    ActivityKind,
    CheckIn,
    Material,
    MaterialKind,
    Organization,
    db,
    utcnow,
)

NOW = "2026-12-01 10:00"  # a Tuesday morning in Shanghai


def add_films(app: Flask) -> dict[str, int]:
    """Two films and an article in the library; their ids by slug."""
    with app.app_context():
        rows = [Material(slug="shoudaoren", title="教育片《守岛人》", kind=MaterialKind.FILM,
                         published_on=date(2021, 6, 18), minutes=110),
                Material(slug="film-1921", title="电影《1921》", kind=MaterialKind.FILM,
                         published_on=date(2021, 7, 1), minutes=120),
                Material(slug="dangzhang", title="党章学习", kind=MaterialKind.ARTICLE,
                         published_on=date(2022, 10, 22), minutes=10)]
        db.session.add_all(rows)
        db.session.commit()
        return {m.slug: m.id for m in rows}


def org_id(app: Flask, name: str) -> int:
    """The id of the organisation named so."""
    with app.app_context():
        return int(db.session.scalar(select(Organization.id).where(Organization.name == name)))


def add_activity(app: Flask, kind: str, code: str, organization: int | None = None,
                 starts_in: timedelta = timedelta(minutes=-10), audience: tuple[int, ...] = (),
                 **fields: Any) -> int:
    """An activity starting `starts_in` from now (90 minutes long) with `code`; its id."""
    with app.app_context():
        start: datetime = utcnow() + starts_in
        activity = Activity(kind=kind, title=fields.pop("title", "守岛人"),
                            organization_id=organization, starts_at=start,
                            ends_at=start + timedelta(minutes=90), checkin_code=code,
                            created_by="test", **fields)
        activity.audience = [ActivityAudience(organization_id=o) for o in audience]
        db.session.add(activity)
        db.session.commit()
        return activity.id


def screening(app: Flask, code: str, organization: int, **fields: Any) -> int:
    """A screening of the organisation, running now."""
    return add_activity(app, ActivityKind.SCREENING, code, organization, **fields)


def present(app: Flask, activity_id: int) -> list[str]:
    """The userids checked in (present) to the activity, in order."""
    with app.app_context():
        rows = db.session.scalars(select(CheckIn).where(
            CheckIn.activity_id == activity_id, CheckIn.status == "present")
            .order_by(CheckIn.id)).all()
        return [r.member.userid for r in rows]
