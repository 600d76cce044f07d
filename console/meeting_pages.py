"""三会一课: the quarter view (organisations × required kinds, held against required, the
shortfalls in red; 提醒 runs the quarterly reminder), an organisation's meetings by year with
its 台账 (.docx), 登记会议 (kind, time, place, topic, attendance from the roster, minutes and
photos) and the record's corrections until it locks.

The rules are meetings.records', meetings.recording's and meetings.requirements' (the
chat's and the `meeting` CLI's): the same kinds, topic, past/ahead window, roster and ledger
credits, never restated here. Admins see and record for every organisation; a contact for
their own — another organisation's meetings look missing (404), as console/scope.py has it.
Recording and correcting need a member's login (WeCom): a local console account is no member,
so it may look and remind but not write a record (403).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Response, flash, redirect, request, send_file, url_for
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

import clock
from bot import keys
from bot.jobs import enqueue_deliveries
from checkins import checkin
from console import meeting_form as form
from console import once
from console.auth import guard, viewer
from console.scope import org_scope
from console.upload_pages import FORM_ROOM, TOO_LARGE_ANSWERS
from console.views import UPLOAD_LIMITS, bp, not_found, page, paginate_list
from content import meeting_page_texts as mt
from content.titles import quoted
from media.images import mimetype_for_key
from media.settings import media_settings, megabytes
from meetings import record_book, recording, records, requirements
from meetings.recording import KINDS, MeetingError
from meetings.settings import FREQUENCIES, MeetingSettings, meeting_settings
from models import AuditEntry, Member, Organization, OrgMeeting, Role, audit, db, utcnow

NOTES_ROOM = 256 * 1024  # the minutes, the attendance list and the other fields
HISTORY_ROWS = 30
CREATE_ENDPOINT, UPDATE_ENDPOINT = "console.meeting_create", "console.meeting_update"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _body_limit() -> int:
    """The largest post the record form may send: every photo at its limit, and room."""
    return (meeting_settings().max_photos * media_settings().max_image_bytes
            + FORM_ROOM + NOTES_ROOM)


UPLOAD_LIMITS[CREATE_ENDPOINT] = _body_limit
UPLOAD_LIMITS[UPDATE_ENDPOINT] = _body_limit


def _too_large() -> Response:
    """A post over the limit (too many or too large photos): said plainly, nothing written."""
    settings = meeting_settings()
    size = megabytes(media_settings().max_image_bytes)
    return page("notice.html", 413, title=mt.UPLOAD_TOO_LARGE_TITLE,
                detail=mt.UPLOAD_TOO_LARGE.format(limit=megabytes(_body_limit()),
                                                  count=settings.max_photos, size=size))


TOO_LARGE_ANSWERS[CREATE_ENDPOINT] = _too_large
TOO_LARGE_ANSWERS[UPDATE_ENDPOINT] = _too_large


@dataclass(frozen=True)
class Cell:
    """One organisation's meetings of one required kind in the quarter."""

    kind: str
    held: int
    required: int

    @property
    def missing(self) -> bool:
        """True when fewer were held than required."""
        return self.held < self.required


@dataclass(frozen=True)
class QuarterRow:
    """An organisation's line of the quarter view."""

    organization: Organization
    cells: list[Cell]

    @property
    def short(self) -> int:
        """How many required kinds fall short."""
        return sum(1 for cell in self.cells if cell.missing)


def _now() -> datetime:
    return utcnow()


def _in_scope(organization_id: int) -> bool:
    scope = org_scope(viewer())
    return scope is None or organization_id in scope


def _organization(org_id: int) -> Organization | None:
    """The organisation if the viewer may see its meetings (else None: it looks missing)."""
    organization = db.session.get(Organization, org_id)
    return organization if organization is not None and _in_scope(organization.id) else None


def _meeting(meeting_id: int) -> OrgMeeting | None:
    """The meeting if the viewer may see it (else None: it looks missing)."""
    meeting = db.session.get(OrgMeeting, meeting_id)
    return meeting if meeting is not None and _in_scope(meeting.organization_id) else None


