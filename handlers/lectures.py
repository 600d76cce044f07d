"""Ordering lectures in chat (点单), for contacts; 我的点单 and 取消点单.

    点单 ──▶ [organization: by number or name, when a contact acts for several]
         ──▶ topic ──(number; "详情 N" stays)──▶ slots ──(1-3 usable times)──▶ audience
         ──(1..max)──▶ mode ──(线上 / 线下 + address)──▶ confirm ──(确认)──▶ order, admins told
A live-only topic skips the mode question. 取消 and the timeout are handled by bot/.
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.conversation import Flow
from bot.replies import Reply, Text
from bot.router import Command
from clock.words import parse_slots
from content import lecture_texts as texts
from content.texts import example_time, local_day_time
from content.titles import quoted
from lectures import ordering
from lectures.settings import lecture_settings
from lectures.states import STATUS_NAMES, OrderError
from lectures.topics import active_topics
from models import LectureMode, OrderStatus, Organization, Role, Topic
from roster.contacts import STEP, OrganizationStep, contact_organizations
from roster.manage import admin_userids

FLOW = "lecture_order"
MINE_SHOWN = 10
EXAMPLE_DAYS = 10  # the example time of the slots prompt is this many days ahead
DETAIL = re.compile(r"详情\s*(\d+)")


def _number(text: str) -> int | None:
    answer = text.strip().rstrip(".。、")
    return int(answer) if answer.isdecimal() else None


def _menu(ctx: Context, org: Organization) -> Reply:
    """Show the menu and (re)start the conversation at the topic step."""
    topics = active_topics()
    if not topics:
        ctx.finish()
        return Text(texts.NO_TOPICS)
    lines = "\n".join(texts.MENU_LINE.format(number=n, title=quoted(t.title),
                                              category=t.category)
                      for n, t in enumerate(topics, 1))
    ctx.start(FLOW, "topic", org_id=org.id, topic_ids=[t.id for t in topics])
    return Text(texts.MENU.format(lines=lines))


ORGANIZATION = OrganizationStep(FLOW, texts.CHOOSE_ORG, texts.NO_ORGANIZATION, _menu)


def order(ctx: Context) -> Reply:
    """点单: the menu, after asking which organisation when the contact acts for several."""
    return ORGANIZATION.begin(ctx)


def _modes_text(modes: list[str]) -> str:
    return texts.MODES_JOIN.join(texts.MODE_NAMES.get(m, m) for m in modes)


def choose_topic(ctx: Context) -> Reply:
    """A topic number, or "详情 N" for its introduction (staying at this step)."""
    topic_ids: list[int] = ctx.data.get("topic_ids", [])
    detail = DETAIL.fullmatch(ctx.text)
    number = int(detail.group(1)) if detail else _number(ctx.text)
    ctx.stay()
    if number is None:
        return Text(texts.TOPIC_ASK_AGAIN)
    if not 1 <= number <= len(topic_ids):
        return Text(texts.TOPIC_OUT_OF_RANGE.format(number=number, count=len(topic_ids)))
    topic = ctx.session.get(Topic, topic_ids[number - 1])
    if topic is None or not topic.active:
        return Text(texts.TOPIC_GONE)
    if detail:
        return Text(texts.DETAIL.format(title=quoted(topic.title), category=topic.category,
                                        summary=topic.summary, minutes=topic.minutes,
                                        modes=_modes_text(topic.modes), number=number))
    ctx.goto("slots", topic_id=topic.id)
    return Text(texts.ASK_SLOTS.format(title=quoted(topic.title), example=_example(ctx)))


def _example(ctx: Context) -> str:
    """A time ten days ahead (past the notice an order needs), typed as contacts type it."""
    return example_time(ctx.now, max(EXAMPLE_DAYS, lecture_settings().min_days + 1))


def slots(ctx: Context) -> Reply:
    """1-3 preferred times in everyday Chinese; every unusable one is explained."""
    settings = lecture_settings()
    found, problems = parse_slots(ctx.text, ctx.now, settings.min_days, settings.hours)
    start, end = (f"{h:%H:%M}" for h in settings.hours)
    explained = texts.SLOTS_PROBLEM_JOIN.join(
        texts.SLOT_PROBLEMS[p.reason].format(text=p.text, min_days=settings.min_days,
                                             start=start, end=end) for p in problems)
    if not found:
        ctx.stay()
        again = texts.SLOTS_ASK_AGAIN.format(example=_example(ctx))
        return Text(f"{explained}。{again}" if explained else again)
    ctx.goto("audience", slots=ordering.slot_values(found))
    lines = [texts.SLOTS_ECHO.format(slots=texts.SLOTS_JOIN.join(local_day_time(s) for s in found))]
    if explained:
        lines.append(texts.SLOTS_SKIPPED.format(problems=explained))
    lines.append(texts.ASK_AUDIENCE)
    return Text("\n".join(lines))


def _topic(ctx: Context) -> Topic | None:
    topic = ctx.session.get(Topic, ctx.data.get("topic_id"))
    return topic if topic is not None and topic.active else None


def _mode_text(mode_value: str, address: str) -> str:
    if mode_value == LectureMode.LIVE:
        return texts.MODE_LIVE
    return texts.MODE_OFFLINE.format(address=address)


def _times_text(values: list[str]) -> str:
    return texts.SLOTS_JOIN.join(local_day_time(s) for s in ordering.slot_times(values))


def _summary(ctx: Context, topic: Topic) -> str:
    """The order as it will be submitted, for the contact to confirm."""
    data = ctx.data
    org = ctx.session.get(Organization, data["org_id"])
    return texts.CONFIRM.format(title=quoted(topic.title), org=org.name if org else "",
                                slots=_times_text(data["slots"]), audience=data["audience"],
                                mode=_mode_text(data["mode"], data["address"]))


def audience(ctx: Context) -> Reply:
    """The expected audience, a whole number from 1 to the configured maximum."""
    topic = _topic(ctx)
    if topic is None:
        ctx.finish()
        return Text(texts.TOPIC_GONE)
    count = ordering.parse_audience(ctx.text)
    most = lecture_settings().max_audience
    ctx.stay()
    if count is None:
        return Text(texts.AUDIENCE_NOT_NUMBER)
    if count < 1:
        return Text(texts.AUDIENCE_ZERO)
    if count > most:
        return Text(texts.AUDIENCE_TOO_MANY.format(max=most))
    if topic.modes == [LectureMode.LIVE]:
        ctx.goto("confirm", audience=count, mode=LectureMode.LIVE, address="")
        return Text(texts.LIVE_ONLY + "\n" + _summary(ctx, topic))
    ctx.goto("mode", audience=count)
    return Text(texts.ASK_MODE if LectureMode.LIVE in topic.modes else texts.ASK_ADDRESS)


def mode(ctx: Context) -> Reply:
    """线上 / 直播, or 线下 with an address, or just an address."""
    topic = _topic(ctx)
    if topic is None:
        ctx.finish()
        return Text(texts.TOPIC_GONE)
    answer = ordering.parse_mode(ctx.text, topic.modes)
    if answer.problem:
        ctx.stay()
        return Text(texts.MODE_PROBLEMS[answer.problem].format(
            address=answer.address, max=ordering.ADDRESS_MAX))
    ctx.goto("confirm", mode=answer.mode, address=answer.address)
    return Text(_summary(ctx, topic))


def confirm(ctx: Context) -> Reply:
    """确认 creates the order (once per message) and tells the admins."""
    assert ctx.member is not None
    if ctx.text not in texts.CONFIRM_WORDS:
        ctx.stay()
        return Text(texts.CONFIRM_ASK_AGAIN)
    data = dict(ctx.data)
    topic = _topic(ctx)
    ctx.finish()
    org = ctx.session.get(Organization, data.get("org_id"))
    if topic is None or org is None:
        return Text(texts.TOPIC_GONE)
    if org not in contact_organizations(ctx.member):
        return Text(texts.NO_LONGER_CONTACT.format(org=org.name))
    row, created = ordering.create_order(ctx.member, org.id, topic, data["slots"],
                                         data["audience"], data["mode"], data["address"],
                                         ctx.message.key, ctx.now)
    admins = admin_userids()
    if created and admins:
        ctx.outbox.text(admins, texts.ADMIN_NEW_ORDER.format(
            number=row.number, org=org.name, title=quoted(topic.title), audience=row.audience,
            mode=_mode_text(row.mode, row.address), contact=ctx.member.name,
            slots=_times_text(row.slots)), once=True)  # once per order (its number)
    return Text(texts.SUBMITTED.format(number=row.number))


def _org_ids(ctx: Context) -> list[int]:
    assert ctx.member is not None
    return [org.id for org in contact_organizations(ctx.member)]


def mine(ctx: Context) -> Reply:
    """我的点单: the organisations' recent orders, with lecturer and time once dispatched."""
    org_ids = _org_ids(ctx)
    rows = ordering.recent_orders(org_ids, MINE_SHOWN)
    if not rows:
        return Text(texts.MINE_NONE)
    lines = [texts.MINE_HEAD.format(count=len(rows))]
    for row in rows:
        line = texts.MINE_LINE.format(number=row.number, title=quoted(row.topic.title),
                                      status=STATUS_NAMES.get(row.status, row.status))
        if len(org_ids) > 1:
            line += texts.MINE_ORG.format(org=row.organization.name)
        lecture = row.lecture
        if lecture is not None and row.status not in (OrderStatus.PENDING,
                                                        OrderStatus.CANCELLED):
            line += texts.MINE_LECTURE.format(lecturer=lecture.lecturer.name,
                                              time=local_day_time(lecture.starts_at))
        if row.status == OrderStatus.REJECTED and row.reason:
            line += texts.MINE_REASON.format(reason=row.reason)
        lines.append(line)
    lines.append(texts.MINE_FOOT)
    return Text("\n".join(lines))


