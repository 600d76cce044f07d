"""学习材料 and 推送: the library with per-material figures (overall and by organisation), and
the push schedules (admins): 新建推送 (form, preview, live count), pause, resume, cancel, and
each push's figures. Figures come from study.stats; the rules from study.pushes."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, current_app, flash, jsonify, redirect, request, url_for
from sqlalchemy import case, select
from sqlalchemy.orm import selectinload

import clock
from bot import keys
from broadcasts.compose import ComposeError
from console import once, push_form
from console.auth import guard, viewer
from console.broadcast_pages import audience_text
from console.views import bp, chart, local, not_found, page, paginate, paginate_list
from content import console_texts as t
from models import Material, Push, PushStatus, Role, db, utcnow
from study.pushes import (
    PushError,
    PushTimePassed,
    cancel_push,
    create_push,
    pause_push,
    resume_push,
)
from study.stats import by_organization, material_figures, push_figures, totals


@bp.get("/materials")
@guard(Role.ADMIN)
def materials_listing() -> Response:
    """Every active material with delivered / opened / completed counts, newest first."""
    materials = list(db.session.scalars(select(Material).where(Material.active)
                                        .order_by(Material.published_on.desc())))
    figures = {f.label: f for f in material_figures()}  # labelled "<slug> <title>"
    rows = [(m, figures.get(f"{m.slug} {m.title}")) for m in materials]
    return page("materials.html", rows=paginate_list(rows))


@bp.get("/materials/<int:material_id>")
@guard(Role.ADMIN)
def material_detail(material_id: int) -> Response:
    """One material's figures by organisation."""
    material = db.session.get(Material, material_id)
    if material is None:
        return not_found()
    return page("material.html", material=material,
                rows=paginate_list(by_organization(material.id)))


def _pushes_page(template: str, code: int = 200, /, **context: object) -> Response:
    """A push page with what every push page shows: audiences, repeats and statuses in words."""
    return page(template, code, audience_text=audience_text, repeat_text=push_form.repeat_text,
                paused=PushStatus.PAUSED, active=PushStatus.ACTIVE, **context)


@bp.get("/pushes")
@guard(Role.ADMIN)
def pushes_listing() -> Response:
    """Push schedules: running and paused first, the next due first."""
    rank = case((Push.status == PushStatus.ACTIVE, 0), (Push.status == PushStatus.PAUSED, 1),
                else_=2)
    query = (select(Push).options(selectinload(Push.material), selectinload(Push.series))
             .order_by(rank, Push.next_at.is_(None), Push.next_at, Push.id.desc()))
    return _pushes_page("pushes.html", rows=paginate(query))


def _form(code: int = 200, errors: dict[str, str] | None = None,
          checked: push_form.Checked | None = None, form_key: str = "") -> Response:
    """The 新建推送 form as typed, its errors beside the fields, and the preview if checked."""
    materials, series = push_form.choices()
    draft = checked.draft if checked else None
    return _pushes_page(
        "push_new.html", code, form=request.form, errors=errors or {}, draft=draft,
        card=push_form.card(draft, str(current_app.config.get("PUBLIC_URL") or ""))
        if draft else None,
        materials=materials, series=series, kinds=t.AUDIENCE_KINDS,
        form_key=form_key or push_form.new_key(),
        min_at=f"{clock.local(utcnow()):%Y-%m-%dT%H:%M}",
        chosen_days=set(request.form.getlist("weekdays")))


@bp.get("/pushes/new")
@guard(Role.ADMIN)
def push_new() -> Response:
    """The 新建推送 form, with a one-time key so that submitting it twice creates one push."""
    return _form()


def _already(form_key: str) -> Response | None:
    """Where a form already submitted goes: its push (or the list while it is being made)."""
    value = once.made(keys.push_form(form_key))
    if value is None:
        return None
    flash(t.PUSH_FORM_USED, "ok")
    target = (url_for(".push_detail", push_id=int(value)) if value.isdecimal()
              else url_for(".pushes_listing"))
    return redirect(target, 303)  # type: ignore[return-value]


