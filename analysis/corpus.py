"""The texts an analysis reads: the reflections members submitted (their text parts, joined
as `Reflection.text` holds them) and the questions they sent to the question box, written in
the period by members of the organisations in scope.

A reflection belongs to its author's main organisation; a question to the organisation the
member was in when asking (`Question.organization_id`), else the author's main one. Drafts
are not read: only what a member chose to submit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import clock
from models import Membership, Organization, OrgKind, Question, Reflection, ReflectionStatus, db

REFLECTION = "reflection"
QUESTION = "question"
BATCH = 5000


@dataclass(frozen=True)
class Text:
    """One text as analysed: what it is, who wrote it where, when, and its words."""

    kind: str  # reflection | question
    id: int
    member_id: int
    org_id: int | None
    at: datetime
    text: str


def main_orgs() -> dict[int, int]:
    """member id → main organisation id (one query over the memberships)."""
    query = select(Membership.member_id, Membership.organization_id).where(Membership.is_main)
    return {member_id: org_id for member_id, org_id in db.session.execute(query)}


def org_kinds() -> dict[int, str]:
    """organisation id → its kind of enterprise."""
    query = select(Organization.id, Organization.kind)
    return {org_id: kind or OrgKind.OTHER for org_id, kind in db.session.execute(query)}


def reflections(since: datetime, until: datetime) -> Iterator[tuple[int, int, datetime, str]]:
    """(id, member id, submitted at, text) of the reflections submitted in [since, until)."""
    query = (select(Reflection.id, Reflection.member_id, Reflection.submitted_at,
                    Reflection.text)
             .where(Reflection.submitted_at >= since, Reflection.submitted_at < until,
                    Reflection.status != ReflectionStatus.DRAFT)
             .order_by(Reflection.submitted_at, Reflection.id)
             .execution_options(yield_per=BATCH))
    for row_id, member_id, at, text in db.session.execute(query):
        yield row_id, member_id, at, text or ""


def questions(since: datetime, until: datetime
              ) -> Iterator[tuple[int, int, int | None, datetime, str]]:
    """(id, member id, organisation id, asked at, text) of the questions asked in [since,
    until)."""
    query = (select(Question.id, Question.member_id, Question.organization_id,
                    Question.asked_at, Question.text)
             .where(Question.asked_at >= since, Question.asked_at < until)
             .order_by(Question.asked_at, Question.id)
             .execution_options(yield_per=BATCH))
    for row_id, member_id, org_id, at, text in db.session.execute(query):
        yield row_id, member_id, org_id, at, text or ""


def texts(period: clock.Period, orgs: frozenset[int] | None,
          mains: dict[int, int] | None = None) -> list[Text]:
    """The period's reflections and questions of the organisations in scope (None: all)."""
    mains = main_orgs() if mains is None else mains
    found: list[Text] = []
    for row_id, member_id, at, text in reflections(period.start, period.end):
        org_id = mains.get(member_id)
        if orgs is None or org_id in orgs:
            found.append(Text(REFLECTION, row_id, member_id, org_id, at, text))
    for row_id, member_id, asked_org, at, text in questions(period.start, period.end):
        org_id = asked_org if asked_org is not None else mains.get(member_id)
        if orgs is None or org_id in orgs:
            found.append(Text(QUESTION, row_id, member_id, org_id, at, text))
    return found
