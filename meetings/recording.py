"""三会一课 recorded: organisation meetings written by contacts (in chat, on the CLI, through
the console's record), their numbers, the parsing of what contacts type, who may attend, and
each meeting's attendance.

A meeting's record (its place, minutes, photos and attendance) may be changed for
MEETING_EDIT_DAYS (default 7) after it was held or recorded, whichever is later; then it is
locked (meetings.records).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

import clock
from bot.refusal import Refusal
from checkins import checkin, codes
from clock.words import parse_time, shift_year
from content import meeting_texts as texts
from content.texts import example_stamp, example_time, local_day_time
from meetings.settings import MeetingSettings, meeting_settings
from models import (
    CheckIn,
    CheckInStatus,
    MeetingKind,
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrgMeeting,
    ParticipationKind,
    Role,
    audit,
    db,
    utcnow,
)
from participation import ledger

KINDS = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LESSON,
         MeetingKind.THEME_DAY)  # in the order the chat offers them (1–5)
NUMBER = re.compile(r"(?:HY-?(\d{4})-?)?0*(\d{1,9})", re.IGNORECASE)
YEAR_GIVEN = re.compile(r"\d{4}|年")
MAX_TOPIC = 100
MAX_ATTENDEES = 300
ABSENT = "absent"  # an attendance state kept on the meeting (absences), never a CheckIn


class MeetingError(Refusal):
    """Refused meeting input: `reason` keys content.meeting_texts.ERRORS, `values` fill it;
    `message`, when given, is the plain English the CLI prints instead of the reason."""

    ERRORS = texts.ERRORS

    def __init__(self, reason: str, message: str = "", **values: object) -> None:
        super().__init__(reason, **values)
        if message:
            self.args = (message,)


# -- numbers and parsing --------------------------------------------------------------------

def meeting_number(meeting: OrgMeeting) -> str:
    """The number contacts quote, e.g. HY-2026-0003."""
    return f"HY-{clock.year_of(meeting.created_at or utcnow())}-{meeting.id:04d}"


def find_meeting(reference: str) -> OrgMeeting | None:
    """The meeting "HY-2026-0003" (case and full-width forgiven), or None."""
    value = unicodedata.normalize("NFKC", reference).strip()
    if not value.upper().startswith("HY"):
        return None
    match = NUMBER.fullmatch(value)
    if match is None:
        return None
    meeting = db.session.get(OrgMeeting, int(match.group(2)))
    if meeting is None or (match.group(1)
                           and int(match.group(1)) != clock.year_of(meeting.created_at)):
        return None
    return meeting


def parse_kind(text: str) -> str | None:
    """A meeting kind from "2", "支委会", ..., or None."""
    value = unicodedata.normalize("NFKC", text).strip().rstrip(".、")
    if value.isdecimal() and 1 <= int(value) <= len(KINDS):
        return KINDS[int(value) - 1]
    for kind, name in texts.KIND_NAMES.items():
        if value in (name, kind):
            return kind
    return None


def check_time(start: datetime, now: datetime, settings: MeetingSettings) -> datetime:
    """`start` as UTC if a meeting may be recorded for it now; MeetingError if it is more than
    `past_days` ago or `ahead_days` ahead (the chat's and the console's one rule)."""
    if now - start > timedelta(days=settings.past_days):
        raise MeetingError("time_too_old", time=local_day_time(start), days=settings.past_days)
    if start - now > timedelta(days=settings.ahead_days):
        raise MeetingError("time_too_far", time=local_day_time(start), days=settings.ahead_days)
    return start.astimezone(UTC)


def parse_meeting_time(text: str, now: datetime, settings: MeetingSettings) -> datetime:
    """The start of a meeting typed in everyday Chinese; MeetingError if unparsed or out of
    range (more than `past_days` ago or `ahead_days` ahead)."""
    start = parse_time(text, now)
    if start is None:
        raise MeetingError("bad_time", text=text, example=example_time(now),
                           stamp=example_stamp(now))
    if start - now > timedelta(days=settings.ahead_days) and not YEAR_GIVEN.search(text):
        start = shift_year(start, -1) or start  # "11月3日" typed in December: this year
    return check_time(start, now, settings)


def parse_topic(text: str) -> str:
    """A meeting topic of 1 to MAX_TOPIC characters."""
    topic = text.strip()
    if not 1 <= len(topic) <= MAX_TOPIC:
        raise MeetingError("bad_topic", limit=MAX_TOPIC)
    return topic


def split_names(text: str) -> list[str]:
    """Names (or userids) typed with spaces, commas or 顿号 between them, each once."""
    tokens = re.split(r"[\s,，、;；]+", unicodedata.normalize("NFKC", text).strip())
    return list(dict.fromkeys(t for t in tokens if t))


@dataclass(frozen=True)
class Attendees:
    """Names matched within an organisation, and those that were not."""

    members: tuple[Member, ...]
    unknown: tuple[str, ...] = ()
    ambiguous: tuple[tuple[str, tuple[Member, ...]], ...] = ()


def roster_query(organization_id: int) -> Any:
    """The organisation's active members (any membership), by id: who may attend."""
    return (select(Member).join(Membership, Membership.member_id == Member.id)
            .where(Membership.organization_id == organization_id,
                   Member.status == MemberStatus.ACTIVE).order_by(Member.id))


