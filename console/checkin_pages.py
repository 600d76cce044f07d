"""签到: check-ins at lectures, organisation meetings (三会一课, 主题党日) and activities
(教育片观看, 培训班 sessions, 政治生活馆 visits, 党委宣讲; /checkins/activity/<id>) — the list, one
check-in with its code and QR code (投屏 on a projector page with minimal chrome, PNG and a
printable PDF), the live list that refreshes itself (console/static/checkin.js polling its
JSON), 代签 of roster members with the proxy recorded, 请假 with a reason, 开启签到 (a code for
a meeting recorded by list, or again after closing) and 结束签到 (no more scans: members get
the chat's "closed" answer). Every change audited (checkins.manage).

Admins run every lecture's, meeting's and activity's check-in; contacts their own
organisations' meetings and activities (another organisation's looks missing, 404; a lecture's,
or an activity the committee runs with no organisation of its own, is not theirs to run, 403).
The activity page names the activity's kind and links back to the kind's own page when the
console has one (console.activity_detail, console.training_detail, console.hall_bookings).
"""

from __future__ import annotations

import io
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import segno
from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup
from sqlalchemy import false, or_, select
from sqlalchemy.orm import selectinload

from checkins import checkin, codes, manage
from checkins.checkin import CheckInError, Target
from checkins.proxy import MAX_PROXY
from console import checkin_labels as labels
from console.auth import guard, viewer
from console.scope import org_scope
from console.views import bp, local, not_found, page, paginate_list
from content import checkin_page_texts as kt
from content.meeting_texts import KIND_NAMES
from meetings.recording import split_names
from models import (
    Activity,
    AuditEntry,
    Lecture,
    LectureOrder,
    OrderStatus,
    OrgMeeting,
    Role,
    db,
    utcnow,
)
from participation.settings import participation_settings

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
POLL_SECONDS = 3
CURRENT_PAST = timedelta(days=1)  # 近期: what closed up to a day ago, and everything after
LATEST = 8  # names on the projector page
HISTORY_ROWS = 30
PDF_WIDTH_PT = 480  # the printable QR's width (A4 is 595 points wide)
DROPPED = (OrderStatus.CANCELLED, OrderStatus.REJECTED)

V = TypeVar("V", bound=Callable[..., Any])


@dataclass(frozen=True)
class Row:
    """One check-in in the list."""

    kind: str
    id: int
    what: str
    organization: str
    starts_at: datetime
    state: str
    present: int
    leave: int


def _route(suffix: str, method: str = "GET") -> Callable[[V], V]:
    """Register the view at /checkins/lecture/<id><suffix> and /checkins/meeting/<id><suffix>
    (one endpoint; `kind` comes from the rule's defaults, so url_for picks the rule)."""

    def decorate(view: V) -> V:
        for kind in manage.KINDS:
            bp.add_url_rule(f"/checkins/{kind}/<int:target_id>{suffix}", view_func=view,
                            methods=[method], defaults={"kind": kind})
        return view

    return decorate


def _load(kind: str, target_id: int) -> tuple[manage.Record, Target]:
    """The lecture, meeting or activity and its target, or the answer for this viewer: a
    lecture is admins' alone (403), and so is an activity the committee runs (no organisation
    of its own); a meeting or activity outside a contact's organisations looks missing (404)."""
    if kind == "lecture" and not viewer().is_admin:
        abort(403)
    record = manage.record_of(kind, target_id)
    if record is None:
        abort(not_found())
    scope = org_scope(viewer())
    if isinstance(record, Activity) and scope is not None and record.organization_id is None:
        abort(403)
    if (isinstance(record, OrgMeeting | Activity) and scope is not None
            and record.organization_id not in scope):
        abort(not_found())
    return record, manage.target_of(record)


def _with_code(target: Target) -> None:
    """404 for a check-in without a code (a meeting recorded by list): no QR code to show."""
    if not target.code:
        abort(not_found())


