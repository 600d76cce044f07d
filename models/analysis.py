"""研判: the committee's analyses of what members wrote and asked (built by a job, with its
progress), the watch list's terms, the texts they matched for human review, and how far the
periodic scan has read."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow


class AnalysisStatus(enum.StrEnum):
    """Where an analysis stands: queued, being built, built, or failed."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Analysis(db.Model):
    """One 研判 of a month, quarter or year over a set of organisations; its figures are the
    `result` JSON written once the job is done (analysis/build.py says what it holds)."""

    __tablename__ = "analyses"
    __table_args__ = (Index("ix_analyses_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit: Mapped[str] = mapped_column(String(8))  # month | quarter | year
    year: Mapped[int]
    number: Mapped[int]  # the month 1–12, the quarter 1–4, or 1 for a year
    scope: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"kind": ..., "values": [...]}
    idle_weeks: Mapped[int] = mapped_column(default=4)
    status: Mapped[str] = mapped_column(String(16), default=AnalysisStatus.QUEUED)
    progress: Mapped[int] = mapped_column(default=0)  # 0–100, written as the job goes
    stage: Mapped[str] = mapped_column(String(32), default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(100))
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # console create
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WatchTerm(db.Model):
    """A term of the committee's watch list and the variants it lists; matched after NFKC
    normalisation, case folded and spaces ignored (analysis/watch.py). Never deleted:
    switched off."""

    __tablename__ = "watch_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(100))
    normal: Mapped[str] = mapped_column(String(100), unique=True)  # the term as matched
    variants: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(100))
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WatchHit(db.Model):
    """A reflection or question that holds a watch-list term: in the review queue until a
    reviewer records what was done. One per text and term, however often it is scanned."""

    __tablename__ = "watch_hits"
    __table_args__ = (
        UniqueConstraint("source_kind", "source_id", "term_id"),
        Index("ix_watch_hits_reviewed_at_found_at", "reviewed_at", "found_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_kind: Mapped[str] = mapped_column(String(16))  # reflection | question
    source_id: Mapped[int]
    term_id: Mapped[int] = mapped_column(ForeignKey("watch_terms.id"), index=True)
    term: Mapped[str] = mapped_column(String(100))  # the term as it was when matched
    matched: Mapped[str] = mapped_column(String(100))  # the words of the text that matched
    excerpt: Mapped[str] = mapped_column(Text)
    written_at: Mapped[datetime] = mapped_column(UTCDateTime())  # when the text was written
    found_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    action_note: Mapped[str | None] = mapped_column(Text)

    watch_term: Mapped[WatchTerm] = relationship()


class WatchScanMark(db.Model):
    """How far a scan of new texts has read: texts written before `scanned_to` were matched
    against the watch list (the periodic tick goes on from there)."""

    __tablename__ = "watch_scan_marks"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    scanned_to: Mapped[datetime] = mapped_column(UTCDateTime())
