"""三会一课 in chat: a contact records a meeting (记录会议) and lists this quarter's (会议记录).

    记录会议 ──▶ [organization ──(序号或名称)──▶] kind ──(1–5)──▶ time ──(parsed, echoed)──▶ topic
        ──▶ attendees ──(签到 | 姓名…)──▶ confirm ──(确认)──▶ saved (code, or attendances)
                                  ▲            │ a new list or 签到 replaces the attendees
                                  └────────────┘
Unknown or ambiguous names are reported and skipped; nothing is written before 确认.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.context import Context
from bot.conversation import Flow
from bot.replies import Reply, Text
from bot.router import Command
from checkins import checkin
from content import meeting_texts as texts
from content.texts import example_stamp, example_time, local_day_time, local_time
from content.titles import quoted
from meetings import recording, requirements
from meetings.recording import MeetingError
from meetings.settings import meeting_settings
from models import Organization, Role
from participation.settings import participation_settings
from roster.contacts import STEP, OrganizationStep, contact_organizations

FLOW = "meeting"
CONFIRM_WORDS = ("确认", "确认保存", "保存")
CHECKIN_WORDS = ("签到", "签到码", "现场签到")
NAMES_SHOWN = 20


def _ask_kind(ctx: Context, organization: Organization) -> Reply:
    """Ask for the meeting's kind, the conversation (re)started for the organisation."""
    ctx.start(FLOW, "kind", organization_id=organization.id, organization=organization.name)
    return Text(texts.ASK_KIND.format(organization=organization.name))


ORGANIZATION = OrganizationStep(FLOW, texts.ASK_ORGANIZATION, texts.NOT_CONTACT, _ask_kind)


def start(ctx: Context) -> Reply:
    """记录会议: pick the organisation (if several), then the kind."""
    return ORGANIZATION.begin(ctx)


def choose_kind(ctx: Context) -> Reply:
    """支部党员大会, 支委会, 党小组会, 党课 or 主题党日, by number or name."""
    kind = recording.parse_kind(ctx.text)
    if kind is None:
        ctx.stay()
        return Text(texts.BAD_KIND)
    ctx.goto("time", kind=kind)
    return Text(texts.ASK_TIME.format(kind=texts.KIND_NAMES[kind], example=example_time(ctx.now),
                                      stamp=example_stamp(ctx.now)))


def choose_time(ctx: Context) -> Reply:
    """The start, parsed forgivingly and echoed back with the next question."""
    try:
        start_at = recording.parse_meeting_time(ctx.text, ctx.now, meeting_settings())
    except MeetingError as exc:
        ctx.stay()
        return Text(exc.text())
    ctx.goto("topic", starts_at=start_at.isoformat())
    return Text(texts.ASK_TOPIC.format(time=local_day_time(start_at)))


def choose_topic(ctx: Context) -> Reply:
    """The topic, 1 to 100 characters."""
    try:
        topic = recording.parse_topic(ctx.text)
    except MeetingError as exc:
        ctx.stay()
        return Text(exc.text())
    ctx.goto("attendees", topic=topic)
    return Text(texts.ASK_ATTENDEES.format(topic=topic))


def _problems(found: recording.Attendees) -> str:
    lines = [texts.PROBLEM_UNKNOWN.format(token=t) for t in found.unknown]
    lines += [texts.PROBLEM_AMBIGUOUS.format(token=t, candidates="、".join(
        f"{m.name} {m.userid}" for m in members)) for t, members in found.ambiguous]
    return "\n".join(lines)


def _confirm_text(data: dict, attendees: str, problems: str) -> str:
    return texts.CONFIRM.format(
        organization=data["organization"], kind=texts.KIND_NAMES[data["kind"]],
        time=local_day_time(datetime.fromisoformat(data["starts_at"])), topic=data["topic"],
        attendees=attendees,
        problems=texts.CONFIRM_PROBLEMS.format(problems=problems) if problems else "")


