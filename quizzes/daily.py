"""A member's set of questions for one committee day, answered once each.

    答题 ──▶ the day's set (drawn once: unique per member, question and day) ──▶ the first
             question not answered ──(tap or typed answer)──▶ scored once ──▶ the next …
    专项答题 ──▶ the same for a running campaign's questions the member has not answered yet

An answer is written only over a row not yet answered (one UPDATE … WHERE answered_at IS
NULL), so a retried callback or a double tap scores once; a right answer is one QUIZ ledger
row (source "quiz:<attempt id>", the kind's points cut to its daily cap). A card or a typed
answer from an earlier committee day is expired and scores nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

import clock
from models import (
    Campaign,
    Member,
    ParticipationKind,
    QuizAttempt,
    QuizQuestion,
    db,
)
from participation import ledger
from participation.settings import participation_settings
from quizzes.settings import quiz_settings
from roster import audience
from roster.audience import AudienceError
from roster.manage import main_organization_id

STREAK_LOOKBACK = 400  # days read back for a streak


@dataclass(frozen=True)
class Outcome:
    """What one answer did: right or wrong, the points credited, whether it scored now (False:
    the question was answered before), and whether the daily cap cut its points."""

    attempt: QuizAttempt
    correct: bool
    points: int
    scored: bool
    capped: bool


@dataclass(frozen=True)
class Tally:
    """A set's count so far: questions, answered, right, points."""

    total: int
    answered: int
    correct: int
    points: int


def source(attempt: QuizAttempt) -> str:
    """The ledger source of a right answer."""
    return f"quiz:{attempt.id}"


def todays_set(member_id: int, day: date, campaign_id: int | None = None) -> list[QuizAttempt]:
    """The member's set of that day (the daily one, or a campaign's), by position."""
    query = select(QuizAttempt).where(QuizAttempt.member_id == member_id,
                                      QuizAttempt.day == day)
    query = query.where(QuizAttempt.campaign_id.is_(None) if campaign_id is None
                        else QuizAttempt.campaign_id == campaign_id)
    return list(db.session.scalars(query.order_by(QuizAttempt.position, QuizAttempt.id)))


def _daily_pick(member_id: int, day: date, count: int) -> list[int]:
    """Question ids for the daily set: those the member never answered first, then those
    answered longest ago; ties in an order fixed by the member and the day."""
    pool = sorted(db.session.scalars(select(QuizQuestion.id).where(
        QuizQuestion.active, QuizQuestion.campaign_id.is_(None))))
    if not pool:
        return []
    seen = dict(db.session.execute(
        select(QuizAttempt.question_id, func.max(QuizAttempt.day))
        .where(QuizAttempt.member_id == member_id, QuizAttempt.answered_at.is_not(None),
               QuizAttempt.campaign_id.is_(None))
        .group_by(QuizAttempt.question_id)).all())
    order = random.Random(f"{member_id}:{day.isoformat()}")  # an order, not a secret
    tie = {question_id: order.random() for question_id in pool}
    return sorted(pool, key=lambda q: (seen.get(q) or date.min, tie[q]))[:count]


def _campaign_pick(member_id: int, campaign_id: int) -> list[int]:
    """The campaign's active questions the member has not answered on any day."""
    answered = select(QuizAttempt.question_id).where(
        QuizAttempt.member_id == member_id, QuizAttempt.answered_at.is_not(None))
    return list(db.session.scalars(select(QuizQuestion.id).where(
        QuizQuestion.active, QuizQuestion.campaign_id == campaign_id,
        QuizQuestion.id.not_in(answered)).order_by(QuizQuestion.id)))


def draw(member: Member, now: datetime, campaign_id: int | None = None) -> list[QuizAttempt]:
    """Today's set, drawn on the first call of the day and read back after (a campaign's set
    also takes in the campaign's questions added since). A twin call racing this one meets
    the unique constraint and reads the set it wrote."""
    day = clock.today(now)
    found = todays_set(member.id, day, campaign_id)
    if campaign_id is None:
        if found:
            return found
        picked = _daily_pick(member.id, day, quiz_settings().daily_questions)
    else:
        held = {attempt.question_id for attempt in found}
        picked = [q for q in _campaign_pick(member.id, campaign_id) if q not in held]
    if not picked:
        return found
    organization_id = main_organization_id(member.id)
    start = max((attempt.position for attempt in found), default=0)
    try:
        with db.session.begin_nested():
            db.session.add_all([
                QuizAttempt(member_id=member.id, question_id=question_id, day=day,
                            position=position, campaign_id=campaign_id,
                            organization_id=organization_id, drawn_at=now)
                for position, question_id in enumerate(picked, start + 1)])
            db.session.flush()
    except IntegrityError:  # the same member's other message drew it at the same moment
        pass
    return todays_set(member.id, day, campaign_id)


