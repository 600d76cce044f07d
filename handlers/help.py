"""Help, welcome and fallback: what the bot can do, and a polite answer to anything else."""

from __future__ import annotations

from bot.context import CommandInfo, Context
from bot.inbound import ImageMessage
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


def _shown(text: str) -> str:
    """The member's text as echoed back: at most 20 characters."""
    return text if len(text) <= 20 else text[:20] + "…"


def _one_edit(typed: str, keyword: str) -> bool:
    """True when `typed` is `keyword` with one character changed, added or left out."""
    if typed == keyword or abs(len(typed) - len(keyword)) > 1:
        return False
    if len(typed) == len(keyword):
        return sum(a != b for a, b in zip(typed, keyword, strict=True)) == 1
    short, long = sorted((typed, keyword), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def near_command(ctx: Context) -> CommandInfo | None:
    """The command (of the member's roles) whose keyword the text misses by one character:
    帮主 → 帮助, 我的积份 → 我的积分. Keywords of two characters or more only."""
    typed = ctx.text.lower()
    if len(typed) < 2 or len(typed) > NEAR_MAX:
        return None
    roles = ctx.identity.role_names if ctx.identity else frozenset({"member"})
    return next((c for c in ctx.commands if len(c.keyword) >= 2 and roles.intersection(c.roles)
                 and _one_edit(typed, c.keyword.lower())), None)


NEAR_MAX = 8  # a longer text is a sentence, not a mistyped command


def suggestion(ctx: Context) -> Reply | None:
    """"Did you mean …?" for a near miss of a command, else None."""
    command = near_command(ctx)
    if command is None:
        return None
    return Text(texts.FALLBACK_SUGGEST.format(text=_shown(ctx.text), keyword=command.keyword))


def is_greeting(text: str) -> bool:
    """True for a greeting typed on its own: 你好, 您好！, Hello, 在吗？, 早上好…"""
    return text.strip(texts.GREETING_TRIM).lower() in texts.GREETING_WORDS


def greeting(ctx: Context) -> Reply | None:
    """A greeting answered by name with a pointer to 帮助; None when the text is no greeting."""
    if not ctx.text or not is_greeting(ctx.text):
        return None
    name = ctx.identity.name if ctx.identity else ""
    return Text(texts.GREETING.format(name=name))


def fallback(ctx: Context) -> Reply:
    """Anything no other route took: a greeting answered, the closest command for a near
    miss, else a pointer to 帮助."""
    if ctx.expired_flow:
        return Text(texts.CONVERSATION_EXPIRED_HINT)
    if ctx.text:
        return (greeting(ctx) or suggestion(ctx)
                or Text(texts.FALLBACK.format(text=_shown(ctx.text))))
    if isinstance(ctx.message, ImageMessage):  # a screenshot or a photo without its command
        return Text(texts.FALLBACK_IMAGE)
    return Text(texts.FALLBACK_NON_TEXT)


COMMANDS = [
    Command("help", ("帮助", "菜单", "help", "menu", "?", "？"), help_text, texts.HELP_SUMMARY),
    Command("confirm", ("确认",), nothing_to_confirm, interrupts=False),  # answers steps
]

EVENTS = {"subscribe": welcome, "enter_agent": welcome}
