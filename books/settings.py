"""学习用书 reminder settings: BOOK_REMIND_AFTER_DAYS (default 7: a distribution not confirmed
this many committee days after it was sent is reminded), BOOK_REMIND_EVERY_DAYS (default 3:
at most one reminder in this many days) and BOOK_REMIND_TIMES (default 3: at most this many
reminders); never in the participation quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from flask import current_app

from participation.settings import participation_settings, whole_number


@dataclass(frozen=True)
class BookSettings:
    """When unconfirmed distributions are reminded, how often and how many times."""

    remind_after_days: int = 7
    remind_every_days: int = 3
    remind_times: int = 3
    quiet_hours: tuple[time, time] = (time(21), time(8))


def book_settings() -> BookSettings:
    """The settings from the app config over the defaults; ValueError naming a bad one."""
    defaults, config = BookSettings(), current_app.config
    return BookSettings(
        remind_after_days=whole_number(config, "BOOK_REMIND_AFTER_DAYS",
                                       defaults.remind_after_days, 1, 365),
        remind_every_days=whole_number(config, "BOOK_REMIND_EVERY_DAYS",
                                       defaults.remind_every_days, 1, 365),
        remind_times=whole_number(config, "BOOK_REMIND_TIMES", defaults.remind_times, 0, 20),
        quiet_hours=participation_settings().quiet_hours,
    )
