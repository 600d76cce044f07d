"""Broadcast jobs: deliver one broadcast and summarise it; the cron tick for scheduled ones."""

from __future__ import annotations

import logging

from bot.jobs import app_context, enqueue_deliveries, run_or_enqueue, run_tick

log = logging.getLogger(__name__)


def deliver_broadcast(broadcast_id: int) -> str:
    """Send a broadcast's outbound message batch by batch, then the summary to its sender.

    Rate limits and outages raise after committing progress (RQ retries the job, which sends
    only the batches not yet accepted); whoever sees the outbound done first summarises.
    """
    from bot import delivery
    from bot.services import wecom_client
    from broadcasts import sending
    from models import Broadcast, db

    with app_context():
        row = db.session.get(Broadcast, broadcast_id)
        if row is None or row.outbound_id is None:
            return "missing"
        delivery.deliver(wecom_client(), row.outbound_id)
        if row.robot_ids:  # the chosen branches' group chats too, once each, 20/min a robot
            from broadcasts.groups import enqueue_send_groups, send_to_groups

            if send_to_groups(row).pending:
                enqueue_send_groups(broadcast_id)
        enqueue_deliveries(sending.finish(broadcast_id))
        db.session.refresh(row)
        return row.status


def enqueue_broadcast(broadcast_id: int) -> None:
    """Queue the delivery job of one broadcast (with the foundation's retry policy)."""
    from bot.extensions import jobs

    run_or_enqueue(jobs.queue.enqueue, deliver_broadcast, broadcast_id)


def _finish_or_send_groups(broadcast_id: int) -> list[int]:
    """Finish a broadcast whose members' message is done; while its group chats are not,
    send to them again (their job may have died), or give up on them after an hour."""
    from broadcasts import groups, sending
    from models import Broadcast, BroadcastStatus, db, utcnow

    summaries = sending.finish(broadcast_id)
    row = db.session.get(Broadcast, broadcast_id)
    if row is None or row.status != BroadcastStatus.SENDING or not groups.unsettled(row):
        return summaries
    if groups.give_up(row, utcnow()):
        return sending.finish(broadcast_id)
    groups.enqueue_send_groups(broadcast_id)
    return summaries


def broadcast_tick() -> int:
    """Cron: start due scheduled broadcasts, summarise those whose job died; one at a time."""
    from broadcasts import sending

    def work() -> int:
        started, summaries = sending.start_due()
        for broadcast_id in sending.ready_to_finish():
            summaries.extend(_finish_or_send_groups(broadcast_id))
        enqueue_deliveries(summaries)
        for broadcast_id in started:
            enqueue_broadcast(broadcast_id)
        return len(started)

    return run_tick("broadcast_tick", 300, work)
