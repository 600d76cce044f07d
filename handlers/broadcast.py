"""Broadcasts in chat (群发), for admins (and contacts to their own organisations if allowed).

    群发 ──▶ content ──(text | markdown … | 材料 N [卡片])──▶ audience ──(N [value])──▶ (a)
    audience ──(2/3/4/5 alone)──▶ value ──(the name)──▶ (a)
    (a) robots the sender may use? yes ──▶ groups ──(7 9 | 全部 | 不用)──▶ confirm
                                    no ──▶ confirm
    confirm (preview sent): 确认 ──▶ sending (QF-…) ; 定时 <time> ──▶ scheduled ; 取消 ──▶ nothing
    群发记录 · 撤回 QF-… · 取消群发 QF-…
Every step checks the sender's permission again; 确认 checks a contact's audience and group
chats again too.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import time
from typing import Any

from flask import current_app
from sqlalchemy import Row, func, select

from bot.context import Context
from bot.conversation import Flow
from bot.replies import Reply, Text
from bot.router import Command
from bot.services import wecom_client
from broadcasts import compose, sending
from broadcasts.compose import ComposeError
from broadcasts.groups import tally
from broadcasts.jobs import enqueue_broadcast
from broadcasts.recall import recall as recall_broadcast
from clock.words import parse_slots
from content import broadcast_texts as texts
from content.texts import example_time, local_time
from content.titles import quoted
from models import Broadcast, BroadcastStatus, Material, Role

FLOW = "broadcast"
MATERIALS_SHOWN = 10  # the newest materials listed when asking what to send
TITLE_SHOWN = 40  # characters of a listed title
TIMEOUT_S = 30 * 60
SCHEDULE_WORD = "定时"
CONFIRM_WORD = "确认"
MATERIAL_WORD = "材料"
CARD_WORD = "卡片"


def _is_admin(ctx: Context) -> bool:
    return ctx.member is not None and Role.ADMIN in ctx.member.roles()


def _allowed(ctx: Context) -> bool:
    """Admins; contacts only when BROADCAST_CONTACTS is on."""
    if _is_admin(ctx):
        return True
    return (ctx.member is not None and Role.CONTACT in ctx.member.roles()
            and bool(current_app.config.get("BROADCAST_CONTACTS")))


def _refuse(ctx: Context) -> Reply:
    if ctx.conversation is not None:
        ctx.finish()
    return Text(texts.ONLY_ADMINS)


def _org_names(ctx: Context) -> str:
    assert ctx.member is not None
    return "、".join(o.name for o in compose.contact_orgs(ctx.member))


def start(ctx: Context) -> Reply:
    """群发: ask what to send."""
    if not _allowed(ctx):
        return _refuse(ctx)
    ctx.start(FLOW, "content")
    return Text(texts.ASK_CONTENT.format(materials=_newest(ctx)))


def _lines(rows: Sequence[Row[tuple[int, str]]]) -> str:
    """One line per material; a long title is cut so that ten fit in one message."""
    return "\n".join(texts.MATERIAL_LINE.format(id=mid, title=quoted(_cut(title)))
                     for mid, title in rows)


def _cut(title: str) -> str:
    return title if len(title) <= TITLE_SHOWN else title[:TITLE_SHOWN] + texts.TITLE_CUT


def _newest(ctx: Context) -> str:
    """The newest active materials with their numbers (what "材料 编号" takes)."""
    rows = ctx.session.execute(
        select(Material.id, Material.title).where(Material.active)
        .order_by(Material.published_on.desc(), Material.id.desc()).limit(MATERIALS_SHOWN)).all()
    return texts.MATERIALS_NEWEST.format(lines=_lines(rows)) if rows else texts.NO_MATERIALS


def _found(ctx: Context, words: str) -> str:
    """Active materials whose title contains `words` (材料 关键词), newest first."""
    where = (Material.active, Material.title.contains(words, autoescape=True))
    rows = ctx.session.execute(
        select(Material.id, Material.title).where(*where)
        .order_by(Material.published_on.desc(), Material.id.desc()).limit(MATERIALS_SHOWN)).all()
    if not rows:
        return texts.MATERIALS_NONE_FOUND.format(words=words)
    text = texts.MATERIALS_FOUND.format(words=words, lines=_lines(rows), example=rows[0][0])
    more = (ctx.session.scalar(select(func.count(Material.id)).where(*where)) or 0) - len(rows)
    return text + ("\n" + texts.MATERIALS_MORE.format(count=more) if more > 0 else "")


def content(ctx: Context) -> Reply:
    """The content: text, "markdown …", "材料 N" (news) or "材料 N 卡片" (a text card); then
    ask whom to send it to. "材料" alone lists the newest materials, "材料 关键词" finds some."""
    if not _allowed(ctx):
        return _refuse(ctx)
    text = ctx.text
    try:
        if text.startswith(MATERIAL_WORD) and len(text) < 20:
            number, msgtype = text[len(MATERIAL_WORD):].strip(), "news"
            if number.endswith(CARD_WORD):  # "材料 12 卡片": a text card instead of news
                number, msgtype = number[:-len(CARD_WORD)].strip(), "textcard"
            if not number or not number.isdecimal():  # 材料 / 材料 关键词: show the numbers
                ctx.stay()
                return Text(_found(ctx, number) if number else _newest(ctx))
            kind, payload = compose.material_payload(
                ctx.session.get(Material, int(number)), number, msgtype)
        else:
            kind, payload = compose.text_payload(text)
    except ComposeError as exc:
        ctx.stay()
        return Text(str(exc))
    ctx.goto("audience", kind=kind, payload=payload)
    if _is_admin(ctx):
        return Text(texts.ASK_AUDIENCE)
    return Text(texts.ASK_AUDIENCE_CONTACT.format(orgs=_org_names(ctx)))


def _choose(ctx: Context, choice: str, value: str) -> Reply:
    """Resolve the audience; ask for group chats if the sender has any, else preview."""
    assert ctx.member is not None
    try:
        audience = compose.parse_audience(choice, value, ctx.now)
    except ComposeError as exc:
        if choice in "2345" and choice and not value:
            ctx.goto("value", choice=choice)
        else:
            ctx.stay()
        return Text(str(exc))
    if not _is_admin(ctx) and not compose.can_use_org(ctx.member, audience):
        ctx.goto("audience")
        return Text(texts.NOT_YOUR_ORG.format(orgs=_org_names(ctx)))
    try:
        size = len(compose.recipients(audience))
    except ComposeError as exc:
        ctx.goto("audience")
        return Text(str(exc))
    robots = compose.eligible_robots(ctx.member, _is_admin(ctx))
    if robots:
        ctx.goto("groups", audience=audience, size=size)
        return Text(compose.ask_groups(robots))
    return _preview(ctx, audience, size, [])


def _preview(ctx: Context, audience: dict[str, Any], size: int, robot_ids: list[int]) -> Reply:
    """Send the preview to the sender and ask to confirm."""
    assert ctx.member is not None
    ctx.outbox.send(ctx.data["payload"], users=[ctx.member.userid])
    ctx.goto("confirm", audience=audience, size=size, robot_ids=robot_ids,
             draft=secrets.token_hex(8))
    if robot_ids:
        return Text(texts.PREVIEW_GROUPS.format(size=size, groups=len(robot_ids)))
    return Text(texts.PREVIEW.format(size=size))


def audience(ctx: Context) -> Reply:
    """The audience: "1", "4 书记", "2 华芯微电子党支部", …"""
    if not _allowed(ctx):
        return _refuse(ctx)
    choice, _, value = ctx.text.partition(" ")
    if len(choice) > 1 and choice[0].isdecimal() and not value:  # "4书记"
        choice, value = choice[0], choice[1:]
    return _choose(ctx, choice.strip(), value.strip())


def value(ctx: Context) -> Reply:
    """The organisation, tag, role or campaign asked for after a bare number."""
    if not _allowed(ctx):
        return _refuse(ctx)
    return _choose(ctx, ctx.data.get("choice", ""), ctx.text)


def groups(ctx: Context) -> Reply:
    """The group chats it also goes to: robot numbers, 全部, or 不用; then the preview."""
    if not _allowed(ctx):
        return _refuse(ctx)
    assert ctx.member is not None
    try:
        robot_ids = compose.parse_groups(
            ctx.text, compose.eligible_robots(ctx.member, _is_admin(ctx)))
    except ComposeError as exc:
        ctx.stay()
        return Text(str(exc))
    return _preview(ctx, ctx.data["audience"], ctx.data["size"], robot_ids)


def _still_allowed(ctx: Context, audience: dict[str, Any], robot_ids: list[int]) -> bool:
    """At 确认: may this sender still send to this audience and these group chats?"""
    assert ctx.member is not None
    if _is_admin(ctx):
        return True
    usable = {robot.id for robot in compose.eligible_robots(ctx.member, False)}
    return compose.can_use_org(ctx.member, audience) and set(robot_ids) <= usable


def confirm(ctx: Context) -> Reply:
    """确认 sends now; 定时 <time> schedules; anything else asks again."""
    if not _allowed(ctx):
        return _refuse(ctx)
    assert ctx.member is not None
    text = ctx.text
    send_at = None
    if text.startswith(SCHEDULE_WORD):
        when = text[len(SCHEDULE_WORD):].strip()
        slots, problems = parse_slots(when, ctx.now, 0, (time(0), time(23, 59)))
        if not slots:
            ctx.stay()
            past = problems and problems[0].reason == "past"
            return Text((texts.PAST_TIME if past else texts.BAD_TIME).format(
                text=when, example=example_time(ctx.now)))
        send_at = slots[0]
    elif text != CONFIRM_WORD:
        ctx.stay()
        return Text(texts.PREVIEW_AGAIN)
    robot_ids = list(ctx.data.get("robot_ids") or [])
    if not _still_allowed(ctx, ctx.data["audience"], robot_ids):
        ctx.finish()
        return Text(texts.NOT_YOUR_ORG.format(orgs=_org_names(ctx)))
    draft = sending.BroadcastDraft(ctx.member.userid, ctx.data["kind"], ctx.data["payload"],
                          ctx.data["audience"], tuple(robot_ids))
    confirm_key = f"chat:{ctx.member.userid}:{ctx.data['draft']}"
    ctx.finish()
    try:
        row, new = sending.create(draft, confirm_key, ctx.now, send_at)
    except ComposeError as exc:
        return Text(str(exc))
    if not new:
        return Text(texts.ALREADY.format(number=row.number))
    if row.status == BroadcastStatus.SCHEDULED:
        return Text(texts.SCHEDULED.format(number=row.number, time=local_time(row.send_at),
                                           size=row.audience_size))
    broadcast_id = row.id
    ctx.after_commit(lambda: enqueue_broadcast(broadcast_id))
    return Text(texts.STARTED.format(number=row.number))


def _mine(ctx: Context) -> str | None:
    """None for admins (every broadcast), else the sender whose broadcasts they may see."""
    assert ctx.member is not None
    return None if _is_admin(ctx) else ctx.member.userid


def listing(ctx: Context) -> Reply:
    """群发记录: the latest broadcasts with status and delivery counts."""
    if not _allowed(ctx):
        return _refuse(ctx)
    rows = sending.recent(sender=_mine(ctx))
    if not rows:
        return Text(texts.LIST_NONE)
    return Text("\n".join([texts.LIST_HEAD, *(sending.describe(r) for r in rows)]))


def _target(ctx: Context, command: str) -> Broadcast | Reply:
    """The broadcast named after the command, if this sender may act on it."""
    words = ctx.text.split()
    if len(words) < 2:
        return Text(texts.NUMBER_USAGE.format(command=command))
    row = sending.find(words[1])
    if row is None:
        return Text(texts.NOT_FOUND.format(number=words[1]))
    mine = _mine(ctx)
    if mine is not None and row.sender != mine:
        return Text(texts.NOT_YOURS.format(number=row.number))
    return row


def recall(ctx: Context) -> Reply:
    """撤回 QF-…: recall every batch within 24 hours."""
    if not _allowed(ctx):
        return _refuse(ctx)
    assert ctx.member is not None
    row = _target(ctx, "撤回")
    if not isinstance(row, Broadcast):
        return row

    result = recall_broadcast(wecom_client(), ctx.member.userid, row, ctx.now)
    if result.refused == "too_late":
        return Text(texts.RECALL_TOO_LATE)
    if result.refused:
        return Text(texts.RECALL_NOT_SENT.format(
            number=row.number, status=texts.STATUS_NAMES.get(row.status, row.status)))
    if result.errors:
        return Text(texts.RECALL_PARTLY.format(number=row.number, error="；".join(result.errors)))
    reply = texts.RECALLED.format(number=row.number, count=len(result.recalled))
    in_groups = tally(row.id).sent
    if in_groups:
        reply += texts.RECALL_GROUPS_NOTE.format(count=in_groups)
    return Text(reply)


def cancel(ctx: Context) -> Reply:
    """取消群发 QF-…: cancel a scheduled broadcast before it goes."""
    if not _allowed(ctx):
        return _refuse(ctx)
    assert ctx.member is not None
    row = _target(ctx, "取消群发")
    if not isinstance(row, Broadcast):
        return row
    if not sending.cancel(ctx.member.userid, row):
        return Text(texts.CANCEL_NOT_SCHEDULED.format(
            number=row.number, status=texts.STATUS_NAMES.get(row.status, row.status)))
    return Text(texts.CANCELLED.format(number=row.number))


ROLES = (Role.ADMIN.value, Role.CONTACT.value)
COMMANDS = [
    Command("broadcast", ("群发",), start, texts.START_SUMMARY, role=ROLES),
    Command("broadcast_list", ("群发记录",), listing, texts.LIST_SUMMARY, role=ROLES),
    Command("broadcast_recall", ("撤回",), recall, texts.RECALL_SUMMARY, role=ROLES),
    Command("broadcast_cancel", ("取消群发",), cancel, texts.CANCEL_SUMMARY, role=ROLES),
]

FLOWS = [Flow(FLOW, {"content": content, "audience": audience, "value": value,
                     "groups": groups, "confirm": confirm}, timeout_s=TIMEOUT_S)]
