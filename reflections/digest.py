"""The digest of featured reflections (优秀心得选登): one new material, pushed to an audience.
Its push records each member it reaches as a material delivery by the digest (`via` digest,
study/pushes.py: the material's generated slug tells it apart).

A reflection belongs to the period in which it was featured (reviewed_at, the committee's
dates, both ends included), so each lands in exactly one monthly digest however late the
digest is compiled. Authors are named only with their consent. Members' text goes into a
Markdown body that the reading page renders with raw HTML passed through, so every piece of
it is HTML-escaped and its Markdown control characters are made literal.
"""

from __future__ import annotations

import html
import math
import re
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

import clock
from content import review_texts as texts
from models import Material, MaterialKind, Push, Reflection, ReflectionStatus, audit, db, utcnow
from reflections.review import subject_of
from study.library import GENERATED_PREFIX
from study.pushes import create_push

CHARS_PER_MINUTE = 400
# Characters Python-Markdown lets a backslash make literal; escaped wherever they occur.
MARKDOWN_ESCAPABLE = re.compile(r"([\\`*_{}\[\]()#+\-.!])")
# Block markers that a backslash cannot escape (definition lists, fences, tables, setext).
LEADING_UNESCAPABLE = ":~=|"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class DigestError(ValueError):
    """A digest that cannot be compiled; the message says why, in plain English."""


def escape_line(line: str) -> str:
    """One line of members' text as literal Markdown: HTML-escaped, no Markdown structure."""
    line = CONTROL.sub("", line).strip()
    line = html.escape(line, quote=False)  # quote=False: no &#x27; for the next step to split
    line = MARKDOWN_ESCAPABLE.sub(r"\\\1", line)
    if line and line[0] in LEADING_UNESCAPABLE:
        line = f"&#{ord(line[0])};{line[1:]}"
    return line


def escape_text(text: str) -> str:
    """Members' text as literal Markdown, one paragraph per non-empty line."""
    lines = (escape_line(line) for line in text.splitlines())
    return "\n\n".join(line for line in lines if line)


def featured_between(since: date, until: date) -> list[Reflection]:
    """Reflections featured from `since` to `until` (the committee's dates, inclusive)."""
    return list(db.session.scalars(
        select(Reflection).where(
            Reflection.status == ReflectionStatus.FEATURED, Reflection.featured,
            Reflection.reviewed_at >= clock.at(since),
            Reflection.reviewed_at < clock.at(until + timedelta(days=1)))
        .order_by(Reflection.reviewed_at, Reflection.id)))


def period_name(since: date, until: date) -> str:
    """The period as readers see it: 2026年11月 for a whole month, else a date range."""
    next_day = until + timedelta(days=1)
    if since.day == 1 and next_day.day == 1 and (since.year, since.month) == (until.year,
                                                                              until.month):
        return texts.DIGEST_MONTH.format(year=since.year, month=since.month)

    def day(value: date) -> str:
        return texts.DIGEST_DAY.format(year=value.year, month=value.month, day=value.day)

    return day(since) if since == until else texts.DIGEST_RANGE.format(start=day(since),
                                                                       end=day(until))


def byline(reflection: Reflection) -> str:
    """The author as shown: name and organisation with consent, else 一位党员."""
    if not reflection.consent_public:
        return texts.DIGEST_AUTHOR_ANONYMOUS
    organization = reflection.member.main_organization
    if organization is None:
        return reflection.member.name
    return texts.DIGEST_AUTHOR_NAMED.format(name=reflection.member.name,
                                            organization=organization.name)


def digest_body(reflections: list[Reflection], period: str) -> str:
    """The Markdown body: a short introduction, then one section per reflection."""
    blocks = [texts.DIGEST_INTRO.format(count=len(reflections), period=period)]
    for index, reflection in enumerate(reflections, 1):
        blocks.append(texts.DIGEST_SECTION.format(
            index=index, subject=escape_line(subject_of(reflection))))
        blocks.append(texts.DIGEST_BYLINE.format(author=escape_line(byline(reflection))))
        if reflection.text.strip():
            blocks.append(escape_text(reflection.text))
        if reflection.image_count:
            blocks.append(texts.DIGEST_PHOTOS.format(count=reflection.image_count))
    return "\n\n".join(blocks) + "\n"


def _free_slug(today: date) -> str:
    """digest-<date>-<n>, with n the first number not yet taken that day."""
    taken = set(db.session.scalars(
        select(Material.slug).where(Material.slug.like(f"{GENERATED_PREFIX}{today.isoformat()}-%"))))
    n = 1
    while f"{GENERATED_PREFIX}{today.isoformat()}-{n}" in taken:
        n += 1
    return f"{GENERATED_PREFIX}{today.isoformat()}-{n}"


def compile_digest(since: date, until: date, today: date) -> tuple[Material, list[Reflection]]:
    """A new material compiling the period's featured reflections; DigestError if none."""
    if since > until:
        raise DigestError(f"--since {since} is after --until {until}")
    reflections = featured_between(since, until)
    if not reflections:
        raise DigestError(f"no featured reflections from {since} to {until}")
    period = period_name(since, until)
    chars = sum(r.word_count for r in reflections)
    material = Material(
        slug=_free_slug(today), title=texts.DIGEST_TITLE.format(period=period),
        kind=MaterialKind.ARTICLE, tags=[texts.DIGEST_TAG],
        summary=texts.DIGEST_SUMMARY.format(count=len(reflections)),
        body=digest_body(reflections, period), published_on=today,
        minutes=min(max(math.ceil(chars / CHARS_PER_MINUTE), 1), 600), active=True,
        updated_at=utcnow())
    db.session.add(material)
    db.session.flush()
    return material, reflections


def publish_digest(actor: str, since: date, until: date | None, audience: dict[str, Any],
                   first_at: datetime, now: datetime | None = None) -> tuple[Material, Push]:
    """Compile the digest and schedule its push (both audited); nothing is committed here."""
    now = now or utcnow()
    today = clock.today(now)
    material, reflections = compile_digest(since, until or today, today)
    audit(actor, "reflection.digest", material.slug, since=since.isoformat(),
          until=(until or today).isoformat(), reflections=[r.number for r in reflections])
    push = create_push(actor, audience, first_at, material=material, now=now)
    return material, push