def _to(kind: str, target_id: int, anchor: str = "") -> Response:
    address = url_for(".checkin_detail", kind=kind, target_id=target_id)
    return redirect(address + (f"#{anchor}" if anchor else ""), 303)  # type: ignore[return-value]


# the list


def _entries(kind: str, when: str, now: datetime) -> list[tuple[str, int, datetime]]:
    """(kind, id, start) of the check-ins listed: 近期 soonest first, 全部 latest first."""
    settings = participation_settings()
    since = now - CURRENT_PAST - timedelta(minutes=settings.checkin_after_min)
    scope = org_scope(viewer())
    found: list[tuple[str, int, datetime]] = []
    if kind in ("", "lecture") and scope is None:
        query = (select(Lecture.id, Lecture.starts_at)
                 .outerjoin(LectureOrder, LectureOrder.id == Lecture.order_id)
                 .where(or_(LectureOrder.id.is_(None), LectureOrder.status.not_in(DROPPED))))
        if when == "current":
            query = query.where(Lecture.ends_at >= since)
        found += [("lecture", ident, start) for ident, start in db.session.execute(query)]
    if kind in ("", "meeting"):
        query = select(OrgMeeting.id, OrgMeeting.starts_at)
        if scope is not None:
            query = query.where(OrgMeeting.organization_id.in_(scope) if scope else false())
        if when == "current":
            query = query.where(OrgMeeting.ends_at >= since)
        found += [("meeting", ident, start) for ident, start in db.session.execute(query)]
    if kind in ("", "activity"):
        query = select(Activity.id, Activity.starts_at).where(Activity.cancelled_at.is_(None))
        if scope is not None:
            query = query.where(Activity.organization_id.in_(scope) if scope else false())
        if when == "current":
            query = query.where(Activity.ends_at >= since)
        found += [("activity", ident, start) for ident, start in db.session.execute(query)]
    return sorted(found, key=lambda e: (e[2], e[0], e[1]), reverse=when != "current")


def _rows(entries: list[tuple[str, int, datetime]], now: datetime) -> list[Row]:
    """The list's lines for one page of entries."""
    lecture_ids = [i for k, i, _ in entries if k == "lecture"]
    meeting_ids = [i for k, i, _ in entries if k == "meeting"]
    activity_ids = [i for k, i, _ in entries if k == "activity"]
    records: dict[tuple[str, int], manage.Record] = {}
    if lecture_ids:
        for lecture in db.session.scalars(select(Lecture).options(
                selectinload(Lecture.topic),
                selectinload(Lecture.order).selectinload(LectureOrder.organization))
                .where(Lecture.id.in_(lecture_ids))):
            records[("lecture", lecture.id)] = lecture
    if meeting_ids:
        for meeting in db.session.scalars(select(OrgMeeting).options(
                selectinload(OrgMeeting.organization)).where(OrgMeeting.id.in_(meeting_ids))):
            records[("meeting", meeting.id)] = meeting
    if activity_ids:
        for activity in db.session.scalars(select(Activity).options(
                selectinload(Activity.organization), selectinload(Activity.training))
                .where(Activity.id.in_(activity_ids))):
            records[("activity", activity.id)] = activity
    counts = manage.counts_of(lecture_ids, meeting_ids, activity_ids)
    settings = participation_settings()
    rows = []
    for kind, ident, start in entries:
        record = records[(kind, ident)]
        target = manage.target_of(record)
        present, on_leave = counts.get((kind, ident), (0, 0))
        rows.append(Row(kind, ident, target.what, labels.organization_name(record), start,
                        manage.state_of(target, now, settings), present, on_leave))
    return rows


