"""The analysis's lists, each over the period and the organisations in scope:

- questions the library could not answer: every question in the question box is one that 问答
  found no passage for and the member chose to send on; the list is those still open
  (待答复) at the time of the analysis, oldest first, with the counts of all and answered;
- quiz questions most often missed: answered attempts in the period, the share answered
  wrong (人次), for questions answered at least MIN_ATTEMPTS times;
- materials sent but rarely completed: per material that first reached members in the
  period (push, 群发, digest or nudge: study.deliveries), the members it reached (人) and how
  many of them have completed it (a completed read), lowest share first, for materials
  delivered to at least MIN_DELIVERED members;
- organisations with no activity for N weeks: active organisations whose last ledger row
  (any participation of any member) is older than N weeks at the period's end (or now, if
  sooner), or that have none;
- members not reached at all: active members of the organisations in scope whom nothing
  reached (a push, or a material first delivered by 群发, digest or nudge) and who took no
  part in the period (人), per organisation.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, exists, func, or_, select, true

import clock
from models import (
    Material,
    MaterialDelivery,
    MaterialRead,
    Member,
    Membership,
    MemberStatus,
    Organization,
    Participation,
    PushDelivery,
    PushOccurrence,
    Question,
    QuestionStatus,
    QuizAttempt,
    QuizQuestion,
    db,
)
from study import deliveries

MIN_ATTEMPTS = 5
MIN_DELIVERED = 5
LIMIT = 10
SHOWN_QUESTIONS = 50
SHOWN_NAMES = 200
QUESTION_CHARS = 80


def _in_scope(column: Any, orgs: frozenset[int] | None) -> Any:
    """A condition: the column's organisation is in scope (always true for all)."""
    return true() if orgs is None else column.in_(sorted(orgs))


def _members_in_scope(orgs: frozenset[int] | None) -> Any:
    """A subquery of the ids of members whose main organisation is in scope."""
    return select(Membership.member_id).where(Membership.is_main,
                                              _in_scope(Membership.organization_id, orgs))


def _short(text: str, limit: int) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit] + "…"


def unanswered(period: clock.Period, orgs: frozenset[int] | None) -> dict[str, Any]:
    """The period's questions: how many, how many answered, the open ones listed."""
    where = (Question.asked_at >= period.start, Question.asked_at < period.end,
             _in_scope(Question.organization_id, orgs))
    total, answered = db.session.execute(
        select(func.count(Question.id),
               func.count(case((Question.status == QuestionStatus.ANSWERED, Question.id))))
        .where(*where)).one()
    rows = db.session.scalars(select(Question).where(*where, Question.status ==
                                                      QuestionStatus.OPEN)
                              .order_by(Question.asked_at, Question.id).limit(SHOWN_QUESTIONS))
    items = [{"id": q.id, "number": q.number, "day": clock.today(q.asked_at).isoformat(),
              "text": _short(q.text, QUESTION_CHARS)} for q in rows]
    return {"total": int(total or 0), "answered": int(answered or 0),
            "open": int(total or 0) - int(answered or 0), "items": items}


def missed(period: clock.Period, orgs: frozenset[int] | None) -> list[dict[str, Any]]:
    """The quiz questions most often answered wrong in the period (人次), worst first."""
    wrong = func.count(case((QuizAttempt.correct.is_(False), QuizAttempt.id)))
    answered = func.count(QuizAttempt.id)
    query = (select(QuizAttempt.question_id, answered, wrong)
             .where(QuizAttempt.answered_at >= period.start,
                    QuizAttempt.answered_at < period.end,
                    _in_scope(QuizAttempt.organization_id, orgs))
             .group_by(QuizAttempt.question_id).having(answered >= MIN_ATTEMPTS))
    counted = [(question_id, int(n), int(w)) for question_id, n, w in db.session.execute(query)]
    counted = [c for c in counted if c[2] > 0]
    counted.sort(key=lambda c: (-c[2] / c[1], -c[2], c[0]))
    counted = counted[:LIMIT]
    questions = {q.id: q for q in db.session.scalars(
        select(QuizQuestion).where(QuizQuestion.id.in_([c[0] for c in counted])))}
    return [{"id": qid, "text": _short(questions[qid].text, QUESTION_CHARS),
             "answer": questions[qid].answer, "answered": n, "wrong": w,
             "wrong_share": round(100.0 * w / n, 1)} for qid, n, w in counted]


