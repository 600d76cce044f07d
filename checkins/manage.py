"""Check-ins run by admins and contacts (the console's 签到 pages): where a lecture's or
meeting's check-in stands, opening it (a code for a meeting recorded by a list of attendees,
or again after 结束签到), closing it early, 代签 of roster members and 请假 entered for a
member, the roster and the live list. Every change is audited.

The member's side stays checkins.checkin's: a closed check-in answers its "closed_early"
refusal, a 代签 here is the same `check_in` with the proxy recorded (a console account, which
is no member, in `proxy_actor`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

import clock
from bot.refusal import Refusal
from checkins import checkin, codes
from checkins.checkin import CheckInError, CheckInResult, Target
from checkins.proxy import ProxyLine, match_names
from content import checkin_page_texts as texts
from models import (
    CheckIn,
    CheckInStatus,
    Lecture,
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrgMeeting,
    audit,
    db,
)
from participation.settings import ParticipationSettings, participation_settings

KINDS = ("lecture", "meeting")
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


def record_of(kind: str, ident: int) -> Lecture | OrgMeeting | None:
    """The lecture or meeting a console address names, or None."""
    if kind == "lecture":
        return db.session.get(Lecture, ident)
    if kind == "meeting":
        return db.session.get(OrgMeeting, ident)
    return None


def target_of(record: Lecture | OrgMeeting) -> Target:
    """The check-in target of a lecture or meeting."""
    if isinstance(record, Lecture):
        return checkin.of_lecture(record)
    return checkin.of_meeting(record)


def state_of(target: Target, now: datetime, settings: ParticipationSettings | None = None
             ) -> str:
    """no_code (a meeting recorded by list), unconfirmed, closed (结束签到), upcoming, open or
    ended (its window passed)."""
    settings = settings or participation_settings()
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

def open_checkin(actor: str, record: Lecture | OrgMeeting, now: datetime,
                 settings: ParticipationSettings | None = None) -> str:
    """开启签到 (audited): a meeting recorded by list gets a code ("opened"); one closed early
    opens again ("reopened"). ManageError when unconfirmed, its window passed, or open."""
    settings = settings or participation_settings()
    target = target_of(record)
    if not target.confirmed:
        raise ManageError("unconfirmed")
    if now > natural_close(target, settings):
        raise ManageError("open_ended", closes=_shown(natural_close(target, settings)))
    if target.code and record.checkin_closed_at is None:
        raise ManageError("already_open")
    before = {"code": target.code or None, "closed_at": _iso(record.checkin_closed_at)}
    if not target.code:
        assert isinstance(record, OrgMeeting)
        record.checkin_code = codes.new_checkin_code(now, settings)
        outcome = "opened"
    else:
        outcome = "reopened"
    record.checkin_closed_at = None
    audit(actor, "checkin.open", target.source, what=target.what, before=before,
          after={"code": record.checkin_code, "closed_at": None})
    return outcome


def close_checkin(actor: str, record: Lecture | OrgMeeting, now: datetime,
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


def roster(target: Target) -> list[Member]:
    """The active members of the target's organisation (the meeting's, or the one that
    ordered the lecture), by name; empty when it has none."""
    if target.organization_id is None:
        return []
    return list(db.session.scalars(
        select(Member).join(Membership, Membership.member_id == Member.id)
        .where(Membership.organization_id == target.organization_id,
               Member.status == MemberStatus.ACTIVE)
        .order_by(Member.name, Member.id).limit(MAX_ROSTER)))


def name_scope(target: Target) -> set[int] | None:
    """Where typed names are looked up: a meeting's organisation only (its members alone may
    check in), everywhere for a lecture."""
    if target.kind == "meeting" and target.organization_id is not None:
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
        allowed = {m.id: m for m in roster(target)} if target.organization_id else {}
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
    column = CheckIn.lecture_id if target.kind == "lecture" else CheckIn.meeting_id
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


def counts_of(lecture_ids: list[int], meeting_ids: list[int]
              ) -> dict[tuple[str, int], tuple[int, int]]:
    """(present, on leave) per ("lecture" | "meeting", id), in two grouped queries."""
    found: dict[tuple[str, int], list[int]] = {}
    for kind, column, ids in (("lecture", CheckIn.lecture_id, lecture_ids),
                              ("meeting", CheckIn.meeting_id, meeting_ids)):
        if not ids:
            continue
        for ident, status, count in db.session.execute(
                select(column, CheckIn.status, func.count(CheckIn.id))
                .where(column.in_(ids)).group_by(column, CheckIn.status)):
            pair = found.setdefault((kind, int(ident)), [0, 0])
            pair[0 if status == CheckInStatus.PRESENT else 1] += int(count)
    return {key: (value[0], value[1]) for key, value in found.items()}


def expected(record: Lecture | OrgMeeting, target: Target) -> int:
    """Who is expected: a meeting's organisation's active members, a lecture's audience."""
    if isinstance(record, Lecture):
        return int(record.expected_audience or 0)
    return int(db.session.scalar(
        select(func.count(Member.id)).join(Membership, Membership.member_id == Member.id)
        .where(Membership.organization_id == target.organization_id,
               Member.status == MemberStatus.ACTIVE)) or 0)
