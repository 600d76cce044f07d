"""Who the member is: 我的信息, the refusal for strangers, and the refused list for admins."""

from __future__ import annotations

import logging
from datetime import date, datetime
from weakref import WeakKeyDictionary

import redis
from sqlalchemy import select
from sqlalchemy.orm import Session

import clock
from bot import keys
from bot.context import Context
from bot.extensions import redis_store
from bot.replies import Reply, Text
from bot.router import Command
from content import texts
from models import RefusedUser, Role, utcnow

log = logging.getLogger(__name__)

REFUSED_SHOWN = 20
# A stranger's day is noted once: this key (per userid and committee day) is set after the
# day's first refusal commits; it outlives the day it names (a day and a bit from any moment).
REFUSED_SEEN_TTL_S = 26 * 3600
NOTED_KEPT = 10_000  # strangers remembered per process and day (beyond it, Redis is asked)
_NOTED: WeakKeyDictionary[redis.Redis, dict[date, set[str]]] = WeakKeyDictionary()


def whoami(ctx: Context) -> Reply:
    """我的信息: the member's organisations and roles."""
    member = ctx.member
    assert member is not None  # the pipeline only routes roster members here
    orgs = "、".join(
        m.organization.name + (texts.WHOAMI_MAIN if m.is_main and len(member.memberships) > 1
                               else "")
        for m in member.memberships
    ) or texts.WHOAMI_NO_ORG
    roles = "、".join(texts.ROLE_NAMES[r] for r in sorted(member.roles()) if r in texts.ROLE_NAMES)
    return Text(texts.WHOAMI.format(name=member.name, userid=member.userid, orgs=orgs, roles=roles))


def refused_seen_key(userid: str, day: date) -> str:
    """Redis key set by a stranger's first refusal on a committee day."""
    return f"{keys.PREFIX}:refused:{day.isoformat()}:{userid}"


def refuse_stranger(ctx: Context) -> Reply:
    """Someone not in the roster: one polite refusal; their day noted once so admins can add them.

    RefusedUser keeps one row per person: `first_at` (the first refusal), `last_at` (the first
    refusal of the latest day seen) and `attempts`, which counts the committee days on which
    they wrote. Only a day's first message touches the database: a Redis mark per userid and
    day, set once that message's transaction has committed (a failed one leaves none, so the
    retry notes the day), lets the rest of the day go with no SQL write and no processed record;
    once a process has seen that mark (or set it), it remembers the day and asks Redis no more.
    """
    userid = ctx.message.from_user[:64]
    day = clock.today(ctx.now)
    client = redis_store.client
    noted = _noted_today(client, day)
    if userid in noted:  # this process saw the day noted: no round trip at all
        return Text(texts.NOT_IN_ROSTER)
    key = refused_seen_key(userid, day)
    if _marked(client, key):
        _remember(noted, userid)
    else:
        _note_day(ctx.session, userid, ctx.now, day)
        ctx.after.append(lambda: _mark(client, key, noted, userid))
    return Text(texts.NOT_IN_ROSTER)


def _noted_today(client: redis.Redis, day: date) -> set[str]:
    """The strangers this process knows are noted for `day`, beside this Redis (so per app).

    Only what a mark in Redis or this process's own commit said goes in, and a noted day is
    never undone, so a remembered stranger needs no Redis read; an earlier day is dropped."""
    days = _NOTED.get(client)
    if days is None or day not in days:
        days = _NOTED[client] = {day: set()}
    return days[day]


def _remember(noted: set[str], userid: str) -> None:
    if len(noted) < NOTED_KEPT:
        noted.add(userid)


def _marked(client: redis.Redis, key: str) -> bool:
    """True if Redis says this stranger's day is already noted."""
    try:
        return bool(client.exists(key))
    except redis.RedisError:  # the row itself tells the day apart: check it, at worst again
        log.warning("could not read the refused-user mark %s; checking the database", key)
        return False


def _mark(client: redis.Redis, key: str, noted: set[str], userid: str) -> None:
    """After the commit: the day is noted (a lost mark only costs the next message a read)."""
    _remember(noted, userid)
    try:
        client.set(key, b"1", ex=REFUSED_SEEN_TTL_S)
    except redis.RedisError:
        log.warning("could not set the refused-user mark %s", key)


def _note_day(session: Session, userid: str, now: datetime, day: date) -> None:
    """Add the stranger, or count a new day; a day already counted (Redis forgot) changes
    nothing, so the message writes nothing."""
    seen = session.scalars(select(RefusedUser).where(RefusedUser.userid == userid)).first()
    if seen is None:
        session.add(RefusedUser(userid=userid, attempts=1, first_at=now, last_at=now))
    elif clock.today(seen.last_at) < day:
        seen.attempts += 1
        seen.last_at = now


def refused_listing(ctx: Context) -> Reply:
    """未登记 (admins): who wrote to the bot but is not in the roster, newest first."""
    rows = ctx.session.scalars(
        select(RefusedUser).order_by(RefusedUser.last_at.desc()).limit(REFUSED_SHOWN)
    ).all()
    if not rows:
        return Text(texts.REFUSED_NONE)
    lines = [
        texts.REFUSED_LINE.format(userid=r.userid, days=r.attempts,
                                  first=texts.local_time(r.first_at or utcnow()),
                                  last=texts.local_time(r.last_at or utcnow()))
        for r in rows
    ]
    return Text(texts.REFUSED_HEAD.format(count=len(rows)) + "\n" + "\n".join(lines))


COMMANDS = [
    Command("whoami", ("我的信息", "我是谁"), whoami, texts.WHOAMI_SUMMARY),
    Command("refused", ("未登记", "未登记人员"), refused_listing, texts.REFUSED_SUMMARY,
            role=Role.ADMIN),
]