def _writer() -> Member | None:
    """The member who records (None: a local console account, which may not)."""
    return viewer().member


def _local_account() -> Response:
    return page("notice.html", 403, title=mt.LOCAL_ACCOUNT_TITLE, detail=mt.LOCAL_ACCOUNT)


def _required(settings: MeetingSettings) -> list[tuple[str, int]]:
    """The required kinds in the chat's order, each with the meetings a quarter it needs."""
    return [(kind, FREQUENCIES[settings.requirements[kind]]) for kind in KINDS
            if kind in settings.requirements]


def _page(template: str, code: int = 200, /, **context: Any) -> Response:
    """A 三会一课 page with its texts and helpers."""
    return page(template, code, mt=mt, wall_value=form.wall_value,
                number=recording.meeting_number, **context)


# the quarter view


def _visible_organizations(q: str) -> list[Organization]:
    """Admins: every active organisation; a contact: their own; by order and name."""
    query = select(Organization).order_by(Organization.order, Organization.name,
                                          Organization.id)
    scope = org_scope(viewer())
    query = query.where(Organization.active) if scope is None else query.where(
        Organization.id.in_(scope))
    if q:
        query = query.where(Organization.name.contains(q, autoescape=True))
    return list(db.session.scalars(query))


@bp.get("/meetings")
@guard(Role.ADMIN, Role.CONTACT)
def meetings_quarter() -> Response:
    """The quarter (?quarter=2026-Q4, default this one) for each organisation the viewer may
    see: meetings held of each required kind against the requirement, the shortfalls in red;
    ?missing=1 keeps the organisations short of one, ?q= finds one by name."""
    now = _now()
    current = requirements.quarter_of(now)
    year, quarter = requirements.parse_quarter(request.args.get("quarter", "")) or current
    settings = meeting_settings()
    required = _required(settings)
    q = request.args.get("q", "").strip()
    only_missing = request.args.get("missing") == "1"
    organizations = _visible_organizations(q)
    held = requirements.held_counts([o.id for o in organizations], year, quarter)
    rows = [QuarterRow(o, [Cell(kind, held[o.id].get(kind, 0), count)
                           for kind, count in required]) for o in organizations]
    if only_missing:
        rows = [row for row in rows if row.short]
    previous, following = (requirements.shift_quarter(year, quarter, -1),
                           requirements.shift_quarter(year, quarter, 1))
    return _page("meetings.html", rows=paginate_list(rows), required=required,
                 year=year, quarter=quarter, current=(year, quarter) == current,
                 quarter_text=requirements.quarter_name(year, quarter),
                 previous=f"{previous[0]}-Q{previous[1]}",
                 following=f"{following[0]}-Q{following[1]}",
                 rules=requirements.describe_rules(settings), q=q, only_missing=only_missing,
                 remind_day=settings.remind_day)


@bp.post("/meetings/remind")
@guard(Role.ADMIN)
def meetings_remind() -> Response:
    """提醒: the quarterly reminder now (what `meeting remind` and the cron tick do: each
    contact of a short organisation once a quarter, never in the quiet hours or before the
    reminder day); says how many were reminded. Audited."""
    now = _now()
    settings = meeting_settings()
    result = requirements.send_reminders(now, settings)
    enqueue_deliveries(list(result.outbound_ids))
    if result.skipped == "quiet_hours":
        start, end = settings.quiet_hours
        flash(mt.REMIND_QUIET.format(start=f"{start:%H:%M}", end=f"{end:%H:%M}"), "error")
    elif result.skipped == "too_early":
        flash(mt.REMIND_EARLY.format(day=settings.remind_day, today=clock.day_of_quarter(now)),
              "error")
    else:
        year, quarter = requirements.quarter_of(now)
        audit(viewer().actor, "meeting.remind", requirements.period(year, quarter),
              reminded=result.reminded)
        db.session.commit()
        flash(mt.REMINDED.format(count=result.reminded) if result.reminded
              else mt.REMINDED_NONE, "ok")
    return redirect(url_for(".meetings_quarter"), 303)  # type: ignore[return-value]