@bp.get("/checkins")
@guard(Role.ADMIN, Role.CONTACT)
def checkins_listing() -> Response:
    """Lectures' (admins), meetings' and activities' check-ins: 近期 (not closed over a day
    ago) or 全部; each one's state and who checked in so far (a contact: their own
    organisations' meetings and activities)."""
    when = request.args.get("when", "current")
    when = when if when in kt.WHEN_NAMES else "current"
    kind = request.args.get("kind", "")
    kind = kind if kind in kt.KIND_FILTER and (viewer().is_admin or kind != "lecture") else ""
    now = utcnow()
    entries = paginate_list(_entries(kind, when, now))
    rows = _rows(list(entries.items), now)
    return page("checkins.html", kt=kt, entries=entries, rows=rows, when=when, kind=kind)


# one check-in


def _history(target: Target) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(
        AuditEntry.target == target.source, AuditEntry.action.startswith("checkin."))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(HISTORY_ROWS)))


def _detail(record: manage.Record, target: Target, code: int = 200,
            errors: dict[str, str] | None = None, typed: dict[str, Any] | None = None
            ) -> Response:
    """The check-in page: what, when, its code and QR code, actions, the live list, 代签
    and 请假 forms, and the history."""
    now = utcnow()
    settings = participation_settings()
    state = manage.state_of(target, now, settings)
    rows = manage.live_rows(target)
    present = {r.userid for r in rows if r.status == "present"}
    roster = [m for m in manage.roster(target) if m.userid not in present]
    natural = manage.natural_close(target, settings)
    return page("checkin.html", code, kt=kt, record=record, target=target, state=state,
                kind=target.kind, number=labels.number(record),
                number_label=labels.number_label(record),
                organization=labels.organization_name(record), home=labels.home(record),
                home_label=labels.home_label(record),
                activity_kind=kt.ACTIVITY_KINDS.get(target.activity_kind, ""),
                meeting_kind=KIND_NAMES.get(target.meeting_kind, ""),
                opens=target.opens(settings), closes=target.closes(settings),
                rows=rows, counts=_counts(rows), expected=manage.expected(record, target),
                roster=roster, form_key=secrets.token_urlsafe(18),
                errors=errors or {}, typed=typed or {}, history=_history(target),
                can_open=state in ("no_code", "closed") and now <= natural,
                can_close=state in ("open", "upcoming"),
                can_proxy=state == "open", can_leave=state in ("open", "upcoming"),
                poll=POLL_SECONDS, json_url=url_for(".checkin_live", kind=target.kind,
                                                    target_id=target.id))


def _counts(rows: list[manage.LiveRow]) -> tuple[int, int]:
    present = sum(1 for r in rows if r.status == "present")
    return present, len(rows) - present


@_route("")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_detail(kind: str, target_id: int) -> Response:
    """One check-in: code, QR code, window and state, live list, 代签, 请假, open and close."""
    record, target = _load(kind, target_id)
    return _detail(record, target)


def live_data(target: Target, now: datetime) -> dict[str, Any]:
    """What the live list shows, as checkin.js reads it."""
    rows = manage.live_rows(target)
    present, on_leave = _counts(rows)
    state = manage.state_of(target, now)
    return {
        "state": state, "state_text": kt.STATE_NAMES[state], "present": present,
        "leave": on_leave, "count_text": kt.SCREEN_COUNT.format(present=present, leave=on_leave),
        "empty": kt.NO_ROWS,
        "rows": [{"name": r.name, "userid": r.userid, "organization": r.organization,
                  "time": local(r.checked_at), "status": r.status,
                  "status_text": kt.STATUS_NAMES.get(r.status, r.status),
                  "by": (kt.PROXY_BY if r.status == "present" else kt.LEAVE_BY).format(name=r.by)
                  if r.by else "", "reason": r.reason} for r in rows],
        "latest": [r.name for r in sorted((r for r in rows if r.status == "present"),
                                          key=lambda r: r.checked_at, reverse=True)[:LATEST]],
    }


