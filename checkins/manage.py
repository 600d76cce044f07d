"""Check-ins run by admins and contacts (the console's 签到 pages): where a lecture's,
meeting's or activity's check-in stands, opening it (a code for a meeting recorded by a list
of attendees or an activity without one, or again after 结束签到), closing it early, 代签 of
roster members and 请假 entered for a member, the roster and the live list. Every change is
audited.

Activities of every kind take the same page: who is on its roster and expected is the kind's
(a screening or a hall visit: the organisation's active members, the visit's expected being
the booking's group size; a committee lecture: the audience organisations' members; a
training session: the enrolled members).

The member's side stays checkins.checkin's: a closed check-in answers its "closed_early"
refusal, a 代签 here is the same `check_in` with the proxy recorded (a console account, which
is no member, in `proxy_actor`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

import clock
from bot.refusal import Refusal
from checkins import checkin, codes
from checkins.checkin import CheckInError, CheckInResult, Target
from checkins.proxy import ProxyLine, match_names
from content import checkin_page_texts as texts
from models import (
    Activity,
    ActivityAudience,
    ActivityKind,
    CheckIn,
    CheckInStatus,
    Lecture,
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrgMeeting,
    TrainingEnrolment,
    VisitBooking,
    audit,
    db,
)
from participation.settings import ParticipationSettings, participation_settings

KINDS = ("lecture", "meeting", "activity")
Record = Lecture | OrgMeeting | Activity
MAX_ROSTER = 500
MESSAGE_KEY = "console:{key}:{member}"  # a form's one-time key and the member: once each


class ManageError(Refusal):
    """A refused console action: `reason` keys content.checkin_page_texts.ERRORS; `field` is
    the form field it belongs beside ("form": the form as a whole)."""

    ERRORS = texts.ERRORS

    def __init__(self, reason: str, field: str = "form", **values: object) -> None:
        super().__init__(reason, **values)
        self.field = field


class Problems(ValueError):
    """Several refused names of one form, each with the field it belongs beside."""

    def __init__(self, problems: dict[str, list[str]]) -> None:
        super().__init__("; ".join(p for found in problems.values() for p in found))
        self.problems = problems


def record_of(kind: str, ident: int) -> Record | None:
    """The lecture, meeting or activity a console address names, or None."""
    if kind == "lecture":
        return db.session.get(Lecture, ident)
    if kind == "meeting":
        return db.session.get(OrgMeeting, ident)
    if kind == "activity":
        return db.session.get(Activity, ident)
    return None


def target_of(record: Record) -> Target:
    """The check-in target of a lecture, meeting or activity."""
    if isinstance(record, Lecture):
        return checkin.of_lecture(record)
    if isinstance(record, Activity):
        return checkin.of_activity(record)
    return checkin.of_meeting(record)


def state_of(target: Target, now: datetime, settings: ParticipationSettings | None = None
             ) -> str:
    """cancelled (an activity), no_code (a meeting recorded by list), unconfirmed, closed
    (结束签到), upcoming, open or ended (its window passed)."""
    settings = settings or participation_settings()
    if target.kind == "activity" and not target.confirmed:
        return "cancelled"
    if not target.code:
        return "no_code"
    if not target.confirmed:
        return "unconfirmed"
    if target.closed_early(now, settings):
        return "closed"
    if now < target.opens(settings):
        return "upcoming"
    if now > target.closes(settings):
        return "ended"
    return "open"


def natural_close(target: Target, settings: ParticipationSettings) -> datetime:
    """When the window closes on its own (ignoring 结束签到)."""
    return replace(target, closed_at=None).closes(settings)


# -- opening and closing --------------------------------------------------------------------

def open_checkin(actor: str, record: Record, now: datetime,
                 settings: ParticipationSettings | None = None) -> str:
    """开启签到 (audited): a meeting recorded by list or an activity without a code gets one
    ("opened"); one closed early opens again ("reopened"). ManageError when unconfirmed or
    cancelled, its window passed, or open."""
    settings = settings or participation_settings()
    target = target_of(record)
    if not target.confirmed:
        raise ManageError("cancelled" if target.kind == "activity" else "unconfirmed")
    if now > natural_close(target, settings):
        raise ManageError("open_ended", closes=_shown(natural_close(target, settings)))
    if target.code and record.checkin_closed_at is None:
        raise ManageError("already_open")
    before = {"code": target.code or None, "closed_at": _iso(record.checkin_closed_at)}
    if not target.code:
        assert not isinstance(record, Lecture)
        record.checkin_code = codes.new_checkin_code(now, settings)
        outcome = "opened"
    else:
        outcome = "reopened"
    record.checkin_closed_at = None
    audit(actor, "checkin.open", target.source, what=target.what, before=before,
          after={"code": record.checkin_code, "closed_at": None})
    return outcome


def close_checkin(actor: str, record: Record, now: datetime,
                  settings: ParticipationSettings | None = None) -> None:
    """结束签到 now (audited): no more scans, codes, 代签 or leave. ManageError when it has no
    code, was closed already or its window passed."""
    settings = settings or participation_settings()
    target = target_of(record)
    if not target.code:
        raise ManageError("no_code")
    if target.closed_early(now, settings):
        assert target.closed_at is not None
        raise ManageError("already_closed", time=_shown(target.closed_at))
    if now > natural_close(target, settings):
        raise ManageError("close_ended", closes=_shown(natural_close(target, settings)))
    before = _iso(record.checkin_closed_at)
    record.checkin_closed_at = now
    audit(actor, "checkin.close", target.source, what=target.what,
          before={"closed_at": before}, after={"closed_at": _iso(now)})


def _shown(moment: datetime) -> str:
    """A time as the console shows it, on the committee's clock: 2026-12-01 10:00."""
    return f"{clock.local(moment):%Y-%m-%d %H:%M}"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


