"""Drafts: parts stored as they arrive, the text assembled from them, submission once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import inspect, select

from models import Member, ParticipationKind, Reflection, ReflectionPart, ReflectionStatus, db
from participation import ledger

DRAFT_KEPT = timedelta(hours=24)
DEFAULT_MIN_CHARS = 50
DEFAULT_MAX_CHARS = 5000


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
    return sum(1 for c in text if not c.isspace())


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


def add_text(reflection: Reflection, text: str, source_key: str, now: datetime) -> int:
    """Store one text part (cut so the whole stays within the maximum); returns chars cut."""
    room = max(limits().max_chars - reflection.word_count, 0)
    kept, cut = text, 0
    if count_chars(text) > room:
        kept, taken = "", 0
        for char in text:
            if taken >= room:
                break
            kept += char
            taken += 0 if char.isspace() else 1
        cut = count_chars(text) - count_chars(kept)
    part = ReflectionPart(kind="text", text=kept, source_key=source_key)
    if "parts" in inspect(reflection).unloaded:
        # The text is the parts joined by newlines (refresh), so a new last part extends it;
        # the parts themselves need not be loaded (a select of every part per message).
        part.reflection = reflection  # queued on the unloaded collection, not loading it
        db.session.add(part)
        if kept:
            reflection.text = f"{reflection.text}\n{kept}" if reflection.text else kept
        reflection.word_count = count_chars(reflection.text)
        reflection.updated_at = now
    else:
        reflection.parts.append(part)
        refresh(reflection, now)
    return cut


def add_image(reflection: Reflection, media_id: str, source_key: str, now: datetime
              ) -> ReflectionPart:
    """Store one photo part (its bytes are fetched from WeCom by a job)."""
    part = ReflectionPart(kind="image", media_id=media_id, source_key=source_key)
    reflection.parts.append(part)
    refresh(reflection, now)
    return part


def shortfall(reflection: Reflection) -> int:
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


def preview(reflection: Reflection, chars: int = 50) -> str:
    """The first `chars` characters, for the confirmation."""
    text = reflection.text.replace("\n", " ")
    return text[:chars] + ("……" if len(text) > chars else "")


