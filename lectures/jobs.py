"""The lecture tick: an RQ job run by RQ's cron every five minutes (reminders, follow-ups)."""

from __future__ import annotations

from bot.jobs import enqueue_deliveries, run_tick
from lectures.followup import run_due


def lecture_tick() -> int:
    """Send due reminders and follow-ups; returns how many lectures were handled."""
    def work() -> int:
        result = run_due()
        enqueue_deliveries(list(result.outbound_ids))
        return result.reminded + result.completed

    return run_tick("lecture_tick", 300, work)
