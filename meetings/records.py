"""The written record of a 三会一课 meeting (台账) as the console keeps it: kind, time, place,
topic, minutes, photos and each member's attendance (present, on leave with a reason, absent
with an optional reason), checked, written and corrected.

The rules are the chat's and the CLI's where they have one (meetings.recording: the kinds,
the topic, the past/ahead window of `check_time`, who may record, the roster that may
attend); writing goes through `recording.record_meeting`, so a record credits attendance
exactly as a meeting recorded in chat does. A record may be corrected until MEETING_EDIT_DAYS
after the meeting was held or recorded, whichever is later; then it is locked, for everyone.

Corrections keep the ledger right: a member marked present gets the meeting's participation
(once, as `record_meeting` gives it), one no longer present has it taken back
(`ledger.withdraw`: the row goes and its points and hours come off that year's totals), and a
corrected time moves the participations with it (`ledger.move`). Every change is audited with
the record before and after.

Photos go through media.images (`store_image`: PNG, JPEG or WebP checked from the content,
size-limited by MEDIA_MAX_IMAGE_BYTES, re-encoded without EXIF, content-addressed) into a
private store beside the material images (MEDIA_DIR/meetings/, backed up with it), which
/media never serves: the console shows them to those who may see the meeting.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from checkins import checkin
from content.texts import local_time
from media.images import ImageRefused, mimetype_for_key, store_image
from media.settings import media_settings
from media.storage import DirectoryStore, is_key
from meetings import recording
from meetings.recording import ABSENT, MeetingError
from meetings.settings import MeetingSettings
from models import (
    CheckIn,
    CheckInStatus,
    MeetingKind,
    Member,
    Organization,
    OrgMeeting,
    ParticipationKind,
    Role,
    audit,
    db,
)
from participation import ledger

MAX_PLACE = 100
MAX_NOTES = 10_000
MAX_REASON = checkin.MAX_REASON
PRESENT, LEAVE = str(CheckInStatus.PRESENT), str(CheckInStatus.LEAVE)
STATUSES = (PRESENT, LEAVE, ABSENT)
PHOTO_FOLDER = "meetings"


@dataclass(frozen=True)
class Mark:
    """One member's attendance as the record gives it."""

    status: str  # present, leave or absent
    reason: str = ""


@dataclass(frozen=True)
class Record:
    """A meeting's record, checked: what create_record and update_record write."""

    kind: str
    starts_at: datetime
    place: str
    topic: str
    notes: str
    attendance: dict[int, Mark]
    photos: tuple[str, ...]


@dataclass(frozen=True)
class Typed:
    """A record as typed (the console's form read, nothing checked yet); `starts_at` None when
    the time was missing or malformed (the caller words that problem)."""

    kind: str
    starts_at: datetime | None
    place: str
    topic: str
    notes: str
    attendance: dict[int, Mark]
    photos: tuple[str, ...]


def editable_until(meeting: OrgMeeting, settings: MeetingSettings) -> datetime:
    """When the record locks: MEETING_EDIT_DAYS after it was held or recorded (the later)."""
    return max(meeting.created_at, meeting.starts_at) + timedelta(days=settings.edit_days)


def is_locked(meeting: OrgMeeting, now: datetime, settings: MeetingSettings) -> bool:
    """True once the record may no longer be changed."""
    return now >= editable_until(meeting, settings)


def locked_error(meeting: OrgMeeting, settings: MeetingSettings) -> MeetingError:
    """The refusal of a change to a locked record (it says since when)."""
    return MeetingError("locked", "the meeting's record is locked",
                        until=local_time(editable_until(meeting, settings)),
                        days=settings.edit_days)


def may_record(member: Member | None, organization_id: int) -> bool:
    """Admins, and contacts of the organisation (a console account is no member: no)."""
    return member is not None and (member.has_role(Role.ADMIN)
                                   or member.has_role(Role.CONTACT, organization_id))


