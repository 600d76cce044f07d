"""Who the member is: 我的信息, the refusal for strangers, and the refused list for admins."""

from __future__ import annotations

from sqlalchemy import select

from bot.context import Context
from bot.replies import Reply, Text
from bot.router import Command
from content import texts
from models import RefusedUser, Role, utcnow

REFUSED_SHOWN = 20


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


def refuse_stranger(ctx: Context) -> Reply:
    """Someone not in the roster: one polite refusal, and a note so admins can add them."""
    userid = ctx.message.from_user[:64]
    seen = ctx.session.scalars(select(RefusedUser).where(RefusedUser.userid == userid)).first()
    if seen is None:
        ctx.session.add(RefusedUser(userid=userid, first_at=ctx.now, last_at=ctx.now))
    else:
        seen.attempts += 1
        seen.last_at = ctx.now
    return Text(texts.NOT_IN_ROSTER)


def refused_listing(ctx: Context) -> Reply:
    """未登记 (admins): who wrote to the bot but is not in the roster, newest first."""
    rows = ctx.session.scalars(
        select(RefusedUser).order_by(RefusedUser.last_at.desc()).limit(REFUSED_SHOWN)
    ).all()
    if not rows:
        return Text(texts.REFUSED_NONE)
    lines = [
        texts.REFUSED_LINE.format(userid=r.userid, attempts=r.attempts,
                                  last=texts.local_time(r.last_at or utcnow()))
        for r in rows
    ]
    return Text(texts.REFUSED_HEAD.format(count=len(rows)) + "\n" + "\n".join(lines))


COMMANDS = [
    Command("whoami", ("我的信息", "我是谁"), whoami, texts.WHOAMI_SUMMARY),
    Command("refused", ("未登记", "未登记人员"), refused_listing, texts.REFUSED_SUMMARY,
            role=Role.ADMIN),
]
