"""每日答题: the question bank and each member's daily set of questions, answered once."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow
from models.roster import Member
from models.study import Material


class QuizKind(enum.StrEnum):
    """单选题, 多选题 or 判断题."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    JUDGE = "judge"  # true/false: the options are 对 and 错, the answer A (对) or B (错)


class QuizQuestion(db.Model):
    """One question of the bank: its options, the answer's letters, the explanation, the
    material it comes from and, for 专项答题, the campaign it belongs to.

    `stem_key` is a digest of the normalised question text: the same question typed twice (in
    a form or an import) is one question, updated, never a second."""

    __tablename__ = "quiz_questions"
    __table_args__ = (Index("ix_quiz_questions_pool", "active", "campaign_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    stem_key: Mapped[str] = mapped_column(String(40), unique=True)
    options: Mapped[list[str]] = mapped_column(JSON, default=list)  # A, B, C, ... in order
    answer: Mapped[str] = mapped_column(String(8))  # the right letters, sorted: "B", "ACD"
    explanation: Mapped[str] = mapped_column(Text, default="")
    material_id: Mapped[int | None] = mapped_column(ForeignKey("materials.id"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)  # console create

    material: Mapped[Material | None] = relationship()

    @property
    def number(self) -> str:
        """The number the console shows, e.g. DT-000042."""
        return f"DT-{self.id:06d}"


class QuizAttempt(db.Model):
    """One question of a member's set for one committee day, and its answer once given.

    Unique per member, question and day: a set drawn twice at once is one set. An answer is
    written only over a row not answered yet (`answered_at IS NULL`), so a retried callback or
    a double tap scores once; its points are the ledger row's (capped per day)."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("member_id", "question_id", "day"),
        Index("ix_quiz_attempts_member_day", "member_id", "day"),
        Index("ix_quiz_attempts_question_answered", "question_id", "answered_at"),
        Index("ix_quiz_attempts_org_day", "organization_id", "day"),
        Index("ix_quiz_attempts_campaign", "campaign_id", "answered_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_questions.id"))
    day: Mapped[date]  # the committee day the set is for; its cards expire with it
    position: Mapped[int]  # 1-based place in the day's set
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"))  # 专项答题
    # the member's main organisation when the set was drawn (figures per organisation)
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    drawn_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    choice: Mapped[str | None] = mapped_column(String(8))  # the letters given, sorted
    correct: Mapped[bool | None]
    points: Mapped[int] = mapped_column(default=0)

    member: Mapped[Member] = relationship()
    question: Mapped[QuizQuestion] = relationship()
