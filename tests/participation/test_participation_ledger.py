"""The participation ledger: once per member and source, hours, capped points, yearly totals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from models import Participation, ParticipationTotal, db
from participation import ledger
from participation.ledger import Credit, rebuild_totals, record, record_many
from participation.settings import participation_settings
from tests.helpers import SHANGHAI

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
    app.config["PARTICIPATION_POINTS"] = "lecture=8, crossword=3"  # no such kind
    with app.app_context(), pytest.raises(ValueError, match="crossword"):
        participation_settings()
    app.config["PARTICIPATION_POINTS"] = "lecture=8"
    with app.app_context():
        assert participation_settings().points["lecture"] == 8


def test_record_many_matches_record_one_by_one(app: Flask, make_member: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Does the bulk record write what `record` would member by member: the daily cap left,
    hours capped, the main organisation, details, totals; skipping the one recorded before and
    a member named twice; across several statements?"""
    monkeypatch.setattr(ledger, "BULK_CHUNK", 2)
    ids = [make_member(f"bulk{n}").id for n in range(5)]
    source, day_before = "material:50", NOON - timedelta(days=1)
    with app.app_context():
        for n in range(6):
            record(ids[0], "material_read", f"material:{n}", NOON)  # at today's cap (6)
        for n in range(4):
            record(ids[1], "material_read", f"material:{n}", NOON)  # 4 of 6 today
        record(ids[2], "material_read", source, day_before)  # this source already recorded
        record(ids[3], "material_read", "material:9", day_before)  # yesterday's: not today's
        db.session.commit()
        hours = {ids[3]: 100.0}  # capped at the kind's

        def written() -> tuple[dict[int, tuple[Any, ...]], dict[int, tuple[int, float, int]]]:
            rows = db.session.scalars(select(Participation).where(
                Participation.source == source, Participation.occurred_at == NOON))
            return ({r.member_id: (r.points, r.hours, r.organization_id, r.details) for r in rows},
                    {i: _totals(i) for i in ids})

        recorded = record_many([*(Credit(i, hours.get(i), {"n": i}) for i in ids),
                                Credit(ids[4], 2.0, {"twice": True})],
                               "material_read", source, NOON)
        bulk = written()
        db.session.rollback()
        singles = {i for i in ids if record(i, "material_read", source, NOON, hours=hours.get(i),
                                            details={"n": i}) is not None}
        one_by_one = written()
        db.session.rollback()
        kind_hours = participation_settings().hours["material_read"]
    assert recorded == singles == {ids[0], ids[1], ids[3], ids[4]}
    assert bulk == one_by_one
    assert [bulk[0][i][0] for i in (ids[0], ids[1], ids[3], ids[4])] == [0, 1, 1, 1]
    assert bulk[0][ids[3]][1] == kind_hours


def test_the_daily_cap_turns_at_midnight_not_at_eight(app: Flask, make_member: Any) -> None:
    """Do 07:59 and 08:01 on 1 January (where the UTC date turns) share one day's cap, while
    23:59 on 31 December is another day, and another year?"""
    member = make_member("ledger6")
    morning = datetime(2027, 1, 1, 7, 59, tzinfo=SHANGHAI)
    with app.app_context():
        points = [record(member.id, "material_read", f"material:{n}", morning).points
                  for n in range(6)]
        after_eight = record(member.id, "material_read", "material:97",
                             morning + timedelta(minutes=2))
        new_years_eve = record(member.id, "material_read", "material:96",
                               datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI))
        db.session.commit()
        assert points == [1] * 6 and after_eight.points == 0 and new_years_eve.points == 1
        assert _totals(member.id, 2027)[0] == 6 and _totals(member.id, 2026)[0] == 1
        leap = datetime(2028, 2, 29, 0, 1, tzinfo=SHANGHAI)
        assert record(member.id, "material_read", "material:95", leap).points == 1
        assert ledger.points_today(member.id, "material_read", leap) == 1
        assert ledger.points_today(member.id, "material_read", leap - timedelta(minutes=2)) == 0
