"""Check-in (签到) at lectures, organisation meetings and activities (screenings, training
sessions, hall visits, committee lectures): the targets, the window, 签到 and 请假.

Check-in is open from `checkin_before_min` before the start to `checkin_after_min` after the
end, unless an admin or contact closed it earlier in the console (`checkin_closed_at`: no more
scans from then). A check-in writes one CheckIn row (unique per member and lecture/meeting,
and per message key) and one ledger participation; a leave (请假) writes a CheckIn with status
leave and no participation. The codes and QR codes that find a target are checkins.codes';
代签 by a contact is checkins.proxy's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.refusal import Refusal
from content import checkin_texts as texts
from content.meeting_texts import KIND_NAMES
from content.texts import local_time
from content.titles import quoted
from models import (
    Activity,
    ActivityKind,
    CheckIn,
    CheckInStatus,
    Lecture,
    Member,
    Membership,
    MemberStatus,
    OrderStatus,
    Organization,
    OrgMeeting,
    ParticipationKind,
    Role,
    RoleGrant,
    TrainingEnrolment,
    db,
)
from participation import ledger
from participation.settings import ParticipationSettings, participation_settings

QR_PREFIX = "pioneer-checkin"  # what a target's QR code starts with (checkins.codes reads it)
QR_LETTERS = {"lecture": "L", "meeting": "M", "activity": "A"}
TARGET_COLUMNS = {"lecture": "lecture_id", "meeting": "meeting_id", "activity": "activity_id"}
ACTIVITY_LEDGER_KINDS = {
    ActivityKind.SCREENING: ParticipationKind.SCREENING,
    ActivityKind.TRAINING: ParticipationKind.TRAINING,
    ActivityKind.VISIT: ParticipationKind.VISIT,
    ActivityKind.LECTURE: ParticipationKind.LECTURE,  # counted with lectures, source activity:N
}
ACCEPTED = (OrderStatus.CONFIRMED, OrderStatus.COMPLETED, OrderStatus.RATED)
MAX_REASON = 200


class CheckInError(Refusal):
    """A refused check-in; `reason` keys content.checkin_texts.ERRORS, `values` fill it in."""

    ERRORS = texts.ERRORS


@dataclass(frozen=True)
class Target:
    """What a code checks in to: a lecture, an organisation meeting or an activity."""

    kind: str  # "lecture", "meeting" or "activity"
    id: int
    code: str
    title: str
    starts_at: datetime
    ends_at: datetime
    organization_id: int | None  # the meeting's, or the ordering organisation's
    confirmed: bool
    meeting_kind: str = ""
    closed_at: datetime | None = None  # closed early in the console (结束签到)
    activity_kind: str = ""  # an activity's ActivityKind
    training_id: int | None = None  # a training session: only the enrolled check in
    hours: float | None = None  # the study hours a check-in credits (a training's per session)

    @property
    def source(self) -> str:
        """The ledger source, e.g. "lecture:12"."""
        return f"{self.kind}:{self.id}"

    @property
    def participation_kind(self) -> str:
        """The ledger kind of a check-in here (a committee lecture counts as a lecture)."""
        if self.kind == "activity":
            return ACTIVITY_LEDGER_KINDS[self.activity_kind]
        return ParticipationKind.LECTURE if self.kind == "lecture" else ParticipationKind.MEETING

    @property
    def what(self) -> str:
        """How members read it: 宣讲《…》 or 支部党员大会《…》."""
        if self.kind == "lecture":
            return texts.LECTURE_WHAT.format(title=quoted(self.title))
        if self.kind == "activity":
            return texts.ACTIVITY_WHAT[self.activity_kind].format(title=quoted(self.title),
                                                                  name=self.title)
        return texts.MEETING_WHAT.format(kind=KIND_NAMES.get(self.meeting_kind, ""),
                                         title=quoted(self.title))

    def opens(self, settings: ParticipationSettings) -> datetime:
        """When check-in opens."""
        return self.starts_at - timedelta(minutes=settings.checkin_before_min)

    def closes(self, settings: ParticipationSettings) -> datetime:
        """When check-in closes: the window's end, or earlier when it was closed early."""
        end = self.ends_at + timedelta(minutes=settings.checkin_after_min)
        return min(end, self.closed_at) if self.closed_at is not None else end

    def closed_early(self, now: datetime, settings: ParticipationSettings) -> bool:
        """True once it was closed in the console before its window ended."""
        return (self.closed_at is not None and now >= self.closed_at
                and self.closed_at < self.ends_at + timedelta(minutes=settings.checkin_after_min))

    def qr_content(self) -> str:
        """What the printed QR code holds."""
        return f"{QR_PREFIX}:{QR_LETTERS[self.kind]}{self.id}:{self.code}"

    def where(self) -> dict[str, int]:
        """CheckIn column values naming this target."""
        return {TARGET_COLUMNS[self.kind]: self.id}

    @property
    def column(self) -> Any:
        """The CheckIn column that names targets of this kind."""
        return getattr(CheckIn, TARGET_COLUMNS[self.kind])


