"""Sending a broadcast exactly once: create (确认 or 定时), start, finish with a summary.

    确认 ──▶ sending (userids resolved now, one outbound message) ──▶ sent | failed ──▶ summary
    定时 ──▶ scheduled ──(tick, UPDATE scheduled→sending)──▶ sending … ; 取消群发 ──▶ cancelled

A material's broadcast records the members' material deliveries (study/deliveries.py) in the
transaction that stores its outbound message.

Every state change is a conditional UPDATE, so two ticks, two jobs or a retried 确认 change
a broadcast once; the summary is sent by whichever finishes it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot.outbox import Outbox
from bot.wecom import batches
from broadcasts import compose, groups
from content import broadcast_texts as texts
from content.texts import local_time
from models import (
    Broadcast,
    BroadcastStatus,
    DeliveryVia,
    OutboundMessage,
    OutboundStatus,
    audit,
    db,
    utcnow,
)
from roster import audience as audiences
from study import deliveries
from study.links import material_of

log = logging.getLogger(__name__)

SUMMARY_KEYS = ("size", "sent", "invalid", "unlicensed", "failed")


@dataclass(frozen=True)
class BroadcastDraft:
    """What the sender chose: content and audience."""

    sender: str
    content_kind: str
    payload: dict[str, Any]
    audience: dict[str, Any]
    robot_ids: tuple[int, ...] = ()  # group chats (群机器人) it also goes to


def find(number: str) -> Broadcast | None:
    """A broadcast by its number (QF-2026-0017), or None."""
    parts = number.strip().upper().split("-")
    if len(parts) != 3 or parts[0] != "QF" or not parts[2].isdecimal():
        return None
    row = db.session.get(Broadcast, int(parts[2]))
    return row if row is not None and row.number == number.strip().upper() else None


def _by_key(confirm_key: str) -> Broadcast | None:
    return db.session.scalars(select(Broadcast).where(Broadcast.confirm_key == confirm_key)).first()


def create(draft: BroadcastDraft, confirm_key: str, now: datetime,
           send_at: datetime | None = None) -> tuple[Broadcast, bool]:
    """The broadcast for this confirmation, and whether it is new (a repeat finds the first).

    Sent now: status sending, userids resolved and stored as one outbound message, quota
    checked. Scheduled: status scheduled; the audience is resolved when the tick sends it.
    Raises ComposeError (nobody, over quota) before anything is written.
    """
    existing = _by_key(confirm_key)
    if existing is not None:
        return existing, False
    size = len(compose.recipients(draft.audience))
    if send_at is None:
        compose.check_quota(size, now)
    row = Broadcast(sender=draft.sender, content_kind=draft.content_kind, payload=draft.payload,
                    audience=draft.audience, audience_size=size, confirm_key=confirm_key,
                    status=BroadcastStatus.SCHEDULED if send_at else BroadcastStatus.SENDING,
                    send_at=send_at or now, created_at=now, robot_ids=list(draft.robot_ids))
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # the same 确认 in another process, at the same moment
        found = _by_key(confirm_key)
        assert found is not None
        return found, False
    if send_at is None:
        _attach_outbound(row)
    audit(draft.sender, "broadcast.schedule" if send_at else "broadcast.send", row.number,
          kind=draft.content_kind, audience=draft.audience, size=row.audience_size,
          groups=list(draft.robot_ids), send_at=row.send_at.isoformat())
    return row, True


def _attach_outbound(row: Broadcast) -> OutboundMessage:
    """Resolve the audience now and store the one outbound message the delivery job sends."""
    parties, tags = compose.wecom_targets(row.audience)
    users = [] if parties or tags else compose.recipients(row.audience)
    if users:
        row.audience_size = len(users)
    outbound = Outbox(db.session, source_key=f"broadcast:{row.id}").send(
        row.payload, users=users, parties=parties, tags=tags, once=True)
    db.session.flush()
    row.outbound_id = outbound.id
    _record_deliveries(row)
    return outbound


def _record_deliveries(row: Broadcast) -> None:
    """A material's broadcast reached its audience's members: their material deliveries, in
    bulk, in this transaction (also when it went by WeCom department or tag: the members our
    own resolution names, as the audience size counts them)."""
    material_id = material_of(row.payload) if row.content_kind == "material" else None
    if material_id is None:
        return
    members = (r.member_id for r in audiences.resolve(row.audience))
    deliveries.record_many(members, material_id, DeliveryVia.BROADCAST, f"broadcast:{row.id}",
                           row.send_at)


def start_due(now: datetime | None = None) -> tuple[list[int], list[int]]:
    """Move due scheduled broadcasts to sending, each once (committed): the ids started, and
    the summary messages of those that could not start."""
    now = now or utcnow()
    due = list(db.session.scalars(select(Broadcast.id).where(
        Broadcast.status == BroadcastStatus.SCHEDULED, Broadcast.send_at <= now)
        .order_by(Broadcast.send_at)))
    started: list[int] = []
    summaries: list[OutboundMessage] = []
    for broadcast_id in due:
        claimed = db.session.execute(
            update(Broadcast).where(Broadcast.id == broadcast_id,
                                    Broadcast.status == BroadcastStatus.SCHEDULED)
            .values(status=BroadcastStatus.SENDING))
        if claimed.rowcount != 1:  # type: ignore[attr-defined]
            continue
        row = db.session.get(Broadcast, broadcast_id)
        assert row is not None
        try:
            compose.check_quota(len(compose.recipients(row.audience)), now)
            _attach_outbound(row)
            started.append(broadcast_id)
        except compose.ComposeError as exc:  # nobody left, or over today's quota
            summaries.extend(_finish(row, BroadcastStatus.FAILED, {"error": str(exc)}, now) or [])
        db.session.commit()
    return started, [m.id for m in summaries]


def counts(outbound: OutboundMessage, size: int) -> dict[str, int]:
    """Sent, invalid, unlicensed and failed (in batches never accepted) for the summary."""
    split = [v for v in outbound.invalid_users.split("|") if v]
    unlicensed = [v for v in outbound.unlicensed_users.split("|") if v]
    plan = batches([u for u in outbound.touser.split("|") if u],
                   [p for p in outbound.toparty.split("|") if p],
                   [t for t in outbound.totag.split("|") if t])
    unsent = plan[outbound.sent_batches:] if outbound.status != OutboundStatus.SENT else []
    failed = (sum(len(b.users) for b in unsent) if outbound.touser
              else (size if unsent else 0))
    sent = max(size - len(split) - len(unlicensed) - failed, 0)
    return {"size": size, "sent": sent, "invalid": len(split), "unlicensed": len(unlicensed),
            "failed": failed}


def _finish(row: Broadcast, status: str, summary: dict[str, Any],
            now: datetime) -> list[OutboundMessage] | None:
    """Sending → sent/failed with the summary, once, and the sender told (the messages
    returned); None when another job or tick finished it first."""
    done = db.session.execute(
        update(Broadcast).where(Broadcast.id == row.id,
                                Broadcast.status == BroadcastStatus.SENDING)
        .values(status=status, summary=summary, finished_at=now))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return None
    db.session.refresh(row)
    if "size" not in summary:
        text = texts.SUMMARY_FAILED.format(number=row.number, error=summary.get("error", ""))
    else:
        text = texts.SUMMARY.format(number=row.number, **{k: summary[k] for k in SUMMARY_KEYS})
        if "groups" in summary:
            text += "\n" + groups.summary_text(summary["groups"])
        if status == BroadcastStatus.FAILED:
            text += "\n" + texts.SUMMARY_FAILED.format(number=row.number,
                                                       error=summary.get("error") or "")
    audit("system", "broadcast.finish", row.number, status=status, **summary)
    if row.sender.startswith(("cli:", "console:")):  # not a WeCom member: nobody to tell
        return []
    return Outbox(db.session, source_key=f"broadcast:{row.id}:summary").text([row.sender], text,
                                                                            once=True)


def finish(broadcast_id: int, now: datetime | None = None) -> list[int]:
    """Finish a broadcast whose outbound message is done, and its group messages too if it has
    any (committed); the summary's ids. Not yet done: nothing, []."""
    row = db.session.get(Broadcast, broadcast_id)
    if row is None or row.status != BroadcastStatus.SENDING or row.outbound is None:
        return []
    outbound = row.outbound
    if outbound.status == OutboundStatus.PENDING or groups.unsettled(row):
        return []
    status = BroadcastStatus.SENT if outbound.status == OutboundStatus.SENT else (
        BroadcastStatus.FAILED)
    summary: dict[str, Any] = counts(outbound, row.audience_size)
    if row.robot_ids:
        summary["groups"] = groups.outcome(row)
    if outbound.last_error and status == BroadcastStatus.FAILED:
        summary["error"] = outbound.last_error
    messages = _finish(row, status, summary, now or utcnow())
    if messages is None:
        db.session.rollback()
        return []
    db.session.commit()
    return [m.id for m in messages]


