"""Check-in in chat: 签到 123456, the menu's scan button, 代签 (contacts), 请假, 签到码.

    签到 123456 | scan the QR ──▶ checked in (or: already at …, unknown, not open, closed, …)
    代签 123456 张三 李四 ──▶ one line per name (contacts of the member's organisation, admins)
    请假 123456 原因 ──▶ leave recorded, no participation
    签到码 DD-2026-0001 | HY-2026-0003 | HD-2026-0012 ──▶ code and window; the QR image follows
Codes of lectures, meetings and activities (screenings, training sessions, hall visits,
committee lectures) are found alike (checkins.codes); who may check in is checkins.checkin's.
Refusals write nothing and say why.
"""

from __future__ import annotations

from activities.records import find_activity
from bot.context import Context
from bot.inbound import ScanEvent
from bot.replies import Reply, Text
from bot.router import Command
from checkins import checkin, codes
from checkins.checkin import CheckInError, CheckInResult, Target
from checkins.proxy import MAX_PROXY, ProxyLine, may_proxy, proxy_check_in
from content import checkin_texts as texts
from content.texts import local_time
from lectures.states import find_order
from meetings.recording import find_meeting, split_names
from models import Activity, ActivityKind, Member, Role
from participation.settings import participation_settings


def _checked_in(target: Target, result: CheckInResult) -> Text:
    """The member's answer to a check-in that went through (now or earlier)."""
    if not result.new:
        return Text(texts.ALREADY.format(time=local_time(result.row.checked_at), what=target.what))
    text = texts.CHECKED_IN.format(what=target.what, time=local_time(result.row.checked_at))
    if result.hours or result.points:
        text += texts.CHECKED_IN_POINTS.format(hours=result.hours, points=result.points)
    return Text(text)


def _check_in(ctx: Context, target: Target | None, code: str) -> Reply:
    """Check the writing member in to the target."""
    member = ctx.member
    assert member is not None
    if target is None:
        return Text(texts.ERRORS["unknown_code"].format(code=code))
    try:
        result = checkin.check_in(member, target, ctx.now, ctx.message.key)
    except CheckInError as exc:
        return Text(exc.text())
    return _checked_in(target, result)


def check_in(ctx: Context) -> Reply:
    """签到 123456."""
    words = ctx.text.split(maxsplit=1)
    code = codes.normalize_code(words[1]) if len(words) == 2 else None
    if code is None:
        return Text(texts.CHECKIN_USAGE)
    return _check_in(ctx, codes.find_target(code, ctx.now), code)


def scan(ctx: Context) -> Reply:
    """The menu's 扫码签到: the scanned QR code names the lecture, meeting or activity and its
    code."""
    message = ctx.message
    result = message.scan_result if isinstance(message, ScanEvent) else ""
    target = codes.target_from_scan(result)
    if target is not None:
        return _check_in(ctx, target, target.code)
    ours = codes.QR_CONTENT.fullmatch(result.strip())
    if ours is not None:  # our QR code, but its lecture or meeting has another code now
        return Text(texts.ERRORS["unknown_code"].format(code=ours.group(3)))
    words = result.split()
    code = codes.normalize_code(words[-1]) if words and len(words) <= 2 else None
    if code is None or (len(words) == 2 and words[0] != "签到"):
        return Text(texts.SCAN_NOT_OURS)
    return _check_in(ctx, codes.find_target(code, ctx.now), code)


def _proxy_line(line: ProxyLine) -> str:
    name = line.member.name if line.member is not None else line.token
    if line.outcome == "done":
        return texts.PROXY_DONE.format(name=name)
    if line.outcome == "already":
        assert line.result is not None
        return texts.PROXY_ALREADY.format(name=name, time=local_time(line.result.row.checked_at))
    if line.outcome == "unknown":
        return texts.PROXY_UNKNOWN.format(token=line.token)
    if line.outcome == "ambiguous":
        return texts.PROXY_AMBIGUOUS.format(token=line.token, candidates=line.detail)
    if line.outcome == "not_yours":
        return texts.PROXY_NOT_YOURS.format(name=name)
    return texts.PROXY_REFUSED.format(name=name, reason=line.detail)


def proxy(ctx: Context) -> Reply:
    """代签 123456 张三 李四: a contact (of the members' organisation) or an admin checks
    in members without a phone; each row is flagged with the proxy."""
    member = ctx.member
    assert member is not None
    if not may_proxy(member):
        return Text(texts.PROXY_NOT_CONTACT)
    words = ctx.text.split(maxsplit=2)
    code = codes.normalize_code(words[1]) if len(words) == 3 else None
    tokens = split_names(words[2]) if code is not None else []
    if not tokens:
        return Text(texts.PROXY_USAGE)
    if len(tokens) > MAX_PROXY:
        return Text(texts.PROXY_TOO_MANY.format(limit=MAX_PROXY))
    target = codes.find_target(code, ctx.now)
    if target is None:
        return Text(texts.ERRORS["unknown_code"].format(code=code))
    try:
        lines = proxy_check_in(member, target, tokens, ctx.now, ctx.message.key)
    except CheckInError as exc:
        return Text(exc.text())
    return Text("\n".join([texts.PROXY_HEAD.format(what=target.what),
                           *(_proxy_line(line) for line in lines)]))


