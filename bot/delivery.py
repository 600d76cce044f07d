"""Delivering outbound messages batch by batch, so a re-run never sends a committed batch twice.

The batch in flight when WeCom's answer is lost (a timeout, a killed worker) is sent again; for
rows marked `duplicate_check` (content meant once per source) WeCom's duplicate check keeps that
copy from reaching the members a second time (docs/reliability.md)."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from bot import keys
from bot.wecom import (
    SendResult,
    WeComClient,
    WeComError,
    WeComNoRecipients,
    WeComRateLimited,
    WeComUnavailable,
    batches,
    record_answer,
)
from models import OutboundMessage, OutboundStatus, db, utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
CLAIM_TTL_S = 600
SWEEP_PERIOD_S = 60  # pioneer/cron.py runs sweep_outbound this often
DUPLICATE_CHECK_S = 1800  # WeCom's default duplicate_check_interval
DUPLICATE_CHECK_MAX_S = 4 * 3600  # WeCom's upper limit


def _split(value: str) -> list[str]:
    return [v for v in value.split("|") if v]


def _append(existing: str, new: list[str]) -> str:
    return "|".join([*_split(existing), *new])


def deliver(client: WeComClient, outbound_id: int) -> OutboundMessage | None:
    """Send one outbound message; batches already sent (committed) are skipped.

    Only one worker sends a given message at a time (a Redis claim). Rate limits and
    outages raise after committing progress, so the job is retried later; any other WeCom
    error marks the message failed and is not retried.
    """
    claim = keys.outbound_claim(outbound_id)
    if not client.redis.set(claim, "1", nx=True, ex=CLAIM_TTL_S):
        log.info("outbound %s is being sent by another worker", outbound_id)
        return db.session.get(OutboundMessage, outbound_id)
    try:
        return _deliver(client, outbound_id)
    finally:
        client.redis.delete(claim)


def duplicate_check_s() -> int:
    """DELIVERY_DUPLICATE_CHECK_S (default 1800): WeCom's duplicate_check_interval for rows
    sent once. A batch is sent again at the latest when a dead worker's claim expired and the
    sweeper ran, so the interval must be longer than that, and WeCom allows at most 4 h."""
    value = int(current_app.config.get("DELIVERY_DUPLICATE_CHECK_S", DUPLICATE_CHECK_S))
    lowest = CLAIM_TTL_S + SWEEP_PERIOD_S + 1
    if not lowest <= value <= DUPLICATE_CHECK_MAX_S:
        raise ValueError(
            f"DELIVERY_DUPLICATE_CHECK_S must be {lowest}..{DUPLICATE_CHECK_MAX_S} seconds "
            f"(longer than the delivery claim's {CLAIM_TTL_S} s plus the sweeper's "
            f"{SWEEP_PERIOD_S} s, at most WeCom's 4 h), got {value}")
    return value


def _deliver(client: WeComClient, outbound_id: int) -> OutboundMessage | None:
    row = db.session.get(OutboundMessage, outbound_id)
    if row is None or row.status != OutboundStatus.PENDING:
        return row
    row.attempts += 1
    db.session.commit()
    plan = batches(_split(row.touser), _split(row.toparty), _split(row.totag))
    interval = duplicate_check_s() if row.duplicate_check else None
    for index in range(row.sent_batches, len(plan)):
        result = SendResult()
        try:
            answer = client.send_batch(plan[index], row.payload, duplicate_check_s=interval)
            record_answer(result, answer)
        except WeComNoRecipients:
            result.invalid_users.extend(plan[index].users)
            result.invalid_parties.extend(plan[index].parties)
            result.invalid_tags.extend(plan[index].tags)
        except (WeComRateLimited, WeComUnavailable) as exc:
            row.last_error = str(exc)
            if row.attempts >= MAX_ATTEMPTS:
                row.status = OutboundStatus.FAILED
            db.session.commit()
            raise
        except WeComError as exc:
            row.status = OutboundStatus.FAILED
            row.last_error = str(exc)
            db.session.commit()
            log.error("outbound %s failed for good: %s", row.id, exc)
            return row
        row.wecom_msgids = [*row.wecom_msgids, *result.msgids]
        row.invalid_users = _append(row.invalid_users, result.invalid_users)
        row.invalid_parties = _append(row.invalid_parties, result.invalid_parties)
        row.invalid_tags = _append(row.invalid_tags, result.invalid_tags)
        row.unlicensed_users = _append(row.unlicensed_users, result.unlicensed_users)
        row.sent_batches = index + 1
        db.session.commit()
    row.status = OutboundStatus.SENT
    row.sent_at = utcnow()
    db.session.commit()
    return row


def stale_pending(older_than: timedelta = timedelta(minutes=2), limit: int = 500) -> list[int]:
    """Pending outbound messages nobody has finished: their job died or was never enqueued."""
    cutoff = utcnow() - older_than
    return list(
        db.session.scalars(
            select(OutboundMessage.id)
            .where(OutboundMessage.status == OutboundStatus.PENDING)
            .where(OutboundMessage.created_at < cutoff)
            .order_by(OutboundMessage.id)
            .limit(limit)
        )
    )