# an organisation's meetings


def _year_arg(now: datetime) -> int:
    year = request.args.get("year", type=int)
    return year if year is not None and 2000 <= year <= 2100 else clock.year_of(now)


@bp.get("/orgs/<int:org_id>/meetings")
@guard(Role.ADMIN, Role.CONTACT)
def org_meetings(org_id: int) -> Response:
    """The organisation's meetings of a year (?year=, default this one) in time order, with
    their attendance and whether each may still be corrected; 登记会议 and the year's 台账."""
    organization = _organization(org_id)
    if organization is None:
        return not_found()
    now = _now()
    year = _year_arg(now)
    settings = meeting_settings()
    rows = []
    for meeting in record_book.meetings_of_year(organization, year):
        present, leave = checkin.counts(checkin.of_meeting(meeting))
        rows.append((meeting, present, leave, records.is_locked(meeting, now, settings),
                     records.editable_until(meeting, settings)))
    return _page("org_meetings.html", organization=organization, year=year, rows=rows,
                 may_write=records.may_record(_writer(), organization.id))


@bp.get("/orgs/<int:org_id>/meetings/<int:year>.docx")
@guard(Role.ADMIN, Role.CONTACT)
def meeting_record_book(org_id: int, year: int) -> Response:
    """The organisation's 台账 of the year as Word: each meeting with its attendance, minutes
    and photos (audited, as the roster's export is)."""
    organization = _organization(org_id)
    if organization is None or not 2000 <= year <= 2100:
        return not_found()
    data, count = record_book.year_docx(organization, year)
    audit(viewer().actor, "meeting.export", organization.name, year=year, meetings=count)
    db.session.commit()
    name = mt.DOCX_FILE.format(organization=organization.name, year=year)
    # send_file writes an ASCII filename= and the Chinese name as filename*=UTF-8'': a raw
    # Chinese header cannot be sent (WSGI headers are latin-1).
    return send_file(io.BytesIO(data), as_attachment=True, download_name=name,
                     mimetype=DOCX_MIMETYPE)


# 登记会议


def _others(organization: Organization, recorded: dict[int, tuple[str, str]]
            ) -> dict[int, Member]:
    """Members on a record who are not on the organisation's roster now."""
    on_roster = {m.id for m in recording.roster(organization.id)}
    missing = [m for m in recorded if m not in on_roster]
    return {m.id: m for m in db.session.scalars(select(Member).where(Member.id.in_(missing)))
            } if missing else {}


def _form_page(organization: Organization, shown: dict[str, Any], errors: dict[str, str],
               key: str, posted: dict[int, records.Mark] | None = None,
               code: int = 200) -> Response:
    settings = meeting_settings()
    lines = form.attendees(recording.roster(organization.id), {}, {}, posted)
    return _page("meeting_new.html", code, organization=organization, form=shown,
                 errors=errors, key=key, attendees=lines, settings=settings,
                 photo_size=megabytes(media_settings().max_image_bytes),
                 limits={"notes": records.MAX_NOTES, "place": records.MAX_PLACE})


@bp.get("/orgs/<int:org_id>/meetings/new")
@guard(Role.ADMIN, Role.CONTACT)
def meeting_new(org_id: int) -> Response:
    """The empty form with the organisation's roster, and the one-time key that makes a
    double submit record one meeting."""
    organization = _organization(org_id)
    if organization is None:
        return not_found()
    if not records.may_record(_writer(), organization.id):
        return _local_account()
    return _form_page(organization, form.blank(_now()), {}, form.new_key())


