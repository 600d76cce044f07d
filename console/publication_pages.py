"""宣传成果: the articles and videos published outside, for admins — the year's list with its
platform and level filters, registering one (a one-time form key: a double submit writes one
row), editing and deleting one. Every change is audited by publicity.records; the year's
totals are the report's, not this page's.
"""

from __future__ import annotations

import secrets
from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

import clock
from console.auth import guard, viewer
from console.views import bp, not_found, page, paginate
from content import publicity_texts as pt
from content.titles import quoted
from models import (
    Organization,
    Publication,
    PublicationLevel,
    PublicationPlatform,
    Role,
    db,
    utcnow,
)
from publicity import records

FORM_KEY_LENGTHS = (16, 64)


def _page(template: str, code: int = 200, /, **context: Any) -> Response:
    return page(template, code, pt=pt, platforms=list(PublicationPlatform),
                levels=list(PublicationLevel), **context)


def _year() -> int:
    """The year asked for (?year=), or the committee's current one."""
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= 2100 else clock.year_of(utcnow())


@bp.get("/publications")
@guard(Role.ADMIN)
def publications() -> Response:
    """The records published in a year, newest first, by platform and level."""
    year = _year()
    platform = request.args.get("platform", "")
    platform = platform if platform in set(PublicationPlatform) else ""
    level = request.args.get("level", "")
    level = level if level in set(PublicationLevel) else ""
    rows = paginate(records.of_year(year, platform, level))
    return _page("publications.html", rows=rows, year=year, years=records.years(utcnow()),
                 platform=platform, level=level)


def _orgs() -> list[Organization]:
    return list(db.session.scalars(select(Organization).where(Organization.active)
                                   .order_by(Organization.name, Organization.id)))


def _typed(form: MultiDict[str, str]) -> records.Typed:
    names = records.Typed.__dataclass_fields__
    return records.Typed(**{name: form.get(name, "") for name in names})


def _form_of(row: Publication) -> dict[str, str]:
    return {"title": row.title, "media": row.media, "platform": row.platform,
            "level": "" if row.platform in records.IMPLIED_LEVEL else row.level,
            "outlet": row.outlet, "published_on": row.published_on.isoformat(), "url": row.url,
            "organization": str(row.organization_id or ""),
            "member": row.member.userid if row.member else "", "notes": row.notes}


def _form(row: Publication | None, form: dict[str, str], errors: dict[str, str],
          key: str = "", code: int = 200) -> Response:
    return _page("publication_form.html", code, row=row, form=form, errors=errors,
                 key=key, orgs=_orgs(), today=clock.today(utcnow()).isoformat())


def _to_list(row_year: int) -> Response:
    return redirect(url_for(".publications", year=row_year), 303)  # type: ignore[return-value]


@bp.get("/publications/new")
@guard(Role.ADMIN)
def publication_new() -> Response:
    """The empty form, with the one-time key that makes a double submit register one record."""
    return _form(None, {"media": "article"}, {}, secrets.token_urlsafe(16))


@bp.post("/publications/new")
@guard(Role.ADMIN)
def publication_create() -> Response:
    """Register the record once per form key; every problem beside its field, nothing written."""
    key = request.form.get("form_key", "")
    shown = request.form.to_dict()
    if not FORM_KEY_LENGTHS[0] <= len(key) <= FORM_KEY_LENGTHS[1]:
        flash(pt.FORM_EXPIRED, "error")
        return _form(None, shown, {}, secrets.token_urlsafe(16), 400)
    earlier = records.by_form_key(key)
    if earlier is not None:  # the same form sent again: the record it made
        return _to_list(earlier.published_on.year)
    try:
        draft = records.check(_typed(request.form), utcnow())
        row = records.create(draft, viewer().actor, utcnow(), form_key=key)
        title, year = row.title, row.published_on.year
        db.session.commit()
    except records.PublicationError as exc:
        db.session.rollback()
        flash(pt.FORM_INVALID.format(count=len(exc.errors)), "error")
        return _form(None, shown, exc.errors, key, 400)
    except IntegrityError:  # a twin submit of this form won the race
        db.session.rollback()
        earlier = records.by_form_key(key)
        if earlier is None:
            raise
        return _to_list(earlier.published_on.year)
    flash(pt.CREATED.format(title=quoted(title)), "ok")
    return _to_list(year)


@bp.get("/publications/<int:publication_id>")
@guard(Role.ADMIN)
def publication_detail(publication_id: int) -> Response:
    """One record: its edit form and its delete button."""
    row = db.session.get(Publication, publication_id)
    if row is None:
        return not_found()
    return _form(row, _form_of(row), {})


@bp.post("/publications/<int:publication_id>")
@guard(Role.ADMIN)
def publication_update(publication_id: int) -> Response:
    """Save the form over the record (audited with before and after)."""
    row = db.session.get(Publication, publication_id)
    if row is None:
        return not_found()
    try:
        changed = records.update(row, records.check(_typed(request.form), utcnow()),
                                 viewer().actor)
        title, year = row.title, row.published_on.year
        db.session.commit()
    except records.PublicationError as exc:
        db.session.rollback()
        row = db.session.get(Publication, publication_id)
        flash(pt.FORM_INVALID.format(count=len(exc.errors)), "error")
        return _form(row, request.form.to_dict(), exc.errors, code=400)
    flash(pt.SAVED.format(title=quoted(title)) if changed else pt.UNCHANGED, "ok")
    return _to_list(year)


@bp.post("/publications/<int:publication_id>/delete")
@guard(Role.ADMIN)
def publication_delete(publication_id: int) -> Response:
    """删除: the record no longer counts (audited with what it held)."""
    row = db.session.get(Publication, publication_id)
    if row is None:
        return not_found()
    title, year = row.title, row.published_on.year
    records.delete(row, viewer().actor)
    db.session.commit()
    flash(pt.DELETED.format(title=quoted(title)), "ok")
    return _to_list(year)
