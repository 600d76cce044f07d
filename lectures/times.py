"""Times typed by contacts in everyday Chinese ("下周三上午", "12月5日下午3点") → start times.

Parsed with jionlp (imported lazily: it takes most of a second); a part of a day without an
hour gets the usual start of that part (上午 9点, 下午 2点, 晚上 7点).
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from content.texts import SHANGHAI

SEPARATORS = re.compile(r"[，,；;、]|或者|或是|或")
PART_OF_DAY = (("晚上", time(19)), ("傍晚", time(18)), ("下午", time(14)), ("中午", time(12)),
               ("上午", time(9)), ("早上", time(8)))
MAX_SLOTS = 3
YEAR_GIVEN = re.compile(r"\d{4}|年")
MONTH_DAY = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")


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


def _parse_one(text: str, now: datetime) -> datetime | None:
    jionlp = _jionlp()
    base = now.astimezone(SHANGHAI)
    try:
        parsed: dict[str, Any] = jionlp.parse_time(text, time_base=base.timestamp())
    except (ValueError, TypeError, KeyError, IndexError):
        return None
    if parsed.get("type") not in ("time_point", "time_span"):
        return None
    start = datetime.strptime(parsed["time"][0], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    end = datetime.strptime(parsed["time"][1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    if end - start > timedelta(hours=2):  # only a part of the day (or a whole day) was given
        default = next((t for word, t in PART_OF_DAY if word in text), time(9))
        start = start.replace(hour=default.hour, minute=default.minute)
    if start <= base and MONTH_DAY.search(text) and not YEAR_GIVEN.search(text):
        # "1月7日" typed in December means next January
        start = start.replace(year=start.year + 1)
    return start


def parse_time(text: str, now: datetime) -> datetime | None:
    """One time (Asia/Shanghai) from free text such as "昨天下午3点", or None; past times kept."""
    return _parse_one(text.strip(), now) if text.strip() else None


def parse_slots(text: str, now: datetime, min_days: int, hours: tuple[time, time]
                ) -> tuple[list[datetime], list[SlotProblem]]:
    """Up to three start times from free text, each checked; problems say which and why."""
    slots: list[datetime] = []
    problems: list[SlotProblem] = []
    earliest = (now.astimezone(SHANGHAI) + timedelta(days=min_days)).date()
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


def show(moment: datetime) -> str:
    """A start time as contacts read it: 12月5日（周五）15:00."""
    local = moment.astimezone(SHANGHAI)
    weekday = "一二三四五六日"[local.weekday()]
    return f"{local.month}月{local.day}日（周{weekday}）{local:%H:%M}"
