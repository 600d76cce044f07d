"""Participation settings: study hours and points per kind, daily caps on points and hours,
yearly norms, and how reading time is counted.

Every value can be overridden in the app config (or the environment) as "kind=value" pairs,
e.g. PARTICIPATION_HOURS="lecture=2,live=1.5"; docs/participation.md lists the defaults. The
hours, points and caps are the defaults: a rule an admin set in the console (participation/
rules.py) takes a kind's place from its start date on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time

from flask import current_app

import clock
from models import ParticipationKind as K

# Study hours credited per participation (学时). A live session credits the minutes watched,
# up to this value.
DEFAULT_HOURS: dict[str, float] = {
    K.MATERIAL_READ: 0.0, K.MATERIAL_COMPLETED: 0.5, K.REFLECTION: 1.0, K.LECTURE: 2.0,
    K.LIVE: 2.0, K.MEETING: 2.0, K.CAMPAIGN_ITEM: 1.0, K.QIANGGUO: 0.0, K.QUIZ: 0.0,
    K.SCREENING: 1.5, K.TRAINING: 8.0, K.VISIT: 1.0,  # a training: its session's, up to this
}
# Points per participation (积分), in the spirit of 学习强国: small per item, capped per day.
# A quiz row is one question answered right (学习强国's 每日答题: 1 point each, 5 a day).
DEFAULT_POINTS: dict[str, int] = {
    K.MATERIAL_READ: 1, K.MATERIAL_COMPLETED: 2, K.REFLECTION: 5, K.LECTURE: 5, K.LIVE: 3,
    K.MEETING: 5, K.CAMPAIGN_ITEM: 3, K.QIANGGUO: 2, K.QUIZ: 1,
    K.SCREENING: 3, K.TRAINING: 5, K.VISIT: 3,
}
DEFAULT_DAILY_CAPS: dict[str, int] = {
    K.MATERIAL_READ: 6, K.MATERIAL_COMPLETED: 10, K.REFLECTION: 10, K.LECTURE: 10, K.LIVE: 6,
    K.MEETING: 10, K.CAMPAIGN_ITEM: 10, K.QIANGGUO: 2, K.QUIZ: 5,
    K.SCREENING: 6, K.TRAINING: 10, K.VISIT: 6,
}
# Study hours per kind a member can be credited in one committee day (学时 daily caps).
DEFAULT_DAILY_HOURS_CAPS: dict[str, float] = {
    K.MATERIAL_READ: 0.0, K.MATERIAL_COMPLETED: 2.0, K.REFLECTION: 2.0, K.LECTURE: 4.0,
    K.LIVE: 4.0, K.MEETING: 4.0, K.CAMPAIGN_ITEM: 2.0, K.QIANGGUO: 0.0, K.QUIZ: 0.0,
    K.SCREENING: 3.0, K.TRAINING: 8.0, K.VISIT: 2.0,
}


@dataclass(frozen=True)
class ParticipationSettings:
    """The hours, points, caps, norms and nudge rules in force."""

    hours: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_HOURS))
    points: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_POINTS))
    daily_caps: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_DAILY_CAPS))
    daily_hours_caps: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_DAILY_HOURS_CAPS))
    norm_member: float = 32.0  # yearly study hours for a member
    norm_leader: float = 56.0  # for secretaries and committee members
    leader_words: tuple[str, ...] = ("书记", "委员")  # a position naming a leader
    checkin_before_min: int = 30  # check-in opens this long before the start
    checkin_after_min: int = 30  # and closes this long after the end
    idle_days: int = 14  # a member with no participation for this long gets a nudge
    nudge_weekday: int = 1  # Tuesday (Monday = 0)
    quiet_hours: tuple[time, time] = (time(21), time(8))  # never nudge between these
    reading_beat_s: int = 15  # the reading page beats this often while it is in view
    reading_gap_s: int = 180  # a longer silence closes the reading session (not counted)
    reading_min_share: float = 0.5  # 读完了 counts after this share of the material's minutes
    reading_min_s: int = 60  # and never before this many seconds
    reading_read_s: int = 30  # 阅读 (its participation and points) counts after this long in view


def in_quiet_hours(moment: datetime, quiet_hours: tuple[time, time]) -> bool:
    """True if `moment` falls in the committee's quiet hours (they may wrap midnight,
    e.g. 21:00–08:00): no reminder goes out then."""
    start, end = quiet_hours
    local = clock.local(moment).time()
    return (start <= local or local < end) if start > end else (start <= local < end)


def _pairs(value: str, cast: type[float] | type[int], name: str) -> dict[str, float | int]:
    """Parse "kind=value,kind=value", refusing unknown kinds and bad numbers."""
    result: dict[str, float | int] = {}
    for part in filter(None, (p.strip() for p in value.split(","))):
        kind, _, number = part.partition("=")
        kind = kind.strip()
        if kind not in set(K):
            raise ValueError(f"{name}: unknown participation kind {kind!r}")
        try:
            result[kind] = cast(number.strip())
        except ValueError:
            raise ValueError(f"{name}: {number.strip()!r} is not a number") from None
    return result


def participation_settings() -> ParticipationSettings:
    """The settings from the app config over the defaults."""
    config = current_app.config
    defaults = ParticipationSettings()
    hours = {**defaults.hours, **_pairs(config.get("PARTICIPATION_HOURS", ""), float,
                                        "PARTICIPATION_HOURS")}
    points = {**defaults.points, **_pairs(config.get("PARTICIPATION_POINTS", ""), int,
                                          "PARTICIPATION_POINTS")}
    caps = {**defaults.daily_caps, **_pairs(config.get("PARTICIPATION_DAILY_CAPS", ""), int,
                                            "PARTICIPATION_DAILY_CAPS")}
    hours_caps = {**defaults.daily_hours_caps, **_pairs(
        config.get("PARTICIPATION_DAILY_HOURS_CAPS", ""), float,
        "PARTICIPATION_DAILY_HOURS_CAPS")}
    beat, gap, share, least, read = _reading(config, defaults)
    return ParticipationSettings(
        hours=hours, points={k: int(v) for k, v in points.items()},
        daily_caps={k: int(v) for k, v in caps.items()},
        daily_hours_caps={k: float(v) for k, v in hours_caps.items()},
        norm_member=float(config.get("STUDY_HOURS_NORM", defaults.norm_member)),
        norm_leader=float(config.get("STUDY_HOURS_NORM_LEADER", defaults.norm_leader)),
        checkin_before_min=int(config.get("CHECKIN_OPENS_BEFORE_MIN",
                                          defaults.checkin_before_min)),
        checkin_after_min=int(config.get("CHECKIN_CLOSES_AFTER_MIN",
                                         defaults.checkin_after_min)),
        idle_days=int(config.get("NUDGE_IDLE_DAYS", defaults.idle_days)),
        nudge_weekday=int(config.get("NUDGE_WEEKDAY", defaults.nudge_weekday)),
        reading_beat_s=int(beat), reading_gap_s=int(gap), reading_min_share=share,
        reading_min_s=int(least), reading_read_s=int(read),
    )


def _reading(config: Mapping[str, object],
             defaults: ParticipationSettings) -> tuple[float, float, float, float, float]:
    """The PARTICIPATION_READING_* settings (beat, gap, share, least, read), each in its
    range."""
    beat = _number(config, "PARTICIPATION_READING_BEAT_S", defaults.reading_beat_s, 1, 300)
    gap = _number(config, "PARTICIPATION_READING_GAP_S", defaults.reading_gap_s, beat, 3600)
    share = _number(config, "PARTICIPATION_READING_MIN_SHARE", defaults.reading_min_share,
                    0, 1)
    least = _number(config, "PARTICIPATION_READING_MIN_S", defaults.reading_min_s, 0, 3600)
    read = _number(config, "PARTICIPATION_READING_READ_S", defaults.reading_read_s, 0, 3600)
    return beat, gap, share, least, read


def _number(config: Mapping[str, object], name: str, default: float, low: float,
            high: float) -> float:
    """A number setting between low and high (inclusive), else ValueError naming it."""
    raw = config.get(name, default)
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValueError(f"{name}: {raw!r} is not a number") from None
    if not low <= value <= high:
        raise ValueError(f"{name}: {value:g} is not between {low:g} and {high:g}")
    return value


def whole_number(config: Mapping[str, object], name: str, default: int, low: int,
                 high: int) -> int:
    """A whole-number setting between low and high (inclusive), else ValueError naming it."""
    value = _number(config, name, default, low, high)
    if not value.is_integer():
        raise ValueError(f"{name}: {value:g} is not a whole number")
    return int(value)
