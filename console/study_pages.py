"""学习材料 and 推送: the library with per-material figures (overall and by organisation), and
the push schedules (admins). Figures come from study.stats."""

from __future__ import annotations

from flask import Response, flash, redirect, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from console.auth import guard, viewer
from console.views import bp, not_found, page, paginate, paginate_list
from content import console_texts as t
from models import Material, Push, PushStatus, Role, db
from study import audience as audiences
from study.pushes import PushError, cancel_push
from study.stats import by_organization, material_figures


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


@bp.get("/pushes")
@guard(Role.ADMIN)
def pushes_listing() -> Response:
    """Push schedules, the next due first."""
    query = (select(Push).options(selectinload(Push.material), selectinload(Push.series))
             .order_by(Push.status, Push.next_at.desc(), Push.id.desc()))
    return page("pushes.html", rows=paginate(query), describe=audiences.describe,
                active=PushStatus.ACTIVE)


@bp.post("/pushes/<int:push_id>/cancel")
@guard(Role.ADMIN)
def push_cancel(push_id: int) -> Response:
    """Cancel an active push: no further occurrence is sent (audited)."""
    try:
        cancel_push(viewer().actor, push_id)
    except PushError:
        db.session.rollback()
        flash(t.PUSH_CANCEL_REFUSED, "error")
    else:
        db.session.commit()
        flash(t.PUSH_CANCELLED.format(id=push_id), "ok")
    return redirect(url_for(".pushes_listing"), 303)  # type: ignore[return-value]
