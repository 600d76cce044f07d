"""The quiz's figures, counted from the answers given: each question's correct rate (the
hardest show what members have not understood), and each organisation's participation in a
period or in a campaign's 专项答题. Nothing is estimated: a question nobody answered has no
rate, an organisation with no members no participation rate."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, func, select

import clock
from models import (
    Campaign,
    Member,
    Membership,
    MemberStatus,
    Organization,
    QuizAttempt,
    QuizQuestion,
    db,
)

HARDEST_LIMIT = 50


@dataclass(frozen=True)
class Rate:
    """How often a question was answered, and rightly."""

    answered: int
    correct: int

    @property
    def rate(self) -> float | None:
        """The share answered right (None when nobody answered)."""
        return self.correct / self.answered if self.answered else None


@dataclass(frozen=True)
class OrgLine:
    """One organisation's answers: its active members (main organisation), those who
    answered at least once, the answers and the right ones."""

    organization_id: int | None
    name: str
    members: int
    participants: int
    answers: int
    correct: int

    @property
    def participation(self) -> float | None:
        """participants / members (None without members)."""
        return self.participants / self.members if self.members else None

    @property
    def rate(self) -> float | None:
        """The share of answers that were right."""
        return self.correct / self.answers if self.answers else None


RIGHT = func.sum(case((QuizAttempt.correct.is_(True), 1), else_=0))


def rates(question_ids: Iterable[int]) -> dict[int, Rate]:
    """Each question's answers so far (questions without any are left out)."""
    ids = list(question_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(QuizAttempt.question_id, func.count(QuizAttempt.id), RIGHT)
        .where(QuizAttempt.question_id.in_(ids), QuizAttempt.answered_at.is_not(None))
        .group_by(QuizAttempt.question_id)).all()
    return {question_id: Rate(int(count), int(right or 0)) for question_id, count, right in rows}


def hardest(minimum: int = 1, limit: int = HARDEST_LIMIT) -> list[tuple[QuizQuestion, Rate]]:
    """The questions answered at least `minimum` times, the lowest correct rate first."""
    answered = func.count(QuizAttempt.id)
    ratio = RIGHT * 1.0 / answered
    rows = db.session.execute(
        select(QuizQuestion, answered, RIGHT)
        .join(QuizAttempt, QuizAttempt.question_id == QuizQuestion.id)
        .where(QuizAttempt.answered_at.is_not(None))
        .group_by(QuizQuestion.id).having(answered >= minimum)
        .order_by(ratio, answered.desc(), QuizQuestion.id).limit(limit)).all()
    return [(question, Rate(int(count), int(right or 0))) for question, count, right in rows]


def _members_by_org() -> dict[int, int]:
    return dict(db.session.execute(
        select(Membership.organization_id, func.count(Member.id))
        .join(Member, Member.id == Membership.member_id)
        .where(Membership.is_main, Member.status == MemberStatus.ACTIVE)
        .group_by(Membership.organization_id)).all())


def by_organization(period: clock.Period | None = None,
                    campaign_id: int | None = None) -> list[OrgLine]:
    """Every organisation's answers in a period (the daily and the campaigns' sets) or to one
    campaign's questions; those with answers first, by participation rate, then the rest."""
    query = (select(QuizAttempt.organization_id,
                    func.count(func.distinct(QuizAttempt.member_id)),
                    func.count(QuizAttempt.id), RIGHT)
             .where(QuizAttempt.answered_at.is_not(None))
             .group_by(QuizAttempt.organization_id))
    if period is not None:
        query = query.where(QuizAttempt.answered_at >= period.start,
                            QuizAttempt.answered_at < period.end)
    if campaign_id is not None:
        query = query.where(QuizAttempt.campaign_id == campaign_id)
    answered = {org_id: (int(people), int(count), int(right or 0))
                for org_id, people, count, right in db.session.execute(query)}
    members = _members_by_org()
    lines = [OrgLine(org.id, org.name, members.get(org.id, 0), *answered.get(org.id, (0, 0, 0)))
             for org in db.session.scalars(select(Organization).order_by(Organization.id))]
    if None in answered:  # answers of members who had no organisation when they drew
        lines.append(OrgLine(None, "", 0, *answered[None]))
    return sorted(lines, key=lambda line: (line.answers == 0, -(line.participation or 0),
                                           -line.participants, line.name))


def total(lines: list[OrgLine]) -> OrgLine:
    """The lines added up."""
    return OrgLine(None, "", sum(line.members for line in lines),
                   sum(line.participants for line in lines),
                   sum(line.answers for line in lines), sum(line.correct for line in lines))


def campaigns() -> list[tuple[Campaign, int]]:
    """The campaigns with questions, the latest first, with their active question counts."""
    rows = db.session.execute(
        select(Campaign, func.count(QuizQuestion.id))
        .join(QuizQuestion, QuizQuestion.campaign_id == Campaign.id)
        .where(QuizQuestion.active).group_by(Campaign.id)
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())).all()
    return [(campaign, int(count)) for campaign, count in rows]
