"""The question box (问题箱): a member's question the library could not answer, and the answer
the committee gives in the console, optionally published to the 问答库."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow
from models.roster import Member, Organization


class QuestionStatus(enum.StrEnum):
    """Where a question stands: waiting in the queue, or answered."""

    OPEN = "open"
    ANSWERED = "answered"


class Question(db.Model):
    """One question sent to the committee; answered once, the answer editable, never deleted."""

    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_status_asked_at", "status", "asked_at"),
        Index("ix_questions_organization_id_asked_at", "organization_id", "asked_at"),
        Index("ix_questions_member_id_asked_at", "member_id", "asked_at"),
        Index("ix_questions_published_published_at", "published", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    # the member's main organisation when asking: what a contact's scope is checked against
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    text: Mapped[str] = mapped_column(Text)
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=QuestionStatus.OPEN)
    answer: Mapped[str | None] = mapped_column(Text)
    # the answerer as shown: a member's name, or a console account's name
    answered_by: Mapped[str | None] = mapped_column(String(100))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # last change of the answer
    published: Mapped[bool] = mapped_column(default=False)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship()
    organization: Mapped[Organization | None] = relationship()

    @property
    def number(self) -> str:
        """The number staff and members quote, e.g. TW-000042."""
        return f"TW-{self.id:06d}"

    @property
    def is_open(self) -> bool:
        """True while no one has answered."""
        return self.status == QuestionStatus.OPEN
