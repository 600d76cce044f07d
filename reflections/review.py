"""Reviewing reflections: who may review which, and exactly one verdict per submission.

Reviewers are admins (every reflection) and contacts (reflections of members of the
organisations they act for). Nobody reviews their own. A verdict moves a SUBMITTED
reflection on with one conditional UPDATE, so of two reviewers deciding at once exactly one
wins; the other gets ReviewError("already_reviewed") and nothing changes. Every review is
audited as "reflection.review".
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Select, false, func, select, update

from bot.outbox import Outbox
from content import review_texts as texts
from models import (
    Member,
    Membership,
    OutboundMessage,
    Reflection,
    ReflectionStatus,
    Role,
    audit,
    db,
)

VERDICTS = {
    "feature": ReflectionStatus.FEATURED,
    "pass": ReflectionStatus.REVIEWED,
    "return": ReflectionStatus.RETURNED,
}
REVIEWED_STATES = (ReflectionStatus.REVIEWED, ReflectionStatus.FEATURED,
                   ReflectionStatus.RETURNED)
NUMBER = re.compile(r"XD-(\d{4})-(\d{1,12})")


class ReviewError(ValueError):
    """A review that cannot be done: `reason` says why for chat texts, the message in English.

    Reasons: verdict, reason_required, own, out_of_scope, already_reviewed, not_submitted.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def find_by_number(number: str) -> Reflection | None:
    """The reflection with this number (e.g. XD-2026-000123; case and spaces forgiven)."""
    match = NUMBER.fullmatch(number.strip().upper())
    if match is None:
        return None
    reflection = db.session.get(Reflection, int(match.group(2)))
    if reflection is None or reflection.number != f"XD-{match.group(1)}-{int(match.group(2)):06d}":
        return None
    return reflection


def contact_org_ids(member: Member) -> set[int]:
    """The organisations the member acts for as a contact."""
    return {grant.organization_id for grant in member.grants
            if grant.role == Role.CONTACT and grant.organization_id is not None}


def is_reviewer(member: Member | None) -> bool:
    """True for admins and contacts."""
    return member is not None and (member.has_role(Role.ADMIN) or bool(contact_org_ids(member)))


def reviewable_query(reviewer: Member) -> Select[tuple[Reflection]]:
    """Submitted reflections the reviewer may review, oldest submission first."""
    query = select(Reflection).where(Reflection.status == ReflectionStatus.SUBMITTED,
                                     Reflection.member_id != reviewer.id)
    if not reviewer.has_role(Role.ADMIN):
        orgs = contact_org_ids(reviewer)
        in_orgs = select(Membership.member_id).where(Membership.organization_id.in_(orgs))
        query = query.where(Reflection.member_id.in_(in_orgs) if orgs else false())
    return query.order_by(Reflection.submitted_at, Reflection.id)


def next_for(reviewer: Member) -> Reflection | None:
    """The oldest submitted reflection the reviewer may review, if any."""
    return db.session.scalars(reviewable_query(reviewer).limit(1)).first()


def waiting_count(reviewer: Member) -> int:
    """How many submitted reflections the reviewer may review."""
    query = reviewable_query(reviewer).order_by(None).subquery()
    return int(db.session.scalar(select(func.count()).select_from(query)) or 0)


def can_review(reviewer: Member | None, reflection: Reflection) -> bool:
    """Whether the reviewer's scope covers the reflection (None is the CLI: everything).

    Only scope and authorship are checked here; `check` adds the reflection's status.
    """
    if reviewer is None:
        return True
    if reviewer.id == reflection.member_id:
        return False
    if reviewer.has_role(Role.ADMIN):
        return True
    author_orgs = {m.organization_id for m in reflection.member.memberships}
    return bool(author_orgs & contact_org_ids(reviewer))


def check(reviewer: Member | None, reflection: Reflection) -> None:
    """Raise ReviewError unless the reviewer may review this reflection now."""
    if reviewer is not None and reviewer.id == reflection.member_id:
        raise ReviewError("own", f"{reviewer.userid} cannot review their own {reflection.number}")
    if not can_review(reviewer, reflection):
        raise ReviewError("out_of_scope", f"{reflection.number} is outside the reviewer's "
                                          "organisations")
    if reflection.status in REVIEWED_STATES:
        raise ReviewError("already_reviewed",
                          f"{reflection.number} was already reviewed ({reflection.status})")
    if reflection.status != ReflectionStatus.SUBMITTED:
        raise ReviewError("not_submitted",
                          f"{reflection.number} is {reflection.status}, not submitted")


def review(reviewer_actor: str, reviewer: Member | None, reflection: Reflection, verdict: str,
           comment: str | None, now: datetime) -> Reflection:
    """Give a verdict (feature, pass, return with a reason) on a submitted reflection; audited."""
    if verdict not in VERDICTS:
        raise ReviewError("verdict", f"verdict must be one of {', '.join(VERDICTS)}")
    comment = (comment or "").strip() or None
    if verdict == "return" and comment is None:
        raise ReviewError("reason_required", "a returned reflection needs a reason")
    check(reviewer, reflection)
    status = VERDICTS[verdict]
    result = db.session.execute(
        update(Reflection)
        .where(Reflection.id == reflection.id, Reflection.status == ReflectionStatus.SUBMITTED)
        .values(status=status, featured=verdict == "feature",
                reviewer_id=reviewer.id if reviewer else None, reviewed_at=now,
                review_comment=comment, updated_at=now)
        .execution_options(synchronize_session=False))
    db.session.refresh(reflection)
    if result.rowcount != 1:  # another reviewer decided between our read and our write
        check(reviewer, reflection)
        raise ReviewError("already_reviewed", f"{reflection.number} was already reviewed")
    audit(reviewer_actor, "reflection.review", reflection.number, verdict=verdict,
          comment=comment, author=reflection.member.userid,
          reviewer=reviewer.userid if reviewer else None)
    return reflection


def subject_of(reflection: Reflection) -> str:
    """The subject as shown to people (自由主题 when none)."""
    return reflection.subject_title or texts.SUBJECT_FREE


def author_notice(reflection: Reflection) -> str:
    """What the author is told about the verdict on their reflection."""
    number, subject = reflection.number, subject_of(reflection)
    if reflection.status == ReflectionStatus.RETURNED:
        return texts.NOTICE_RETURN.format(number=number, subject=subject,
                                          reason=reflection.review_comment)
    template = (texts.NOTICE_FEATURE if reflection.status == ReflectionStatus.FEATURED
                else texts.NOTICE_PASS)
    notice = template.format(number=number, subject=subject)
    if reflection.review_comment:
        notice += texts.NOTICE_COMMENT.format(comment=reflection.review_comment)
    return notice


def notify_author(outbox: Outbox, reflection: Reflection) -> list[OutboundMessage]:
    """Queue the verdict notice to the author (sent after the commit)."""
    return outbox.text([reflection.member.userid], author_notice(reflection))
