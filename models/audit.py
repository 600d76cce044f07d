"""The audit trail: every admin action (role change, import, broadcast, dispatch, review)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class AuditEntry(db.Model):
    """One admin action: who did what to what, when, with the details."""

    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor: Mapped[str] = mapped_column(String(100), index=True)  # a userid, or "cli:<os user>"
    action: Mapped[str] = mapped_column(String(64), index=True)
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def audit(actor: str, action: str, target: str, **detail: Any) -> AuditEntry:
    """Record an admin action in the current transaction."""
    entry = AuditEntry(actor=actor, action=action, target=target, detail=detail)
    db.session.add(entry)
    return entry