def leave(ctx: Context) -> Reply:
    """请假 123456 原因: recorded apart from check-ins; no participation."""
    member = ctx.member
    assert member is not None
    words = ctx.text.split(maxsplit=2)
    code = codes.normalize_code(words[1]) if len(words) == 3 else None
    if code is None or not words[2].strip():
        return Text(texts.LEAVE_USAGE)
    reason = words[2].strip()
    if len(reason) > checkin.MAX_REASON:
        return Text(texts.LEAVE_TOO_LONG.format(limit=checkin.MAX_REASON))
    target = codes.find_target(code, ctx.now)
    if target is None:
        return Text(texts.ERRORS["unknown_code"].format(code=code))
    try:
        result = checkin.request_leave(member, target, ctx.now, reason, ctx.message.key)
    except CheckInError as exc:
        return Text(exc.text())
    if not result.new:
        return Text(texts.LEAVE_ALREADY.format(time=local_time(result.row.checked_at),
                                               what=target.what, reason=result.row.reason))
    return Text(texts.LEAVE_RECORDED.format(what=target.what, reason=reason))


def _may_see_activity(member: Member, activity: Activity) -> bool:
    """Admins; the organisation's contacts; a committee lecture's audience's contacts."""
    if checkin.may_see_code(member, checkin.of_activity(activity), None):
        return True
    return activity.kind == ActivityKind.LECTURE and any(
        member.has_role(Role.CONTACT, row.organization_id) for row in activity.audience)


def _activity_target(member: Member, activity: Activity, reference: str
                     ) -> tuple[Target | None, str | None]:
    if not _may_see_activity(member, activity):
        return None, texts.CODE_NOT_YOURS.format(reference=reference)
    if not activity.checkin_code:
        return None, texts.CODE_NO_ACTIVITY_CODE.format(reference=reference)
    return checkin.of_activity(activity), None


def _code_target(member: Member, reference: str) -> tuple[Target | None, str | None]:
    """The lecture, meeting or activity named by an order, meeting or activity number, or
    why not."""
    activity = find_activity(reference)
    if activity is not None:
        return _activity_target(member, activity, reference)
    meeting = find_meeting(reference)
    if meeting is not None:
        target = checkin.of_meeting(meeting)
        if not checkin.may_see_code(member, target, None):
            return None, texts.CODE_NOT_YOURS.format(reference=reference)
        if not meeting.checkin_code:
            return None, texts.CODE_LISTED_MEETING.format(reference=reference)
        return target, None
    order = find_order(reference)
    if order is None:
        return None, texts.CODE_UNKNOWN.format(reference=reference)
    lecture = order.lecture
    lecturer_id = lecture.lecturer_id if lecture is not None else None
    allowed = member.has_role(Role.ADMIN) or member.id == lecturer_id or member.has_role(
        Role.CONTACT, order.organization_id)
    if not allowed:
        return None, texts.CODE_NOT_YOURS.format(reference=reference)
    if lecture is None:
        return None, texts.CODE_NO_LECTURE.format(reference=reference)
    return checkin.of_lecture(lecture), None


def show_code(ctx: Context) -> Reply:
    """签到码 DD-2026-0001 / HY-2026-0003: the code, the window, who checked in so far; the
    printable QR image follows as an image message."""
    member = ctx.member
    assert member is not None
    words = ctx.text.split(maxsplit=1)
    if len(words) < 2:
        return Text(texts.CODE_USAGE)
    target, refusal = _code_target(member, words[1].strip())
    if target is None:
        return Text(refusal or texts.CODE_USAGE)
    settings = participation_settings()
    present, on_leave = checkin.counts(target)
    text = texts.CODE_SHOW.format(what=target.what, code=target.code,
                                  opens=local_time(target.opens(settings)),
                                  closes=local_time(target.closes(settings)),
                                  present=present, leave=on_leave)
    if not target.confirmed:
        text += texts.CODE_NOT_CONFIRMED
    userid = member.userid
    ctx.after_commit(lambda: codes.enqueue_qr(userid, target.kind, target.id))
    return Text(text + texts.CODE_QR_COMING)


COMMANDS = [
    Command("checkin", ("签到",), check_in, texts.CHECKIN_SUMMARY),
    Command("proxy_checkin", ("代签",), proxy, texts.PROXY_SUMMARY, role=(Role.CONTACT,
                                                                         Role.ADMIN)),
    Command("leave", ("请假",), leave, texts.LEAVE_SUMMARY),
    Command("checkin_code", ("签到码",), show_code, texts.CODE_SUMMARY,
            role=(Role.LECTURER, Role.CONTACT, Role.ADMIN)),
]

EVENTS = {"scancode_waitmsg": scan, "scancode_push": scan}
