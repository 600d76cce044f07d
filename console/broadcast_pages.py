"""群发: compose with a live audience count and a preview, send now or schedule, history with
delivery figures, recall and cancel. The rules are broadcasts.compose/sending/recall's.

Admins broadcast to anyone. Contacts may too, as in chat, only when BROADCAST_CONTACTS is on,
only to their own organisations (compose.can_use_org), and see and recall only their own.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Response, abort, current_app, flash, jsonify, redirect, request, url_for
from sqlalchemy import select

from bot.services import wecom_client
from broadcasts import compose, sending
from broadcasts.compose import ComposeError
from broadcasts.jobs import enqueue_broadcast
from broadcasts.recall import recall
from console.auth import guard, viewer
from console.views import bp, local, not_found, page, paginate, wall_time
from content import console_texts as t
from models import Broadcast, BroadcastStatus, Material, Organization, Role, db, utcnow

KINDS = ("text", "markdown", "material")


@dataclass(frozen=True)
class Composed:
    """A checked draft from the form, with what the preview shows."""

    draft: sending.BroadcastDraft
    size: int
    send_at: datetime | None
    shown: str  # the text, or the material's title


def _may_broadcast() -> None:
    """Admins; contacts only when BROADCAST_CONTACTS is on (403 otherwise)."""
    if not viewer().is_admin and not current_app.config.get("BROADCAST_CONTACTS"):
        abort(403)


def _audience(form: Any) -> dict[str, Any]:
    """The audience the form names; a contact's must be within their organisations."""
    numbers = {kind: number for number, kind in compose.AUDIENCE_CHOICES.items()}
    number = numbers.get(form.get("audience_kind", ""), "")
    audience = compose.parse_audience(number, form.get("audience_value", "").strip(), utcnow())
    member = viewer().member
    if not viewer().is_admin and (member is None or not compose.can_use_org(member, audience)):
        raise ComposeError(t.CONTACT_AUDIENCE_ONLY)
    return audience


def _own(broadcast_id: int) -> Broadcast | None:
    """The broadcast if the viewer may act on it: admins any, a contact only their own."""
    row = db.session.get(Broadcast, broadcast_id)
    if row is None or not (viewer().is_admin or row.sender == viewer().actor):
        return None
    return row


def _send_at(value: str) -> datetime | None:
    if not value.strip():
        return None
    moment = wall_time(value)
    if moment is None or moment <= utcnow():
        raise ComposeError(t.BAD_TIME)
    return moment


def _compose(form: Any) -> Composed:
    """The draft the form describes; ComposeError (a Chinese message) when it cannot be sent."""
    kind = form.get("kind", "text")
    if kind == "material":
        material = db.session.scalars(select(Material).where(
            Material.slug == form.get("material", ""))).first()
        content_kind, payload = compose.material_payload(material, form.get("material", ""))
        shown = material.title if material else ""
    else:
        content = form.get("content", "")
        prefix = compose.MARKDOWN_PREFIX if kind == "markdown" else ""
        content_kind, payload = compose.text_payload(prefix + content)
        shown = payload[content_kind]["content"]
    audience = _audience(form)
    size = len(compose.recipients(audience))
    draft = sending.BroadcastDraft(viewer().actor, content_kind, payload, audience)
    return Composed(draft, size, _send_at(form.get("send_at", "")), shown)


def _materials() -> list[Material]:
    return list(db.session.scalars(select(Material).where(Material.active)
                                   .order_by(Material.published_on.desc()).limit(200)))


def audience_text(audience: dict[str, Any]) -> str:
    """An audience as admins read it: its kind and values, organisations by name."""
    values = [str(v) for v in audience.get("values") or []]
    if audience.get("kind") == "orgs":
        names = dict(db.session.execute(select(Organization.id, Organization.name).where(
            Organization.id.in_([int(v) for v in values if v.isdecimal()]))).all())
        values = [names.get(int(v), v) if v.isdecimal() else v for v in values]
    if audience.get("kind") == "roles":
        values = [t.ROLE_NAMES.get(v, v) for v in values]
    kind = t.AUDIENCE_KINDS.get(str(audience.get("kind")), str(audience.get("kind")))
    return " ".join([kind, "、".join(values)]).strip()


