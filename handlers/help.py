"""Help, welcome and fallback: what the bot can do, and a polite answer to anything else."""

from __future__ import annotations

from bot.context import CommandInfo, Context
from bot.replies import Reply, Text
from bot.router import Command
from content import texts


def help_text(ctx: Context) -> Reply:
    """帮助 / 菜单: the commands this member may use."""
    roles = ctx.identity.role_names if ctx.identity else frozenset({"member"})
    key = (id(ctx.commands), frozenset(roles))
    cached = _HELP.get(key)
    if cached is None or cached[0] is not ctx.commands:  # the list is fixed per pipeline
        if len(_HELP) >= HELP_CACHE_SIZE:
            _HELP.clear()
        cached = _HELP[key] = (ctx.commands, _help_for(ctx.commands, key[1]))
    return Text(cached[1])


HELP_CACHE_SIZE = 256  # role sets x pipelines; a handful in production
_HELP: dict[tuple[int, frozenset[str]], tuple[tuple[CommandInfo, ...], str]] = {}


def _help_for(commands: tuple[CommandInfo, ...], roles: frozenset[str]) -> str:
    """The help text for one set of roles."""
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
