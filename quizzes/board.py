"""答题排行: this month's right answers of the members of one organisation, ranked."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select

import clock
from models import Member, MemberStatus, Organization, QuizAttempt, db

LIMIT = 10


@dataclass(frozen=True)
class BoardLine:
    """One member's month: right answers and points, and the place (equal counts share)."""

    member_id: int
    name: str
    correct: int
    points: int
    rank: int


@dataclass
class Board:
    """An organisation's month of answers: the top lines and the asking member's own."""

    organization: Organization | None
    month: int
    lines: list[BoardLine] = field(default_factory=list)
    me: BoardLine | None = None


def board(member: Member, now: datetime, limit: int = LIMIT) -> Board:
    """The month's ranking of the member's main organisation (where each answer's set was
    drawn), by right answers, then points; members who left are not ranked."""
    organization = member.main_organization
    month = clock.month_of(now)
    result = Board(organization, clock.local(now).month)
    if organization is None:
        return result
    right = func.sum(case((QuizAttempt.correct.is_(True), 1), else_=0))
    points = func.sum(QuizAttempt.points)
    rows = db.session.execute(
        select(Member.id, Member.name, right, points)
        .join(QuizAttempt, QuizAttempt.member_id == Member.id)
        .where(QuizAttempt.organization_id == organization.id,
               QuizAttempt.answered_at >= month.start, QuizAttempt.answered_at < month.end,
               Member.status == MemberStatus.ACTIVE)
        .group_by(Member.id, Member.name)
        .order_by(right.desc(), points.desc(), Member.name, Member.id)).all()
    lines: list[BoardLine] = []
    for index, (member_id, name, correct, total) in enumerate(rows):
        count = int(correct or 0)
        rank = lines[-1].rank if lines and lines[-1].correct == count else index + 1
        lines.append(BoardLine(member_id, name, count, int(total or 0), rank))
    result.lines = lines[:limit]
    result.me = next((line for line in lines if line.member_id == member.id), None)
    return result
