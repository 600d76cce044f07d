"""Composing a broadcast: its content (text, markdown, a material), its audience, the group
chats it also goes to, the quota."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

import clock
from content import broadcast_texts as texts
from models import (
    Broadcast,
    Campaign,
    GroupRobot,
    Material,
    Member,
    MemberStatus,
    Organization,
    OutboundMessage,
    Role,
    Tag,
    db,
)
from roster import audience as audiences
from study.pushes import message_for

MAX_BYTES = 2048  # text.content and markdown.content (docs/wecom.md §3)
DAILY_PER_MEMBER = 200  # person-times per member of the app per day (docs/wecom.md §4)
MARKDOWN_PREFIX = "markdown "
AUDIENCE_CHOICES = {"1": "all", "2": "orgs", "3": "tags", "4": "roles", "5": "campaign",
                    "6": "idle"}
NO_GROUP_WORDS = ("不用", "不", "不发", "否", "无")
ALL_GROUPS_WORD = "全部"
GROUP_LIST_BYTES = 1500  # the rest of the 2048-byte reply is the question around the list


class ComposeError(ValueError):
    """Content or an audience that cannot be broadcast; the message is for the sender."""


def text_payload(content: str) -> tuple[str, dict[str, Any]]:
    """(kind, payload) for typed content: text, or markdown after a "markdown " prefix."""
    kind = "text"
    if content.lower().startswith(MARKDOWN_PREFIX):
        kind, content = "markdown", content[len(MARKDOWN_PREFIX):]
    content = content.strip()
    if not content:
        raise ComposeError(texts.EMPTY_CONTENT)
    size = len(content.encode())
    if size > MAX_BYTES:
        raise ComposeError(texts.TOO_LONG.format(limit=MAX_BYTES, chars=MAX_BYTES // 3,
                                                 size=size))
    return kind, {"msgtype": kind, kind: {"content": content}}


def material_payload(material: Material | None, number: str = "",
                     msgtype: str = "news") -> tuple[str, dict[str, Any]]:
    """(kind, payload) for a material: news or textcard, its link naming only the material.

    The link carries no userid and no occurrence: study/reading.py opens it for any active
    member who signs in through WeCom, and the read is recorded against that member.
    """
    if material is None or not material.active:
        raise ComposeError(texts.UNKNOWN_MATERIAL.format(number=number))
    return "material", message_for(material, msgtype)


def contact_orgs(member: Member) -> list[Organization]:
    """The organisations a member is contact (书记/联络员) of."""
    ids = [g.organization_id for g in member.grants
           if g.role == Role.CONTACT and g.organization_id is not None]
    return [o for o in (db.session.get(Organization, i) for i in ids) if o is not None]


def parse_audience(kind_number: str, value: str, now: datetime) -> dict[str, Any]:
    """An audience from the chat answer "N [value]"; ComposeError says what is wrong.

    6 (本月未参学党员) names the committee's month of `now`, so the broadcast reaches those
    idle in the month the sender saw, even if it is scheduled into the next one."""
    kind = AUDIENCE_CHOICES.get(kind_number)
    if kind is None:
        raise ComposeError(texts.BAD_AUDIENCE_CHOICE)
    if kind == "all":
        return {"kind": "all", "values": []}
    if kind == "idle":
        return audiences.idle_audience(now)
    if not value:
        raise ComposeError(texts.ASK_VALUE[kind])
    if kind == "orgs":
        org_id = db.session.scalar(select(Organization.id).where(Organization.name == value))
        if org_id is None:
            raise ComposeError(texts.UNKNOWN_ORG.format(value=value))
        return {"kind": "orgs", "values": [org_id]}
    if kind == "tags":
        tag_id = db.session.scalar(select(Tag.wecom_tag_id).where(Tag.name == value))
        if tag_id is None:
            raise ComposeError(texts.UNKNOWN_TAG.format(value=value))
        return {"kind": "tags", "values": [tag_id]}
    if kind == "roles":
        if value not in texts.ROLE_WORDS:
            raise ComposeError(texts.UNKNOWN_ROLE)
        return {"kind": "roles", "values": [texts.ROLE_WORDS[value]]}
    if db.session.scalar(select(Campaign.id).where(Campaign.name == value)) is None:
        raise ComposeError(texts.UNKNOWN_CAMPAIGN.format(value=value))
    return {"kind": "campaign", "values": [value]}


def eligible_robots(member: Member, admin: bool) -> list[GroupRobot]:
    """The active group robots this sender may broadcast to: every one for an admin, a
    contact's only when registered for their organisations (or those below)."""
    query = select(GroupRobot).where(GroupRobot.active.is_(True)).order_by(GroupRobot.id)
    if not admin:
        own = audiences._org_subtree({o.id for o in contact_orgs(member)})
        query = query.where(GroupRobot.organization_id.in_(own))
    return list(db.session.scalars(query))


