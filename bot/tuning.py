"""Optional tuning settings of the features (points, check-in window, reminders, limits, ...):
read from the environment by prefix and checked once at start-up, so a malformed value stops
the app with one line naming it instead of failing a member's message later."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask

from bot.config import ConfigError

PREFIXES = ("PARTICIPATION_", "STUDY_HOURS_", "CHECKIN_", "NUDGE_", "QIANGGUO_", "MEETING_",
            "LECTURE_", "REFLECTION_", "RETENTION_", "BROADCAST_", "CONSOLE_", "READ_LINK_",
            "LOG_", "DELIVERY_", "MEDIA_")
FLAGS = ("BROADCAST_CONTACTS",)  # true/false settings
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def from_environment(env: Mapping[str, str]) -> dict[str, Any]:
    """Every tuning setting present in the environment, flags as booleans."""
    found: dict[str, Any] = {}
    for name, value in env.items():
        if not name.startswith(PREFIXES):
            continue
        value = value.strip()
        if name in FLAGS:
            if value.lower() not in TRUE + FALSE:
                raise ConfigError(f"{name} must be true or false, got {value!r}")
            found[name] = value.lower() in TRUE
        else:
            found[name] = value
    return found


def _checks() -> list[tuple[str, Callable[[], object]]]:
    from bot.delivery import duplicate_check_s
    from bot.retention import retention_settings
    from lectures.settings import lecture_settings
    from media.settings import media_settings
    from meetings.meetings import meeting_settings
    from participation.settings import participation_settings
    from qiangguo.qiangguo import qiangguo_settings
    from reflections.drafts import limits

    return [("PARTICIPATION_*, STUDY_HOURS_*, CHECKIN_*, NUDGE_*", participation_settings),
            ("LECTURE_*", lecture_settings), ("RETENTION_*", retention_settings),
            ("MEETING_*", meeting_settings), ("QIANGGUO_*", qiangguo_settings),
            ("REFLECTION_*", limits), ("DELIVERY_*", duplicate_check_s),
            ("MEDIA_*", media_settings)]


def check(app: Flask) -> None:
    """Build every feature's settings once; a malformed value raises ConfigError naming it."""
    with app.app_context():
        for names, build in _checks():
            try:
                build()
            except (ValueError, TypeError, KeyError) as exc:
                raise ConfigError(f"a {names} setting is malformed: {exc}") from exc
