"""Screenings (教育片观看) and committee lectures (党委组织的宣讲): creating them with their
check-in code, correcting, cancelling, and the attendees outside the roster (`guests`).

The rules, in one place for the chat and the console:
- a screening is an organisation's, of an active film of the library (MaterialKind.FILM); a
  contact records one for their own organisation, an admin for any;
- a committee lecture has a speaker (free text: often outside the roster; optionally a roster
  member), a title and at least one audience organisation; admins only;
- the start may lie at most a day in the past (a screening recorded right after it was held)
  and at most a year ahead; an activity lasts up to 12 hours (default: the film's length,
  or 90 minutes);
- every change is audited in the same transaction; a cancelled activity refuses check-in
  (checkins.checkin: "cancelled") and cannot be edited; one somebody checked in to cannot
  be cancelled (their participation stands).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

import clock
from bot.refusal import Refusal
from checkins import codes
from clock.words import parse_time, shift_year
from content import activity_texts as texts
from models import (
    Activity,
    ActivityAudience,
    ActivityKind,
    CheckIn,
    CheckInStatus,
    Material,
    MaterialKind,
    Member,
    Organization,
    Role,
    audit,
    db,
)

MAX_TITLE = 200
MAX_SPEAKER = 100
MAX_PLACE = 100
MAX_NOTES = 2000
MAX_GUESTS = 100_000
PAST_LIMIT = timedelta(days=1)
AHEAD_LIMIT = timedelta(days=366)
MAX_LENGTH = timedelta(hours=12)
DEFAULT_MINUTES = 90
QUOTED = re.compile(r"《(.+?)》")
NUMBER = re.compile(r"HD-(\d{4})-(\d{1,9})", re.IGNORECASE)
YEAR_GIVEN = re.compile(r"\d{4}|年")
LIKELY_AHEAD = timedelta(days=180)  # a day-month beyond this ahead is read as this year's


class ActivityError(Refusal):
    """Refused activity input: `reason` keys content.activity_texts.ERRORS; `field` is the
    form field it belongs beside ("form": the form as a whole)."""

    ERRORS = texts.ERRORS

    def __init__(self, reason: str, field: str = "form", **values: object) -> None:
        super().__init__(reason, **values)
        self.field = field


@dataclass(frozen=True)
class When:
    """A checked start and end (UTC)."""

    starts_at: datetime
    ends_at: datetime


def source(activity: Activity) -> str:
    """The audit and ledger source of an activity, e.g. "activity:12"."""
    return f"activity:{activity.id}"


def activity_number(activity: Activity) -> str:
    """The number staff quote, e.g. HD-2026-0012 (the year it was recorded)."""
    return texts.NUMBER.format(year=clock.year_of(activity.created_at or clock.utcnow()),
                               id=activity.id)


def find_activity(reference: str) -> Activity | None:
    """The activity an HD-2026-0012 number names, or None."""
    match = NUMBER.fullmatch(reference.strip())
    if match is None:
        return None
    activity = db.session.get(Activity, int(match.group(2)))
    if activity is None or clock.year_of(activity.created_at) != int(match.group(1)):
        return None
    return activity


def film_name(material: Material) -> str:
    """A film's bare name: 守岛人 from 教育片《守岛人》 (the check-in text quotes it once)."""
    found = QUOTED.search(material.title)
    return found.group(1) if found else material.title


def films() -> list[Material]:
    """The library's active films, by title."""
    return list(db.session.scalars(select(Material).where(
        Material.kind == MaterialKind.FILM, Material.active).order_by(Material.title,
                                                                      Material.id)))


def film(material_id: int | None) -> Material:
    """The active film `material_id` names; ActivityError beside "film" otherwise."""
    if material_id is None:
        raise ActivityError("no_film", "film")
    material = db.session.get(Material, material_id)
    if material is None or material.kind != MaterialKind.FILM:
        raise ActivityError("not_film", "film",
                            title=material.title if material else str(material_id))
    if not material.active:
        raise ActivityError("film_retired", "film", title=material.title)
    return material


def organization(organization_id: int | None) -> Organization:
    """The active organisation `organization_id` names; ActivityError beside "organization"."""
    if organization_id is None:
        raise ActivityError("no_organization", "organization")
    found = db.session.get(Organization, organization_id)
    if found is None or not found.active:
        raise ActivityError("unknown_organization", "organization", value=organization_id)
    return found


def may_record_screening(member: Member | None, is_admin: bool, organization_id: int) -> bool:
    """Admins for any organisation; a contact for their own."""
    return is_admin or (member is not None and member.has_role(Role.CONTACT, organization_id))


