"""Lecturer applications (讲师报名): a member applies, while a round is open, for the round's
batch; admins decide.

Approval grants the lecturer role with the batch and the specialties; the member is told
either way. Every decision is audited. With no round open (lectures.rounds) nobody may apply.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from bot.outbox import Outbox
from content import followup_texts as texts
from content.texts import local_time
from lectures.rounds import MAX_BATCH, current_round, last_closed, next_batch
from models import ApplicationRound, LecturerApplication, Member, Role, audit, db
from roster.manage import admin_userids, grant_role

PENDING, APPROVED, DECLINED = "pending", "approved", "declined"
STATUSES = (PENDING, APPROVED, DECLINED)


class ApplicationError(ValueError):
    """An application that cannot be made or decided; `reason` names why, for a text."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def applying_batch() -> int:
    """The batch applications are for now: the open round's, else the next one."""
    found = current_round()
    return found.batch if found is not None else next_batch()


def pending_for(member_id: int) -> LecturerApplication | None:
    """The member's pending application, if any."""
    return db.session.scalars(select(LecturerApplication).where(
        LecturerApplication.member_id == member_id,
        LecturerApplication.status == PENDING)).first()


def check_can_apply(member: Member) -> ApplicationRound:
    """The open round; ApplicationError if the member is a lecturer already, has an
    application waiting, or no round is open."""
    if member.has_role(Role.LECTURER):
        raise ApplicationError(f"{member.userid} is a lecturer already", "already_lecturer")
    if pending_for(member.id) is not None:
        raise ApplicationError(f"{member.userid} has a pending application", "pending")
    found = current_round()
    if found is None:
        raise ApplicationError("no round of applications is open", "closed")
    return found


def refusal_text(exc: ApplicationError, member: Member) -> str:
    """The member-facing text for a refused application."""
    if exc.reason == "already_lecturer":
        return texts.ALREADY_LECTURER
    if exc.reason == "closed":
        ended = last_closed()
        if ended is None or ended.closed_at is None:
            return texts.APPLY_CLOSED
        return texts.APPLY_CLOSED_SINCE.format(name=ended.name, date=local_time(ended.closed_at))
    waiting = pending_for(member.id)
    return texts.ALREADY_APPLIED.format(
        batch=waiting.batch if waiting else next_batch(),
        date=local_time(waiting.created_at) if waiting else "-")




def submit(member: Member, specialties: str, experience: str, sample_topic: str,
           now: datetime, outbox: Outbox) -> LecturerApplication:
    """Store an application for the open round's batch and tell the admins; one pending per
    member, none while no round is open."""
    db.session.get(Member, member.id, with_for_update=True)  # a second 确认 waits here
    found = check_can_apply(member)
    application = LecturerApplication(
        member_id=member.id, specialties=specialties, experience=experience,
        sample_topic=sample_topic, batch=found.batch, status=PENDING, created_at=now,
        details={"round": found.id})
    db.session.add(application)
    db.session.flush()
    audit(member.userid, "lecturer_application.submit", f"application {application.id}",
          batch=application.batch, round=found.id)
    admins = admin_userids()
    if admins:
        organization = member.main_organization
        outbox.text(admins, texts.APPLY_ADMIN_NOTICE.format(
            name=member.name, userid=member.userid, batch=application.batch,
            organization=organization.name if organization else texts.NO_ORGANIZATION,
            specialties=specialties, topic=sample_topic, id=application.id),
            once=True)  # carries the application's id
    return application


def applications(status: str | None = PENDING) -> list[LecturerApplication]:
    """Applications with that status (all for None), oldest first."""
    query = select(LecturerApplication).order_by(LecturerApplication.id)
    if status is not None:
        query = query.where(LecturerApplication.status == status)
    return list(db.session.scalars(query))


def pending_count() -> int:
    """How many applications wait for a decision."""
    return int(db.session.scalar(select(func.count(LecturerApplication.id)).where(
        LecturerApplication.status == PENDING)) or 0)


def _pending(application_id: int) -> LecturerApplication:
    application = db.session.get(LecturerApplication, application_id, with_for_update=True)
    if application is None:
        raise ApplicationError(f"no application {application_id}", "unknown")
    if application.status != PENDING:
        raise ApplicationError(f"application {application_id} is already {application.status}",
                               "decided")
    return application


def approve(actor: str, application_id: int, now: datetime, outbox: Outbox,
            batch: int | None = None) -> LecturerApplication:
    """Grant the lecturer role with the batch and specialties, tell the member, audit it."""
    application = _pending(application_id)
    batch = application.batch if batch is None else batch
    if not 1 <= batch <= MAX_BATCH:
        raise ApplicationError(f"the batch must be 1 to {MAX_BATCH}", "bad_batch")
    member = application.member
    if not member.is_active:
        raise ApplicationError(f"{member.userid} is no longer an active member", "inactive")
    grant_role(member, Role.LECTURER, batch=batch, specialties=application.specialties)
    application.status, application.batch = APPROVED, batch
    application.decided_by, application.decided_at = actor, now
    audit(actor, "lecturer_application.approve", f"application {application.id}",
          member=member.userid, batch=batch, specialties=application.specialties)
    outbox.text([member.userid], texts.APPLY_APPROVED.format(
        batch=batch, specialties=application.specialties))
    return application


def decline(actor: str, application_id: int, reason: str, now: datetime,
            outbox: Outbox) -> LecturerApplication:
    """Decline with a reason, tell the member, audit it."""
    if not reason.strip():
        raise ApplicationError("a decline needs a reason", "reason_required")
    application = _pending(application_id)
    application.status, application.decision_note = DECLINED, reason.strip()
    application.decided_by, application.decided_at = actor, now
    audit(actor, "lecturer_application.decline", f"application {application.id}",
          member=application.member.userid, reason=reason.strip())
    outbox.text([application.member.userid], texts.APPLY_DECLINED.format(
        batch=application.batch, reason=reason.strip()))
    return application
