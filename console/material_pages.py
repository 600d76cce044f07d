"""学习材料 editor (admins): 新建 and 编辑 with a live preview (the members' own renderer),
停用 / 恢复, the versions with a diff of two and 恢复到此版本. The rules are study.editing's.

The editor page also hosts the image upload and Word import buttons, whose endpoints live in
console/upload_pages.py (POST /console/uploads/image, /console/materials/import-docx).
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import select

import clock
from console.auth import guard, viewer
from console.views import UPLOAD_LIMITS, bp, not_found, page, paginate
from content import material_texts as m
from content.titles import quoted
from models import Material, MaterialKind, Role, Series, db
from study.editing import (
    FORM,
    EditError,
    create_material,
    diff_versions,
    form_of,
    restore_version,
    set_active,
    shown,
    update_material,
)
from study.reading import render_body
from study.versions import BASELINE_ACTOR, latest_number, versions_of

# A long chapter is more than the app-wide body limit (sized for WeCom callbacks) allows.
FORM_LIMIT = 2 * 1024 * 1024
for _endpoint in ("material_create", "material_update", "material_preview"):
    UPLOAD_LIMITS[f"console.{_endpoint}"] = FORM_LIMIT
UPLOAD_IMAGE_URL = f"{bp.url_prefix}/uploads/image"
IMPORT_DOCX_URL = f"{bp.url_prefix}/materials/import-docx"


@bp.context_processor
def _editor_texts() -> dict[str, Any]:
    """The editor's texts as `mt` in every console template (the materials list links here)."""
    return {"mt": m}


def _editor(status: int, form: dict[str, Any], material: Material | None = None,
            errors: dict[str, str] | None = None, form_key: str = "",
            base_version: int | None = None) -> Response:
    """The new / edit form, with the texts typed so far and each field's error beside it."""
    series = list(db.session.scalars(select(Series.title).order_by(Series.title)))
    return page("material_edit.html", status, form=form, material=material,
                errors=errors or {}, form_error=(errors or {}).get(FORM, ""),
                form_key=form_key, base_version=base_version, kinds=list(MaterialKind),
                series_titles=series, preview=render_body(form.get("body", "")),
                upload_image_url=UPLOAD_IMAGE_URL, import_docx_url=IMPORT_DOCX_URL)


def _back_to(material_id: int) -> Response:
    return redirect(url_for(".material_detail", material_id=material_id), 303)  # type: ignore[return-value]


def _base_version() -> int | None:
    """The version the edit form was opened at (None when absent or malformed)."""
    value = request.form.get("base_version", "")
    return int(value) if value.isdecimal() else None


@bp.get("/materials/new")
@guard(Role.ADMIN)
def material_new() -> Response:
    """新建材料: the empty form (with a one-time key, so a double submit creates one)."""
    form = {"kind": MaterialKind.ARTICLE.value, "minutes": "5",
            "published": clock.today().isoformat()}
    return _editor(200, form, form_key=secrets.token_urlsafe(24))


@bp.post("/materials/new")
@guard(Role.ADMIN)
def material_create() -> Response:
    """Create the material the form describes (audited), or the form again with its errors."""
    form_key = request.form.get("form_key", "")
    try:
        material, created = create_material(viewer().actor, request.form, form_key)
    except EditError as exc:
        db.session.rollback()
        return _editor(400, request.form.to_dict(), errors=exc.errors, form_key=form_key)
    material_id, title = material.id, material.title
    db.session.commit()
    flash((m.CREATED if created else m.ALREADY_CREATED).format(title=quoted(title)), "ok")
    return _back_to(material_id)


@bp.get("/materials/<int:material_id>/edit")
@guard(Role.ADMIN)
def material_edit(material_id: int) -> Response:
    """编辑: the form prefilled from the material."""
    material = db.session.get(Material, material_id)
    if material is None:
        return not_found()
    return _editor(200, form_of(material), material,
                   base_version=latest_number(material.id))


