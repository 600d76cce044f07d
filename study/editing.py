"""The console's 学习材料 editor: create, update, retire and reactivate a material from a form,
checked by the library's own rules (study.library.check_fields) with the messages in Chinese;
every save is a version (study.versions) and an audit entry with the fields before and after.

Nothing is written when the form is wrong (EditError carries {field: message}). A create form
carries a one-time key: submitted twice, it makes one material. The slug is typed or made
from the title, and cannot change afterwards (the file of a material is named by it).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.fields import Invalid
from content import material_texts as m
from content.titles import quoted
from models import Material, MaterialVersion, Series, audit, db, utcnow
from study.library import check_fields, series_ids
from study.versions import (
    FIELDS,
    ensure_baseline,
    latest_number,
    record_version,
    snapshot,
    version,
)

FORM_FIELDS = ("title", "slug", "kind", "series", "position", "tags", "summary", "source_url",
               "cover", "published", "campaign", "minutes", "body")
OPTIONAL = ("series", "position", "source_url", "cover", "campaign")  # empty: not given
NUMBERS = ("position", "minutes")
TAG_SPLIT = re.compile(r"[,，、;；\n]+")
FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
# A pairing problem is shown beside the field that is missing.
SHOWN_BESIDE = {"needs_position": "position", "needs_series": "series"}
FORM = "_form"  # errors about the whole form, not one field


class EditError(Exception):
    """The form cannot be saved; `errors` maps each field (or "_form") to a Chinese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {text}" for name, text in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class Checked:
    """A form's values after the checks: the slug and the material's columns."""

    slug: str
    columns: dict[str, Any]
    series: str | None


def _number(value: str) -> int | str:
    """A form's whole number as an int (so the library's check accepts it), else the text."""
    return int(value) if re.fullmatch(r"\d{1,9}", value) else value