# -- who: the roster and typed names --------------------------------------------------------

def _organization(target: Target) -> Organization | None:
    if target.organization_id is None:
        return None
    return db.session.get(Organization, target.organization_id)


def _audience_ids(target: Target) -> list[int]:
    """A committee lecture's audience organisations."""
    return list(db.session.scalars(select(ActivityAudience.organization_id).where(
        ActivityAudience.activity_id == target.id)))


def _expected_members(target: Target) -> Any:
    """A query of the ids of the members expected at the target (see the module's doc), or
    None when nobody in particular is (a lecture ordered by nobody)."""
    active = select(Member.id).where(Member.status == MemberStatus.ACTIVE)
    if target.training_id is not None:
        return active.join(TrainingEnrolment, TrainingEnrolment.member_id == Member.id).where(
            TrainingEnrolment.training_id == target.training_id)
    if target.kind == "activity" and target.activity_kind == ActivityKind.LECTURE:
        return active.join(Membership, Membership.member_id == Member.id).where(
            Membership.organization_id.in_(_audience_ids(target))).distinct()
    if target.organization_id is None:
        return None
    return active.join(Membership, Membership.member_id == Member.id).where(
        Membership.organization_id == target.organization_id).distinct()


def roster(target: Target) -> list[Member]:
    """The members expected at the target, by name: the active members of its organisation
    (the meeting's, the one that ordered the lecture, the screening's or visiting one), a
    committee lecture's audience organisations, a training session's enrolled; empty when
    nobody in particular is."""
    ids = _expected_members(target)
    if ids is None:
        return []
    return list(db.session.scalars(select(Member).where(Member.id.in_(ids))
                                   .order_by(Member.name, Member.id).limit(MAX_ROSTER)))


def name_scope(target: Target) -> set[int] | None:
    """Where typed names are looked up: a meeting's or a screening's organisation only (its
    members alone may check in), everywhere else."""
    own = target.kind == "meeting" or target.activity_kind == ActivityKind.SCREENING
    if own and target.organization_id is not None:
        return {target.organization_id}
    return None


def pick_members(target: Target, ids: list[int], tokens: list[str], field: str = "names"
                 ) -> list[Member]:
    """The members ticked (`ids`, from the roster) and typed (`tokens`: names or userids),
    each once. Problems (a name unknown, shared or outside the meeting's organisation, an
    account stopped, an id not of the roster) raise Problems, every one beside its field."""
    problems: dict[str, list[str]] = {}
    chosen: dict[int, Member] = {}
    if ids:
        allowed = {m.id: m for m in roster(target)}
        for ident in ids:
            if ident in allowed:
                chosen[ident] = allowed[ident]
            else:
                problems.setdefault("members", []).append(
                    texts.ERRORS["unknown"].format(token=ident))
    organization = _organization(target)
    for token, (status, matches) in match_names(tokens, name_scope(target)).items():
        if status == "unknown":
            problems.setdefault(field, []).append(texts.ERRORS["unknown"].format(token=token))
        elif status == "ambiguous":
            problems.setdefault(field, []).append(texts.ERRORS["ambiguous"].format(
                token=token, candidates=texts.JOIN.join(f"{m.name} {m.userid}"
                                                        for m in matches)))
        elif status == "outside":
            problems.setdefault(field, []).append(texts.ERRORS["outside"].format(
                name=matches[0].name, organization=organization.name if organization else ""))
        elif matches[0].status != MemberStatus.ACTIVE:
            problems.setdefault(field, []).append(
                texts.ERRORS["inactive"].format(name=matches[0].name))
        else:
            chosen[matches[0].id] = matches[0]
    if problems:
        raise Problems(problems)
    return list(chosen.values())


# -- 代签 and 请假 ------------------------------------------------------------------------

def _account(proxy: Member | None, actor: str) -> str | None:
    """The console account's actor when no member did it (check_in's `proxy_actor`)."""
    return actor if proxy is None else None