def _attendance_problems(organization: Organization, attendance: dict[int, Mark],
                         allowed: set[int], held: bool) -> dict[str, MeetingError]:
    """Each attendance problem by field: "attendance" (someone not of the organisation, or
    nobody present at a meeting already held) and "reason_<id>" (a leave without a reason)."""
    problems: dict[str, MeetingError] = {}
    strangers = [m for m in attendance if m not in allowed]
    if strangers:
        problems["attendance"] = MeetingError(
            "not_in_org", names=recording.member_names(strangers),
            organization=organization.name)
        return problems
    names = dict(db.session.execute(select(Member.id, Member.name)
                                    .where(Member.id.in_(list(attendance)))).all())
    for member_id, mark in attendance.items():
        name = names.get(member_id, f"#{member_id}")
        if mark.status not in STATUSES:
            problems["attendance"] = MeetingError("bad_status", name=name)
        elif mark.status == LEAVE and not mark.reason:
            problems[f"reason_{member_id}"] = MeetingError("need_reason", name=name)
        elif len(mark.reason) > MAX_REASON:
            problems[f"reason_{member_id}"] = MeetingError("bad_reason", limit=MAX_REASON)
    if held and "attendance" not in problems and not any(
            mark.status == PRESENT for mark in attendance.values()):
        problems["attendance"] = MeetingError("no_attendees")
    return problems


def check_record(organization: Organization, typed: Typed, now: datetime,
                 settings: MeetingSettings, meeting: OrgMeeting | None = None
                 ) -> tuple[Record | None, dict[str, MeetingError]]:
    """The record if every field passes, else None and each field's problem. A new time (or
    a new meeting's) must be within the past/ahead window; attendees must be active members of
    the organisation (or, for a correction, already on the meeting's record)."""
    problems: dict[str, MeetingError] = {}
    if typed.kind not in set(MeetingKind):
        problems["kind"] = MeetingError("choose_kind")
    starts_at = typed.starts_at
    if starts_at is not None and (meeting is None or starts_at != meeting.starts_at):
        try:
            starts_at = recording.check_time(starts_at, now, settings)
        except MeetingError as exc:
            problems["starts_at"] = exc
    topic = typed.topic.strip()
    try:
        topic = recording.parse_topic(topic)
    except MeetingError as exc:
        problems["topic"] = exc
    place = typed.place.strip()
    if not place:
        problems["place"] = MeetingError("need_place")
    elif len(place) > MAX_PLACE:
        problems["place"] = MeetingError("bad_place", limit=MAX_PLACE)
    notes = typed.notes.replace("\r\n", "\n").strip()
    if len(notes) > MAX_NOTES:
        problems["notes"] = MeetingError("bad_notes", limit=MAX_NOTES)
    if len(typed.photos) > settings.max_photos:
        problems["photos"] = MeetingError("too_many_photos", limit=settings.max_photos)
    allowed = {m.id for m in recording.roster(organization.id)}
    if meeting is not None:
        allowed |= set(recording.attendance(meeting))
    held = typed.starts_at is not None and typed.starts_at <= now
    problems.update(_attendance_problems(organization, typed.attendance, allowed, held))
    if problems or starts_at is None:
        return None, problems
    return Record(typed.kind, starts_at, place, topic, notes, dict(typed.attendance),
                  tuple(dict.fromkeys(typed.photos))), {}


def create_record(recorder: Member, organization: Organization, record: Record, now: datetime,
                  submit_key: str, actor: str, settings: MeetingSettings) -> OrgMeeting:
    """Write a checked record through `record_meeting` (audited as meeting.add): the present
    get their check-in and participation, the rest a leave or an absence."""
    present = [m for m, mark in record.attendance.items() if mark.status == PRESENT]
    leaves = {m: mark.reason for m, mark in record.attendance.items() if mark.status == LEAVE}
    absences = {m: mark.reason for m, mark in record.attendance.items()
                if mark.status == ABSENT}
    return recording.record_meeting(
        recorder, organization, record.kind, record.starts_at, record.topic, present, now,
        submit_key=submit_key, actor=actor, settings=settings, place=record.place,
        notes=record.notes, photos=record.photos, leaves=leaves, absences=absences)


def _retime(meeting: OrgMeeting, starts_at: datetime, settings: MeetingSettings) -> None:
    """Move the meeting, the check-ins recorded at its start and its participations."""
    old = meeting.starts_at
    meeting.starts_at = starts_at
    meeting.ends_at = starts_at + timedelta(minutes=settings.minutes)
    for row in db.session.scalars(select(CheckIn).where(CheckIn.meeting_id == meeting.id,
                                                        CheckIn.checked_at == old)):
        row.checked_at = starts_at
    ledger.move(ParticipationKind.MEETING, f"meeting:{meeting.id}", starts_at)