def _already(key: str) -> Response | None:
    """Where a form already submitted goes: its meeting (or the quarter while being made)."""
    value = once.made(keys.meeting_form(key))
    made = None
    if value is not None:
        made = int(value) if value.isdecimal() else 0
    else:
        made = db.session.scalar(select(OrgMeeting.id).where(
            OrgMeeting.submit_key == f"console:{key}"))
    if made is None:
        return None
    flash(mt.FORM_USED, "ok")
    target = (url_for(".meeting_detail", meeting_id=made) if made
              else url_for(".meetings_quarter"))
    return redirect(target, 303)  # type: ignore[return-value]


@bp.post("/orgs/<int:org_id>/meetings/new")
@guard(Role.ADMIN, Role.CONTACT)
def meeting_create(org_id: int) -> Response:
    """Record the meeting once per form key (audited): the present credited as in chat, the
    rest on leave or absent; every problem beside its field and nothing written while any is
    left (photos already taken in are carried, to be saved with the record)."""
    organization = _organization(org_id)
    if organization is None:
        return not_found()
    recorder = _writer()
    if recorder is None or not records.may_record(recorder, organization.id):
        return _local_account()
    key = request.form.get("form_key", "")
    if not form.FORM_KEY.fullmatch(key):
        flash(mt.FORM_EXPIRED, "error")
        return _form_page(organization, form.blank(_now()), {}, form.new_key(), code=400)
    repeated = _already(key)
    if repeated is not None:
        return repeated
    now = _now()
    settings = meeting_settings()
    read = form.read(request.form, request.files.getlist("photos"))
    record, problems = records.check_record(organization, read.typed, now, settings)
    errors = form.merge(read, problems)
    if errors or record is None:
        db.session.rollback()
        return _refused(organization, read, errors, key)
    claim = keys.meeting_form(key)
    if not once.claim(claim):
        return _already(key) or redirect(url_for(".meetings_quarter"), 303)  # type: ignore
    try:
        meeting = records.create_record(recorder, organization, record, now,
                                        f"console:{key}", viewer().actor, settings)
        made, number = meeting.id, recording.meeting_number(meeting)
        present = sum(1 for m in record.attendance.values() if m.status == records.PRESENT)
        db.session.commit()
    except MeetingError as exc:
        db.session.rollback()
        once.release(claim)
        return _refused(organization, read, {"attendance": exc.text()}, key)
    except IntegrityError:  # the same form, posted twice at once, was saved by the other
        db.session.rollback()
        once.release(claim)
        return _already(key) or redirect(url_for(".meetings_quarter"), 303)  # type: ignore
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, made)
    flash(mt.CREATED.format(number=number, kind=mt.KIND_NAMES[record.kind],
                            topic=quoted(record.topic), present=present), "ok")
    return redirect(url_for(".meeting_detail", meeting_id=made), 303)  # type: ignore


def _refused(organization: Organization, read: form.Read, errors: dict[str, str],
             key: str) -> Response:
    flash(mt.FORM_INVALID.format(count=len(errors)), "error")
    return _form_page(organization, form.shown_echo(request.form, read), errors, key,
                      read.typed.attendance, 400)


# one meeting


def _history(meeting: OrgMeeting) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.target == recording.meeting_number(meeting),
        or_(AuditEntry.action == "meeting.add", AuditEntry.action == "meeting.edit"))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(HISTORY_ROWS)))


def changed_fields(entry: AuditEntry) -> str:
    """What an edit changed, in a few words (类型、出席)."""
    before, after = entry.detail.get("before") or {}, entry.detail.get("after") or {}
    names = [mt.FIELD_NAMES[name] for name in mt.FIELD_NAMES
             if before.get(name) != after.get(name)]
    return "、".join(names)


