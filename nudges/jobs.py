"""The nudge tick: an RQ job run by RQ's cron every 15 minutes; it acts once a week."""

from __future__ import annotations

from bot.jobs import enqueue_deliveries, run_tick
from nudges.nudges import run_weekly


def nudge_tick() -> int:
    """Send this week's nudges and contact digests if due; returns how many were queued."""
    def work() -> int:
        result = run_weekly()
        enqueue_deliveries(list(result.outbound_ids))
        return result.idle + result.digests

    return run_tick("nudge_tick", 600, work)