def _mark(meeting: OrgMeeting, editor: Member, member_id: int, mark: Mark,
          row: CheckIn | None, absences: dict[str, str]) -> bool:
    """Bring one member's attendance to `mark`; True when they are present now (to credit)."""
    source = f"meeting:{meeting.id}"
    if mark.status == ABSENT:
        if row is not None:
            if row.status == CheckInStatus.PRESENT:
                ledger.withdraw(member_id, ParticipationKind.MEETING, source)
            db.session.delete(row)
        absences[str(member_id)] = mark.reason
        return False
    absences.pop(str(member_id), None)
    if row is None:
        db.session.add(CheckIn(member_id=member_id, meeting_id=meeting.id,
                               checked_at=meeting.starts_at, status=mark.status,
                               reason=mark.reason if mark.status == LEAVE else "",
                               proxy_id=editor.id))
        return mark.status == PRESENT
    if mark.status == PRESENT:
        if row.status != CheckInStatus.PRESENT:
            row.status, row.reason, row.proxy_id = CheckInStatus.PRESENT, "", editor.id
        return True
    if row.status == CheckInStatus.PRESENT:
        ledger.withdraw(member_id, ParticipationKind.MEETING, source)
        row.status, row.proxy_id = CheckInStatus.LEAVE, editor.id
    if row.reason != mark.reason:
        row.reason = mark.reason
    return False


def update_record(editor: Member, meeting: OrgMeeting, record: Record, now: datetime,
                  actor: str, settings: MeetingSettings) -> bool:
    """Correct a record while it is not locked (MeetingError "locked" after); True when
    anything changed (audited as meeting.edit with before and after). Members not named in
    `record.attendance` keep their attendance."""
    if is_locked(meeting, now, settings):
        raise locked_error(meeting, settings)
    if not may_record(editor, meeting.organization_id):
        raise MeetingError("not_contact", f"{editor.userid} may not edit this meeting")
    before = recording.snapshot(meeting)
    if record.starts_at != meeting.starts_at:
        _retime(meeting, record.starts_at, settings)
    meeting.kind, meeting.topic, meeting.place = record.kind, record.topic, record.place
    meeting.notes, meeting.photos = record.notes, list(record.photos)
    rows = {row.member_id: row for row in db.session.scalars(
        select(CheckIn).where(CheckIn.meeting_id == meeting.id))}
    absences = {str(k): str(v or "") for k, v in (meeting.absences or {}).items()}
    present = [member_id for member_id, mark in record.attendance.items()
               if _mark(meeting, editor, member_id, mark, rows.get(member_id), absences)]
    if meeting.absences is not None or absences:
        meeting.absences = absences
    db.session.flush()
    ledger.record_many((ledger.Credit(m, details={"recorded_by": editor.userid})
                        for m in present), ParticipationKind.MEETING, f"meeting:{meeting.id}",
                       meeting.starts_at)
    after = recording.snapshot(meeting)
    if after == before:
        return False
    meeting.updated_at = now
    audit(actor, "meeting.edit", recording.meeting_number(meeting), before=before, after=after)
    return True


# -- photos ---------------------------------------------------------------------------------

def photo_store() -> DirectoryStore:
    """The private store of meeting photos: MEDIA_DIR/meetings/ (never served by /media)."""
    return DirectoryStore(os.path.join(media_settings().directory, PHOTO_FOLDER))


def store_photo(data: bytes) -> str:
    """Check, re-encode and keep one photo (as materials' images are); its key. ImageRefused
    (in Chinese) when it is not a PNG, JPEG or WebP image, is empty, broken or too large."""
    return store_image(data, store=photo_store()).key


def photo_bytes(key: str) -> bytes | None:
    """A kept photo's bytes, or None (no such photo, or not a photo key)."""
    if not is_key(key) or mimetype_for_key(key) is None:
        return None
    return photo_store().open(key)


def known_photo(key: str) -> bool:
    """True for the key of a photo in the store (a re-shown form carries its uploads' keys)."""
    return photo_bytes(key) is not None


__all__ = ["ImageRefused", "Mark", "Record", "Typed", "check_record", "create_record",
           "editable_until", "is_locked", "known_photo", "locked_error", "may_record",
           "photo_bytes", "photo_store", "store_photo", "update_record"]
