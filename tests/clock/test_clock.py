"""Does the committee's clock cut days, weeks, months, quarters and years in its own zone?"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

import clock
from bot.config import ConfigError, normalise
from tests.helpers import SHANGHAI

pytestmark = pytest.mark.clock


def utc(*parts: int) -> datetime:
    """A UTC moment."""
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(("moment", "day"), [
    (utc(2026, 12, 31, 15, 59), date(2026, 12, 31)),  # 23:59 Shanghai
    (utc(2026, 12, 31, 16, 1), date(2027, 1, 1)),     # 00:01 Shanghai, still 31 Dec in UTC
    (utc(2027, 3, 31, 23, 59), date(2027, 4, 1)),     # 07:59 Shanghai
    (utc(2027, 4, 1, 0, 1), date(2027, 4, 1)),        # 08:01 Shanghai, the UTC date turns
    (utc(2028, 2, 28, 16, 30), date(2028, 2, 29)),    # the leap day begins at 16:00 UTC
])
def test_today_turns_at_midnight_in_shanghai(moment: datetime, day: date):
    """Does the committee's date turn at its midnight, not at 08:00 (UTC's)?"""
    assert clock.today(moment) == day
    assert clock.day_of(moment).first_day == day
    assert moment in clock.day_of(moment)


def test_today_without_a_moment_reads_the_running_clock(travel: Any):
    """Does clock.today() follow the clock a test sets (02:30 Shanghai, 1 January)?"""
    travel("2027-01-01 02:30")
    assert clock.today() == date(2027, 1, 1)
    assert clock.utcnow().date() == date(2026, 12, 31)


@pytest.mark.parametrize(("period", "start", "end"), [
    (clock.day(date(2027, 1, 1)), utc(2026, 12, 31, 16), utc(2027, 1, 1, 16)),
    (clock.month(2028, 2), utc(2028, 1, 31, 16), utc(2028, 2, 29, 16)),
    (clock.month(2026, 12), utc(2026, 11, 30, 16), utc(2026, 12, 31, 16)),
    (clock.quarter(2027, 1), utc(2026, 12, 31, 16), utc(2027, 3, 31, 16)),
    (clock.quarter(2027, 4), utc(2027, 9, 30, 16), utc(2027, 12, 31, 16)),
    (clock.year(2027), utc(2026, 12, 31, 16), utc(2027, 12, 31, 16)),
    (clock.week(date(2027, 1, 1)), utc(2026, 12, 27, 16), utc(2027, 1, 3, 16)),
    (clock.days(date(2028, 2, 28), date(2028, 3, 1)), utc(2028, 2, 27, 16), utc(2028, 3, 1, 16)),
])
def test_periods_are_half_open_utc_spans_of_committee_days(period: clock.Period,
                                                           start: datetime, end: datetime):
    """Is each period [first local midnight, next local midnight) in UTC?"""
    assert (period.start, period.end) == (start, end)
    assert period.start in period and period.end not in period


@pytest.mark.parametrize(("moment", "year", "quarter", "day_of_quarter"), [
    (utc(2026, 12, 31, 15, 59), 2026, 4, 92),
    (utc(2026, 12, 31, 16, 0), 2027, 1, 1),
    (utc(2027, 3, 31, 16, 0), 2027, 2, 1),
    (utc(2027, 6, 30, 15, 59), 2027, 2, 91),
    (utc(2028, 2, 29, 4, 0), 2028, 1, 60),
])
def test_years_and_quarters_at_their_edges(moment: datetime, year: int, quarter: int,
                                           day_of_quarter: int):
    """Is the last minute of a quarter in it, and the first of the next in that?"""
    assert clock.year_of(moment) == year
    assert clock.quarter_number(moment) == (year, quarter)
    assert clock.quarter_of(moment) == clock.quarter(year, quarter)
    assert clock.year_period_of(moment) == clock.year(year)
    assert clock.day_of_quarter(moment) == day_of_quarter


def test_month_of_and_its_last_day():
    """Does month_of hold the month's last minute, and know 29 February?"""
    february = clock.month_of(utc(2028, 2, 29, 15, 59))
    assert (february.first_day, february.last_day) == (date(2028, 2, 1), date(2028, 2, 29))
    assert clock.month_of(utc(2028, 2, 29, 16, 0)).first_day == date(2028, 3, 1)


def test_wall_times_round_trip():
    """Is a wall time typed in Shanghai stored as the right UTC moment, and shown back?"""
    stored = clock.from_wall(datetime(2027, 1, 1, 7, 30))
    assert stored == utc(2026, 12, 31, 23, 30)
    assert clock.local(stored).replace(tzinfo=None) == datetime(2027, 1, 1, 7, 30)
    assert clock.at(date(2027, 1, 1), time(7, 30)) == stored
    assert clock.wall(date(2027, 1, 1), 7, 30) == stored
    with pytest.raises(ValueError, match="naive"):
        clock.local(datetime(2027, 1, 1))
    with pytest.raises(ValueError, match="before it starts"):
        clock.days(date(2027, 1, 2), date(2027, 1, 1))
    with pytest.raises(ValueError, match="quarter"):
        clock.quarter(2027, 5)


@pytest.fixture
def other_zone() -> Iterator[None]:
    """The zone is put back after a test that changes it."""
    yield
    clock.set_zone(clock.DEFAULT_ZONE)


def test_the_zone_is_a_setting(other_zone: None):
    """Does COMMITTEE_TIMEZONE move every cut, and does a bad name stop start-up?"""
    settings = {"WECOM_AES_KEY": "a" * 43, "WECOM_AGENT_ID": "1"}
    assert normalise(settings)["COMMITTEE_TIMEZONE"] == "Asia/Shanghai"
    assert clock.zone() == SHANGHAI
    normalise({**settings, "COMMITTEE_TIMEZONE": "Asia/Urumqi"})  # UTC+6
    assert clock.today(utc(2026, 12, 31, 17, 59)) == date(2026, 12, 31)
    assert clock.today(utc(2026, 12, 31, 18, 0)) == date(2027, 1, 1)
    with pytest.raises(ConfigError, match="COMMITTEE_TIMEZONE: 'Mars/Olympus' is not a known"):
        normalise({**settings, "COMMITTEE_TIMEZONE": "Mars/Olympus"})