@dataclass(frozen=True)
class CheckInResult:
    """A check-in or leave: the row, and whether this call wrote it (False: done earlier)."""

    row: CheckIn
    new: bool
    hours: float = 0.0
    points: int = 0


def lecture_confirmed(lecture: Lecture) -> bool:
    """True once the lecturer accepted (接单) and the order was not cancelled."""
    order = lecture.order
    return lecture.accepted_at is not None and (order is None or order.status in ACCEPTED)


def of_lecture(lecture: Lecture) -> Target:
    """The check-in target of a lecture."""
    return Target("lecture", lecture.id, lecture.checkin_code, lecture.topic.title,
                  lecture.starts_at, lecture.ends_at,
                  lecture.order.organization_id if lecture.order else None,
                  lecture_confirmed(lecture), closed_at=lecture.checkin_closed_at)


def of_meeting(meeting: OrgMeeting) -> Target:
    """The check-in target of an organisation meeting (its code may be None: no check-in)."""
    return Target("meeting", meeting.id, meeting.checkin_code or "", meeting.topic,
                  meeting.starts_at, meeting.ends_at, meeting.organization_id, True,
                  meeting.kind, meeting.checkin_closed_at)


def of_activity(activity: Activity) -> Target:
    """The check-in target of an activity (its code may be None: no check-in; a cancelled
    activity is not confirmed)."""
    return Target("activity", activity.id, activity.checkin_code or "", activity.title,
                  activity.starts_at, activity.ends_at, activity.organization_id,
                  activity.cancelled_at is None, closed_at=activity.checkin_closed_at,
                  activity_kind=activity.kind, training_id=activity.training_id,
                  hours=float(activity.training.session_hours) if activity.training else None)


def _refuse_closed(target: Target, now: datetime, settings: ParticipationSettings) -> None:
    """CheckInError "closed" (or "closed_early", closed in the console) once it closed."""
    if target.closed_early(now, settings):
        assert target.closed_at is not None
        raise CheckInError("closed_early", what=target.what, closes=local_time(target.closed_at))
    if now > target.closes(settings):
        raise CheckInError("closed", what=target.what,
                           closes=local_time(target.closes(settings)),
                           after=settings.checkin_after_min)


def check_open(target: Target, now: datetime, settings: ParticipationSettings) -> None:
    """CheckInError unless the target is confirmed and its window holds `now` (and it was not
    closed early)."""
    if not target.confirmed:
        raise CheckInError("cancelled" if target.kind == "activity" else "not_confirmed",
                           what=target.what)
    if target.closed_early(now, settings):
        _refuse_closed(target, now, settings)
    if now < target.opens(settings):
        raise CheckInError("not_open", what=target.what, opens=local_time(target.opens(settings)),
                           before=settings.checkin_before_min)
    _refuse_closed(target, now, settings)


def _in_organization(member_id: int, organization_id: int) -> bool:
    return db.session.scalar(select(Membership.id).where(
        Membership.member_id == member_id,
        Membership.organization_id == organization_id)) is not None


def _check_member(member: Member, target: Target) -> None:
    """CheckInError unless the member may check in here at all."""
    if member.status != MemberStatus.ACTIVE:
        raise CheckInError("inactive", name=member.name)
    own_only = target.kind == "meeting" or target.activity_kind == ActivityKind.SCREENING
    if (own_only and target.organization_id is not None
            and not _in_organization(member.id, target.organization_id)):
        organization = db.session.get(Organization, target.organization_id)
        raise CheckInError("not_in_org" if target.kind == "meeting" else "not_in_org_activity",
                           what=target.what,
                           organization=organization.name if organization else "")
    if target.training_id is not None and db.session.scalar(select(TrainingEnrolment.id).where(
            TrainingEnrolment.training_id == target.training_id,
            TrainingEnrolment.member_id == member.id)) is None:
        raise CheckInError("not_enrolled", what=target.what, name=member.name)


def existing(member_id: int, target: Target) -> CheckIn | None:
    """The member's check-in or leave row for the target, if any."""
    return db.session.scalars(select(CheckIn).where(
        CheckIn.member_id == member_id, target.column == target.id)).first()


def _by_key(message_key: str | None) -> CheckIn | None:
    if message_key is None:
        return None
    return db.session.scalars(select(CheckIn).where(CheckIn.message_key == message_key)).first()