def cancel(ctx: Context) -> Reply:
    """取消点单 N: cancel a pending or dispatched order of the contact's organisation."""
    assert ctx.member is not None
    words = ctx.text.split()
    if len(words) < 2:
        return Text(texts.CANCEL_USAGE)
    row = ordering.find_order_of(words[1], _org_ids(ctx))
    if row is None:
        return Text(texts.CANCEL_NOT_FOUND.format(number=words[1]))
    try:
        ordering.cancel_order(row, ctx.member, ctx.now)
    except OrderError:
        if row.status == OrderStatus.CONFIRMED:
            return Text(texts.CANCEL_CONFIRMED.format(number=row.number))
        if row.status == OrderStatus.CANCELLED:
            return Text(texts.CANCEL_ALREADY.format(number=row.number))
        return Text(texts.CANCEL_NOT_ALLOWED.format(
            number=row.number, status=STATUS_NAMES.get(row.status, row.status)))
    admins = admin_userids()
    if admins:
        ctx.outbox.text(admins, texts.ADMIN_CANCELLED.format(
            number=row.number, org=row.organization.name, title=quoted(row.topic.title),
            contact=ctx.member.name), once=True)  # an order is cancelled once
    if row.lecture is not None:
        ctx.outbox.text([row.lecture.lecturer.userid], texts.LECTURER_CANCELLED.format(
            title=quoted(row.topic.title), time=local_day_time(row.lecture.starts_at),
            number=row.number, org=row.organization.name), once=True)
    return Text(texts.CANCELLED.format(number=row.number, title=quoted(row.topic.title)))


COMMANDS = [
    Command("order_lecture", ("点单",), order, texts.ORDER_SUMMARY, role=Role.CONTACT),
    Command("my_orders", ("我的点单",), mine, texts.MINE_SUMMARY, role=Role.CONTACT),
    Command("cancel_order", ("取消点单",), cancel, texts.CANCEL_SUMMARY, role=Role.CONTACT),
]

FLOWS = [Flow(FLOW, {STEP: ORGANIZATION.choose_organization, "topic": choose_topic,
                     "slots": slots, "audience": audience, "mode": mode, "confirm": confirm})]
