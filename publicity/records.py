"""宣传成果 records: the checks of one publication, creating, editing and deleting it (each
audited), and the rows of a committee year with the list's filters.

A 学习强国 platform carries its level (省级平台 → province, 市级平台 → city); every other
platform takes the level staff choose. A publication belongs to the committee year of its
published date (a calendar date, the committee's): the rows of a year are those published on
1 January to 31 December of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Select, select

import clock
from content import publicity_texts as texts
from models import (
    Member,
    Organization,
    Publication,
    PublicationLevel,
    PublicationPlatform,
    audit,
    db,
)

IMPLIED_LEVEL = {PublicationPlatform.QIANGGUO_PROVINCE: PublicationLevel.PROVINCE,
                 PublicationPlatform.QIANGGUO_CITY: PublicationLevel.CITY}
MEDIA = ("article", "video")
MAX_TITLE = 200
MAX_OUTLET = 100
MAX_URL = 500
MAX_NOTES = 1000
FIRST_DAY = date(2000, 1, 1)
FIELDS = ("title", "media", "platform", "level", "outlet", "published_on", "url",
          "organization_id", "member_id", "notes")


class PublicationError(ValueError):
    """A record that cannot be saved: each problem (Chinese) under its field's name."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


@dataclass(frozen=True)
class Typed:
    """What staff typed into the form, as text."""

    title: str = ""
    media: str = "article"
    platform: str = ""
    level: str = ""
    outlet: str = ""
    published_on: str = ""
    url: str = ""
    organization: str = ""
    member: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Draft:
    """A checked record, ready to be written."""

    title: str
    media: str
    platform: str
    level: str
    outlet: str
    published_on: date
    url: str
    organization_id: int | None
    member_id: int | None
    notes: str


def _length(value: str, limit: int, field: str, errors: dict[str, str]) -> str:
    value = value.strip()
    if len(value) > limit:
        errors[field] = texts.TOO_LONG.format(limit=limit, length=len(value))
    return value


def check_url(value: str) -> bool:
    """True for an empty link or a complete http(s) address without spaces."""
    if not value:
        return True
    if any(ch.isspace() for ch in value) or len(value) > MAX_URL:
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _platform_level(typed: Typed, errors: dict[str, str]) -> tuple[str, str]:
    platform, level = typed.platform.strip(), typed.level.strip()
    if not platform:
        errors["platform"] = texts.PLATFORM_MISSING
        return "", ""
    if platform not in set(PublicationPlatform):
        errors["platform"] = texts.PLATFORM_UNKNOWN.format(value=platform[:30])
        return "", ""
    implied = IMPLIED_LEVEL.get(PublicationPlatform(platform))
    if implied is not None:
        if level and level != implied:
            errors["level"] = texts.LEVEL_IMPLIED.format(
                platform=texts.PLATFORM_NAMES[platform], level=texts.LEVEL_NAMES[implied])
        return platform, implied.value
    if not level:
        errors["level"] = texts.LEVEL_MISSING
    elif level not in set(PublicationLevel):
        errors["level"] = texts.LEVEL_UNKNOWN.format(value=level[:30])
    return platform, level


def _published_on(value: str, today: date, errors: dict[str, str]) -> date | None:
    value = value.strip()
    if not value:
        errors["published_on"] = texts.DATE_MISSING
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors["published_on"] = texts.DATE_BAD.format(value=value[:20])
        return None
    if day > today:
        errors["published_on"] = texts.DATE_FUTURE.format(today=today.isoformat())
    elif day < FIRST_DAY:
        errors["published_on"] = texts.DATE_TOO_EARLY.format(first=FIRST_DAY.isoformat())
    return day


def _organization(value: str, errors: dict[str, str]) -> int | None:
    value = value.strip()
    if not value:
        return None
    found = (db.session.get(Organization, int(value))
             if value.isdecimal() and len(value) <= 9 else None)
    if found is None:
        errors["organization"] = texts.ORG_UNKNOWN
        return None
    return found.id


