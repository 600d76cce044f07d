"""登记会议 / 修改会议记录's form: the fields read from the post, the photos taken in, each
problem said in Chinese beside its field. The rules are meetings.records' (and
through it meetings.recording's, the chat's and the CLI's), never restated here: this
module only reads what was typed (the time, the ticked attendance, the chosen files).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

import clock
from console.views import wall_time
from content import meeting_page_texts as mt
from media.settings import media_settings
from meetings import records
from meetings.recording import ABSENT, MeetingError
from meetings.records import Mark, Typed
from models import Member, OrgMeeting

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
ATTENDANCE = re.compile(r"att_(\d{1,12})")
MAX_NAME = 80


@dataclass(frozen=True)
class Attendee:
    """One line of the attendance list: who, what is ticked, the reason, and whether they are
    on the organisation's roster now (someone on a record who left it stays listed)."""

    member_id: int
    name: str
    userid: str
    status: str
    reason: str
    on_roster: bool = True


@dataclass
class Read:
    """The form read: what was typed, the problems found before the record's checks (the time,
    refused photos), and the keys of the photos taken in (carried if the form is shown again)."""

    typed: Typed
    errors: dict[str, str] = field(default_factory=dict)
    uploaded: list[str] = field(default_factory=list)


def new_key() -> str:
    """A fresh one-time key for the 登记会议 form."""
    return secrets.token_urlsafe(16)


def error_text(problem: MeetingError) -> str:
    """A record's problem in Chinese."""
    return problem.text()


def _attendance(form: MultiDict[str, str]) -> dict[int, Mark]:
    """Member id → the ticked status and the typed reason, for every line of the list."""
    marks: dict[int, Mark] = {}
    for name in form:
        match = ATTENDANCE.fullmatch(name)
        if match is None:
            continue
        member_id = int(match.group(1))
        marks[member_id] = Mark(form.get(name, "").strip(),
                                form.get(f"reason_{member_id}", "").strip())
    return marks


def _uploads(files: list[FileStorage], errors: list[str]) -> list[str]:
    """Each chosen file checked and kept as materials' images are (media.images); its key, or
    its refusal in `errors`."""
    limit = media_settings().max_image_bytes
    keys = []
    for upload in files:
        data = upload.read(limit + 1)
        if not data and not upload.filename:
            continue  # the empty file input of a form sent without photos
        try:
            keys.append(records.store_photo(data))
        except records.ImageRefused as exc:
            name = (upload.filename or "")[:MAX_NAME] or mt.PHOTO_UNNAMED
            errors.append(mt.PHOTO_REFUSED.format(name=name, reason=str(exc)))
    return keys


def read(form: MultiDict[str, str], files: list[FileStorage],
         meeting: OrgMeeting | None = None) -> Read:
    """The record the post describes: the meeting's photos not ticked for removal, the photos
    taken in by an earlier refused post of the same form, then the new ones."""
    errors: dict[str, str] = {}
    typed_time = form.get("starts_at", "")
    starts_at = wall_time(typed_time)
    if not typed_time.strip():
        errors["starts_at"] = mt.NEED_TIME
    elif starts_at is None:
        errors["starts_at"] = mt.BAD_TIME
    dropped = set(form.getlist("drop_photo"))
    kept = [key for index, key in enumerate((meeting.photos or []) if meeting else [], 1)
            if str(index) not in dropped]
    earlier = [key for key in dict.fromkeys(form.getlist("photo_key"))
               if key not in kept and records.known_photo(key)]
    refused: list[str] = []
    uploaded = earlier + [key for key in _uploads(files, refused) if key not in earlier]
    if refused:
        errors["photos"] = "；".join(refused)
    typed = Typed(form.get("kind", "").strip(), starts_at, form.get("place", ""),
                  form.get("topic", ""), form.get("notes", ""), _attendance(form),
                  tuple(dict.fromkeys(kept + uploaded)))
    return Read(typed, errors, uploaded)


def merge(read_: Read, problems: dict[str, MeetingError]) -> dict[str, str]:
    """The form's problems and the record's, each field's first, in Chinese."""
    errors = dict(read_.errors)
    for name, problem in problems.items():
        errors.setdefault(name, error_text(problem))
    return errors


def wall_value(moment: datetime | None) -> str:
    """A stored time as a datetime-local field shows it (the committee's wall clock)."""
    return f"{clock.local(moment):%Y-%m-%dT%H:%M}" if moment else ""


def shown_of(meeting: OrgMeeting) -> dict[str, Any]:
    """A stored meeting as the form shows it."""
    return {"kind": meeting.kind, "starts_at": wall_value(meeting.starts_at),
            "place": meeting.place or "", "topic": meeting.topic, "notes": meeting.notes or "",
            "photo_keys": [], "dropped": []}


def shown_echo(form: MultiDict[str, str], read_: Read) -> dict[str, Any]:
    """A posted form as the form shows it again (the photos taken in carried as keys)."""
    return {"kind": form.get("kind", ""), "starts_at": form.get("starts_at", ""),
            "place": form.get("place", ""), "topic": form.get("topic", ""),
            "notes": form.get("notes", ""), "photo_keys": read_.uploaded,
            "dropped": form.getlist("drop_photo")}


def blank(now: datetime) -> dict[str, Any]:
    """The empty 登记会议 form: today's date at 14:30 as a start (changed as needed)."""
    return {"kind": "", "starts_at": f"{clock.today(now).isoformat()}T14:30", "place": "",
            "topic": "", "notes": "", "photo_keys": [], "dropped": []}


def attendees(roster: list[Member], recorded: dict[int, tuple[str, str]],
              others: dict[int, Member], posted: dict[int, Mark] | None = None
              ) -> list[Attendee]:
    """The attendance list: the roster by name (each as recorded, or absent), then anyone on
    the record no longer on the roster; `posted` (a refused post) overrides what is ticked."""
    lines = []
    seen = set()
    for member in [*roster, *(others[m] for m in sorted(others) if m in recorded)]:
        if member.id in seen:
            continue
        seen.add(member.id)
        status, reason = recorded.get(member.id, (ABSENT, ""))
        if posted is not None and member.id in posted:
            status, reason = posted[member.id].status, posted[member.id].reason
        lines.append(Attendee(member.id, member.name, member.userid, status, reason,
                              member.id not in others))
    return lines
