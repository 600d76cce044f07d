"""The question box's figures on the dashboard, on the committee's clock: questions asked this
month, how many were answered within DAYS_TO_ANSWER committee days, and what waits now.

"Within 3 days" means by the end of the third committee day after the day of asking: asked
on Monday (any hour, Shanghai), answered by Thursday 23:59. The share counts only questions
that are answered or whose three days are over, so a question asked this morning does not
pull the month's share down before anyone could answer it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

import clock
from models import Question, QuestionStatus, db
from questions.box import scoped

DAYS_TO_ANSWER = 3


@dataclass(frozen=True)
class Figures:
    """This month's questions, those answered in time, and the unanswered ones now."""

    asked: int  # asked this committee month
    in_time: int  # of those, answered within DAYS_TO_ANSWER days
    due: int  # of those, answered or past their days: the share's base
    waiting: int  # unanswered now, whenever asked
    overdue: int  # of those, past their days

    @property
    def percent(self) -> float | None:
        """The share answered in time, in percent with one decimal (None: nothing due yet)."""
        return round(100 * self.in_time / self.due, 1) if self.due else None


def deadline(asked_at: datetime) -> datetime:
    """The end of the DAYS_TO_ANSWER-th committee day after the day the question was asked."""
    return clock.day(clock.today(asked_at) + timedelta(days=DAYS_TO_ANSWER)).end


def overdue_before(now: datetime) -> datetime:
    """Questions asked before this moment are past their days at `now`."""
    return clock.day(clock.today(now) - timedelta(days=DAYS_TO_ANSWER)).start


def figures(org_ids: frozenset[int] | None, now: datetime) -> Figures:
    """The figures over the questions of these organisations (None: the whole committee)."""
    month = clock.month_of(now)
    cutoff = overdue_before(now)
    rows = db.session.execute(scoped(
        select(Question.asked_at, Question.answered_at)
        .where(Question.asked_at >= month.start, Question.asked_at < month.end), org_ids)).all()
    in_time = sum(1 for asked, answered in rows
                  if answered is not None and answered < deadline(asked))
    due = sum(1 for asked, answered in rows if answered is not None or asked < cutoff)
    waiting, overdue = db.session.execute(scoped(
        select(func.count(Question.id),
               func.count(Question.id).filter(Question.asked_at < cutoff))
        .where(Question.status == QuestionStatus.OPEN), org_ids)).one()
    return Figures(len(rows), in_time, due, int(waiting or 0), int(overdue or 0))
