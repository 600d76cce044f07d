"""Drafts: parts stored as they arrive, the text assembled from them, submission once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Text, bindparam, case, insert, select, update

from models import (
    Member,
    ParticipationKind,
    Reflection,
    ReflectionPart,
    ReflectionStatus,
    db,
    utcnow,
)
from models.direct import DirectStatement
from participation import ledger

DRAFT_KEPT = timedelta(hours=24)
DEFAULT_MIN_CHARS = 50
DEFAULT_MAX_CHARS = 5000
_table = Reflection.__table__
_kept = bindparam("kept", type_=Text)
DRAFT_SELECT = DirectStatement(
    select(_table.c.id, _table.c.text, _table.c.word_count, _table.c.image_count)
    .where(_table.c.id == bindparam("draft_id"), _table.c.status == ReflectionStatus.DRAFT)
)
DRAFT_APPEND = DirectStatement(
    update(_table)
    .where(_table.c.id == bindparam("draft_id"), _table.c.status == ReflectionStatus.DRAFT,
           _table.c.word_count + bindparam("chars") <= bindparam("max_chars"))
    .values(text=case((_kept == "", _table.c.text), (_table.c.text == "", _kept),
                      else_=_table.c.text + "\n" + _kept),
            word_count=_table.c.word_count + bindparam("chars"), updated_at=bindparam("now"))
    .returning(_table.c.word_count)
)
PART_INSERT = DirectStatement(insert(ReflectionPart.__table__).values(
    reflection_id=bindparam("reflection_id"), kind="text", text=bindparam("text"),
    source_key=bindparam("source_key"), superseded=False, created_at=bindparam("created_at")))


@dataclass(frozen=True)
class Limits:
    """How long a reflection must and may be, in characters (Chinese characters count 1)."""

    min_chars: int
    max_chars: int


def limits() -> Limits:
    """The configured limits (REFLECTION_MIN_CHARS / REFLECTION_MAX_CHARS)."""
    config = current_app.config
    return Limits(int(config.get("REFLECTION_MIN_CHARS", DEFAULT_MIN_CHARS)),
                  int(config.get("REFLECTION_MAX_CHARS", DEFAULT_MAX_CHARS)))


def count_chars(text: str) -> int:
    """Characters that count towards the length: everything but white space."""
    return sum(map(len, text.split()))  # split() cuts at exactly the chars isspace() names


def current_parts(reflection: Reflection) -> list[ReflectionPart]:
    """The parts of the current version (a revision supersedes the earlier ones)."""
    return [p for p in reflection.parts if not p.superseded]


def refresh(reflection: Reflection, now: datetime) -> None:
    """Recompute text, word count and image count from the current parts."""
    parts = current_parts(reflection)
    reflection.text = "\n".join(p.text for p in parts if p.kind == "text" and p.text)
    reflection.word_count = count_chars(reflection.text)
    reflection.image_count = sum(1 for p in parts if p.kind == "image")
    reflection.updated_at = now


@dataclass(frozen=True)
class Draft:
    """What the writing step needs of a draft, read with one narrow select (no ORM object)."""

    id: int
    text: str
    word_count: int
    image_count: int


def find_draft(draft_id: int | None) -> Draft | None:
    """The draft with this id, or None if it is gone or no longer a draft."""
    if draft_id is None:
        return None
    rows = DRAFT_SELECT.execute(db.session, {"draft_id": draft_id})
    return Draft(*rows[0]) if rows else None


def add_text(draft_id: int, text: str, source_key: str, now: datetime) -> tuple[int, int] | None:
    """Store one text part (cut so the whole stays within the maximum): the draft's word
    count after it and the characters cut, or None if there is no such draft.

    The hottest write of the chat, so two Core statements and no select when the part fits:
    the text is the parts joined by newlines (`refresh`), so a new last part extends it in
    SQL (two parts at once cannot lose each other), and the parts are never loaded.
    """
    maximum = limits().max_chars
    params = {"draft_id": draft_id, "now": now, "max_chars": maximum}
    chars = count_chars(text)
    rows = DRAFT_APPEND.execute(db.session, {**params, "kept": text, "chars": chars})
    kept = text
    if not rows:  # no draft, or the part does not fit: cut it to the room left
        draft = find_draft(draft_id)
        if draft is None:
            return None
        kept = cut_to(text, max(maximum - draft.word_count, 0))
        rows = DRAFT_APPEND.execute(db.session, {**params, "kept": kept,
                                                 "chars": count_chars(kept)})
        if not rows:
            return None
    PART_INSERT.execute(db.session, {"reflection_id": draft_id, "text": kept,
                                     "source_key": source_key, "created_at": utcnow()})
    return rows[0][0], chars - count_chars(kept)


def cut_to(text: str, room: int) -> str:
    """The start of `text` holding at most `room` counted characters."""
    kept, taken = [], 0
    for char in text:
        if taken >= room:
            break
        kept.append(char)
        taken += 0 if char.isspace() else 1
    return "".join(kept)


def add_image(reflection: Reflection, media_id: str, source_key: str, now: datetime
              ) -> ReflectionPart:
    """Store one photo part (its bytes are fetched from WeCom by a job)."""
    part = ReflectionPart(kind="image", media_id=media_id, source_key=source_key)
    reflection.parts.append(part)
    refresh(reflection, now)
    return part


def shortfall(reflection: Reflection | Draft) -> int:
    """How many more characters are needed (0 when long enough; a photo counts as enough)."""
    if reflection.image_count:
        return 0
    return max(limits().min_chars - reflection.word_count, 0)


def submit(reflection: Reflection, submit_key: str, consent_public: bool, now: datetime) -> None:
    """Submit a draft (or a revised returned reflection), keyed by the confirming message."""
    reflection.status = ReflectionStatus.SUBMITTED
    reflection.submit_key = submit_key
    reflection.consent_public = consent_public
    reflection.submitted_at = now
    reflection.reviewer_id = None
    reflection.reviewed_at = None
    db.session.flush()
    ledger.record(reflection.member_id, ParticipationKind.REFLECTION,
                  f"reflection:{reflection.id}", now)


def open_draft(member: Member, now: datetime) -> Reflection | None:
    """The member's newest draft still kept (24 h), if any."""
    return db.session.scalars(
        select(Reflection).where(Reflection.member_id == member.id,
                                 Reflection.status == ReflectionStatus.DRAFT,
                                 Reflection.updated_at >= now - DRAFT_KEPT)
        .order_by(Reflection.updated_at.desc())).first()


def preview(reflection: Reflection | Draft, chars: int = 50) -> str:
    """The first `chars` characters, for the confirmation."""
    text = reflection.text.replace("\n", " ")
    return text[:chars] + ("……" if len(text) > chars else "")