@bp.post("/materials/<int:material_id>/edit")
@guard(Role.ADMIN)
def material_update(material_id: int) -> Response:
    """Save the edit (a new version, audited), or the form again with its errors."""
    material = db.session.get(Material, material_id)
    if material is None:
        return not_found()
    base = _base_version()
    try:
        saved = update_material(viewer().actor, material, request.form, base)
    except EditError as exc:
        db.session.rollback()
        material = db.session.get(Material, material_id)
        return _editor(400, {**request.form.to_dict(), "slug": material.slug}, material,
                       errors=exc.errors, base_version=base)
    title = material.title
    number = saved.number if saved else None
    db.session.commit()
    flash(m.SAVED.format(title=quoted(title), number=number) if number else m.UNCHANGED, "ok")
    return _back_to(material_id)


@bp.post("/materials/preview")
@guard(Role.ADMIN)
def material_preview() -> Response:
    """The body as members will see it: the sanitised HTML fragment of the one renderer."""
    body = request.form.get("body", "").replace("\r\n", "\n")
    return Response(str(render_body(body)), mimetype="text/html")


def _set_active(material_id: int, active: bool) -> Response:
    material = db.session.get(Material, material_id)
    if material is None:
        return not_found()
    title = material.title
    saved = set_active(viewer().actor, material, active)
    db.session.commit()
    if saved is None:
        flash(m.ALREADY, "ok")
    else:
        flash((m.REACTIVATED if active else m.RETIRED_DONE).format(title=quoted(title)), "ok")
    return _back_to(material_id)


@bp.post("/materials/<int:material_id>/retire")
@guard(Role.ADMIN)
def material_retire(material_id: int) -> Response:
    """停用: members can no longer open it, series pushes skip it (a version, audited)."""
    return _set_active(material_id, False)


@bp.post("/materials/<int:material_id>/reactivate")
@guard(Role.ADMIN)
def material_reactivate(material_id: int) -> Response:
    """恢复: in use again (a version, audited)."""
    return _set_active(material_id, True)


@bp.get("/materials/retired")
@guard(Role.ADMIN)
def materials_retired() -> Response:
    """The retired materials (the main list shows those in use), to edit or reactivate."""
    query = (select(Material).where(Material.active.is_(False))
             .order_by(Material.updated_at.desc(), Material.id.desc()))
    return page("materials_retired.html", rows=paginate(query))


@bp.get("/materials/<int:material_id>/versions")
@guard(Role.ADMIN)
def material_versions(material_id: int) -> Response:
    """The material's versions, the newest first, to compare two or restore one."""
    material = db.session.get(Material, material_id)
    if material is None:
        return not_found()
    return page("material_versions.html", material=material,
                versions=versions_of(material.id), baseline=BASELINE_ACTOR)


@bp.get("/materials/<int:material_id>/versions/diff")
@guard(Role.ADMIN)
def material_diff(material_id: int) -> Response:
    """Two versions side by side: the changed fields and the body's changed lines."""
    material = db.session.get(Material, material_id)
    if material is None:
        return not_found()
    first, second = request.args.get("a", type=int), request.args.get("b", type=int)
    if first is None or second is None or first == second:
        flash(m.DIFF_PICK, "error")
        return redirect(url_for(".material_versions", material_id=material_id), 303)  # type: ignore[return-value]
    diff = diff_versions(material.id, first, second)
    if diff is None:
        return not_found()
    return page("material_diff.html", material=material, diff=diff, shown=shown)


@bp.post("/materials/<int:material_id>/versions/<int:number>/restore")
@guard(Role.ADMIN)
def material_version_restore(material_id: int, number: int) -> Response:
    """恢复到此版本: the material says what that version said (a new version, audited)."""
    material = db.session.get(Material, material_id)
    if material is None:
        return not_found()
    try:
        saved = restore_version(viewer().actor, material, number)
    except LookupError:
        return not_found()
    except EditError as exc:
        db.session.rollback()
        for text in exc.errors.values():
            flash(text, "error")
        return redirect(url_for(".material_versions", material_id=material_id), 303)  # type: ignore[return-value]
    result = saved.number if saved else None
    db.session.commit()
    flash(m.RESTORED.format(source=number, number=result) if result
          else m.RESTORE_SAME.format(source=number), "ok")
    return _back_to(material_id)
