"""Optional tuning settings of the features (points, check-in window, reminders, limits, ...):
read from the environment by the prefixes the features declare and checked once at start-up,
so a malformed value stops the app with one line naming it instead of failing a member's
message later."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flask import Flask

from bot.config import ConfigError

if TYPE_CHECKING:
    from bot.feature import Settings

TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def from_environment(env: Mapping[str, str], settings: Sequence[Settings]) -> dict[str, Any]:
    """Every tuning setting present in the environment, flags as booleans."""
    prefixes = tuple(prefix for s in settings for prefix in s.prefixes)
    flags = {flag for s in settings for flag in s.flags}
    found: dict[str, Any] = {}
    for name, value in env.items():
        if not name.startswith(prefixes):
            continue
        value = value.strip()
        if name in flags:
            if value.lower() not in TRUE + FALSE:
                raise ConfigError(f"{name} must be true or false, got {value!r}")
            found[name] = value.lower() in TRUE
        else:
            found[name] = value
    return found


def check(app: Flask, settings: Sequence[Settings]) -> None:
    """Build every feature's settings once; a malformed value raises ConfigError naming it."""
    with app.app_context():
        for item in settings:
            if item.build is None:
                continue
            try:
                item.build()
            except (ValueError, TypeError, KeyError) as exc:
                raise ConfigError(f"a {item.names} setting is malformed: {exc}") from exc