@_route("/live.json")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_live(kind: str, target_id: int) -> Response:
    """The live list as JSON: state, counts and every row (polled by checkin.js)."""
    _record, target = _load(kind, target_id)
    return jsonify(live_data(target, utcnow()))


@_route("/screen")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_screen(kind: str, target_id: int) -> Response:
    """投屏: the QR code as large as the screen allows, the code, how to check in and the
    count, with no console chrome; it refreshes itself like the list."""
    record, target = _load(kind, target_id)
    _with_code(target)
    qr = segno.make(target.qr_content(), error="m", micro=False)
    svg = Markup(qr.svg_inline(scale=1, border=4, omitsize=True, title=target.code))
    data = live_data(target, utcnow())
    return page("checkin_screen.html", kt=kt, target=target, svg=svg, data=data,
                organization=labels.organization_name(record), poll=POLL_SECONDS,
                json_url=url_for(".checkin_live", kind=kind, target_id=target_id))


def _file_name(target: Target, ext: str) -> str:
    return f"checkin-{target.kind}-{target.id}-{target.code}.{ext}"


@_route("/qr.png")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_qr_png(kind: str, target_id: int) -> Response:
    """The QR code as a PNG (?scale= pixels per module, 1–40; ?download=1 to save it)."""
    _record, target = _load(kind, target_id)
    _with_code(target)
    scale = min(40, max(1, request.args.get("scale", 12, type=int) or 12))
    return send_file(io.BytesIO(codes.qr_png(target, scale=scale)), mimetype="image/png",
                     as_attachment=request.args.get("download") == "1",
                     download_name=_file_name(target, "png"))


