"""The demo clock: move the demo's time ahead, so what waits for a lecture's time (签到, 人数,
评单) can be tried in `./dev demo` (the sandbox's `/clock` command).

The clock package runs `offset` ahead of real time once the demo allowed it (`enable`, only on
a database marked as the demo's): every `clock.utcnow()` and the chat pipeline's clock move
together. After a move the lecture tick runs once, as cron would have meanwhile (reminders of
lectures within a day, follow-ups of ended ones: the order completes, 人数 and 评单 are asked).
Only forward; `/clock now` is real time again. Nothing of this runs outside the demo.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from flask import Flask

import clock
from bot.demo_data import is_demo_database
from bot.jobs import enqueue_deliveries
from clock.words import parse_time
from lectures.followup import run_due

STEP = re.compile(r"\+(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?:in)?)?", re.IGNORECASE)
STAMP = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?")
USAGE = ("usage: /clock +2h | +1d | +1d2h30m | 2026-12-08 15:00 | 明天下午3点 | now "
         "(moves the demo's time ahead; now: back to real time)")


class ClockRefused(ValueError):
    """A /clock argument the demo cannot act on; the message says why (plain English)."""


def enable(app: Flask) -> None:
    """Let the demo's clock move (its database must be the demo's) and make the chat pipeline
    read it; RuntimeError on any other database."""
    with app.app_context():
        if not is_demo_database():
            raise RuntimeError("the demo clock runs only on the demo's own database")
    clock.allow_offset()
    pipeline = app.extensions["pioneer_pipeline"]
    pipeline.clock = clock.timestamp
    pipeline.conversations.clock = clock.timestamp


def target(text: str, now: datetime) -> datetime | None:
    """The moment `text` names, from `now`: "+2h", "+1d30m", "2026-12-08 15:00" (committee
    time), everyday Chinese ("明天下午3点"); None for "now" (real time)."""
    text = text.strip()
    if text.lower() == "now":
        return None
    step = STEP.fullmatch(text)
    if step and any(step.groups()):
        days, hours, minutes = (int(g or 0) for g in step.groups())
        return now + timedelta(days=days, hours=hours, minutes=minutes)
    stamp = STAMP.fullmatch(text)
    if stamp:
        year, month, day, hour, minute = (int(g) if g else 0 for g in stamp.groups())
        try:
            return clock.from_wall(datetime(year, month, day, hour, minute))
        except ValueError as exc:
            raise ClockRefused(f"{text!r} is not a date: {exc}") from exc
    parsed = parse_time(text, now)
    if parsed is None:
        raise ClockRefused(f"cannot read {text!r}; {USAGE}")
    return parsed


def move(text: str) -> datetime:
    """Move the demo's clock as `text` says; the new demo time. ClockRefused for an unreadable
    time or one before the demo's present (its records would then lie in the future)."""
    now = clock.utcnow()
    moment = target(text, now)
    if moment is None:
        clock.set_offset(timedelta(0))
        return clock.utcnow()
    if moment <= now:
        raise ClockRefused(f"{describe(moment)} is not after the demo's time {describe(now)}; "
                           "the demo clock only moves ahead (/clock now: real time)")
    clock.set_offset(clock.offset() + (moment - now))
    return clock.utcnow()


def catch_up() -> tuple[int, int]:
    """Run the lecture tick once at the demo's time, its messages sent: (reminded, completed)."""
    result = run_due()
    enqueue_deliveries(list(result.outbound_ids))
    return result.reminded, result.completed


def describe(moment: datetime | None = None) -> str:
    """The demo's time on the committee's wall clock, and how far ahead of real time it is."""
    moment = moment or clock.utcnow()
    ahead = clock.offset()
    wall = f"{clock.local(moment):%Y-%m-%d %H:%M}"
    if ahead <= timedelta(0):
        return f"{wall} (real time)"
    hours, rest = divmod(int(ahead.total_seconds()) // 60, 60)
    days, hours = divmod(hours, 24)
    return f"{wall} ({days}d {hours}h {rest}m ahead of real time)"


def command(app: Flask | None, text: str) -> list[str]:
    """The sandbox's /clock: show the demo's time, or move it and run the lecture tick; the
    lines to print."""
    if not text.strip():
        return [f"demo time / 演示时间: {describe()}", USAGE]
    if app is None:
        return ["(no app: the demo clock needs the running demo)"]
    try:
        moved = move(text)
    except (ClockRefused, RuntimeError) as exc:
        return [f"(clock not moved: {exc})"]
    if not clock.offset():
        return [f"demo time / 演示时间: {describe(moved)}"]
    with app.app_context():
        reminded, completed = catch_up()
    asked = " (their 人数 and 评单 asked)" if completed else ""
    return [f"demo time / 演示时间: {describe(moved)}",
            f"lecture tick: {reminded} reminded, {completed} completed{asked}"]
