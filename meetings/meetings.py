"""三会一课: organisation meetings recorded by contacts, their attendance, and the quarterly
reminder to contacts of organisations that have not held a required meeting.

Requirements per meeting kind are "quarter" (at least once a quarter) or "month" (at least
once a month, so three a quarter); the defaults follow the party's rules for branches:
支部党员大会 and 党课 each quarter, 支委会 and 党小组会 each month (主题党日 not checked).
Override with MEETING_REQUIREMENTS="assembly=quarter,committee=month,..." ("none" drops a
kind). The reminder goes from day MEETING_REMIND_DAY of the quarter (default 61: the first
day of its last month), outside the quiet hours, at most once per contact and quarter (a
Nudge row of kind "meeting" and period "2026-Q4").

A meeting's record (its place, minutes, photos and attendance) may be changed for
MEETING_EDIT_DAYS (default 7) after it was held or recorded, whichever is later; then it is
locked (meetings.records).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import clock
from bot.outbox import Outbox
from bot.refusal import Refusal
from checkins import checkin
from clock.words import parse_time, shift_year
from content import meeting_texts as texts
from content.texts import local_day_time
from models import (
    CheckIn,
    CheckInStatus,
    MeetingKind,
    Member,
    Membership,
    MemberStatus,
    Nudge,
    Organization,
    OrgMeeting,
    ParticipationKind,
    Role,
    RoleGrant,
    audit,
    db,
    utcnow,
)
from participation import ledger
from participation.settings import in_quiet_hours, participation_settings

log = logging.getLogger(__name__)

KINDS = (MeetingKind.ASSEMBLY, MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.LESSON,
         MeetingKind.THEME_DAY)  # in the order the chat offers them (1–5)
FREQUENCIES = {"quarter": 1, "month": 3}  # meetings a quarter
DEFAULT_REQUIREMENTS = {MeetingKind.ASSEMBLY: "quarter", MeetingKind.LESSON: "quarter",
                        MeetingKind.COMMITTEE: "month", MeetingKind.GROUP: "month"}
NUMBER = re.compile(r"(?:HY-?(\d{4})-?)?0*(\d{1,9})", re.IGNORECASE)
QUARTER = re.compile(r"(\d{4})-Q([1-4])")
YEAR_GIVEN = re.compile(r"\d{4}|年")
NUDGE_KIND = "meeting"
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


@dataclass(frozen=True)
class MeetingSettings:
    """Required meetings, when to remind, how long a meeting lasts, how far back to record."""

    requirements: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_REQUIREMENTS))
    remind_day: int = 61  # day of the quarter (1-based) from which reminders go out
    minutes: int = 120  # a meeting's assumed length (for the check-in window)
    past_days: int = 92  # a meeting may be recorded this long afterwards
    ahead_days: int = 60  # and this long before
    quiet_hours: tuple[time, time] = (time(21), time(8))
    edit_days: int = 7  # a record may be changed this long after it was held or recorded
    max_photos: int = 6  # photos one meeting's record keeps


def _requirements(value: str) -> dict[str, str]:
    """Parse "kind=quarter,kind=month,kind=none", refusing unknown kinds and frequencies."""
    result = dict(DEFAULT_REQUIREMENTS)
    for part in filter(None, (p.strip() for p in value.split(","))):
        kind, _, frequency = (x.strip() for x in part.partition("="))
        if kind not in set(MeetingKind):
            raise ValueError(f"MEETING_REQUIREMENTS: unknown meeting kind {kind!r}")
        if frequency == "none":
            result.pop(kind, None)
        elif frequency in FREQUENCIES:
            result[kind] = frequency
        else:
            raise ValueError(f"MEETING_REQUIREMENTS: {frequency!r} is not quarter, month or none")
    return result


def meeting_settings() -> MeetingSettings:
    """The settings from the app config over the defaults."""
    config = current_app.config
    defaults = MeetingSettings()
    remind_day = int(config.get("MEETING_REMIND_DAY", defaults.remind_day))
    if not 1 <= remind_day <= 92:
        raise ValueError("MEETING_REMIND_DAY must be a day of the quarter, 1 to 92")
    edit_days = int(config.get("MEETING_EDIT_DAYS", defaults.edit_days))
    if edit_days < 0:
        raise ValueError("MEETING_EDIT_DAYS must be 0 or more")
    max_photos = int(config.get("MEETING_MAX_PHOTOS", defaults.max_photos))
    if not 0 <= max_photos <= 30:
        raise ValueError("MEETING_MAX_PHOTOS must be 0 to 30")
    return MeetingSettings(
        requirements=_requirements(config.get("MEETING_REQUIREMENTS", "")),
        remind_day=remind_day,
        minutes=int(config.get("MEETING_MINUTES", defaults.minutes)),
        quiet_hours=participation_settings().quiet_hours,
        edit_days=edit_days,
        max_photos=max_photos,
    )


# -- quarters -------------------------------------------------------------------------------

def quarter_of(moment: datetime) -> tuple[int, int]:
    """The committee's (year, quarter) of `moment`."""
    return clock.quarter_number(moment)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    """The committee quarter's start and end as UTC times."""
    span = clock.quarter(year, quarter)
    return span.start, span.end