@_route("/qr.pdf")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_qr_pdf(kind: str, target_id: int) -> Response:
    """The QR code as a printable PDF (about 16 cm wide on white; ?download=1 to save it)."""
    _record, target = _load(kind, target_id)
    _with_code(target)
    qr = segno.make(target.qr_content(), error="m", micro=False)
    modules = qr.symbol_size(scale=1, border=4)[0]
    buffer = io.BytesIO()
    qr.save(buffer, kind="pdf", scale=max(1, PDF_WIDTH_PT // modules), border=4, light="#fff")
    buffer.seek(0)
    return send_file(buffer, mimetype="application/pdf",
                     as_attachment=request.args.get("download") == "1",
                     download_name=_file_name(target, "pdf"))


# opening and closing


@_route("/open", "POST")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_open(kind: str, target_id: int) -> Response:
    """开启签到 (audited): a code for a meeting recorded by list, or open again after 结束签到."""
    record, _target = _load(kind, target_id)
    try:
        outcome = manage.open_checkin(viewer().actor, record, utcnow())
        code = record.checkin_code
        db.session.commit()
    except manage.ManageError as exc:
        db.session.rollback()
        flash(exc.text(), "error")
        return _to(kind, target_id)
    flash(kt.OPENED.format(code=code) if outcome == "opened" else kt.REOPENED, "ok")
    return _to(kind, target_id)


@_route("/close", "POST")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_close(kind: str, target_id: int) -> Response:
    """结束签到 now (audited): scans, codes, 代签 and 请假 are refused from then."""
    record, _target = _load(kind, target_id)
    now = utcnow()
    try:
        manage.close_checkin(viewer().actor, record, now)
        db.session.commit()
    except manage.ManageError as exc:
        db.session.rollback()
        flash(exc.text(), "error")
        return _to(kind, target_id)
    flash(kt.CLOSED.format(time=local(now)), "ok")
    return _to(kind, target_id)


# 代签 and 请假


def _refused(kind: str, target_id: int, errors: dict[str, str]) -> Response:
    """The page again (400) with each problem beside its field; nothing was written."""
    db.session.rollback()
    record, target = _load(kind, target_id)
    flash(kt.FORM_INVALID.format(count=len(errors)), "error")
    return _detail(record, target, 400, errors, request.form.to_dict(flat=False))


def _problems(exc: manage.Problems) -> dict[str, str]:
    return {field: kt.JOIN.join(found) + "。" for field, found in exc.problems.items()}


@_route("/proxy", "POST")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_proxy(kind: str, target_id: int) -> Response:
    """代签 of the ticked roster members and typed names (audited; the rows name the proxy).
    Every problem beside its field and nothing written while any is left; a form submitted
    twice checks in once."""
    _record, target = _load(kind, target_id)
    form_key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(form_key):
        return _refused(kind, target_id, {"proxy": kt.ERRORS["form_expired"]})
    ids = list(dict.fromkeys(int(v) for v in request.form.getlist("member") if v.isdecimal()))
    tokens = split_names(request.form.get("names", ""))
    if not ids and not tokens:
        return _refused(kind, target_id, {"names": kt.ERRORS["none_chosen"]})
    if len(ids) + len(tokens) > MAX_PROXY:
        return _refused(kind, target_id,
                        {"names": kt.ERRORS["too_many"].format(limit=MAX_PROXY)})
    try:
        members = manage.pick_members(target, ids, tokens)
        lines = manage.proxy_check_in(viewer().actor, viewer().member, target, members,
                                      utcnow(), form_key)
        db.session.commit()
    except manage.Problems as exc:
        return _refused(kind, target_id, _problems(exc))
    except CheckInError as exc:
        return _refused(kind, target_id, {"proxy": exc.text()})
    done = [line.member.name for line in lines if line.outcome == "done" and line.member]
    already = [line.member.name for line in lines if line.outcome == "already" and line.member]
    if done:
        flash(kt.PROXY_DONE.format(count=len(done), names=kt.JOIN.join(done)), "ok")
    if already:
        flash(kt.PROXY_ALREADY.format(names=kt.JOIN.join(already)), "ok")
    for line in lines:
        if line.outcome == "refused" and line.member is not None:
            flash(kt.PROXY_REFUSED.format(name=line.member.name, reason=line.detail), "error")
    return _to(kind, target_id, "live")


@_route("/leave", "POST")
@guard(Role.ADMIN, Role.CONTACT)
def checkin_leave(kind: str, target_id: int) -> Response:
    """请假 entered for one member with a reason (audited; no participation). Every problem
    beside its field and nothing written while any is left."""
    _record, target = _load(kind, target_id)
    form_key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(form_key):
        return _refused(kind, target_id, {"leave": kt.ERRORS["form_expired"]})
    tokens = split_names(request.form.get("who", ""))
    reason = request.form.get("reason", "").strip()
    errors: dict[str, str] = {}
    if not tokens:
        errors["who"] = kt.ERRORS["who_missing"]
    elif len(tokens) > 1:
        errors["who"] = kt.ERRORS["who_many"]
    if not reason:
        errors["reason"] = kt.ERRORS["reason_missing"]
    elif len(reason) > checkin.MAX_REASON:
        errors["reason"] = kt.ERRORS["reason_too_long"].format(limit=checkin.MAX_REASON)
    members = []
    if "who" not in errors:
        try:
            members = manage.pick_members(target, [], tokens, field="who")
        except manage.Problems as exc:
            errors.update(_problems(exc))
    if errors:
        return _refused(kind, target_id, errors)
    [member] = members
    try:
        result = manage.enter_leave(viewer().actor, viewer().member, target, member, reason,
                                    utcnow(), form_key)
        name, at, kept = member.name, result.row.checked_at, result.row.reason
        db.session.commit()
    except manage.ManageError as exc:
        return _refused(kind, target_id, {exc.field: exc.text()})
    except CheckInError as exc:
        return _refused(kind, target_id, {"leave": exc.text()})
    if result.new:
        flash(kt.LEAVE_DONE.format(name=name, reason=kept), "ok")
    else:
        flash(kt.LEAVE_ALREADY.format(name=name, time=local(at), reason=kept), "ok")
    return _to(kind, target_id, "live")
