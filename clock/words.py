"""Times typed in everyday Chinese ("昨天下午3点", "今晚", "下周三上午", "月底", "12月5日15:00")
read on the committee's clock.

Parsed with jionlp (imported lazily: it takes most of a second), given the committee's wall
clock as its base; a timestamp base would be read in the machine's zone (UTC in
production), which put "昨天" a day early between 00:00 and 08:00. A part of a day without
an hour gets the usual start of that part (上午 9点, 下午 2点, 晚上/今晚 7点); "月底" is the
last day of the month. Results are aware times in the committee's zone.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import clock

SEPARATORS = re.compile(r"[，,；;、]|或者|或是|或")
PART_OF_DAY = (("傍晚", time(18)), ("晚", time(19)), ("下午", time(14)), ("中午", time(12)),
               ("上午", time(9)), ("早上", time(8)), ("早晨", time(8)))
MAX_SLOTS = 3
YEAR_GIVEN = re.compile(r"\d{4}|年")
MONTH_DAY = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")
MONTH_END = re.compile(r"(?<![\d一二三四五六七八九十])(下个?|本|这个?)?月底")


@dataclass(frozen=True)
class SlotProblem:
    """A piece of text that is not a usable time, and why (unparsed, past, too_soon, hours)."""

    text: str
    reason: str


def _jionlp() -> Any:
    """jionlp, imported quietly (it prints a banner on import)."""
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp
    return jionlp


def _month_end(text: str, base: datetime) -> str:
    """"月底" / "本月底" / "下月底" spelled as the month's last date, which jionlp reads."""

    def last_day(match: re.Match[str]) -> str:
        year, month = base.year, base.month
        if match.group(1) and match.group(1).startswith("下"):
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        end = following - timedelta(days=1)
        return f"{end.year}年{end.month}月{end.day}日"

    return MONTH_END.sub(last_day, text)


def shift_year(moment: datetime, years: int) -> datetime | None:
    """The same wall time `years` later (earlier if negative); None for 29 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return None


def _parse_one(text: str, now: datetime) -> datetime | None:
    jionlp = _jionlp()
    base = clock.local(now)
    try:
        parsed: dict[str, Any] = jionlp.parse_time(
            _month_end(text, base), time_base=base.replace(tzinfo=None))
    except (ValueError, TypeError, KeyError, IndexError, AssertionError):
        return None
    if parsed.get("type") not in ("time_point", "time_span"):
        return None
    try:
        start = datetime.strptime(parsed["time"][0], "%Y-%m-%d %H:%M:%S")
        end = datetime.strptime(parsed["time"][1], "%Y-%m-%d %H:%M:%S")
    except (ValueError, TypeError, IndexError):
        return None
    if end - start > timedelta(hours=2):  # only a part of the day (or a whole day) was given
        default = next((t for word, t in PART_OF_DAY if word in text), time(9))
        start = start.replace(hour=default.hour, minute=default.minute)
    start = clock.local(clock.from_wall(start))
    if start <= base and MONTH_DAY.search(text) and not YEAR_GIVEN.search(text):
        # "1月7日" typed in December means next January
        start = shift_year(start, 1) or start
    return start


def parse_time(text: str, now: datetime) -> datetime | None:
    """One time (the committee's zone) from free text such as "昨天下午3点", or None; past
    times kept."""
    return _parse_one(text.strip(), now) if text.strip() else None


def parse_slots(text: str, now: datetime, min_days: int, hours: tuple[time, time]
                ) -> tuple[list[datetime], list[SlotProblem]]:
    """Up to three start times from free text, each checked; problems say which and why."""
    slots: list[datetime] = []
    problems: list[SlotProblem] = []
    earliest = clock.today(now) + timedelta(days=min_days)
    for piece in (p.strip() for p in SEPARATORS.split(text)):
        if not piece:
            continue
        start = _parse_one(piece, now)
        if start is None:
            problems.append(SlotProblem(piece, "unparsed"))
        elif start <= now:
            problems.append(SlotProblem(piece, "past"))
        elif start.date() < earliest:
            problems.append(SlotProblem(piece, "too_soon"))
        elif not hours[0] <= start.timetz().replace(tzinfo=None) <= hours[1]:
            problems.append(SlotProblem(piece, "hours"))
        elif start not in slots:
            slots.append(start)
    return slots[:MAX_SLOTS], problems