def period(year: int, quarter: int) -> str:
    """The Nudge period of a quarter, e.g. 2026-Q4."""
    return f"{year}-Q{quarter}"


def quarter_name(year: int, quarter: int) -> str:
    """2026年第4季度."""
    return texts.QUARTER.format(year=year, quarter=quarter)


def parse_quarter(text: str) -> tuple[int, int] | None:
    """(year, quarter) of "2026-Q4" (case and spaces forgiven), or None."""
    match = QUARTER.fullmatch(unicodedata.normalize("NFKC", text).strip().upper())
    return (int(match.group(1)), int(match.group(2))) if match else None


def shift_quarter(year: int, quarter: int, by: int) -> tuple[int, int]:
    """The quarter `by` quarters after (or before) the given one."""
    index = year * 4 + quarter - 1 + by
    return index // 4, index % 4 + 1


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
    if value.isdigit() and 1 <= int(value) <= len(KINDS):
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
        raise MeetingError("bad_time", text=text)
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
        meeting.checkin_code = checkin.new_checkin_code(now)
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


def held_counts(organization_ids: list[int], year: int, quarter: int) -> dict[int, dict[str, int]]:
    """Meetings held per organisation and kind in the quarter."""
    start, end = quarter_bounds(year, quarter)
    rows = db.session.execute(
        select(OrgMeeting.organization_id, OrgMeeting.kind, func.count(OrgMeeting.id))
        .where(OrgMeeting.organization_id.in_(organization_ids), OrgMeeting.starts_at >= start,
               OrgMeeting.starts_at < end)
        .group_by(OrgMeeting.organization_id, OrgMeeting.kind))
    held: dict[int, dict[str, int]] = {org: {} for org in organization_ids}
    for organization_id, kind, count in rows:
        held[organization_id][kind] = int(count)
    return held


def shortfalls(held: Mapping[str, int], settings: MeetingSettings) -> list[tuple[str, int, int]]:
    """(kind, held, required) for every required kind held fewer times than required."""
    result = []
    for kind in KINDS:
        frequency = settings.requirements.get(kind)
        if frequency is None:
            continue
        required = FREQUENCIES[frequency]
        if held.get(kind, 0) < required:
            result.append((kind, held.get(kind, 0), required))
    return result


def describe_missing(missing: list[tuple[str, int, int]]) -> str:
    """支委会（已开1次，应开3次）、党课（已开0次，应开1次）."""
    return "、".join(texts.MISSING_ITEM.format(kind=texts.KIND_NAMES[k], held=h, required=r)
                    for k, h, r in missing)


def describe_rules(settings: MeetingSettings) -> str:
    """支部党员大会每季度至少1次、… as configured."""
    return "、".join(texts.KIND_NAMES[k] + texts.FREQUENCY_NAMES[settings.requirements[k]]
                    for k in KINDS if k in settings.requirements)


# -- the quarterly reminder -----------------------------------------------------------------

@dataclass(frozen=True)
class ReminderResult:
    """What one reminder run did."""

    reminded: int = 0
    outbound_ids: tuple[int, ...] = ()
    skipped: str = ""  # why nothing was due: quiet_hours, too_early


