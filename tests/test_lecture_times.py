"""Are times typed in everyday Chinese read as contacts mean them?"""

from __future__ import annotations

from datetime import datetime, time

import pytest

from content.texts import SHANGHAI
from lectures.times import parse_slots, show

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