def current(attempts: list[QuizAttempt]) -> QuizAttempt | None:
    """The first question of a set not answered yet, or None when the set is done."""
    return next((a for a in attempts if a.answered_at is None), None)


def tally(attempts: list[QuizAttempt]) -> Tally:
    """How far a set is."""
    answered = [a for a in attempts if a.answered_at is not None]
    return Tally(len(attempts), len(answered), sum(1 for a in answered if a.correct),
                 sum(a.points or 0 for a in answered))


def expired(attempt: QuizAttempt, now: datetime) -> bool:
    """Is the question of an earlier committee day than `now`'s?"""
    return attempt.day != clock.today(now)


def closed_campaign(attempt: QuizAttempt, now: datetime) -> Campaign | None:
    """The campaign of a 专项答题 question when it has ended (or not begun) by now."""
    if attempt.campaign_id is None:
        return None
    campaign = db.session.get(Campaign, attempt.campaign_id)
    today = clock.today(now)
    if campaign is None or not campaign.starts_on <= today <= campaign.ends_on:
        return campaign
    return None


def answer(attempt: QuizAttempt, choice: str, now: datetime) -> Outcome:
    """Score the member's letters once: the first answer is kept (a second, the same or not,
    changes nothing and reports scored=False); a right one is credited in the ledger."""
    question = attempt.question
    correct = choice == question.answer
    written = db.session.execute(
        update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.answered_at.is_(None))
        .values(answered_at=now, choice=choice, correct=correct)
        .execution_options(synchronize_session=False))
    if written.rowcount != 1:  # type: ignore[attr-defined]
        db.session.refresh(attempt)
        return Outcome(attempt, bool(attempt.correct), attempt.points or 0, False, False)
    points = 0
    capped = False
    if correct:
        settings = participation_settings()
        row = ledger.record(attempt.member_id, ParticipationKind.QUIZ, source(attempt), now,
                            details={"question": question.id}, settings=settings)
        points = row.points if row is not None else 0
        capped = points < settings.points.get(ParticipationKind.QUIZ, 0)
        if points:
            db.session.execute(update(QuizAttempt).where(QuizAttempt.id == attempt.id)
                               .values(points=points)
                               .execution_options(synchronize_session=False))
    db.session.refresh(attempt)
    return Outcome(attempt, correct, points, True, capped)


def streak(member_id: int, now: datetime) -> int:
    """Consecutive committee days, up to today, on which the member answered a question
    (today not yet answered does not break it: it then counts up to yesterday)."""
    today = clock.today(now)
    days = list(db.session.scalars(
        select(QuizAttempt.day).where(QuizAttempt.member_id == member_id,
                                      QuizAttempt.answered_at.is_not(None),
                                      QuizAttempt.day <= today,
                                      QuizAttempt.day > today - timedelta(days=STREAK_LOOKBACK))
        .distinct().order_by(QuizAttempt.day.desc())))
    expected = today if days and days[0] == today else today - timedelta(days=1)
    count = 0
    for day in days:
        if day != expected:
            break
        count += 1
        expected -= timedelta(days=1)
    return count


def open_campaigns(member: Member, now: datetime) -> list[tuple[Campaign, int]]:
    """The running campaigns with active questions whose audience holds the member, with
    their question counts, the soonest to end first."""
    today = clock.today(now)
    rows = db.session.execute(
        select(Campaign, func.count(QuizQuestion.id))
        .join(QuizQuestion, QuizQuestion.campaign_id == Campaign.id)
        .where(QuizQuestion.active, Campaign.starts_on <= today, Campaign.ends_on >= today)
        .group_by(Campaign.id).order_by(Campaign.ends_on, Campaign.id)).all()
    found = []
    for campaign, count in rows:
        try:
            members = {r.member_id for r in audience.resolve(campaign.audience)}
        except AudienceError:
            continue  # an audience no longer valid (an organisation removed) reaches no one
        if member.id in members:
            found.append((campaign, int(count)))
    return found


def campaign_tally(member_id: int, campaign_id: int) -> Tally:
    """A member's answers to a campaign's questions, over every day."""
    total = int(db.session.scalar(select(func.count(QuizQuestion.id)).where(
        QuizQuestion.active, QuizQuestion.campaign_id == campaign_id)) or 0)
    answered = list(db.session.scalars(select(QuizAttempt).where(
        QuizAttempt.member_id == member_id, QuizAttempt.campaign_id == campaign_id,
        QuizAttempt.answered_at.is_not(None))))
    return Tally(total, len(answered), sum(1 for a in answered if a.correct),
                 sum(a.points or 0 for a in answered))
