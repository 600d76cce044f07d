"""Lecture settings, read from the app config with the committee's defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from flask import current_app


@dataclass(frozen=True)
class LectureSettings:
    """How far ahead orders must be, the hours lectures may start in, the travel buffer."""

    min_days: int = 3
    hours: tuple[time, time] = (time(8), time(21))
    travel_buffer: timedelta = timedelta(hours=1)
    max_audience: int = 2000


def _hours(value: str) -> tuple[time, time]:
    start, end = value.split("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def lecture_settings() -> LectureSettings:
    """LECTURE_MIN_DAYS, LECTURE_HOURS ("08:00-21:00"), LECTURE_TRAVEL_BUFFER_MIN, ..."""
    config = current_app.config
    defaults = LectureSettings()
    return LectureSettings(
        min_days=int(config.get("LECTURE_MIN_DAYS", defaults.min_days)),
        hours=_hours(config["LECTURE_HOURS"]) if config.get("LECTURE_HOURS") else defaults.hours,
        travel_buffer=timedelta(minutes=int(config.get(
            "LECTURE_TRAVEL_BUFFER_MIN", defaults.travel_buffer.total_seconds() // 60))),
        max_audience=int(config.get("LECTURE_MAX_AUDIENCE", defaults.max_audience)),
    )
