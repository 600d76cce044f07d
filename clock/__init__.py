"""The committee's clock: the one place that knows its time zone and cuts its days.

Every stored time is an aware UTC datetime. A day, week, month, quarter or year is always
the committee's (the COMMITTEE_TIMEZONE setting, default Asia/Shanghai): a reading at
23:30 UTC on 31 December belongs to 1 January of the next year, and "today" turns at
midnight there, not at 08:00. Code outside this package never builds a zone, never calls
`date.today()` or a zone-less `datetime.now()` and never takes `.date()` or `.year` of a
UTC time; tests/clock/test_clock_rules.py fails when it does (docs/time.md says why).

This package imports nothing of Pioneer's, so every layer may use it.

The demo alone may move this clock ahead (`allow_offset`, then `set_offset`: the sandbox's
`/clock` command, so a lecture's 签到, 人数 and 评单 can be reached); nothing else calls them,
which tests/sandbox/test_demo_clock.py checks, so a deployment's clock is always the real one.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"

_zone = ZoneInfo(DEFAULT_ZONE)
_offset = timedelta(0)  # how far the demo moved the clock ahead (always 0 outside the demo)
_offset_allowed = False


def zone() -> ZoneInfo:
    """The committee's time zone."""
    return _zone


def set_zone(name: str) -> None:
    """Make `name` (an IANA zone such as "Asia/Shanghai") the committee's zone."""
    global _zone
    try:
        _zone = ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"{name!r} is not a known time zone (e.g. {DEFAULT_ZONE})") from error


def utcnow() -> datetime:
    """Now, as an aware UTC datetime (what every stored time is)."""
    return datetime.now(UTC) + _offset


def timestamp() -> float:
    """Now in seconds since the epoch (the chat pipeline's clock), moved as `utcnow` is."""
    return _time.time() + _offset.total_seconds()


def allow_offset(allowed: bool = True) -> None:
    """Let this process's clock be moved: called by the demo (pioneer/demo_clock.py, from
    sandbox/chat.py) only, once it holds the demo's own database; False puts it back to real
    time for good."""
    global _offset, _offset_allowed
    _offset_allowed = allowed
    if not allowed:
        _offset = timedelta(0)


def set_offset(offset: timedelta) -> None:
    """Run this process's clock `offset` ahead of real time (timedelta(0): real time again);
    RuntimeError unless the demo allowed it."""
    global _offset
    if not _offset_allowed:
        raise RuntimeError("the clock can be moved only in the demo")
    _offset = offset


def offset() -> timedelta:
    """How far the clock runs ahead of real time (zero except in a demo that moved it)."""
    return _offset


def local(moment: datetime) -> datetime:
    """An aware time as the committee's wall clock shows it; a naive one is refused."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the committee's clock")
    return moment.astimezone(_zone)


def today(now: datetime | None = None) -> date:
    """The committee's calendar date at `now` (default: this moment)."""
    return local(now or utcnow()).date()


def at(day: date, wall: time = time()) -> datetime:
    """The UTC moment at which the committee's wall clock shows `day` `wall`."""
    return datetime.combine(day, wall.replace(tzinfo=None), _zone).astimezone(UTC)


def wall(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """`day` at hour:minute on the committee's wall clock, as an aware local datetime."""
    return datetime.combine(day, time(hour, minute), _zone)


def from_wall(naive: datetime) -> datetime:
    """A naive wall-clock time typed or parsed in the committee's zone, as aware UTC."""
    if naive.tzinfo is not None:
        return naive.astimezone(UTC)
    return naive.replace(tzinfo=_zone).astimezone(UTC)


def year_of(moment: datetime) -> int:
    """The committee's calendar year holding `moment`."""
    return local(moment).year


def quarter_number(moment: datetime) -> tuple[int, int]:
    """The committee's (year, quarter 1–4) holding `moment`."""
    day = local(moment)
    return day.year, (day.month - 1) // 3 + 1


@dataclass(frozen=True)
class Period:
    """A half-open span [start, end) of UTC times covering whole committee days."""

    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        """The span's first calendar day (the committee's)."""
        return local(self.start).date()

    @property
    def last_day(self) -> date:
        """The span's last calendar day (inclusive)."""
        return local(self.end).date() - timedelta(days=1)

    def __contains__(self, moment: datetime) -> bool:
        """Does the span hold `moment`?"""
        return self.start <= moment < self.end


def days(first: date, last: date) -> Period:
    """The committee's days `first` to `last`, both included."""
    if last < first:
        raise ValueError(f"period ends ({last}) before it starts ({first})")
    return Period(at(first), at(last + timedelta(days=1)))


def day(which: date) -> Period:
    """One committee day."""
    return days(which, which)


def week(which: date) -> Period:
    """The Monday-to-Sunday week holding `which`."""
    monday = which - timedelta(days=which.weekday())
    return days(monday, monday + timedelta(days=6))


def month(year: int, number: int) -> Period:
    """A calendar month."""
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return Period(at(date(year, number, 1)), at(following))


def quarter(year: int, number: int) -> Period:
    """A calendar quarter (1–4)."""
    if not 1 <= number <= 4:
        raise ValueError(f"quarter {number} is not 1 to 4")
    following = date(year + 1, 1, 1) if number == 4 else date(year, 3 * number + 1, 1)
    return Period(at(date(year, 3 * number - 2, 1)), at(following))


def year(number: int) -> Period:
    """A calendar year."""
    return Period(at(date(number, 1, 1)), at(date(number + 1, 1, 1)))


def day_of(moment: datetime) -> Period:
    """The committee day holding `moment`."""
    return day(today(moment))


def week_of(moment: datetime) -> Period:
    """The committee week (Monday to Sunday) holding `moment`."""
    return week(today(moment))


def month_of(moment: datetime) -> Period:
    """The committee month holding `moment`."""
    local_moment = local(moment)
    return month(local_moment.year, local_moment.month)


def quarter_of(moment: datetime) -> Period:
    """The committee quarter holding `moment`."""
    return quarter(*quarter_number(moment))


def year_period_of(moment: datetime) -> Period:
    """The committee year holding `moment`."""
    return year(year_of(moment))


def day_of_quarter(moment: datetime) -> int:
    """Which day of its committee quarter `moment` falls on, 1-based."""
    return (today(moment) - quarter_of(moment).first_day).days + 1
