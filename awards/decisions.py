"""Deciding the year's honours, undoing a decision before publishing, and publishing the
year's list once by broadcast to every member; the published honours of a member.

An Award row is unique per (year, kind, subject): deciding the same candidate twice (a double
submit, two admins at once) leaves one row and audits one decision. Publishing sets
published_at on every row of the year in one conditional UPDATE and creates the broadcast
with the confirm key "awards:<year>", so publishing twice sends once; a published year is
closed (no more deciding or undoing).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import ClassVar

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from awards.candidates import Candidate
from bot.refusal import Refusal
from broadcasts import compose, sending
from content import award_texts as texts
from models import Award, AwardKind, Broadcast, audit, db

EVERYONE = {"kind": "all", "values": []}


class AwardError(Refusal):
    """A decision or a publishing that cannot be done (Chinese text for the admin)."""

    ERRORS: ClassVar[Mapping[str, str]] = {
        "unknown_kind": texts.UNKNOWN_KIND,
        "none_picked": texts.PICK_NONE,
        "not_candidate": texts.NOT_CANDIDATE,
        "published": texts.ALREADY_PUBLISHED,
        "nothing": texts.NOTHING_TO_PUBLISH,
        "broadcast": texts.PUBLISH_FAILED,
    }


def of_year(year: int) -> list[Award]:
    """The year's decided honours, in the page's order of kinds, then as decided."""
    rows = list(db.session.scalars(select(Award).where(Award.year == year)
                                   .order_by(Award.decided_at, Award.id)))
    order = {kind: index for index, kind in enumerate(texts.KIND_ORDER)}
    return sorted(rows, key=lambda a: order.get(a.kind, len(order)))


def is_published(year: int) -> bool:
    """True once the year's list has gone out."""
    return db.session.scalar(select(Award.id).where(
        Award.year == year, Award.published_at.is_not(None)).limit(1)) is not None


def decide(year: int, kind: str, subjects: Iterable[str], offered: list[Candidate],
           actor: str, now: datetime) -> list[Award]:
    """Record the picked candidates of one honour (each audited); those already decided are
    left as they are. Only subjects among `offered` may be decided."""
    if kind not in set(AwardKind):
        raise AwardError("unknown_kind")
    picked = list(dict.fromkeys(subjects))
    if not picked:
        raise AwardError("none_picked")
    by_subject = {c.subject: c for c in offered if c.kind == kind}
    if any(subject not in by_subject for subject in picked):
        raise AwardError("not_candidate", kind=texts.KIND_NAMES[kind])
    if is_published(year):
        raise AwardError("published", year=year)
    made = []
    for subject in picked:
        candidate = by_subject[subject]
        row = Award(year=year, kind=kind, subject=subject, rule=candidate.rule[:300],
                    figure=candidate.figure[:200], decided_by=actor, decided_at=now,
                    organization_id=candidate.organization_id, member_id=candidate.member_id)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # decided already (a double submit, another admin)
            continue
        audit(actor, "award.decide", f"award:{row.id}", year=year, kind=kind, subject=subject,
              name=candidate.name, rule=row.rule, figure=row.figure)
        made.append(row)
    return made


def undecide(award: Award, actor: str) -> None:
    """Remove a decision before the year is published (audited)."""
    if award.published_at is not None or is_published(award.year):
        raise AwardError("published", year=award.year)
    audit(actor, "award.undecide", f"award:{award.id}", year=award.year, kind=award.kind,
          subject=award.subject, rule=award.rule, figure=award.figure)
    db.session.delete(award)
    db.session.flush()


def subject_name(award: Award) -> str:
    """Who the honour is for, by name."""
    if award.member is not None:
        return award.member.name
    return award.organization.name if award.organization is not None else award.subject


def announcement(year: int, rows: list[Award]) -> str:
    """The broadcast's text: every honour with its names, cut to fit one WeCom message."""
    limit = compose.MAX_BYTES
    shown = 40
    while True:
        lines = [texts.ANNOUNCEMENT_HEAD.format(year=year)]
        for kind in texts.KIND_ORDER:
            names = [subject_name(a) for a in rows if a.kind == kind]
            if not names:
                continue
            text = texts.NAME_JOIN.join(names[:shown])
            if len(names) > shown:
                text += texts.ANNOUNCEMENT_MORE.format(count=len(names))
            lines.append(texts.ANNOUNCEMENT_LINE.format(kind=texts.KIND_NAMES[kind], names=text))
        lines.append(texts.ANNOUNCEMENT_TAIL)
        message = "\n".join(lines)
        if len(message.encode()) <= limit or shown <= 1:
            return message
        shown //= 2


def publish(year: int, actor: str, now: datetime) -> Broadcast:
    """Publish the year's list (audited): every row marked, one broadcast to everyone created
    (the caller commits, then queues its delivery). A published year raises AwardError."""
    rows = of_year(year)
    if not rows:
        raise AwardError("nothing", year=year)
    claimed = db.session.execute(update(Award).where(
        Award.year == year, Award.published_at.is_(None)).values(published_at=now))
    if claimed.rowcount == 0:  # type: ignore[attr-defined]
        raise AwardError("published", year=year)
    try:
        kind, payload = compose.text_payload(announcement(year, rows))
        broadcast, _ = sending.create(sending.BroadcastDraft(actor, kind, payload, EVERYONE),
                                      f"awards:{year}", now)
    except compose.ComposeError as exc:
        raise AwardError("broadcast", reason=str(exc)) from exc
    db.session.execute(update(Award).where(Award.year == year)
                       .values(broadcast_id=broadcast.id))
    audit(actor, "award.publish", f"awards:{year}", year=year, count=len(rows),
          broadcast=broadcast.number)
    for row in rows:
        db.session.refresh(row)
    return broadcast


def honours(member_id: int) -> list[Award]:
    """The member's published honours, newest year first."""
    return list(db.session.scalars(select(Award).where(
        Award.member_id == member_id, Award.published_at.is_not(None))
        .order_by(Award.year.desc(), Award.id)))


def honour_line(member_id: int) -> str:
    """荣誉：2026年度学习标兵 for 我的积分, or "" when the member has none published."""
    rows = honours(member_id)
    if not rows:
        return ""
    return texts.HONOURS.format(items=texts.HONOUR_JOIN.join(
        texts.HONOUR_ITEM.format(year=a.year, kind=texts.KIND_NAMES.get(a.kind, a.kind))
        for a in rows))
