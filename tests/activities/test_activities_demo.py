"""The demo's year of activities: screenings of the library's films across the demo
organisations and committee lectures with outside speakers, each with check-ins credited in
the ledger, two of each kind this month; the rows it says it wrote are the rows written."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

import clock
from activities.demo import LECTURES, SCREENINGS, seed_demo_year
from models import (
    Activity,
    ActivityAudience,
    ActivityKind,
    CheckIn,
    Material,
    Membership,
    Participation,
    db,
)
from roster.demo import seed_demo
from study.library import sync_library


def _count(query) -> int:
    return int(db.session.scalar(query) or 0)


def test_demo_year_of_screenings_and_lectures(app: Flask, travel):
    """Does a fresh demo database get ~30 screenings of films and 10 committee lectures this
    year, with check-ins of members of the screening's organisation, ledger rows for each,
    two of each kind this month (one ahead, nobody checked in), and the count it returns?"""
    travel("2026-12-10 20:00")
    with app.app_context():
        seed_demo()
        sync_library()
        db.session.commit()
        today = clock.today()
        written = seed_demo_year(today)
        db.session.commit()
        activities = db.session.scalars(select(Activity).order_by(Activity.id)).all()
        screenings = [a for a in activities if a.kind == ActivityKind.SCREENING]
        lectures = [a for a in activities if a.kind == ActivityKind.LECTURE]
        assert (len(screenings), len(lectures)) == (SCREENINGS, LECTURES)
        films = {a.material_id for a in screenings}
        assert len(films) >= 2
        assert {db.session.get(Material, f).kind for f in films} == {"film"}
        year = clock.year(2026)
        assert all(year.start <= a.starts_at < year.end + timedelta(days=4) for a in activities)
        month = clock.month(2026, 12)
        for kind in (screenings, lectures):
            assert sum(1 for a in kind if a.starts_at in month) >= 2
            ahead = [a for a in kind if a.starts_at > clock.utcnow()]
            assert ahead and all(not _count(select(func.count(CheckIn.id)).where(
                CheckIn.activity_id == a.id)) for a in ahead)
        check_ins = _count(select(func.count(CheckIn.id)).where(CheckIn.activity_id.is_not(None)))
        ledger = _count(select(func.count(Participation.id)).where(
            Participation.source.like("activity:%")))
        audiences = _count(select(func.count(ActivityAudience.id)))
        assert check_ins > SCREENINGS and ledger == check_ins
        assert written == len(activities) + audiences + check_ins + ledger
        assert all(3 <= len(a.audience) <= 8 and a.speaker and a.organization_id is None
                   for a in lectures)
        strangers = _count(select(func.count(CheckIn.id)).join(
            Activity, Activity.id == CheckIn.activity_id).where(
            Activity.kind == ActivityKind.SCREENING, ~select(Membership.id).where(
                Membership.member_id == CheckIn.member_id,
                Membership.organization_id == Activity.organization_id).exists()))
        assert strangers == 0  # a screening's attendees are its organisation's members
        kinds = dict(db.session.execute(
            select(Participation.kind, func.count(Participation.id))
            .where(Participation.source.like("activity:%")).group_by(Participation.kind)).all())
        assert kinds.get("screening", 0) > 0 and kinds.get("lecture", 0) > 0
