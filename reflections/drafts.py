"""Drafts: parts stored as they arrive, the text assembled from them, submission once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Text, bindparam, case, false, insert, literal, select, update

from models import (
    Member,
    ParticipationKind,
    ProcessedMessage,
    Reflection,
    ReflectionPart,
    ReflectionStatus,
    db,
    utcnow,
)
from models.direct import DirectStatement, mark_processed_written
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


def _append_with_processed() -> DirectStatement:
    """PostgreSQL: DRAFT_APPEND, the part and the message's processed record in one statement
    (data-modifying CTEs), atomic on its own: one round trip for the whole write."""
    draft = DRAFT_APPEND.statement.returning(_table.c.id).cte("draft")
    parts, processed_table = ReflectionPart.__table__, ProcessedMessage.__table__
    created_at = bindparam("created_at", type_=parts.c.created_at.type)
    part = insert(parts).from_select(
        ["reflection_id", "kind", "text", "source_key", "superseded", "created_at"],
        select(draft.c.id, literal("text"), _kept, bindparam("source_key"), false(), created_at))
    row = insert(processed_table).from_select(
        ["key", "userid", "kind", "handler", "handled_at"],
        select(bindparam("key"), bindparam("userid"), bindparam("kind"), bindparam("handler"),
               created_at).select_from(draft))
    return DirectStatement(select(draft.c.word_count).add_cte(part.cte("part"),
                                                               row.cte("processed")))


APPEND_WITH_PROCESSED = _append_with_processed()


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
class ReflectionDraft:
    """What the writing step needs of a draft, read with one narrow select (no ORM object)."""

    id: int
    text: str
    word_count: int
    image_count: int


def find_draft(draft_id: int | None) -> ReflectionDraft | None:
    """The draft with this id, or None if it is gone or no longer a draft (one read, on
    PostgreSQL outside any transaction: no BEGIN and ROLLBACK around it)."""
    if draft_id is None:
        return None
    rows = DRAFT_SELECT.execute(db.session, {"draft_id": draft_id}, standalone=True)
    return ReflectionDraft(*rows[0]) if rows else None


def add_text(draft_id: int, text: str, source_key: str, now: datetime,
             processed: dict[str, str] | None = None) -> tuple[int, int] | None:
    """Store one text part (cut so the whole stays within the maximum): the draft's word
    count after it and the characters cut, or None if there is no such draft.

    The hottest write of the chat, so no select when the part fits: the text is the parts
    joined by newlines (`refresh`), so a new last part extends it in SQL (two parts at once
    cannot lose each other) and the parts are never loaded. Given the message's
    `processed` record, on PostgreSQL the update, the part and that record are one
    statement that commits itself (one round trip); elsewhere two statements in the
    message's transaction.
    """
    maximum = limits().max_chars
    chars = count_chars(text)
    rows = _append(draft_id, text, chars, source_key, now, processed, maximum)
    if not rows:  # no draft, or the part does not fit: cut it to the room left
        draft = find_draft(draft_id)
        if draft is None:
            return None
        kept = cut_to(text, max(maximum - draft.word_count, 0))
        kept_chars = count_chars(kept)
        rows = _append(draft_id, kept, kept_chars, source_key, now, processed, maximum)
        if not rows:
            return None
        return rows[0][0], chars - kept_chars
    return rows[0][0], 0


def _append(draft_id: int, kept: str, chars: int, source_key: str, now: datetime,
            processed: dict[str, str] | None, maximum: int) -> list[tuple[int]]:
    """Append one text part; [(word count after,)] or [] if the draft is gone or would pass
    `maximum` characters."""
    params = {"draft_id": draft_id, "now": now, "max_chars": maximum,
              "kept": kept, "chars": chars, "source_key": source_key, "created_at": utcnow()}
    session = db.session
    if processed is not None and db.engine.dialect.name == "postgresql":
        rows = APPEND_WITH_PROCESSED.execute(session, {**params, **processed}, standalone=True)
        if rows:
            mark_processed_written()
        return rows
    rows = DRAFT_APPEND.execute(session, params)
    if rows:
        PART_INSERT.execute(session, {"reflection_id": draft_id, "text": kept,
                                      "source_key": source_key, "created_at": params["created_at"]})
    return rows


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


def shortfall(reflection: Reflection | ReflectionDraft) -> int:
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


def preview(reflection: Reflection | ReflectionDraft, chars: int = 50) -> str:
    """The first `chars` characters, for the confirmation."""
    text = reflection.text.replace("\n", " ")
    return text[:chars] + ("……" if len(text) > chars else "")


