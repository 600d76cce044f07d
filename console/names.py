"""Who did it, as a person reads it: the member's name for a stored actor (a WeCom userid),
the account for a local console login or a command line; anything else as stored."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from content import console_texts as t
from models import Member, db

LOCAL_PREFIX = "console:"  # console.auth: a local account's actor is console:<username>
CLI_PREFIX = "cli:"  # bot.cli.cli_actor: cli:<system user>


def who(actor: str | None) -> str:
    """The name to show for `actor` (cached for the request; the stored value if nobody)."""
    if not actor:
        return ""
    if actor.startswith(LOCAL_PREFIX):
        return t.ACTOR_LOCAL.format(name=actor.removeprefix(LOCAL_PREFIX))
    if actor.startswith(CLI_PREFIX):
        return t.ACTOR_CLI.format(name=actor.removeprefix(CLI_PREFIX))
    known: dict[str, str] = g.setdefault("actor_names", {})
    if actor not in known:
        name = db.session.scalar(select(Member.name).where(Member.userid == actor))
        known[actor] = name or actor
    return known[actor]