def proxy_check_in(actor: str, proxy: Member | None, target: Target, members: list[Member],
                   now: datetime, form_key: str,
                   settings: ParticipationSettings | None = None) -> list[ProxyLine]:
    """代签 of the chosen members (audited; the rows name the proxy). CheckInError, nothing
    written, unless the check-in is open; a member refused (left in between, not of the
    meeting's organisation) gets a "refused" line. A form submitted twice writes once: each
    row's message key is the form's key and the member."""
    settings = settings or participation_settings()
    checkin.check_open(target, now, settings)
    lines, done = [], []
    for member in members:
        earlier = checkin.existing(member.id, target)
        key = MESSAGE_KEY.format(key=form_key, member=member.id)[:255]
        try:
            result = checkin.check_in(member, target, now, key, proxy, settings,
                                      _account(proxy, actor))
        except CheckInError as exc:
            lines.append(ProxyLine(member.userid, "refused", member, detail=exc.text()))
            continue
        lines.append(ProxyLine(member.userid, "done" if result.new else "already", member,
                               result))
        if result.new:
            done.append({"userid": member.userid,
                         "before": earlier.status if earlier is not None else None,
                         "after": CheckInStatus.PRESENT})
    if done:
        audit(actor, "checkin.proxy", target.source, what=target.what, members=done)
    return lines


def enter_leave(actor: str, proxy: Member | None, target: Target, member: Member, reason: str,
                now: datetime, form_key: str,
                settings: ParticipationSettings | None = None) -> CheckInResult:
    """请假 entered for a member (audited when new). ManageError beside its field for a
    reason missing or too long, or a member already present; CheckInError when the check-in
    does not take leave any more (closed) or the member may not."""
    settings = settings or participation_settings()
    reason = reason.strip()
    if not reason:
        raise ManageError("reason_missing", "reason")
    if len(reason) > checkin.MAX_REASON:
        raise ManageError("reason_too_long", "reason", limit=checkin.MAX_REASON)
    earlier = checkin.existing(member.id, target)
    if earlier is not None and earlier.status == CheckInStatus.PRESENT:
        raise ManageError("leave_present", "who", name=member.name,
                          time=_shown(earlier.checked_at))
    key = MESSAGE_KEY.format(key=form_key, member=member.id)[:255]
    result = checkin.request_leave(member, target, now, reason, key, settings, proxy,
                                   _account(proxy, actor))
    if result.new:
        audit(actor, "checkin.leave", target.source, what=target.what, member=member.userid,
              before=None, after={"status": CheckInStatus.LEAVE, "reason": reason})
    return result


# -- the live list --------------------------------------------------------------------------

@dataclass(frozen=True)
class LiveRow:
    """One line of the live list."""

    name: str
    userid: str
    organization: str
    checked_at: datetime
    status: str
    by: str  # who did 代签 or entered the leave ("" for the member themselves)
    reason: str


def live_rows(target: Target) -> list[LiveRow]:
    """Every check-in and leave of the target, in time order, with the names to show."""
    column = target.column
    rows = db.session.scalars(
        select(CheckIn).options(
            selectinload(CheckIn.member).selectinload(Member.memberships)
            .selectinload(Membership.organization),
            selectinload(CheckIn.proxy))
        .where(column == target.id).order_by(CheckIn.checked_at, CheckIn.id))
    result = []
    for row in rows:
        organization = row.member.main_organization
        by = row.proxy.name if row.proxy is not None else (row.proxy_actor or "")
        if by.startswith("console:"):
            by = by.removeprefix("console:")
        result.append(LiveRow(row.member.name, row.member.userid,
                              organization.name if organization else "", row.checked_at,
                              row.status, by, row.reason))
    return result


def counts_of(lecture_ids: list[int], meeting_ids: list[int], activity_ids: list[int] | None = None
              ) -> dict[tuple[str, int], tuple[int, int]]:
    """(present, on leave) per ("lecture" | "meeting" | "activity", id), in a grouped query
    per kind."""
    found: dict[tuple[str, int], list[int]] = {}
    for kind, column, ids in (("lecture", CheckIn.lecture_id, lecture_ids),
                              ("meeting", CheckIn.meeting_id, meeting_ids),
                              ("activity", CheckIn.activity_id, activity_ids or [])):
        if not ids:
            continue
        for ident, status, count in db.session.execute(
                select(column, CheckIn.status, func.count(CheckIn.id))
                .where(column.in_(ids)).group_by(column, CheckIn.status)):
            pair = found.setdefault((kind, int(ident)), [0, 0])
            pair[0 if status == CheckInStatus.PRESENT else 1] += int(count)
    return {key: (value[0], value[1]) for key, value in found.items()}


def expected(record: Record, target: Target) -> int:
    """Who is expected: a meeting's or screening's organisation's active members, an ordered
    lecture's audience, a committee lecture's audience organisations' active members, a
    training session's enrolled members, a hall visit's booked group size."""
    if isinstance(record, Lecture):
        return int(record.expected_audience or 0)
    if isinstance(record, Activity) and record.kind == ActivityKind.VISIT:
        return int(db.session.scalar(select(VisitBooking.group_size).where(
            VisitBooking.activity_id == record.id)) or 0)
    ids = _expected_members(target)
    if ids is None:
        return 0
    return int(db.session.scalar(select(func.count()).select_from(ids.subquery())) or 0)