def ready_to_finish() -> list[int]:
    """Broadcasts still sending whose outbound message is sent or failed (a job that died)."""
    return list(db.session.scalars(
        select(Broadcast.id).join(OutboundMessage, OutboundMessage.id == Broadcast.outbound_id)
        .where(Broadcast.status == BroadcastStatus.SENDING,
               OutboundMessage.status != OutboundStatus.PENDING)))


def cancel(actor: str, row: Broadcast) -> bool:
    """Scheduled → cancelled, audited; False when it is no longer scheduled."""
    done = db.session.execute(
        update(Broadcast).where(Broadcast.id == row.id,
                                Broadcast.status == BroadcastStatus.SCHEDULED)
        .values(status=BroadcastStatus.CANCELLED))
    if done.rowcount != 1:  # type: ignore[attr-defined]
        return False
    audit(actor, "broadcast.cancel", row.number)
    db.session.refresh(row)
    return True


def recent(limit: int = 10, sender: str | None = None) -> list[Broadcast]:
    """The latest broadcasts, newest first (only the sender's when given)."""
    query = select(Broadcast).order_by(Broadcast.id.desc()).limit(limit)
    if sender is not None:
        query = query.where(Broadcast.sender == sender)
    return list(db.session.scalars(query))


def describe(row: Broadcast) -> str:
    """One line for 群发记录 and the CLI."""
    audience = texts.AUDIENCE_NAMES.get(row.audience.get("kind"), "")
    values = row.audience.get("values") or []
    if values:
        audience += "(" + audiences.describe(row.audience).split(": ", 1)[-1] + ")"
    outbound = row.outbound
    stats = counts(outbound, row.audience_size) if outbound else {"sent": 0, "invalid": 0}
    line = texts.LIST_LINE.format(
        number=row.number, status=texts.STATUS_NAMES.get(row.status, row.status),
        audience=audience, size=row.audience_size, sent=stats["sent"],
        invalid=stats["invalid"], time=local_time(row.send_at))
    if row.robot_ids:
        line += texts.LIST_GROUPS.format(sent=groups.tally(row.id).sent,
                                         total=len(set(row.robot_ids)))
    return line