def _listing(status: int = 200, error: str = "", form: Any = None) -> Response:
    query = select(Broadcast).order_by(Broadcast.id.desc())
    if not viewer().is_admin:
        query = query.where(Broadcast.sender == viewer().actor)
    kinds = t.AUDIENCE_KINDS if viewer().is_admin else {"orgs": t.AUDIENCE_KINDS["orgs"]}
    return page("broadcasts.html", status, rows=paginate(query, per_page=20),
                materials=_materials(), error=error, form=form or {},
                audience_text=audience_text, kinds=kinds)


@bp.get("/broadcasts")
@guard(Role.ADMIN, Role.CONTACT)
def broadcasts_listing() -> Response:
    """The compose form and the history."""
    _may_broadcast()
    return _listing()


@bp.get("/broadcasts/audience")
@guard(Role.ADMIN, Role.CONTACT)
def broadcast_audience() -> Response:
    """How many members an audience reaches now (the form's live count), as JSON."""
    _may_broadcast()
    try:
        size = len(compose.recipients(_audience(request.args)))
    except ComposeError as exc:
        return jsonify({"count": 0, "text": str(exc)})
    return jsonify({"count": size, "text": t.AUDIENCE_COUNT.format(count=size)})


@bp.post("/broadcasts/preview")
@guard(Role.ADMIN, Role.CONTACT)
def broadcast_preview() -> Response:
    """Check the draft and show exactly what will be sent, to whom, with a one-time confirm."""
    _may_broadcast()
    try:
        composed = _compose(request.form)
    except ComposeError as exc:
        return _listing(400, str(exc), request.form)
    return page("broadcast_preview.html", composed=composed, form=request.form,
                confirm_key=secrets.token_urlsafe(16),
                at=local(composed.send_at) if composed.send_at else "")


@bp.post("/broadcasts/send")
@guard(Role.ADMIN, Role.CONTACT)
def broadcast_send() -> Response:
    """确认: create the broadcast once per confirm key (a double click sends once)."""
    _may_broadcast()
    key = request.form.get("confirm_key", "")
    if not 16 <= len(key) <= 64:
        return _listing(400, t.BAD_FORM, request.form)
    try:
        composed = _compose(request.form)
        row, _ = sending.create(composed.draft, f"console:{key}", utcnow(), composed.send_at)
    except ComposeError as exc:
        db.session.rollback()
        return _listing(400, str(exc), request.form)
    number, size, status = row.number, row.audience_size, row.status
    at = local(row.send_at)
    db.session.commit()
    if status == BroadcastStatus.SENDING:
        enqueue_broadcast(row.id)
        flash(t.SENT_NOW.format(number=number, count=size), "ok")
    else:
        flash(t.SCHEDULED.format(number=number, at=at, count=size), "ok")
    return redirect(url_for(".broadcasts_listing"), 303)  # type: ignore[return-value]


@bp.post("/broadcasts/<int:broadcast_id>/recall")
@guard(Role.ADMIN, Role.CONTACT)
def broadcast_recall(broadcast_id: int) -> Response:
    """撤回 every batch of a sent broadcast (within 24 hours)."""
    _may_broadcast()
    row = _own(broadcast_id)
    if row is None:
        return not_found()
    number = row.number
    result = recall(wecom_client(), viewer().actor, row, utcnow())
    if result.refused and not result.recalled:
        flash(t.RECALL_REFUSED.get(result.refused, result.refused), "error")
    else:
        flash(t.RECALLED.format(number=number, count=len(result.recalled)), "ok")
    return redirect(url_for(".broadcasts_listing"), 303)  # type: ignore[return-value]


@bp.post("/broadcasts/<int:broadcast_id>/cancel")
@guard(Role.ADMIN, Role.CONTACT)
def broadcast_cancel(broadcast_id: int) -> Response:
    """取消 a scheduled broadcast."""
    _may_broadcast()
    row = _own(broadcast_id)
    if row is None:
        return not_found()
    number = row.number
    if sending.cancel(viewer().actor, row):
        db.session.commit()
        flash(t.CANCELLED.format(number=number), "ok")
    else:
        flash(t.CANCEL_REFUSED, "error")
    return redirect(url_for(".broadcasts_listing"), 303)  # type: ignore[return-value]
