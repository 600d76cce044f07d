"""The push tick: an RQ job run by RQ's cron every minute."""

from __future__ import annotations

from bot.jobs import enqueue_deliveries, run_tick
from study.pushes import run_due


def push_tick() -> int:
    """Send every push occurrence that is due; returns how many were sent."""
    def work() -> int:
        result = run_due()
        enqueue_deliveries(list(result.outbound_ids))
        return result.occurrences

    return run_tick("push_tick", 300, work)
