"""Broadcast jobs: deliver one broadcast and summarise it; the cron tick for scheduled ones."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from bot import delivery
from bot.extensions import jobs
from bot.jobs import app_context, enqueue_deliveries, run_or_enqueue, run_tick
from bot.services import wecom_client
from broadcasts import groups, sending
from broadcasts.groups import GroupsPending, send_to_groups
from models import Broadcast, BroadcastStatus, db, utcnow

log = logging.getLogger(__name__)


def deliver_broadcast(broadcast_id: int) -> str:
    """Send a broadcast's outbound message batch by batch, then the summary to its sender.

    Rate limits and outages raise after committing progress (RQ retries the job, which sends
    only the batches not yet accepted); whoever sees the outbound done first summarises.
    """
    with app_context():
        row = db.session.get(Broadcast, broadcast_id)
        if row is None or row.outbound_id is None:
            return "missing"
        delivery.deliver(wecom_client(), row.outbound_id)
        # the chosen branches' group chats too, once each, 20/min a robot
        if row.robot_ids and send_to_groups(row).pending:
            enqueue_send_groups(broadcast_id)
        enqueue_deliveries(sending.finish(broadcast_id))
        db.session.refresh(row)
        return row.status


def enqueue_broadcast(broadcast_id: int) -> None:
    """Queue the delivery job of one broadcast (with the foundation's retry policy)."""
    run_or_enqueue(jobs.queue.enqueue, deliver_broadcast, broadcast_id)


def _finish_or_send_groups(broadcast_id: int) -> list[int]:
    """Finish a broadcast whose members' message is done; while its group chats are not,
    send to them again (their job may have died), or give up on them after an hour."""
    summaries = sending.finish(broadcast_id)
    row = db.session.get(Broadcast, broadcast_id)
    if row is None or row.status != BroadcastStatus.SENDING or not groups.unsettled(row):
        return summaries
    if groups.give_up(row, utcnow()):
        return sending.finish(broadcast_id)
    enqueue_send_groups(broadcast_id)
    return summaries


def broadcast_tick() -> int:
    """Cron: start due scheduled broadcasts, summarise those whose job died; one at a time."""
    def work() -> int:
        started, summaries = sending.start_due()
        for broadcast_id in sending.ready_to_finish():
            summaries.extend(_finish_or_send_groups(broadcast_id))
        enqueue_deliveries(summaries)
        for broadcast_id in started:
            enqueue_broadcast(broadcast_id)
        return len(started)

    return run_tick("broadcast_tick", 300, work)


def send_groups_job(broadcast_id: int) -> dict[str, Any]:
    """RQ job: send a broadcast to its group chats; raises (to be retried) while any wait.
    Once none waits, the broadcast is finished and its sender gets the summary."""
    with app_context():
        broadcast = db.session.get(Broadcast, broadcast_id)
        if broadcast is None:
            return {}
        result = send_to_groups(broadcast)
        if result.pending:
            raise GroupsPending(f"broadcast {broadcast_id}: {result.pending} group "
                                "message(s) wait for a robot's rate window")
        enqueue_deliveries(sending.finish(broadcast_id))
        return asdict(result)


def enqueue_send_groups(broadcast_id: int) -> None:
    """Queue send_groups_job (with the foundation's retries) for one broadcast."""
    run_or_enqueue(jobs.queue.enqueue, send_groups_job, broadcast_id)
