"""Recalling a broadcast (撤回): message/recall for every batch, within WeCom's 24 hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import update

from bot.wecom import WeComClient, WeComError
from models import Broadcast, BroadcastStatus, audit, db

RECALL_WINDOW = timedelta(hours=24)
RECALL_EXPIRED = 301053  # WeCom: past the 24-hour window


@dataclass
class RecallResult:
    """What a recall did: why it was refused (too_late, not_sent), or the msgids recalled."""

    refused: str = ""
    recalled: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def recall(client: WeComClient, actor: str, row: Broadcast, now: datetime) -> RecallResult:
    """Recall every batch of a sent broadcast, audit it, and mark it recalled (committed)."""
    if row.status not in (BroadcastStatus.SENT, BroadcastStatus.FAILED) or row.outbound is None:
        return RecallResult(refused="not_sent")
    first_sent = row.send_at
    if now - first_sent > RECALL_WINDOW:
        return RecallResult(refused="too_late")
    result = RecallResult()
    for msgid in row.outbound.wecom_msgids:
        try:
            client.recall(msgid)
            result.recalled.append(msgid)
        except WeComError as exc:
            if exc.errcode == RECALL_EXPIRED:
                result.refused = "too_late"
            result.errors.append(f"{msgid}: {exc}")
    if result.recalled:
        db.session.execute(update(Broadcast).where(Broadcast.id == row.id)
                           .values(status=BroadcastStatus.RECALLED, recalled_at=now))
    elif result.refused == "too_late":
        return result
    audit(actor, "broadcast.recall", row.number, recalled=len(result.recalled),
          errors=result.errors)
    db.session.commit()
    db.session.refresh(row)
    return result
