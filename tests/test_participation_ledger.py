"""The participation ledger: once per member and source, hours, capped points, yearly totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from models import Participation, ParticipationTotal, db
from participation.ledger import rebuild_totals, record
from participation.settings import participation_settings

NOON = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def _totals(member_id: int, year: int = 2026) -> tuple[int, float, int]:
    row = db.session.scalars(select(ParticipationTotal).where(
        ParticipationTotal.member_id == member_id, ParticipationTotal.year == year)).one()
    return row.points, row.hours, row.count


def test_one_row_per_member_kind_and_source(app: Flask, make_member: Any) -> None:
    member = make_member("ledger1")
    with app.app_context():
        first = record(member.id, "lecture", "lecture:1", NOON)
        again = record(member.id, "lecture", "lecture:1", NOON + timedelta(hours=1))
        other = record(member.id, "reflection", "lecture:1", NOON)
        db.session.commit()
        assert first is not None and first.hours == 2.0 and first.points == 5
        assert first.organization_id is not None
        assert again is None and other is not None
        assert db.session.scalar(select(db.func.count(Participation.id))) == 2
        assert _totals(member.id) == (10, 3.0, 2)


def test_points_are_capped_per_kind_per_local_day(app: Flask, make_member: Any) -> None:
    member = make_member("ledger2")
    with app.app_context():
        points = [record(member.id, "material_read", f"material:{n}", NOON).points
                  for n in range(8)]
        # 23:30 Shanghai the same day still counts against that day's cap ...
        late = record(member.id, "material_read", "material:98", NOON + timedelta(hours=11.5))
        # ... 00:30 the next day starts a new one.
        next_day = record(member.id, "material_read", "material:99",
                          NOON + timedelta(hours=12.5))
        db.session.commit()
        assert points == [1, 1, 1, 1, 1, 1, 0, 0]
        assert late.points == 0 and next_day.points == 1
        assert _totals(member.id)[0] == 7


def test_given_hours_are_capped_at_the_kind(app: Flask, make_member: Any) -> None:
    member = make_member("ledger3")
    with app.app_context():
        short = record(member.id, "live", "live:1", NOON, hours=0.75)
        long = record(member.id, "live", "live:2", NOON, hours=5)
        db.session.commit()
        assert (short.hours, long.hours) == (0.75, 2.0)


def test_the_year_is_shanghai_time(app: Flask, make_member: Any) -> None:
    member = make_member("ledger4")
    with app.app_context():
        record(member.id, "lecture", "lecture:7", datetime(2026, 12, 31, 17, 0, tzinfo=UTC))
        db.session.commit()
        assert _totals(member.id, 2027) == (5, 2.0, 1)


def test_totals_can_be_rebuilt_from_the_ledger(app: Flask, make_member: Any) -> None:
    member = make_member("ledger5")
    with app.app_context():
        record(member.id, "lecture", "lecture:1", NOON)
        record(member.id, "reflection", "reflection:1", NOON)
        db.session.commit()
        db.session.execute(ParticipationTotal.__table__.update().values(points=999))
        assert rebuild_totals(2026) == 1
        db.session.commit()
        assert _totals(member.id) == (10, 3.0, 2)


def test_settings_refuse_unknown_kinds(app: Flask) -> None:
    app.config["PARTICIPATION_POINTS"] = "lecture=8, quiz=3"
    with app.app_context(), pytest.raises(ValueError, match="quiz"):
        participation_settings()
    app.config["PARTICIPATION_POINTS"] = "lecture=8"
    with app.app_context():
        assert participation_settings().points["lecture"] == 8
