"""Report settings: how long each candidate list of the annual report is.

REPORT_CANDIDATES="study_star=4,study_model=170,advanced_collective=43,excellent_branch=3"
sets any of the four lists' lengths (a kind left out keeps its default, DEFAULT_LENGTH); the
kinds are the award kinds (models.AwardKind). Built once at start-up by the report Feature's
Settings, so a malformed value stops the app with one line naming it.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask import current_app

from models import AwardKind

DEFAULT_LENGTH = 10
MAX_LENGTH = 10_000


@dataclass(frozen=True)
class ReportSettings:
    """The candidate lists' lengths, per award kind."""

    study_star: int = DEFAULT_LENGTH  # 学习达人
    study_model: int = DEFAULT_LENGTH  # 学习标兵
    advanced_collective: int = DEFAULT_LENGTH  # 学习先进集体
    excellent_branch: int = DEFAULT_LENGTH  # 优秀党支部

    def length(self, kind: str) -> int:
        """The length of one kind's candidate list."""
        return int(getattr(self, AwardKind(kind).value))


def parse_candidates(value: str) -> ReportSettings:
    """Parse "kind=N,kind=N"; an unknown kind or a length that is not 1 to MAX_LENGTH is a
    ValueError naming it."""
    lengths: dict[str, int] = {}
    text = unicodedata.normalize("NFKC", value)
    for part in filter(None, (p.strip() for p in text.split(","))):
        kind, sign, number = (x.strip() for x in part.partition("="))
        if kind not in set(AwardKind):
            raise ValueError(f"REPORT_CANDIDATES: unknown kind {kind!r} (one of "
                             f"{', '.join(AwardKind)})")
        if not sign or not number.isdecimal() or not 1 <= int(number) <= MAX_LENGTH:
            raise ValueError(f"REPORT_CANDIDATES: {kind} needs a length from 1 to {MAX_LENGTH}, "
                             f"got {number!r}")
        lengths[kind] = int(number)
    return ReportSettings(**lengths)


def report_settings() -> ReportSettings:
    """The settings from the app config (REPORT_CANDIDATES) over the defaults."""
    return parse_candidates(str(current_app.config.get("REPORT_CANDIDATES", "") or ""))
