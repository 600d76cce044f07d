"""Rounds of lecturer applications (第三批红色讲师报名): admins open one with a name and the
batch its applicants apply for, and close it; members may apply in chat only while one is
open, and at most one is open at a time. Opening and closing are audited with before/after.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from content.followup_texts import ROUND_NAME
from models import ApplicationRound, Role, RoleGrant, audit, db

MAX_NAME = 100  # application_rounds.name
MAX_BATCH = 999  # a batch is trained once or twice a year; this only keeps typos out
RECENT = 10


class RoundError(ValueError):
    """A round that cannot be opened or closed; `reason` names why, for a text."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def next_batch() -> int:
    """The batch new lecturers join: one after the highest batch granted, at least 1."""
    highest = db.session.scalar(select(func.max(RoleGrant.batch))
                                .where(RoleGrant.role == Role.LECTURER))
    return (highest or 0) + 1


def current_round() -> ApplicationRound | None:
    """The round open now, or None."""
    return db.session.scalars(select(ApplicationRound)
                              .where(ApplicationRound.is_open.is_(True))).first()


def last_closed() -> ApplicationRound | None:
    """The round closed most recently, or None."""
    return db.session.scalars(select(ApplicationRound)
                              .where(ApplicationRound.closed_at.is_not(None))
                              .order_by(ApplicationRound.closed_at.desc(),
                                        ApplicationRound.id.desc())).first()


def recent_rounds(limit: int = RECENT) -> list[ApplicationRound]:
    """The latest rounds, newest first."""
    return list(db.session.scalars(select(ApplicationRound).order_by(
        ApplicationRound.opened_at.desc(), ApplicationRound.id.desc()).limit(limit)))


def default_name(batch: int) -> str:
    """The name a round for this batch gets unless another is typed."""
    return ROUND_NAME.format(batch=batch)


def _state(row: ApplicationRound) -> dict[str, Any]:
    return {"name": row.name, "batch": row.batch, "open": bool(row.is_open),
            "closed_at": row.closed_at.isoformat() if row.closed_at else None}


def check_name(name: str) -> str:
    """The name stripped; RoundError when empty or too long."""
    name = name.strip()
    if not name:
        raise RoundError("a round needs a name", "name_required")
    if len(name) > MAX_NAME:
        raise RoundError(f"a round's name has at most {MAX_NAME} characters", "name_too_long")
    return name


def check_batch(batch: int) -> int:
    """The batch; RoundError unless 1 to MAX_BATCH."""
    if not 1 <= batch <= MAX_BATCH:
        raise RoundError(f"the batch must be 1 to {MAX_BATCH}", "bad_batch")
    return batch


def open_round(actor: str, name: str, batch: int, now: datetime) -> ApplicationRound:
    """Open a round (audited); RoundError when one is open already or the input is wrong.

    Runs in the caller's transaction; a round opened by someone else at the same moment makes
    this one fail on the unique constraint (RoundError "open"), nothing written."""
    name, batch = check_name(name), check_batch(batch)
    found = current_round()
    if found is not None:
        raise RoundError(f"round {found.name!r} is open", "open")
    row = ApplicationRound(name=name, batch=batch, is_open=True, opened_by=actor, opened_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError as exc:
        raise RoundError("another round was opened just now", "open") from exc
    audit(actor, "lecturer_round.open", f"round {row.id}", before=None, after=_state(row))
    return row


def close_round(actor: str, round_id: int, now: datetime) -> ApplicationRound:
    """Close the open round `round_id` (audited); RoundError when it is not open."""
    row = db.session.get(ApplicationRound, round_id, with_for_update=True)
    if row is None:
        raise RoundError(f"no round {round_id}", "unknown")
    if not row.is_open:
        raise RoundError(f"round {row.name!r} is closed already", "closed")
    before = _state(row)
    row.is_open, row.closed_by, row.closed_at = None, actor, now
    audit(actor, "lecturer_round.close", f"round {row.id}", before=before, after=_state(row))
    return row