def raw_fields(form: Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """The form's fields as a file's front matter gives them (an empty optional field is not
    given), and the body."""
    given = {name: str(form.get(name) or "").strip() for name in FORM_FIELDS}
    raw: dict[str, Any] = {}
    for name in ("title", "kind", "summary"):
        raw[name] = given[name]
    raw["tags"] = [tag.strip() for tag in TAG_SPLIT.split(given["tags"]) if tag.strip()]
    for name in ("published", "minutes", *OPTIONAL):
        if given[name]:
            raw[name] = _number(given[name]) if name in NUMBERS else given[name]
    body = str(form.get("body") or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return raw, body


def message(name: str, problem: Invalid) -> tuple[str, str]:
    """The form field a problem is shown beside, and its Chinese message."""
    field = SHOWN_BESIDE.get(problem.reason, name)
    template = m.ERRORS.get(problem.reason, m.ERROR_DEFAULT)
    return field, template.format(label=m.FIELD_LABELS.get(field, field), **problem.params)


def _made_slug(title: str, published: date | None) -> str:
    """A free slug from the title's Latin letters and digits, else from the date."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:80].strip("-")
    if not base:
        base = f"material-{published:%Y%m%d}" if published else "material"
    taken = set(db.session.scalars(select(Material.slug).where(Material.slug.like(f"{base}%"))))
    number, slug = 1, base
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _position_holder(series: str, position: int, material_id: int | None) -> Material | None:
    """Another active material at this position of the series, if any."""
    query = (select(Material).join(Series, Material.series_id == Series.id)
             .where(Series.title == series, Material.series_position == position,
                    Material.active))
    if material_id is not None:
        query = query.where(Material.id != material_id)
    return db.session.scalars(query.limit(1)).first()


def check_form(form: Mapping[str, Any], material: Material | None = None) -> Checked:
    """The form's values checked as a file's would be, plus what only the database knows (a
    free slug, a free position in the series); EditError with every problem. Writes nothing."""
    raw, body = raw_fields(form)
    typed = str(form.get("slug") or "").strip()
    if material is not None:
        raw["slug"] = material.slug
    elif typed:
        raw["slug"] = typed
    values, problems = check_fields(raw, body)
    errors: dict[str, str] = {}
    for name, problem in problems:
        if name == "slug" and problem.reason == "missing":
            continue  # none typed: one is made from the title below
        field, text = message(name, problem)
        errors.setdefault(field, text)
    if material is None and typed and "slug" not in errors and db.session.scalar(
            select(Material.id).where(Material.slug == typed)) is not None:
        errors["slug"] = m.ERRORS["slug_taken"].format(slug=typed)
    series, position = values.get("series"), values.get("position")
    if series and position and not errors.keys() & {"series", "position"}:
        holder = _position_holder(series, position, material.id if material else None)
        if holder is not None:
            errors["position"] = m.ERRORS["position_taken"].format(
                series=series, position=position, title=quoted(holder.title))
    if errors:
        raise EditError(errors)
    slug = values.get("slug") or _made_slug(values["title"], values.get("published"))
    columns = {
        "title": values["title"], "kind": values["kind"], "series_position": position,
        "tags": values["tags"], "summary": values["summary"],
        "source_url": values.get("source_url"), "body": body, "cover": values.get("cover"),
        "published_on": values["published"], "campaign": values.get("campaign"),
        "minutes": values["minutes"],
    }
    return Checked(slug, columns, series)


def _with_series(checked: Checked) -> dict[str, Any]:
    """The columns with the series' id (the series is created when new)."""
    series_id = series_ids({checked.series})[checked.series] if checked.series else None
    return {**checked.columns, "series_id": series_id}


def audit_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot as an audit row keeps it: the body by its length and digest (its text is in
    the version)."""
    shown = dict(fields)
    if "body" in shown:
        body = str(shown["body"] or "")
        shown["body"] = {"chars": len(body),
                         "sha256": hashlib.sha256(body.encode()).hexdigest()[:16]}
    return shown


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]
             ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields that differ: (before, after), as audit rows keep them."""
    names = [name for name in FIELDS if before.get(name) != after.get(name)]
    return (audit_fields({n: before.get(n) for n in names}),
            audit_fields({n: after.get(n) for n in names}))


def find_created(form_key: str) -> Material | None:
    """The material a create form with this one-time key already made, if any."""
    return db.session.scalars(select(Material).join(
        MaterialVersion, MaterialVersion.material_id == Material.id).where(
        MaterialVersion.form_key == form_key)).first()


def create_material(actor: str, form: Mapping[str, Any], form_key: str
                    ) -> tuple[Material, bool]:
    """A new material from the create form (version 1, audited): (material, True); the one this
    form already made, if it was submitted before: (that material, False). EditError when the
    form is wrong or the key malformed; the caller commits."""
    if not FORM_KEY.fullmatch(form_key):
        raise EditError({FORM: m.ERRORS["form_key"]})
    done = find_created(form_key)
    if done is not None:
        return done, False
    checked = check_form(form)
    now = utcnow()
    try:
        material = Material(slug=checked.slug, active=True, updated_at=now, edited_at=now,
                            **_with_series(checked))
        db.session.add(material)
        created = record_version(material, actor, form_key)
    except IntegrityError:  # the same form (or the same slug) committed meanwhile
        db.session.rollback()
        done = find_created(form_key)
        if done is not None:
            return done, False
        raise EditError({"slug": m.ERRORS["slug_taken"].format(slug=checked.slug)}) from None
    audit(actor, "material.create", f"material {material.slug}", version=created.number,
          after=audit_fields(created.fields))
    return material, True


def _save(actor: str, material: Material, columns: Mapping[str, Any], action: str,
          **detail: Any) -> MaterialVersion | None:
    """Apply the columns; when anything changed, a new version and an audit entry (with the
    changed fields before and after). None when nothing changed (nothing written)."""
    if all(getattr(material, name) == value for name, value in columns.items()):
        return None
    ensure_baseline(material)  # a material never versioned keeps its state first
    before = snapshot(material)
    now = utcnow()
    for name, value in columns.items():
        setattr(material, name, value)
    material.updated_at = material.edited_at = now
    saved = record_version(material, actor)
    old, new = _changes(before, saved.fields)
    audit(actor, action, f"material {material.slug}", version=saved.number, before=old,
          after=new, **detail)
    return saved


def _check_base(material: Material, base_version: int | None) -> None:
    """EditError when the material was saved since the form was opened at base_version."""
    latest = latest_number(material.id)
    if base_version is not None and base_version != latest:
        raise EditError({FORM: m.ERRORS["stale"].format(number=latest)})


def update_material(actor: str, material: Material, form: Mapping[str, Any],
                    base_version: int | None = None) -> MaterialVersion | None:
    """Save the edit form over the material: the new version, or None when nothing changed.
    EditError when the form is wrong or the material was saved since base_version."""
    checked = check_form(form, material)
    _check_base(material, base_version)
    try:
        return _save(actor, material, _with_series(checked), "material.update")
    except IntegrityError:  # another save took the same version number
        db.session.rollback()
        raise EditError({FORM: m.ERRORS["stale"].format(
            number=latest_number(material.id))}) from None


def set_active(actor: str, material: Material, active: bool) -> MaterialVersion | None:
    """停用 (False) or 恢复 (True) a material: a version and an audit entry; None if it was so."""
    action = "material.reactivate" if active else "material.retire"
    return _save(actor, material, {"active": active}, action)


def form_from_fields(fields: Mapping[str, Any], slug: str = "") -> dict[str, str]:
    """A snapshot (or a material's) fields as the form's texts."""
    def text(name: str) -> str:
        value = fields.get(name)
        return "" if value is None else str(value)

    return {"title": text("title"), "slug": slug, "kind": text("kind"),
            "series": text("series"), "position": text("series_position"),
            "tags": "、".join(fields.get("tags") or []), "summary": text("summary"),
            "source_url": text("source_url"), "cover": text("cover"),
            "published": text("published_on"), "campaign": text("campaign"),
            "minutes": text("minutes"), "body": text("body")}


def form_of(material: Material) -> dict[str, str]:
    """The edit form's texts, prefilled from the material."""
    return form_from_fields(snapshot(material), material.slug)


def restore_version(actor: str, material: Material, number: int) -> MaterialVersion | None:
    """Make the material say what version `number` said (its content; whether it is in use
    stays as it is), checked again as a form would be: the new version, or None when it says
    so already. LookupError for a version it does not have; EditError when it no longer fits
    (e.g. its series position is taken now)."""
    old = version(material.id, number)
    if old is None:
        raise LookupError(number)
    checked = check_form(form_from_fields(old.fields), material)
    return _save(actor, material, _with_series(checked), "material.restore", source=number)


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between two versions, as the page shows it."""

    name: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class VersionDiff:
    """Two versions compared: the changed fields and the body's unified diff lines."""

    old: MaterialVersion
    new: MaterialVersion
    fields: list[FieldChange]
    body: list[tuple[str, str]]  # (kind, line): kind is "add", "del", "hunk" or "same"


def shown(name: str, value: Any) -> str:
    """A snapshot's field value as the page shows it."""
    if value is None:
        return ""
    if name == "tags":
        return "、".join(value)
    if name == "active":
        return m.YES_NO[bool(value)]
    if name == "kind":
        return m.KIND_NAMES.get(str(value), str(value))
    return str(value)


def _body_lines(old: str, new: str, old_name: str, new_name: str) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), old_name, new_name,
                                     lineterm="", n=3):
        if line.startswith(("---", "+++")) and not lines:
            continue  # the two file-name lines
        if line.startswith("@@"):
            lines.append(("hunk", line))
        elif line.startswith("+"):
            lines.append(("add", line))
        elif line.startswith("-"):
            lines.append(("del", line))
        else:
            lines.append(("same", line))
    return lines


def diff_versions(material_id: int, first: int, second: int) -> VersionDiff | None:
    """Versions `first` and `second` of the material compared (the older one as old); None
    when either is missing."""
    a, b = version(material_id, first), version(material_id, second)
    if a is None or b is None:
        return None
    old, new = (a, b) if a.number <= b.number else (b, a)
    fields = [FieldChange(name, m.DIFF_FIELDS[name], shown(name, old.fields.get(name)),
                          shown(name, new.fields.get(name)))
              for name in FIELDS if name != "body"
              and old.fields.get(name) != new.fields.get(name)]
    body = _body_lines(str(old.fields.get("body") or ""), str(new.fields.get("body") or ""),
                       f"v{old.number}", f"v{new.number}")
    return VersionDiff(old, new, fields, body)
