"""活动's forms (登记教育片观看, 登记党委宣讲, 修改): the fields read from the post, each problem
said in Chinese beside its field. The rules are activities.records' (the chat's too); this
module only reads what was typed and collects every refusal at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from werkzeug.datastructures import MultiDict

import clock
from activities import records
from activities.records import ActivityError, Changes, When
from console.views import wall_time
from models import Activity, ActivityKind, Material, Member, Organization

T = TypeVar("T")


@dataclass
class Read:
    """A form read: the checked values by name, and the problems beside their fields."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def take(self, name: str, check: Callable[[], T]) -> T | None:
        """Run one check; keep its value under `name`, or its refusal beside its field."""
        try:
            value = check()
        except ActivityError as exc:
            self.errors.setdefault(exc.field, exc.text())
            return None
        self.values[name] = value
        return value


def _int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdecimal() and len(value) < 12 else None


def _ids(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdecimal() and len(v) < 12]


def _when(read: Read, form: MultiDict[str, str], now: datetime, minutes: int,
          kept: datetime | None = None) -> None:
    """The start and end (a datetime-local field each; the end may be empty). A start left
    as it was (`kept`, an edit) is not held to the past limit: a held activity may still be
    corrected."""
    starts = wall_time(form.get("starts_at", ""))
    if kept is not None and starts == kept:
        now = kept
    ends_text = form.get("ends_at", "").strip()
    ends = wall_time(ends_text) if ends_text else None
    if ends_text and ends is None:
        read.errors["ends_at"] = records.ActivityError("bad_end", "ends_at").text()
        return
    read.take("when", lambda: records.check_when(starts, ends, now, minutes))


def read_screening(form: MultiDict[str, str], now: datetime,
                   allowed: Callable[[int], bool]) -> Read:
    """登记教育片观看: organisation (one the viewer may record for), film, time, place, notes."""
    read = Read()
    organization_id = _int(form.get("organization"))
    organization = read.take("organization", lambda: records.organization(organization_id))
    if organization is not None and not allowed(organization.id):
        read.errors["organization"] = ActivityError(
            "not_yours", organization=organization.name).text()
    film = read.take("film", lambda: records.film(_int(form.get("film"))))
    _when(read, form, now, film.minutes if film is not None else 0)
    read.take("place", lambda: records.clean_place(form.get("place", "")))
    read.take("notes", lambda: records.clean_notes(form.get("notes", "")))
    return read


def read_lecture(form: MultiDict[str, str], now: datetime, kept: datetime | None = None
                 ) -> Read:
    """登记党委宣讲: title, speaker (and optionally their roster account), audience, time,
    place, notes."""
    read = Read()
    read.take("title", lambda: records.clean_title(form.get("title", "")))
    read.take("speaker", lambda: records.clean_speaker(form.get("speaker", "")))
    read.take("speaker_member", lambda: records.speaker_member(form.get("speaker_member", "")))
    read.take("audience", lambda: records.audience(_ids(form.getlist("audience"))))
    _when(read, form, now, 0, kept)
    read.take("place", lambda: records.clean_place(form.get("place", "")))
    read.take("notes", lambda: records.clean_notes(form.get("notes", "")))
    return read


def read_changes(activity: Activity, form: MultiDict[str, str], now: datetime
                 ) -> tuple[Changes | None, dict[str, str]]:
    """修改: the fields of the activity's kind; the changes, or None with the problems."""
    if activity.kind == ActivityKind.SCREENING:
        read = Read()
        film = read.take("film", lambda: records.film(_int(form.get("film"))))
        _when(read, form, now, film.minutes if film is not None else 0, activity.starts_at)
        read.take("place", lambda: records.clean_place(form.get("place", "")))
        read.take("notes", lambda: records.clean_notes(form.get("notes", "")))
    else:
        read = read_lecture(form, now, activity.starts_at)
    if read.errors:
        return None, read.errors
    values = read.values
    when: When = values["when"]
    if activity.starts_at == when.starts_at and not form.get("ends_at", "").strip():
        when = When(when.starts_at, activity.ends_at)  # the end kept when only place changed
    return Changes(when=when, place=values["place"], notes=values["notes"],
                   material=values.get("film"), title=values.get("title"),
                   speaker=values.get("speaker"), speaker_member=values.get("speaker_member"),
                   speaker_member_set=activity.kind == ActivityKind.LECTURE,
                   audience=values.get("audience")), {}


def wall_value(moment: datetime | None) -> str:
    """A stored time as a datetime-local field's value on the committee's clock."""
    return f"{clock.local(moment):%Y-%m-%dT%H:%M}" if moment is not None else ""


def shown_of(activity: Activity) -> dict[str, Any]:
    """The edit form filled in from the activity."""
    member: Member | None = activity.speaker_member
    return {"film": str(activity.material_id or ""), "starts_at": wall_value(activity.starts_at),
            "ends_at": wall_value(activity.ends_at), "place": activity.place,
            "notes": activity.notes, "title": activity.title, "speaker": activity.speaker,
            "speaker_member": member.userid if member is not None else "",
            "audience": [str(a.organization_id) for a in activity.audience]}


def shown_echo(form: MultiDict[str, str]) -> dict[str, Any]:
    """What was typed, to show again beside the problems."""
    shown: dict[str, Any] = {name: form.get(name, "") for name in (
        "organization", "film", "starts_at", "ends_at", "place", "notes", "title", "speaker",
        "speaker_member")}
    shown["audience"] = form.getlist("audience")
    return shown


def choices(organizations: list[Organization], films: list[Material]
            ) -> dict[str, list[tuple[str, str]]]:
    """The select boxes' options: organisations and films by id and name."""
    return {"organizations": [(str(o.id), o.name) for o in organizations],
            "films": [(str(m.id), m.title) for m in films]}