@bp.post("/pushes/new")
@guard(Role.ADMIN)
def push_create() -> Response:
    """预览 shows the card and the count; 创建推送 schedules the push (audited) once per form
    key. A wrong field is shown beside it and nothing is written."""
    key = request.form.get("form_key", "")
    if not push_form.FORM_KEY.fullmatch(key):
        return _form(400, {"form": t.BAD_FORM})
    repeated = _already(key)
    if repeated is not None:
        return repeated
    now = utcnow()
    checked = push_form.check(request.form, now)
    if checked.draft is None:
        return _form(400, checked.errors, checked, key)
    if request.form.get("action") != "create":
        return _form(200, {}, checked, key)
    claim = keys.push_form(key)
    if not once.claim(claim):
        return _already(key) or redirect(url_for(".pushes_listing"), 303)  # type: ignore
    draft = checked.draft
    try:
        push = create_push(viewer().actor, draft.audience, draft.first_at,
                           material=draft.material, series=draft.series, repeat=draft.repeat,
                           weekdays=draft.weekdays, msgtype=draft.msgtype, now=now)
        push_id, at = push.id, local(push.next_at)
        db.session.commit()
    except PushError as exc:
        db.session.rollback()
        once.release(claim)
        return _form(400, {"form": t.PUSH_REFUSED.format(reason=exc)}, checked, key)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, push_id)
    flash(t.PUSH_CREATED.format(id=push_id, at=at, count=draft.size), "ok")
    return redirect(url_for(".push_detail", push_id=push_id), 303)  # type: ignore[return-value]


@bp.get("/pushes/audience")
@guard(Role.ADMIN)
def push_audience() -> Response:
    """How many members the form's audience reaches now (its live count), as JSON."""
    try:
        size = push_form.audience_size(request.args.get("audience_kind", ""),
                                       request.args.get("audience_value", ""), utcnow())
    except ComposeError as exc:
        return jsonify({"count": 0, "text": str(exc)})
    return jsonify({"count": size, "text": t.AUDIENCE_COUNT.format(count=size)})


@bp.get("/pushes/<int:push_id>")
@guard(Role.ADMIN)
def push_detail(push_id: int) -> Response:
    """One push: its schedule, its actions, and sent / opened / completed per occurrence with
    their totals charted."""
    push = db.session.get(Push, push_id)
    if push is None:
        return not_found()
    rows = push_figures(push.id)
    total = totals(rows, t.PUSH_TOTAL)
    spec = chart(t.CHART_PUSH, [(t.FIG_DELIVERED, total.delivered), (t.FIG_OPENED, total.opened),
                                (t.FIG_COMPLETED, total.completed)])
    return _pushes_page("push.html", push=push, rows=paginate_list(rows), total=total,
                        spec=spec)


def _act(push_id: int, action: Callable[[str, int], Push], done: str, refused: str) -> Response:
    """Apply a pause / resume / cancel (audited), flash the outcome, go back where it came from."""
    try:
        push = action(viewer().actor, push_id)
        at = local(push.next_at)
    except PushTimePassed:
        db.session.rollback()
        flash(t.PUSH_RESUME_PASSED.format(id=push_id), "error")
    except PushError:
        db.session.rollback()
        flash(refused, "error")
    else:
        db.session.commit()
        flash(done.format(id=push_id, at=at), "ok")
    back = (url_for(".push_detail", push_id=push_id) if request.form.get("back") == "detail"
            else url_for(".pushes_listing"))
    return redirect(back, 303)  # type: ignore[return-value]


@bp.post("/pushes/<int:push_id>/pause")
@guard(Role.ADMIN)
def push_pause(push_id: int) -> Response:
    """Pause an active push: nothing of it is sent until it is resumed (audited)."""
    return _act(push_id, pause_push, t.PUSH_PAUSED, t.PUSH_PAUSE_REFUSED)


@bp.post("/pushes/<int:push_id>/resume")
@guard(Role.ADMIN)
def push_resume(push_id: int) -> Response:
    """Resume a paused push from its next time after now (audited)."""
    return _act(push_id, resume_push, t.PUSH_RESUMED, t.PUSH_RESUME_REFUSED)


@bp.post("/pushes/<int:push_id>/cancel")
@guard(Role.ADMIN)
def push_cancel(push_id: int) -> Response:
    """Cancel an active or paused push: no further occurrence is sent (audited)."""
    return _act(push_id, cancel_push, t.PUSH_CANCELLED, t.PUSH_CANCEL_REFUSED)