def _detail(meeting: OrgMeeting, code: int = 200, shown: dict[str, Any] | None = None,
            errors: dict[str, str] | None = None,
            posted: dict[int, records.Mark] | None = None) -> Response:
    """The record: what it says, and while it is not locked the correction form."""
    organization = meeting.organization
    now = _now()
    settings = meeting_settings()
    recorded = recording.attendance(meeting)
    lines = form.attendees(recording.roster(organization.id), recorded,
                           _others(organization, recorded), posted)
    locked = records.is_locked(meeting, now, settings)
    names = dict(db.session.execute(select(Member.id, Member.name).where(
        Member.id.in_(list(recorded)))).all()) if recorded else {}
    people: dict[str, list[tuple[str, str]]] = {"present": [], "leave": [], "absent": []}
    for member_id, (status, reason) in recorded.items():
        people.setdefault(status, []).append((names.get(member_id, ""), reason))
    for found in people.values():
        found.sort()
    return _page("meeting.html", code, meeting=meeting, organization=organization,
                 locked=locked, until=records.editable_until(meeting, settings),
                 may_write=not locked and records.may_record(_writer(), organization.id),
                 form=shown or form.shown_of(meeting), errors=errors or {}, attendees=lines,
                 people=people, settings=settings, history=_history(meeting),
                 changed_fields=changed_fields,
                 photo_size=megabytes(media_settings().max_image_bytes),
                 limits={"notes": records.MAX_NOTES, "place": records.MAX_PLACE},
                 locked_text=records.locked_error(meeting, settings).text())


@bp.get("/meetings/<int:meeting_id>")
@guard(Role.ADMIN, Role.CONTACT)
def meeting_detail(meeting_id: int) -> Response:
    """One meeting's record: kind, time, place, topic, attendance, minutes, photos and its
    history; the correction form until it locks, then read-only with a word on why."""
    meeting = _meeting(meeting_id)
    if meeting is None:
        return not_found()
    return _detail(meeting)


@bp.post("/meetings/<int:meeting_id>")
@guard(Role.ADMIN, Role.CONTACT)
def meeting_update(meeting_id: int) -> Response:
    """Save the correction (audited with before and after; the ledger adjusted: credits for
    those now present, taken back from those no longer); refused once the record is locked
    (403, nothing written), each problem beside its field otherwise."""
    meeting = _meeting(meeting_id)
    if meeting is None:
        return not_found()
    editor = _writer()
    if editor is None or not records.may_record(editor, meeting.organization_id):
        return _local_account()
    now = _now()
    settings = meeting_settings()
    if records.is_locked(meeting, now, settings):
        flash(records.locked_error(meeting, settings).text(), "error")
        return _detail(meeting, 403)
    read = form.read(request.form, request.files.getlist("photos"), meeting)
    record, problems = records.check_record(meeting.organization, read.typed, now, settings,
                                            meeting)
    errors = form.merge(read, problems)
    if errors or record is None:
        db.session.rollback()
        flash(mt.FORM_INVALID.format(count=len(errors)), "error")
        return _detail(meeting, 400, form.shown_echo(request.form, read), errors,
                       read.typed.attendance)
    try:
        changed = records.update_record(editor, meeting, record, now, viewer().actor,
                                        settings)
        number = recording.meeting_number(meeting)
        db.session.commit()
    except MeetingError as exc:
        db.session.rollback()
        meeting = _meeting(meeting_id)
        assert meeting is not None
        flash(exc.text(), "error")
        return _detail(meeting, 400)
    flash(mt.SAVED.format(number=number) if changed else mt.UNCHANGED, "ok")
    return redirect(url_for(".meeting_detail", meeting_id=meeting_id), 303)  # type: ignore


@bp.get("/meetings/<int:meeting_id>/photos/<int:index>")
@guard(Role.ADMIN, Role.CONTACT)
def meeting_photo(meeting_id: int, index: int) -> Response:
    """One photo of a meeting the viewer may see (1-based), from the private store."""
    meeting = _meeting(meeting_id)
    photos = list(meeting.photos or []) if meeting is not None else []
    if not 1 <= index <= len(photos):
        return not_found()
    key = photos[index - 1]
    data = records.photo_bytes(key)
    mimetype = mimetype_for_key(key)
    if data is None or mimetype is None:
        return not_found()
    response = Response(data, mimetype=mimetype)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