def roster(organization_id: int) -> list[Member]:
    """The organisation's active members, by name: the console's attendance list."""
    members = {m.id: m for m in db.session.scalars(roster_query(organization_id))}
    return sorted(members.values(), key=lambda m: (m.name, m.userid))


def match_attendees(organization_id: int, tokens: list[str]) -> Attendees:
    """Match names or userids against the organisation's active members."""
    if len(tokens) > MAX_ATTENDEES:
        raise MeetingError("names_too_many", limit=MAX_ATTENDEES)
    members: dict[int, Member] = {}
    unknown: list[str] = []
    ambiguous: list[tuple[str, tuple[Member, ...]]] = []
    base = roster_query(organization_id)
    for token in tokens:
        found = list(db.session.scalars(base.where(Member.userid == token))) or list(
            db.session.scalars(base.where(Member.name == token)))
        if len(found) == 1:
            members[found[0].id] = found[0]
        elif found:
            ambiguous.append((token, tuple(found)))
        else:
            unknown.append(token)
    return Attendees(tuple(members.values()), tuple(unknown), tuple(ambiguous))


def active_member_names(organization_id: int) -> list[str]:
    """The names and userids of the organisation's active members (for close-name hints)."""
    rows = db.session.execute(
        select(Member.name, Member.userid).join(Membership, Membership.member_id == Member.id)
        .where(Membership.organization_id == organization_id,
               Member.status == MemberStatus.ACTIVE).order_by(Member.id)).all()
    return [label for row in rows for label in row]


# -- recording ------------------------------------------------------------------------------

def record_meeting(recorder: Member, organization: Organization, kind: str, starts_at: datetime,
                   topic: str, attendee_ids: list[int] | None, now: datetime,
                   submit_key: str | None = None, actor: str | None = None,
                   settings: MeetingSettings | None = None, *, place: str = "",
                   notes: str = "", photos: Sequence[str] = (),
                   leaves: Mapping[int, str] | None = None,
                   absences: Mapping[int, str] | None = None) -> OrgMeeting:
    """Write the meeting; with `attendee_ids` None it gets a check-in code, else each listed
    member gets a present CheckIn (flagged as recorded by the recorder) and a participation.

    The console's record adds the place, minutes (`notes`), photo keys, the members on leave
    (id → reason: a leave CheckIn, no participation) and those absent (id → reason, kept on
    the meeting). MeetingError if the recorder may not record for the organisation, the kind
    is unknown or a listed member is not an active member of it; the caller's transaction
    holds everything, so nothing is half-written. Audited with the record as saved."""
    settings = settings or meeting_settings()
    if not (recorder.has_role(Role.ADMIN)
            or recorder.has_role(Role.CONTACT, organization.id)):
        raise MeetingError("not_contact", f"{recorder.userid} is not a contact of "
                                          f"{organization.name}")
    if kind not in set(MeetingKind):
        raise MeetingError("bad_kind", f"unknown meeting kind {kind!r}")
    topic = parse_topic(topic)
    attendees = list(dict.fromkeys(attendee_ids or []))
    leaves, absences = dict(leaves or {}), (None if absences is None else dict(absences))
    listed = {*attendees, *leaves, *(absences or {})}
    if listed:
        members = set(db.session.scalars(roster_query(organization.id).with_only_columns(
            Member.id).where(Member.id.in_(listed))))
        if listed - members:
            raise MeetingError("not_in_org", f"member(s) {sorted(listed - members)} are not "
                                             f"active members of {organization.name}",
                               names=member_names(sorted(listed - members)),
                               organization=organization.name)
    meeting = OrgMeeting(organization_id=organization.id, kind=kind, topic=topic,
                         starts_at=starts_at,
                         ends_at=starts_at + timedelta(minutes=settings.minutes),
                         recorded_by_id=recorder.id, submit_key=submit_key, created_at=now,
                         place=place, notes=notes, photos=list(photos),
                         absences=None if absences is None else {
                             str(m): r for m, r in absences.items()})
    if attendee_ids is None:
        meeting.checkin_code = codes.new_checkin_code(now)
    db.session.add(meeting)
    db.session.flush()
    for member_id in attendees:
        db.session.add(CheckIn(member_id=member_id, meeting_id=meeting.id, checked_at=starts_at,
                               status=CheckInStatus.PRESENT, proxy_id=recorder.id))
    for member_id, reason in leaves.items():
        if member_id not in attendees:
            db.session.add(CheckIn(member_id=member_id, meeting_id=meeting.id,
                                   checked_at=starts_at, status=CheckInStatus.LEAVE,
                                   reason=reason[:checkin.MAX_REASON], proxy_id=recorder.id))
    db.session.flush()
    ledger.record_many((ledger.Credit(m, details={"recorded_by": recorder.userid})
                        for m in attendees), ParticipationKind.MEETING,
                       f"meeting:{meeting.id}", starts_at)
    audit(actor or recorder.userid, "meeting.add", meeting_number(meeting), kind=kind,
          organization=organization.name, attendees=len(attendee_ids or []),
          checkin=attendee_ids is None, before=None, after=snapshot(meeting))
    return meeting


