"""Quiz settings: how many questions a member's daily set has (QUIZ_DAILY_QUESTIONS).

The points per right answer and their daily cap are the ledger's, like every kind's:
PARTICIPATION_POINTS="quiz=1" and PARTICIPATION_DAILY_CAPS="quiz=5" (docs/participation.md)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

DAILY_MAX = 10


@dataclass(frozen=True)
class QuizSettings:
    """The size of the daily set."""

    daily_questions: int = 5


def quiz_settings() -> QuizSettings:
    """QUIZ_DAILY_QUESTIONS (1 to 10, default 5); ValueError naming it when malformed."""
    raw = str(current_app.config.get("QUIZ_DAILY_QUESTIONS", "") or "").strip()
    if not raw:
        return QuizSettings()
    try:
        count = int(raw)
    except ValueError:
        raise ValueError(f"QUIZ_DAILY_QUESTIONS: {raw!r} is not a whole number") from None
    if not 1 <= count <= DAILY_MAX:
        raise ValueError(f"QUIZ_DAILY_QUESTIONS: {count} is not 1 to {DAILY_MAX}")
    return QuizSettings(daily_questions=count)
