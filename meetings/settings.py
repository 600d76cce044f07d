"""The 三会一课 settings: which meetings each organisation must hold, when the quarterly reminder
goes out, how long a meeting lasts and how long its record stays open.

Requirements per meeting kind are "quarter" (at least once a quarter) or "month" (at least
once a month, so three a quarter); the defaults follow the party's rules for branches:
支部党员大会 and 党课 each quarter, 支委会 and 党小组会 each month (主题党日 not checked).
Override with MEETING_REQUIREMENTS="assembly=quarter,committee=month,..." ("none" drops a
kind). The reminder goes from day MEETING_REMIND_DAY of the quarter (default 61: the first
day of its last month); a record may be changed for MEETING_EDIT_DAYS (default 7).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from flask import current_app

from models import MeetingKind
from participation.settings import participation_settings

FREQUENCIES = {"quarter": 1, "month": 3}  # meetings a quarter
DEFAULT_REQUIREMENTS = {MeetingKind.ASSEMBLY: "quarter", MeetingKind.LESSON: "quarter",
                        MeetingKind.COMMITTEE: "month", MeetingKind.GROUP: "month"}


@dataclass(frozen=True)
class MeetingSettings:
    """Required meetings, when to remind, how long a meeting lasts, how far back to record."""

    requirements: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_REQUIREMENTS))
    remind_day: int = 61  # day of the quarter (1-based) from which reminders go out
    minutes: int = 120  # a meeting's assumed length (for the check-in window)
    past_days: int = 92  # a meeting may be recorded this long afterwards
    ahead_days: int = 60  # and this long before
    quiet_hours: tuple[time, time] = (time(21), time(8))
    edit_days: int = 7  # a record may be changed this long after it was held or recorded
    max_photos: int = 6  # photos one meeting's record keeps


def _requirements(value: str) -> dict[str, str]:
    """Parse "kind=quarter,kind=month,kind=none", refusing unknown kinds and frequencies."""
    result = dict(DEFAULT_REQUIREMENTS)
    for part in filter(None, (p.strip() for p in value.split(","))):
        kind, _, frequency = (x.strip() for x in part.partition("="))
        if kind not in set(MeetingKind):
            raise ValueError(f"MEETING_REQUIREMENTS: unknown meeting kind {kind!r}")
        if frequency == "none":
            result.pop(kind, None)
        elif frequency in FREQUENCIES:
            result[kind] = frequency
        else:
            raise ValueError(f"MEETING_REQUIREMENTS: {frequency!r} is not quarter, month or none")
    return result


def meeting_settings() -> MeetingSettings:
    """The settings from the app config over the defaults."""
    config = current_app.config
    defaults = MeetingSettings()
    remind_day = int(config.get("MEETING_REMIND_DAY", defaults.remind_day))
    if not 1 <= remind_day <= 92:
        raise ValueError("MEETING_REMIND_DAY must be a day of the quarter, 1 to 92")
    edit_days = int(config.get("MEETING_EDIT_DAYS", defaults.edit_days))
    if edit_days < 0:
        raise ValueError("MEETING_EDIT_DAYS must be 0 or more")
    max_photos = int(config.get("MEETING_MAX_PHOTOS", defaults.max_photos))
    if not 0 <= max_photos <= 30:
        raise ValueError("MEETING_MAX_PHOTOS must be 0 to 30")
    return MeetingSettings(
        requirements=_requirements(config.get("MEETING_REQUIREMENTS", "")),
        remind_day=remind_day,
        minutes=int(config.get("MEETING_MINUTES", defaults.minutes)),
        quiet_hours=participation_settings().quiet_hours,
        edit_days=edit_days,
        max_photos=max_photos,
    )
