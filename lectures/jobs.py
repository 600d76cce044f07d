"""The lecture tick: an RQ job run by RQ's cron every five minutes (reminders, follow-ups)."""

from __future__ import annotations

import logging

from bot import keys
from bot.jobs import app_context, enqueue_deliveries

log = logging.getLogger(__name__)

LOCK_S = 300


def lecture_tick() -> int:
    """Send due reminders and follow-ups; returns how many lectures were handled."""
    from bot.extensions import redis_store
    from lectures.followup import run_due

    with app_context():
        lock = keys.cron_lock("lecture_tick")
        if not redis_store.client.set(lock, "1", nx=True, ex=LOCK_S):
            log.info("lecture_tick already running; this tick does nothing")
            return 0
        try:
            result = run_due()
        finally:
            redis_store.client.delete(lock)
        enqueue_deliveries(list(result.outbound_ids))
        return result.reminded + result.completed
