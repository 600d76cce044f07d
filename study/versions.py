"""Versions of a material: every saved state (a console save, a file import, a restore) kept
as a JSON snapshot of its fields, numbered 1, 2, 3, ... per material."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from models import Material, MaterialVersion, Series, db, utcnow

# The fields a version records, in the order pages show them.
FIELDS = ("title", "kind", "series", "series_position", "tags", "summary", "source_url",
          "cover", "published_on", "campaign", "minutes", "active", "body")
# The actor of the state a material had before its first version (made by an older sync).
BASELINE_ACTOR = "baseline"


def snapshot(material: Material) -> dict[str, Any]:
    """The material's fields as a version records them (series by title, dates as ISO text)."""
    series = db.session.get(Series, material.series_id) if material.series_id else None
    return {
        "title": material.title, "kind": material.kind,
        "series": series.title if series else None, "series_position": material.series_position,
        "tags": list(material.tags or []), "summary": material.summary or "",
        "source_url": material.source_url, "cover": material.cover,
        "published_on": material.published_on.isoformat() if material.published_on else None,
        "campaign": material.campaign, "minutes": material.minutes,
        "active": bool(material.active), "body": material.body or "",
    }


def latest_number(material_id: int) -> int:
    """The number of the material's latest version (0 when it has none)."""
    return int(db.session.scalar(select(func.max(MaterialVersion.number)).where(
        MaterialVersion.material_id == material_id)) or 0)


def record_version(material: Material, actor: str, form_key: str | None = None
                   ) -> MaterialVersion:
    """Add the material's current state as its next version (flushed, so it has an id)."""
    db.session.flush()  # the material's id, and its columns as the snapshot reads them
    version = MaterialVersion(material_id=material.id, number=latest_number(material.id) + 1,
                              fields=snapshot(material), actor=actor, form_key=form_key,
                              created_at=utcnow())
    db.session.add(version)
    db.session.flush()
    return version


def ensure_baseline(material: Material) -> None:
    """Before the first change of a material that has no version yet (synced before versions
    existed, or a generated digest), keep its current state as version 1."""
    if material.id is not None and not latest_number(material.id):
        record_version(material, BASELINE_ACTOR)


def versions_of(material_id: int) -> list[MaterialVersion]:
    """The material's versions, the newest first."""
    return list(db.session.scalars(select(MaterialVersion).where(
        MaterialVersion.material_id == material_id).order_by(MaterialVersion.number.desc())))


def version(material_id: int, number: int) -> MaterialVersion | None:
    """One version of the material, or None."""
    return db.session.scalars(select(MaterialVersion).where(
        MaterialVersion.material_id == material_id, MaterialVersion.number == number)).first()
