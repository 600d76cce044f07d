"""An organisation's 三会一课 台账 for one year as a Word file: a title page, then each meeting
in time order with its kind, time, place, topic, recorder, attendance (who was present, on
leave and absent, with the reasons), minutes and photos. Built with python-docx through the
台账 helpers the reflections' compilation uses too (documents.word), so both look alike."""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx.document import Document as DocxDocument
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import clock
from content import meeting_page_texts as mt
from documents.word import add_photo, clean, field, new_document, title_page
from meetings import recording, records
from meetings.recording import ABSENT
from models import CheckInStatus, Member, Organization, OrgMeeting, db


def meetings_of_year(organization: Organization, year: int) -> list[OrgMeeting]:
    """The organisation's meetings held in the committee's `year`, in time order."""
    span = clock.year(year)
    return list(db.session.scalars(
        select(OrgMeeting).options(selectinload(OrgMeeting.recorded_by))
        .where(OrgMeeting.organization_id == organization.id,
               OrgMeeting.starts_at >= span.start, OrgMeeting.starts_at < span.end)
        .order_by(OrgMeeting.starts_at, OrgMeeting.id)))


def _names(people: Sequence[tuple[str, str]], with_reason: bool) -> str:
    """张三、李四（出差） — or 无."""
    if not people:
        return mt.NONE
    return "、".join(mt.DOCX_WITH_REASON.format(name=name, reason=reason)
                     if with_reason and reason else name for name, reason in people)


def _attendance(meeting: OrgMeeting) -> dict[str, list[tuple[str, str]]]:
    """(name, reason) of those present, on leave and absent, each by name."""
    marks = recording.attendance(meeting)
    names = dict(db.session.execute(select(Member.id, Member.name)
                                    .where(Member.id.in_(list(marks)))).all())
    found: dict[str, list[tuple[str, str]]] = {str(CheckInStatus.PRESENT): [],
                                               str(CheckInStatus.LEAVE): [], ABSENT: []}
    for member_id, (status, reason) in marks.items():
        found.setdefault(status, []).append((names.get(member_id, f"#{member_id}"), reason))
    for people in found.values():
        people.sort()
    return found


def _meeting(document: DocxDocument, index: int, meeting: OrgMeeting) -> None:
    kind = mt.KIND_NAMES.get(meeting.kind, meeting.kind)
    document.add_heading(clean(mt.DOCX_HEADING.format(index=index, kind=kind,
                                                      topic=meeting.topic)), level=1)
    people = _attendance(meeting)
    present, leave, absent = (people[str(CheckInStatus.PRESENT)],
                              people[str(CheckInStatus.LEAVE)], people[ABSENT])
    listed = meeting.absences is not None
    counts = (mt.COUNTS.format(expected=len(present) + len(leave) + len(absent),
                               present=len(present), leave=len(leave), absent=len(absent))
              if listed else mt.COUNTS_NO_ABSENT.format(present=len(present), leave=len(leave)))
    for label, value in ((mt.DOCX_NUMBER, recording.meeting_number(meeting)),
                         (mt.DOCX_KIND, kind),
                         (mt.DOCX_TIME, f"{clock.local(meeting.starts_at):%Y-%m-%d %H:%M}"),
                         (mt.DOCX_PLACE, meeting.place or mt.NONE),
                         (mt.DOCX_TOPIC, meeting.topic),
                         (mt.DOCX_RECORDER, meeting.recorded_by.name),
                         (mt.DOCX_COUNTS, counts),
                         (mt.DOCX_PRESENT, _names(present, False)),
                         (mt.DOCX_LEAVE, _names(leave, True)),
                         (mt.DOCX_ABSENT, _names(absent, True) if listed
                          else mt.DOCX_NOT_LISTED)):
        field(document, label, value)
    field(document, mt.DOCX_NOTES, "" if meeting.notes else mt.NONE)
    for line in clean(meeting.notes).split("\n"):
        if line.strip():
            document.add_paragraph(line.strip())
    photos = list(meeting.photos or [])
    if photos:
        field(document, mt.DOCX_PHOTOS, str(len(photos)))
    for number, key in enumerate(photos, start=1):
        add_photo(document, records.photo_bytes(key),
                  mt.DOCX_PHOTO_MISSING.format(index=number),
                  mt.DOCX_PHOTO_UNREADABLE.format(index=number))


def year_docx(organization: Organization, year: int) -> tuple[bytes, int]:
    """The year's 台账 of the organisation as .docx bytes, and how many meetings it holds."""
    rows = meetings_of_year(organization, year)
    document = new_document()
    title_page(document, mt.DOCX_TITLE.format(organization=organization.name),
               mt.DOCX_SUBTITLE.format(year=year), mt.DOCX_COUNT.format(count=len(rows)))
    if not rows:
        document.add_paragraph(mt.DOCX_NONE)
    for index, meeting in enumerate(rows, start=1):
        if index > 1:
            document.add_page_break()
        _meeting(document, index, meeting)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), len(rows)