def ask_groups(robots: list[GroupRobot]) -> str:
    """The question for the group step, listing the robots ("7.华芯党支部群") within a budget."""
    lines: list[str] = []
    used = 0
    for robot in robots:
        line = texts.GROUP_LINE.format(id=robot.id, name=robot.name)
        used += len(line.encode()) + 1
        if used > GROUP_LIST_BYTES:
            lines.append(texts.GROUPS_MORE.format(count=len(robots) - len(lines)))
            break
        lines.append(line)
    return texts.ASK_GROUPS.format(groups="\n".join(lines))


def parse_groups(answer: str, robots: list[GroupRobot]) -> list[int]:
    """The robot ids chosen in "7 9", "全部" or "不用"; ComposeError says what is wrong."""
    words = answer.replace("，", " ").replace(",", " ").replace("、", " ").split()
    if len(words) == 1 and words[0] in NO_GROUP_WORDS:
        return []
    if len(words) == 1 and words[0] == ALL_GROUPS_WORD:
        return [robot.id for robot in robots]
    if not words or not all(word.isdecimal() for word in words):
        raise ComposeError(texts.GROUPS_USAGE)
    known = {robot.id for robot in robots}
    unknown = [word for word in words if int(word) not in known]
    if unknown:
        raise ComposeError(texts.GROUPS_UNKNOWN.format(numbers="、".join(unknown)))
    return list(dict.fromkeys(int(word) for word in words))


def recipients(audience: dict[str, Any]) -> list[str]:
    """The userids of the active members the audience reaches now (ComposeError if none)."""
    userids = [r.userid for r in audiences.resolve(audience)]
    if not userids:
        raise ComposeError(texts.NOBODY_IDLE if audience.get("kind") == "idle" else texts.NOBODY)
    return userids


def wecom_targets(audience: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(toparty, totag) when the audience is exactly WeCom departments or tags, else empty.

    Departments only when every organisation named is a WeCom department: WeCom then includes
    the sub-departments, as our own resolution includes sub-organisations.
    """
    values = audience.get("values") or []
    if audience.get("kind") == "tags" and 0 < len(values) <= 100:
        return [], [str(v) for v in values]
    if audience.get("kind") == "orgs" and 0 < len(values) <= 100:
        dept_ids = [db.session.scalar(select(Organization.wecom_dept_id).where(
            Organization.id == audiences.org_id(v))) for v in values]
        if all(dept_ids):
            return [str(d) for d in dept_ids], []
    return [], []


def used_today(now: datetime) -> int:
    """Person-times sent (or being sent) today, the committee's day: userids of today's messages,
    plus the audience size of today's broadcasts that went by department or tag."""
    start = clock.day_of(now).start
    pipes = func.length(OutboundMessage.touser) - func.length(
        func.replace(OutboundMessage.touser, "|", ""))
    users = db.session.scalar(
        select(func.coalesce(func.sum(pipes + 1), 0))
        .where(OutboundMessage.created_at >= start, OutboundMessage.touser != "")) or 0
    by_target = db.session.scalar(
        select(func.coalesce(func.sum(Broadcast.audience_size), 0))
        .join(OutboundMessage, OutboundMessage.id == Broadcast.outbound_id)
        .where(OutboundMessage.created_at >= start, OutboundMessage.touser == "")) or 0
    return int(users) + int(by_target)


def check_quota(size: int, now: datetime) -> None:
    """Refuse (ComposeError) a broadcast that would pass the app's daily quota."""
    members = db.session.scalar(
        select(func.count()).select_from(Member).where(Member.status == MemberStatus.ACTIVE)) or 0
    limit = members * DAILY_PER_MEMBER
    used = used_today(now)
    if used + size > limit:
        raise ComposeError(texts.QUOTA_EXCEEDED.format(limit=limit, members=members, used=used,
                                                       size=size))


def can_use_org(member: Member, audience: dict[str, Any]) -> bool:
    """A contact may broadcast only to organisations they are contact of (and theirs below)."""
    if audience.get("kind") != "orgs":
        return False
    own = {o.id for o in contact_orgs(member)}
    allowed = audiences._org_subtree(own)
    return all(int(v) in allowed for v in audience.get("values") or [])

