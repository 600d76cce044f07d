"""Help, welcome and fallback: what the bot can do, and a polite answer to anything else."""

from __future__ import annotations

from functools import lru_cache

from bot.context import CommandInfo, Context
from bot.replies import Reply, Text
from bot.router import Command
from content import texts


def help_text(ctx: Context) -> Reply:
    """帮助 / 菜单: the commands this member may use."""
    roles = ctx.identity.role_names if ctx.identity else frozenset({"member"})
    return Text(_help_for(ctx.commands, frozenset(roles)))


@lru_cache(maxsize=64)
def _help_for(commands: tuple[CommandInfo, ...], roles: frozenset[str]) -> str:
    """The help text for one set of roles (the command list is fixed per process)."""
    lines = [
        texts.HELP_LINE.format(keyword=c.keyword, summary=c.summary)
        for c in commands
        if roles.intersection(c.roles) and c.summary
    ]
    return texts.HELP.format(commands="\n".join(lines))


def welcome(ctx: Context) -> Reply:
    """subscribe / enter_agent: greet the member by name."""
    name = ctx.identity.name if ctx.identity else ""
    return Text(texts.WELCOME.format(name=name))


def nothing_to_confirm(ctx: Context) -> Reply:
    """确认 outside any conversation (e.g. sent twice): there is nothing to confirm."""
    return Text(texts.NOTHING_TO_CONFIRM)


def fallback(ctx: Context) -> Reply:
    """Anything no other route took."""
    if ctx.expired_flow:
        return Text(texts.CONVERSATION_EXPIRED_HINT)
    if ctx.text:
        shown = ctx.text if len(ctx.text) <= 20 else ctx.text[:20] + "…"
        return Text(texts.FALLBACK.format(text=shown))
    return Text(texts.FALLBACK_NON_TEXT)


COMMANDS = [
    Command("help", ("帮助", "菜单", "help", "menu", "?", "？"), help_text, texts.HELP_SUMMARY),
    Command("confirm", ("确认",), nothing_to_confirm),
]

EVENTS = {"subscribe": welcome, "enter_agent": welcome}
