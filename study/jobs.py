"""The push tick: an RQ job run by RQ's cron every minute."""

from __future__ import annotations

import logging

from bot import keys
from bot.jobs import app_context, enqueue_deliveries

log = logging.getLogger(__name__)


def push_tick() -> int:
    """Send every push occurrence that is due; returns how many were sent."""
    from bot.extensions import redis_store
    from study.pushes import run_due

    with app_context():
        lock = keys.cron_lock("push_tick")
        if not redis_store.client.set(lock, "1", nx=True, ex=300):
            log.info("push_tick already running; this tick does nothing")
            return 0
        try:
            result = run_due()
        finally:
            redis_store.client.delete(lock)
        enqueue_deliveries(list(result.outbound_ids))
        return result.occurrences
