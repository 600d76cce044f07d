"""Are times typed in everyday Chinese read as contacts mean them, on the committee's clock?"""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from clock.words import parse_slots, parse_time, shift_year
from content.texts import local_day_time as show
from tests.helpers import SHANGHAI

pytestmark = pytest.mark.clock

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=SHANGHAI)  # a Sunday
HOURS = (time(8), time(21))


@pytest.mark.parametrize(("text", "expected"), [
    ("12月5日下午3点", ["12月5日（周六）15:00"]),
    ("下周三上午", ["11月25日（周三）09:00"]),
    ("2026-12-05 15:00", ["12月5日（周六）15:00"]),
    ("12月6日晚上7点半", ["12月6日（周日）19:30"]),
    ("下周三上午，或者12月10日下午2点", ["11月25日（周三）09:00", "12月10日（周四）14:00"]),
])
def test_slots_are_read(text: str, expected: list[str]):
    """Dates, weekdays, parts of the day and several slots in one message."""
    slots, problems = parse_slots(text, NOW, 3, HOURS)
    assert [show(s) for s in slots] == expected and problems == []


@pytest.mark.parametrize(("text", "reason"), [
    ("随便", "unparsed"),
    ("昨天下午3点", "past"),
    ("明天下午3点", "too_soon"),
    ("12月5日凌晨3点", "hours"),
])
def test_unusable_slots_say_why(text: str, reason: str):
    """Each unusable time is reported with its reason."""
    slots, problems = parse_slots(text, NOW, 3, HOURS)
    assert slots == [] and [p.reason for p in problems] == [reason]


def test_january_typed_in_december_is_next_year():
    """Is "1月7日" typed on 28 December read as next January, but "昨天" still past?"""
    december = datetime(2026, 12, 28, 10, 0, tzinfo=SHANGHAI)
    slots, _ = parse_slots("1月7日下午3点", december, 3, HOURS)
    assert slots[0].year == 2027
    assert parse_slots("2026年1月7日下午3点", december, 3, HOURS)[1][0].reason == "past"


# 02:30 in Shanghai is 18:30 UTC of the day before: a base read in UTC moves every "昨天".
EARLY = datetime(2027, 1, 1, 2, 30, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("now", "text", "expected"), [
    (EARLY, "昨天下午3点", datetime(2026, 12, 31, 15, 0)),
    (EARLY, "今晚", datetime(2027, 1, 1, 19, 0)),
    (EARLY, "今天晚上7点半", datetime(2027, 1, 1, 19, 30)),
    (EARLY, "明天上午", datetime(2027, 1, 2, 9, 0)),
    (EARLY, "下周三", datetime(2027, 1, 6, 9, 0)),
    (EARLY, "月底", datetime(2027, 1, 31, 9, 0)),
    (EARLY, "下个月底下午2点", datetime(2027, 2, 28, 14, 0)),
    (datetime(2027, 3, 31, 23, 59, tzinfo=SHANGHAI), "明天上午", datetime(2027, 4, 1, 9, 0)),
    (datetime(2027, 4, 1, 0, 1, tzinfo=SHANGHAI), "昨天下午3点", datetime(2027, 3, 31, 15, 0)),
    (datetime(2027, 4, 1, 7, 59, tzinfo=SHANGHAI), "昨天下午3点", datetime(2027, 3, 31, 15, 0)),
    (datetime(2027, 4, 1, 8, 1, tzinfo=SHANGHAI), "昨天下午3点", datetime(2027, 3, 31, 15, 0)),
    (datetime(2028, 2, 28, 7, 0, tzinfo=SHANGHAI), "明天上午", datetime(2028, 2, 29, 9, 0)),
    (datetime(2028, 2, 10, 7, 0, tzinfo=SHANGHAI), "月底", datetime(2028, 2, 29, 9, 0)),
])
def test_relative_days_are_the_committees(now: datetime, text: str, expected: datetime):
    """Is each relative day counted from the committee's date, whatever the UTC date?"""
    for base in (now, now.astimezone(UTC)):  # the zone the caller's time is in does not matter
        parsed = parse_time(text, base)
        assert parsed is not None and parsed.replace(tzinfo=None) == expected
        assert parsed.utcoffset() == SHANGHAI.utcoffset(expected)


def test_slots_before_eight_in_the_morning_count_from_the_local_day():
    """At 07:30 Shanghai (23:30 UTC the day before), is 后天 two committee days ahead?"""
    early = datetime(2027, 1, 1, 7, 30, tzinfo=SHANGHAI)
    slots, problems = parse_slots("后天下午3点", early, 2, HOURS)
    assert [show(s) for s in slots] == ["1月3日（周日）15:00"] and problems == []
    assert parse_slots("明天下午3点", early, 2, HOURS)[1][0].reason == "too_soon"


def test_a_leap_day_has_no_twin_a_year_away():
    """Is 29 February moved a year only where the year has one?"""
    leap = datetime(2028, 2, 29, 9, 0, tzinfo=SHANGHAI)
    assert shift_year(leap, 1) is None and shift_year(leap, 4) == leap.replace(year=2032)


def test_unreadable_text_is_none():
    """Is text that is no time an honest None, not an invention?"""
    assert parse_time("随便什么时候", EARLY) is None and parse_time("  ", EARLY) is None
