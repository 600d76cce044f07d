"""审计: the audit log, filterable by who, what, which and when (admins only)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Response, request
from sqlalchemy import select

import clock
from console.auth import guard
from console.views import bp, date_arg, page, paginate
from models import AuditEntry, Role, db


def _day_start(day: object) -> datetime:
    return clock.at(day)  # type: ignore[arg-type]


@bp.get("/audit")
@guard(Role.ADMIN)
def audit_listing() -> Response:
    """The audit log, newest first."""
    actor = request.args.get("actor", "").strip()
    action = request.args.get("action", "").strip()
    target = request.args.get("target", "").strip()
    since, until = date_arg("since"), date_arg("until")
    query = select(AuditEntry)
    if actor:
        query = query.where(AuditEntry.actor.contains(actor, autoescape=True))
    if action:
        query = query.where(AuditEntry.action == action)
    if target:
        query = query.where(AuditEntry.target.contains(target, autoescape=True))
    if since:
        query = query.where(AuditEntry.at >= _day_start(since))
    if until:
        query = query.where(AuditEntry.at < _day_start(until) + timedelta(days=1))
    actions = list(db.session.scalars(select(AuditEntry.action).distinct()
                                      .order_by(AuditEntry.action)))
    entries = paginate(query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))
    return page("audit.html", entries=entries, actions=actions,
                filters={"actor": actor, "action": action, "target": target,
                         "since": request.args.get("since", ""),
                         "until": request.args.get("until", "")})