def due_reminders(now: datetime, settings: MeetingSettings
                  ) -> dict[int, list[tuple[Organization, list[tuple[str, int, int]]]]]:
    """Per contact (member id): their organisations with a shortfall this quarter."""
    year, quarter = quarter_of(now)
    grants = db.session.execute(
        select(RoleGrant.member_id, RoleGrant.organization_id)
        .join(Member, Member.id == RoleGrant.member_id)
        .join(Organization, Organization.id == RoleGrant.organization_id)
        .where(RoleGrant.role == Role.CONTACT, Member.status == MemberStatus.ACTIVE,
               Organization.active.is_(True))).all()
    organization_ids = sorted({org for _, org in grants})
    if not organization_ids:
        return {}
    held = held_counts(organization_ids, year, quarter)
    organizations = {o.id: o for o in db.session.scalars(
        select(Organization).where(Organization.id.in_(organization_ids)))}
    due: dict[int, list[tuple[Organization, list[tuple[str, int, int]]]]] = {}
    for member_id, organization_id in sorted(grants):
        missing = shortfalls(held[organization_id], settings)
        if missing:
            due.setdefault(member_id, []).append((organizations[organization_id], missing))
    return due


def send_reminders(now: datetime | None = None,
                   settings: MeetingSettings | None = None) -> ReminderResult:
    """Remind each contact of organisations short of required meetings, once a quarter.

    Nothing in the quiet hours or before the quarter's reminder day. Each contact is claimed
    by a Nudge row (unique per member, kind and period) in its own transaction."""
    now = now or utcnow()
    settings = settings or meeting_settings()
    if in_quiet_hours(now, settings.quiet_hours):
        return ReminderResult(skipped="quiet_hours")
    year, quarter = quarter_of(now)
    if clock.day_of_quarter(now) < settings.remind_day:
        return ReminderResult(skipped="too_early")
    due = due_reminders(now, settings)
    sent = set(db.session.scalars(select(Nudge.member_id).where(
        Nudge.kind == NUDGE_KIND, Nudge.period == period(year, quarter))))
    db.session.rollback()
    reminded, outbound = 0, []
    for member_id, items in due.items():
        if member_id in sent:
            continue
        try:
            ids = _remind_one(member_id, items, now, year, quarter, settings)
        except Exception:  # one contact's failure must not hold up the others
            db.session.rollback()
            log.exception("meeting reminder to member %s failed", member_id)
            continue
        if ids is not None:
            reminded += 1
            outbound.extend(ids)
    return ReminderResult(reminded, tuple(outbound))


def _remind_one(member_id: int, items: list[tuple[Organization, list[tuple[str, int, int]]]],
                now: datetime, year: int, quarter: int,
                settings: MeetingSettings) -> list[int] | None:
    """Claim the contact's Nudge and queue the reminder (committed); None if sent before."""
    member = db.session.get(Member, member_id)
    if member is None:
        return None
    details = {"organizations": {o.name: [k for k, _, _ in m] for o, m in items}}
    try:
        with db.session.begin_nested():
            db.session.add(Nudge(member_id=member_id, kind=NUDGE_KIND,
                                 period=period(year, quarter), sent_at=now, details=details))
            db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    outbox = Outbox(db.session, source_key=f"meeting-reminder:{period(year, quarter)}:{member_id}")
    lines = "\n".join(texts.REMINDER_LINE.format(organization=o.name,
                                                 missing=describe_missing(m)) for o, m in items)
    outbox.text([member.userid], texts.REMINDER.format(
        quarter=quarter_name(year, quarter), lines=lines, rules=describe_rules(settings)),
        once=True)
    db.session.commit()
    return outbox.pending_ids()


def meeting_tick() -> int:
    """Cron tick: send the quarter's 三会一课 reminders that are due; one tick at a time."""
    from bot.jobs import enqueue_deliveries, run_tick

    def work() -> int:
        result = send_reminders()
        enqueue_deliveries(list(result.outbound_ids))
        return result.reminded

    return run_tick("meeting_tick", 600, work)