def _member(value: str, errors: dict[str, str]) -> int | None:
    value = value.strip()
    if not value:
        return None
    by_userid = db.session.scalar(select(Member.id).where(Member.userid == value))
    if by_userid is not None:
        return int(by_userid)
    found = list(db.session.scalars(select(Member.id).where(Member.name == value).limit(2)))
    if not found:
        errors["member"] = texts.MEMBER_UNKNOWN.format(value=value[:30])
        return None
    if len(found) > 1:
        errors["member"] = texts.MEMBER_AMBIGUOUS.format(value=value[:30])
        return None
    return found[0]


def check(typed: Typed, now: datetime) -> Draft:
    """The checked record; PublicationError names every problem (nothing is written)."""
    errors: dict[str, str] = {}
    title = _length(typed.title, MAX_TITLE, "title", errors)
    if not title:
        errors["title"] = texts.TITLE_MISSING
    media = typed.media.strip() or "article"
    if media not in MEDIA:
        errors["media"] = texts.MEDIA_UNKNOWN
    platform, level = _platform_level(typed, errors)
    outlet = _length(typed.outlet, MAX_OUTLET, "outlet", errors)
    if not outlet and platform in IMPLIED_LEVEL:
        outlet = texts.QIANGGUO_OUTLET
    day = _published_on(typed.published_on, clock.today(now), errors)
    url = typed.url.strip()
    if not check_url(url):
        errors["url"] = texts.URL_BAD
    organization_id = _organization(typed.organization, errors)
    member_id = _member(typed.member, errors)
    notes = _length(typed.notes, MAX_NOTES, "notes", errors)
    if errors or day is None:
        raise PublicationError(errors)
    return Draft(title, media, platform, level, outlet, day, url, organization_id, member_id,
                 notes)


def snapshot(row: Publication) -> dict[str, Any]:
    """The record's fields as the audit log keeps them."""
    values = {name: getattr(row, name) for name in FIELDS}
    values["published_on"] = row.published_on.isoformat() if row.published_on else None
    return values


def target(row: Publication) -> str:
    """The audit target of a record."""
    return f"publication:{row.id}"


def create(draft: Draft, actor: str, now: datetime, form_key: str | None = None) -> Publication:
    """Write a new record (flushed, audited; the caller commits)."""
    row = Publication(created_by=actor, created_at=now, form_key=form_key)
    for name in FIELDS:
        setattr(row, name, getattr(draft, name))
    db.session.add(row)
    db.session.flush()
    audit(actor, "publication.create", target(row), after=snapshot(row))
    return row


def update(row: Publication, draft: Draft, actor: str) -> bool:
    """Save the draft over the record; False (nothing audited) when nothing changed."""
    before = snapshot(row)
    for name in FIELDS:
        setattr(row, name, getattr(draft, name))
    after = snapshot(row)
    if after == before:
        return False
    db.session.flush()
    audit(actor, "publication.update", target(row), before=before, after=after)
    return True


def delete(row: Publication, actor: str) -> None:
    """Delete the record (audited with what it held)."""
    audit(actor, "publication.delete", target(row), before=snapshot(row))
    db.session.delete(row)
    db.session.flush()


def by_form_key(form_key: str) -> Publication | None:
    """The record a create form with this one-time key already made, or None."""
    return db.session.scalars(select(Publication).where(Publication.form_key == form_key)).first()


def of_year(year: int, platform: str = "", level: str = "") -> Select[Any]:
    """The records published in the committee year (optionally one platform and level), newest
    first."""
    query = select(Publication).where(Publication.published_on >= date(year, 1, 1),
                                      Publication.published_on <= date(year, 12, 31))
    if platform:
        query = query.where(Publication.platform == platform)
    if level:
        query = query.where(Publication.level == level)
    return query.order_by(Publication.published_on.desc(), Publication.id.desc())


def years(now: datetime) -> list[int]:
    """The years that have records, and the current one, newest first."""
    found = {day.year for day in db.session.scalars(
        select(Publication.published_on).distinct())}
    found.add(clock.year_of(now))
    return sorted(found, reverse=True)