def choose_attendees(ctx: Context) -> Reply:
    """签到 (members check in with a code) or a list of names matched in the organisation."""
    data = ctx.data
    if ctx.text in CHECKIN_WORDS:
        settings = participation_settings()
        ends = (datetime.fromisoformat(data["starts_at"])
                + timedelta(minutes=meeting_settings().minutes))
        if ctx.now > ends + timedelta(minutes=settings.checkin_after_min):
            ctx.stay()
            return Text(texts.CHECKIN_CLOSED.format(after=settings.checkin_after_min))
        ctx.goto("confirm", mode="checkin", attendee_ids=[])
        return Text(_confirm_text(data, texts.CONFIRM_CHECKIN, ""))
    tokens = recording.split_names(ctx.text)
    if not tokens:
        ctx.stay()
        return Text(texts.NAMES_EMPTY)
    try:
        found = recording.match_attendees(int(data["organization_id"]), tokens)
    except MeetingError as exc:
        ctx.stay()
        return Text(exc.text())
    problems = _problems(found)
    if not found.members:
        ctx.goto("attendees")
        return Text(texts.NAMES_NONE_FOUND.format(organization=data["organization"],
                                                  problems=problems))
    names = "、".join(m.name for m in found.members[:NAMES_SHOWN])
    if len(found.members) > NAMES_SHOWN:
        names += "等"
    ctx.goto("confirm", mode="names", attendee_ids=[m.id for m in found.members])
    return Text(_confirm_text(data, texts.CONFIRM_NAMES.format(
        count=len(found.members), names=names), problems))


def confirm(ctx: Context) -> Reply:
    """确认 saves; anything else is taken as a new answer about the attendees."""
    if ctx.text not in CONFIRM_WORDS:
        return choose_attendees(ctx)
    member = ctx.member
    assert member is not None
    data = dict(ctx.data)
    organization = ctx.session.get(Organization, int(data["organization_id"]))
    ctx.finish()
    if organization is None or not member.has_role(Role.CONTACT, organization.id):
        return Text(texts.NOT_CONTACT)
    starts_at = datetime.fromisoformat(data["starts_at"])
    attendee_ids = None if data["mode"] == "checkin" else [int(i) for i in data["attendee_ids"]]
    try:
        meeting = recording.record_meeting(member, organization, data["kind"], starts_at,
                                           data["topic"], attendee_ids, ctx.now,
                                           submit_key=ctx.message.key)
    except MeetingError as exc:
        return Text(exc.text())
    number = recording.meeting_number(meeting)
    text = texts.SAVED.format(number=number, kind=texts.KIND_NAMES[meeting.kind],
                              topic=quoted(meeting.topic), time=local_day_time(meeting.starts_at))
    if attendee_ids is None:
        target = checkin.of_meeting(meeting)
        settings = participation_settings()
        text += texts.SAVED_CHECKIN.format(code=meeting.checkin_code, number=number,
                                           opens=local_time(target.opens(settings)),
                                           closes=local_time(target.closes(settings)))
    else:
        text += texts.SAVED_NAMES.format(count=len(attendee_ids))
    return Text(text)


def listing(ctx: Context) -> Reply:
    """会议记录: this quarter's meetings of the contact's organisations, and what is missing."""
    member = ctx.member
    assert member is not None
    organizations = contact_organizations(member)
    if not organizations:
        return Text(texts.NOT_CONTACT)
    settings = meeting_settings()
    year, quarter = requirements.quarter_of(ctx.now)
    start_at, end_at = requirements.quarter_bounds(year, quarter)
    held = requirements.held_counts([o.id for o in organizations], year, quarter)
    quarter_text = requirements.quarter_name(year, quarter)
    parts = []
    for organization in organizations:
        rows = recording.meetings_between([organization.id], start_at, end_at)
        if not rows:
            lines = [texts.LIST_NONE.format(organization=organization.name,
                                            quarter=quarter_text)]
        else:
            lines = [texts.LIST_HEAD.format(organization=organization.name,
                                            quarter=quarter_text)]
            for row in rows:
                present, on_leave = checkin.counts(checkin.of_meeting(row))
                lines.append(texts.LIST_LINE.format(
                    number=recording.meeting_number(row), kind=texts.KIND_NAMES[row.kind],
                    time=local_time(row.starts_at), topic=quoted(row.topic), present=present,
                    leave=texts.LIST_LEAVE.format(count=on_leave) if on_leave else ""))
        missing = requirements.shortfalls(held[organization.id], settings)
        lines.append(texts.LIST_MISSING.format(missing=requirements.describe_missing(missing))
                     if missing else texts.LIST_COMPLETE)
        parts.append("\n".join(lines))
    return Text("\n\n".join(parts))


COMMANDS = [
    Command("record_meeting", ("记录会议", "三会一课"), start, texts.RECORD_SUMMARY,
            role=Role.CONTACT),
    Command("meeting_list", ("会议记录",), listing, texts.LIST_SUMMARY, role=Role.CONTACT),
]

FLOWS = [
    Flow(FLOW, {STEP: ORGANIZATION.choose_organization, "kind": choose_kind,
                "time": choose_time, "topic": choose_topic, "attendees": choose_attendees,
                "confirm": confirm},
         answers={"attendees": CHECKIN_WORDS, "confirm": CHECKIN_WORDS}),  # 签到 is a command too
]