def rarely_completed(period: clock.Period, orgs: frozenset[int] | None
                     ) -> list[dict[str, Any]]:
    """Materials that reached members in the period (a push, 群发, digest or nudge: the one
    record of deliveries, study.deliveries): delivered to (人), completed by (人), lowest
    share first."""
    done = and_(MaterialRead.member_id == MaterialDelivery.member_id,
                MaterialRead.material_id == MaterialDelivery.material_id,
                MaterialRead.completed_at.is_not(None))
    delivered = func.count(distinct(MaterialDelivery.member_id))
    completed = func.count(distinct(case((MaterialRead.id.is_not(None),
                                          MaterialDelivery.member_id))))
    query = (select(MaterialDelivery.material_id, delivered, completed)
             .outerjoin(MaterialRead, done)
             .where(deliveries.in_period(period.start, period.end))
             .group_by(MaterialDelivery.material_id).having(delivered >= MIN_DELIVERED))
    if orgs is not None:
        query = query.where(MaterialDelivery.member_id.in_(_members_in_scope(orgs)))
    counted = [(mid, int(d), int(c)) for mid, d, c in db.session.execute(query)]
    counted.sort(key=lambda c: (c[2] / c[1], -c[1], c[0]))
    counted = counted[:LIMIT]
    titles = dict(db.session.execute(select(Material.id, Material.title)
                                     .where(Material.id.in_([c[0] for c in counted]))).all())
    return [{"id": mid, "title": titles.get(mid, ""), "delivered": d, "completed": c,
             "completed_share": round(100.0 * c / d, 1)} for mid, d, c in counted]


def idle(period: clock.Period, orgs: frozenset[int] | None, weeks: int, now: datetime
         ) -> dict[str, Any]:
    """Organisations with no ledger row in the `weeks` weeks before the period's end."""
    end = min(period.end, now)
    cutoff = end - timedelta(weeks=weeks)
    last = dict(db.session.execute(
        select(Participation.organization_id, func.max(Participation.occurred_at))
        .where(Participation.occurred_at < end, Participation.organization_id.is_not(None),
               _in_scope(Participation.organization_id, orgs))
        .group_by(Participation.organization_id)).all())
    organisations = list(db.session.execute(
        select(Organization.id, Organization.name, Organization.kind)
        .where(Organization.active, _in_scope(Organization.id, orgs))
        .order_by(Organization.order, Organization.name)))
    items = []
    for org_id, name, kind in organisations:
        seen = last.get(org_id)
        if seen is not None and seen >= cutoff:
            continue
        items.append({"id": org_id, "name": name, "kind": kind,
                      "last_day": clock.today(seen).isoformat() if seen else None,
                      "weeks": (end - seen).days // 7 if seen else None})
    items.sort(key=lambda item: (item["last_day"] or "", item["name"]))
    return {"weeks": weeks, "organizations": len(organisations), "items": items}


def unreached(period: clock.Period, orgs: frozenset[int] | None) -> dict[str, Any]:
    """Active members in scope whom nothing reached in the period (no push occurrence sent
    to them, no material first delivered to them by 群发, digest or nudge) and who took no
    part."""
    pushed = or_(exists().where(PushDelivery.member_id == Member.id,
                                PushDelivery.occurrence_id == PushOccurrence.id,
                                PushOccurrence.due_at >= period.start,
                                PushOccurrence.due_at < period.end),
                 exists().where(MaterialDelivery.member_id == Member.id,
                                deliveries.in_period(period.start, period.end)))
    took_part = exists().where(Participation.member_id == Member.id,
                               Participation.occurred_at >= period.start,
                               Participation.occurred_at < period.end)
    base = (select(Member.id, Member.name, Organization.id, Organization.name)
            .join(Membership, and_(Membership.member_id == Member.id, Membership.is_main))
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Member.status == MemberStatus.ACTIVE,
                   _in_scope(Membership.organization_id, orgs)))
    members = int(db.session.scalar(select(func.count()).select_from(base.subquery())) or 0)
    rows = list(db.session.execute(base.where(~pushed, ~took_part)
                                   .order_by(Organization.name, Member.name)))
    per_org: dict[int, dict[str, Any]] = {}
    for _member_id, _name, org_id, org_name in rows:
        entry = per_org.setdefault(org_id, {"id": org_id, "name": org_name, "count": 0})
        entry["count"] += 1
    ranked = sorted(per_org.values(), key=lambda e: (-e["count"], e["name"]))
    names = [{"name": name, "org": org_name} for _m, name, _o, org_name in rows[:SHOWN_NAMES]]
    return {"total": len(rows), "members": members, "orgs": ranked, "names": names}