def member_names(member_ids: Sequence[int]) -> str:
    """The members' names, 、-separated (their ids when unknown), for a refusal."""
    names = dict(db.session.execute(select(Member.id, Member.name)
                                    .where(Member.id.in_(member_ids))).all())
    return "、".join(names.get(m, f"#{m}") for m in member_ids)


def attendance(meeting: OrgMeeting) -> dict[int, tuple[str, str]]:
    """Member id → (present | leave | absent, reason) as recorded: the check-ins, then the
    absences kept on the meeting (a meeting recorded in chat keeps none)."""
    found: dict[int, tuple[str, str]] = {
        int(m): (ABSENT, str(r or "")) for m, r in (meeting.absences or {}).items()}
    for row in db.session.scalars(select(CheckIn).where(CheckIn.meeting_id == meeting.id)):
        found[row.member_id] = (str(row.status), row.reason or "")
    return found


def snapshot(meeting: OrgMeeting) -> dict[str, Any]:
    """What a meeting's record says, as audit rows keep it (before and after a change)."""
    userids = dict(db.session.execute(select(Member.id, Member.userid).where(
        Member.id.in_(select(CheckIn.member_id).where(CheckIn.meeting_id == meeting.id))))
        .all())
    absences = {int(m): r for m, r in (meeting.absences or {}).items()}
    if absences:
        userids.update(db.session.execute(select(Member.id, Member.userid)
                                          .where(Member.id.in_(absences))).all())
    present, leave, absent = [], {}, {}
    for member_id, (status, reason) in sorted(attendance(meeting).items(),
                                              key=lambda item: userids.get(item[0], "")):
        userid = userids.get(member_id, f"#{member_id}")
        if status == CheckInStatus.PRESENT:
            present.append(userid)
        elif status == CheckInStatus.LEAVE:
            leave[userid] = reason
        else:
            absent[userid] = reason
    return {"kind": meeting.kind, "starts_at": f"{clock.local(meeting.starts_at):%Y-%m-%d %H:%M}",
            "place": meeting.place or "", "topic": meeting.topic, "notes": meeting.notes or "",
            "photos": list(meeting.photos or []), "present": present, "leave": leave,
            "absent": absent if meeting.absences is not None else None}


def meetings_between(organization_ids: list[int], start: datetime,
                     end: datetime) -> list[OrgMeeting]:
    """The organisations' meetings starting in [start, end), in time order."""
    return list(db.session.scalars(select(OrgMeeting).where(
        OrgMeeting.organization_id.in_(organization_ids), OrgMeeting.starts_at >= start,
        OrgMeeting.starts_at < end).order_by(OrgMeeting.starts_at, OrgMeeting.id)))