def typed_start(text: str, now: datetime) -> datetime | None:
    """A start typed in everyday Chinese ("明天下午2点", "12月5日14:30"), or None. A day and
    month without a year that falls more than half a year ahead is read as the past one's
    ("11月20日" typed in December is last month's, and then refused as too far back)."""
    start = parse_time(text, now)
    if start is not None and start - now > LIKELY_AHEAD and not YEAR_GIVEN.search(text):
        start = shift_year(start, -1) or start
    return start


def check_when(starts_at: datetime | None, ends_at: datetime | None, now: datetime,
               minutes: int = DEFAULT_MINUTES) -> When:
    """The start and end checked against the rules above (the end defaults to `minutes`
    after the start); ActivityError beside "starts_at" or "ends_at"."""
    if starts_at is None:
        raise ActivityError("bad_time", "starts_at")
    if starts_at < now - PAST_LIMIT:
        raise ActivityError("too_past", "starts_at",
                            limit=f"{clock.local(now - PAST_LIMIT):%Y-%m-%d %H:%M}")
    if starts_at > now + AHEAD_LIMIT:
        raise ActivityError("too_far", "starts_at")
    ends_at = ends_at or starts_at + timedelta(minutes=minutes or DEFAULT_MINUTES)
    if ends_at <= starts_at:
        raise ActivityError("bad_end", "ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise ActivityError("too_long", "ends_at", hours=int(MAX_LENGTH.total_seconds() // 3600))
    return When(starts_at, ends_at)


def _text(value: str, limit: int, reason: str, field: str, required: str = "") -> str:
    value = " ".join(value.split())
    if required and not value:
        raise ActivityError(required, field)
    if len(value) > limit:
        raise ActivityError(reason, field, limit=limit)
    return value


def clean_place(value: str) -> str:
    """A place of at most MAX_PLACE characters (may be empty)."""
    return _text(value, MAX_PLACE, "place_too_long", "place")


def clean_notes(value: str) -> str:
    """Notes of at most MAX_NOTES characters."""
    value = value.strip()
    if len(value) > MAX_NOTES:
        raise ActivityError("notes_too_long", "notes", limit=MAX_NOTES)
    return value


def clean_title(value: str) -> str:
    """A lecture's title, 1 to MAX_TITLE characters."""
    return _text(value, MAX_TITLE, "title_too_long", "title", "no_title")


def clean_speaker(value: str) -> str:
    """A speaker's name, 1 to MAX_SPEAKER characters (anyone, in the roster or not)."""
    return _text(value, MAX_SPEAKER, "speaker_too_long", "speaker", "no_speaker")


def speaker_member(userid: str) -> Member | None:
    """The roster member a typed userid names (None when left empty); ActivityError when
    the roster has no such member."""
    userid = userid.strip()
    if not userid:
        return None
    found = db.session.scalars(select(Member).where(Member.userid == userid)).first()
    if found is None:
        raise ActivityError("unknown_speaker", "speaker_member", value=userid)
    return found


def audience(ids: list[int]) -> list[Organization]:
    """The active organisations named, each once; ActivityError beside "audience" when none
    is named or one is unknown."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        raise ActivityError("no_audience", "audience")
    found = {o.id: o for o in db.session.scalars(select(Organization).where(
        Organization.id.in_(ids), Organization.active))}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ActivityError("unknown_organization", "audience", value=missing[0])
    return [found[i] for i in ids]


# -- writing --------------------------------------------------------------------------------

def _snapshot(activity: Activity) -> dict[str, object]:
    """What the audit trail keeps of an activity."""
    return {"kind": activity.kind, "title": activity.title,
            "organization_id": activity.organization_id,
            "starts_at": activity.starts_at.isoformat(), "ends_at": activity.ends_at.isoformat(),
            "place": activity.place, "material_id": activity.material_id,
            "speaker": activity.speaker, "speaker_member_id": activity.speaker_member_id,
            "audience": [a.organization_id for a in activity.audience],
            "notes": activity.notes}


def create_screening(actor: str, organization_: Organization, material: Material, when: When,
                     place: str, now: datetime, form_key: str | None = None,
                     notes: str = "") -> Activity:
    """A screening of the film by the organisation, with a fresh check-in code (audited)."""
    activity = Activity(kind=ActivityKind.SCREENING, title=film_name(material),
                        organization_id=organization_.id, material_id=material.id,
                        starts_at=when.starts_at, ends_at=when.ends_at, place=place,
                        notes=notes, checkin_code=codes.new_checkin_code(now), created_by=actor,
                        created_at=now, form_key=form_key)
    db.session.add(activity)
    db.session.flush()
    audit(actor, "activity.create", source(activity), after=_snapshot(activity))
    return activity


def create_lecture(actor: str, title: str, speaker: str, speaker_member_: Member | None,
                   audience_: list[Organization], when: When, place: str, now: datetime,
                   form_key: str | None = None, notes: str = "") -> Activity:
    """A lecture the committee runs, for the audience organisations, with a fresh check-in
    code (audited). The audience's contacts are told by `notices.announce`."""
    activity = Activity(kind=ActivityKind.LECTURE, title=title, organization_id=None,
                        speaker=speaker,
                        speaker_member_id=speaker_member_.id if speaker_member_ else None,
                        starts_at=when.starts_at, ends_at=when.ends_at, place=place, notes=notes,
                        checkin_code=codes.new_checkin_code(now), created_by=actor,
                        created_at=now, form_key=form_key)
    activity.audience = [ActivityAudience(organization_id=o.id) for o in audience_]
    db.session.add(activity)
    db.session.flush()
    audit(actor, "activity.create", source(activity), after=_snapshot(activity))
    return activity


@dataclass(frozen=True)
class Changes:
    """A correction of an activity: None leaves a field as it is."""

    when: When | None = None
    place: str | None = None
    notes: str | None = None
    material: Material | None = None  # a screening's film
    title: str | None = None  # a lecture's
    speaker: str | None = None
    speaker_member: Member | None = None
    speaker_member_set: bool = False  # True: `speaker_member` (even None) replaces it
    audience: list[Organization] | None = None


def edit(actor: str, activity: Activity, changes: Changes) -> bool:
    """Apply the correction (audited with before and after); False when nothing changed.
    ActivityError when the activity was cancelled."""
    if activity.cancelled_at is not None:
        raise ActivityError("cancelled_edit")
    before = _snapshot(activity)
    if changes.when is not None:
        activity.starts_at, activity.ends_at = changes.when.starts_at, changes.when.ends_at
    if changes.place is not None:
        activity.place = changes.place
    if changes.notes is not None:
        activity.notes = changes.notes
    if changes.material is not None and activity.kind == ActivityKind.SCREENING:
        activity.material_id, activity.title = changes.material.id, film_name(changes.material)
    if activity.kind == ActivityKind.LECTURE:
        if changes.title is not None:
            activity.title = changes.title
        if changes.speaker is not None:
            activity.speaker = changes.speaker
        if changes.speaker_member_set:
            activity.speaker_member_id = (changes.speaker_member.id if changes.speaker_member
                                          else None)
        if changes.audience is not None:
            wanted = {o.id for o in changes.audience}
            activity.audience = [a for a in activity.audience if a.organization_id in wanted]
            have = {a.organization_id for a in activity.audience}
            activity.audience += [ActivityAudience(organization_id=i)
                                  for i in sorted(wanted - have)]
    db.session.flush()
    db.session.expire(activity, ["audience"])
    after = _snapshot(activity)
    if after == before:
        return False
    audit(actor, "activity.edit", source(activity), before=before, after=after)
    return True


def present_count(activity: Activity) -> int:
    """How many members checked in (present) to the activity."""
    return int(db.session.scalar(select(func.count(CheckIn.id)).where(
        CheckIn.activity_id == activity.id, CheckIn.status == CheckInStatus.PRESENT)) or 0)


def cancel(actor: str, activity: Activity, now: datetime, reason: str = "") -> None:
    """Cancel the activity (audited): check-in and leave are refused from then. ActivityError
    when it was cancelled already or somebody checked in."""
    if activity.cancelled_at is not None:
        raise ActivityError("already_cancelled",
                            time=f"{clock.local(activity.cancelled_at):%Y-%m-%d %H:%M}")
    present = present_count(activity)
    if present:
        raise ActivityError("cancel_checked_in", count=present)
    activity.cancelled_at = now
    audit(actor, "activity.cancel", source(activity), reason=reason[:200],
          title=activity.title, kind=activity.kind)


def parse_guests(value: str) -> int:
    """A count of attendees outside the roster, 0 to MAX_GUESTS; ActivityError otherwise."""
    value = value.strip()
    if not value.isdecimal() or int(value) > MAX_GUESTS:
        raise ActivityError("bad_guests", "guests", limit=MAX_GUESTS)
    return int(value)


def set_guests(actor: str, activity: Activity, guests: int) -> bool:
    """Set the attendees outside the roster (audited); False when unchanged. ActivityError
    when the activity was cancelled or the count is out of range."""
    if activity.cancelled_at is not None:
        raise ActivityError("cancelled_edit")
    if not 0 <= guests <= MAX_GUESTS:
        raise ActivityError("bad_guests", "guests", limit=MAX_GUESTS)
    if activity.guests == guests:
        return False
    audit(actor, "activity.guests", source(activity), before=activity.guests, after=guests)
    activity.guests = guests
    return True