def _credit(member: Member, target: Target, now: datetime, proxy: Member | None,
            settings: ParticipationSettings, proxy_actor: str | None = None
            ) -> tuple[float, int]:
    """Write the ledger row of a present check-in; the hours and points credited."""
    by = proxy.userid if proxy is not None else proxy_actor
    details = {"proxy": by} if by is not None else None
    row = ledger.record(member, target.participation_kind, target.source, now, details=details,
                        hours=target.hours, settings=settings)
    return (float(row.hours), int(row.points)) if row is not None else (0.0, 0)


def check_in(member: Member, target: Target, now: datetime, message_key: str | None,
             proxy: Member | None = None,
             settings: ParticipationSettings | None = None,
             proxy_actor: str | None = None) -> CheckInResult:
    """签到 (or 代签 when `proxy` is given, or `proxy_actor`: a console account that is no
    member): one CheckIn and one participation, once.

    Already checked in: the earlier row, `new` False. A leave turns into presence. Refusals
    (not confirmed, not open yet, closed, not of the organisation, inactive) raise
    CheckInError and write nothing."""
    settings = settings or participation_settings()
    _check_member(member, target)
    earlier = _by_key(message_key)
    if earlier is not None:  # this very message was handled before
        return CheckInResult(earlier, False)
    row = existing(member.id, target)
    if row is not None and row.status == CheckInStatus.PRESENT:
        return CheckInResult(row, False)
    check_open(target, now, settings)
    if row is not None:  # on leave, and came after all
        row.status, row.reason, row.checked_at = CheckInStatus.PRESENT, "", now
        row.proxy_id, row.message_key = (proxy.id if proxy else None), message_key
        row.proxy_actor = proxy_actor
    else:
        row = CheckIn(member_id=member.id, status=CheckInStatus.PRESENT, checked_at=now,
                      proxy_id=proxy.id if proxy else None, proxy_actor=proxy_actor,
                      message_key=message_key, **target.where())
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
        except IntegrityError:  # a concurrent check-in of the same member or message won
            found = existing(member.id, target) or _by_key(message_key)
            if found is None:
                raise
            return CheckInResult(found, False)
    hours, points = _credit(member, target, now, proxy, settings, proxy_actor)
    return CheckInResult(row, True, hours, points)


def request_leave(member: Member, target: Target, now: datetime, reason: str,
                  message_key: str | None,
                  settings: ParticipationSettings | None = None,
                  proxy: Member | None = None, proxy_actor: str | None = None
                  ) -> CheckInResult:
    """请假: a CheckIn with status leave and the reason, no participation; until it closes.

    `proxy` (or `proxy_actor`, a console account) is who entered it for the member."""
    settings = settings or participation_settings()
    _check_member(member, target)
    row = existing(member.id, target)
    if row is not None and row.status == CheckInStatus.PRESENT:
        raise CheckInError("already_present", what=target.what, time=local_time(row.checked_at))
    if row is not None:
        return CheckInResult(row, False)
    if not target.confirmed:
        raise CheckInError("cancelled" if target.kind == "activity" else "not_confirmed",
                           what=target.what)
    _refuse_closed(target, now, settings)
    row = CheckIn(member_id=member.id, status=CheckInStatus.LEAVE, checked_at=now,
                  reason=reason[:MAX_REASON], message_key=message_key,
                  proxy_id=proxy.id if proxy else None, proxy_actor=proxy_actor,
                  **target.where())
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        found = existing(member.id, target) or _by_key(message_key)
        if found is None:
            raise
        return CheckInResult(found, False)
    return CheckInResult(row, True)


# -- figures ------------------------------------------------------------------------------

def counts(target: Target) -> tuple[int, int]:
    """(present, on leave) at the target."""
    rows = dict(db.session.execute(
        select(CheckIn.status, func.count(CheckIn.id))
        .where(target.column == target.id).group_by(CheckIn.status)).all())
    return int(rows.get(CheckInStatus.PRESENT, 0)), int(rows.get(CheckInStatus.LEAVE, 0))


def listing(target: Target) -> list[CheckIn]:
    """Every check-in and leave of the target, in time order."""
    return list(db.session.scalars(select(CheckIn).where(target.column == target.id)
                                   .order_by(CheckIn.checked_at, CheckIn.id)))


def may_see_code(member: Member, target: Target, lecturer_id: int | None) -> bool:
    """The lecturer, a contact of the organisation, or an admin may see the code."""
    if member.has_role(Role.ADMIN) or (lecturer_id is not None and member.id == lecturer_id):
        return True
    return target.organization_id is not None and member.has_role(Role.CONTACT,
                                                                  target.organization_id)


def contacts_of(organization_id: int) -> list[Member]:
    """Active contacts of an organisation."""
    return list(db.session.scalars(
        select(Member).join(RoleGrant, RoleGrant.member_id == Member.id)
        .where(RoleGrant.role == Role.CONTACT, RoleGrant.organization_id == organization_id,
               Member.status == MemberStatus.ACTIVE).order_by(Member.id)))

