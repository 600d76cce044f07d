"""Reading sessions: the time a member had a material's reading page open and in view, counted
from the page's heartbeats. A gap between beats longer than the setting closes a session; the
next beat starts another, and the gap is not counted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import UTCDateTime, db, utcnow


class ReadingSession(db.Model):
    """One stretch of reading of one page (its nonce): start, last beat, seconds counted."""

    __tablename__ = "reading_sessions"
    __table_args__ = (
        Index("ix_reading_sessions_member_beat", "member_id", "last_beat_at"),
        Index("ix_reading_sessions_page", "member_id", "material_id", "page"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    material_id: Mapped[int] = mapped_column(ForeignKey("materials.id"))
    page: Mapped[str] = mapped_column(String(40))  # the reading page's nonce (its stamp)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_beat_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    seconds: Mapped[int] = mapped_column(default=0)  # counted, at most a beat's worth each
    beats: Mapped[int] = mapped_column(default=1)
    last_seq: Mapped[int] = mapped_column(default=0)  # the page's last beat number counted
