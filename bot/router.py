"""The router: an ordered list of routes; the first that matches picks the one handler.

The list itself is built in `pioneer/routing.py`, where its order can be read at a glance.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.context import Context
from bot.conversation import FlowRegistry
from bot.inbound import Event, TextMessage
from bot.replies import Reply, Text
from content import texts

log = logging.getLogger(__name__)

Handler = Callable[[Context], Reply | None]


@dataclass(frozen=True)
class Command:
    """A command: typed keywords and a menu click key (its name) reach the same handler."""

    name: str
    keywords: tuple[str, ...]
    handler: Handler
    summary: str = ""  # the help line (from content/); empty keeps it out of 帮助
    role: str | tuple[str, ...] = "member"  # needed role (any of several); checked every call

    @property
    def roles(self) -> tuple[str, ...]:
        """The roles any of which lets a member use this command."""
        return (self.role,) if isinstance(self.role, str) else self.role


@dataclass(frozen=True)
class Match:
    """Which route matched and the handler to run."""

    route: str
    handler: Handler


class Route:
    """One entry of the priority list."""

    name = "route"

    def match(self, ctx: Context) -> Handler | None:
        """The handler for this message, or None to let the next route try."""
        raise NotImplementedError


def first_word(text: str) -> str:
    """The first whitespace-separated word, lower-cased (for latin keywords)."""
    return text.split(maxsplit=1)[0].lower() if text else ""


class CancelWords(Route):
    """取消 / 退出: end whatever conversation is open, always first."""

    name = "cancel"

    def __init__(self, words: Iterable[str]) -> None:
        self.words = {w.lower() for w in words}

    def match(self, ctx: Context) -> Handler | None:
        """Match a bare cancel word."""
        return self._cancel if ctx.text.lower() in self.words else None

    @staticmethod
    def _cancel(ctx: Context) -> Reply:
        if ctx.conversation is None:
            return Text(texts.NOTHING_TO_CANCEL)
        ctx.finish()
        return Text(texts.CANCELLED)


class ActiveConversation(Route):
    """A step of the member's open conversation."""

    name = "conversation"

    def __init__(self, flows: FlowRegistry) -> None:
        self.flows = flows

    def match(self, ctx: Context) -> Handler | None:
        """The current state's step function, if the member is in a conversation.

        Events other than menu clicks (a card button, subscribe, ...) are not answers to a
        step; they go to their own handlers.
        """
        if ctx.conversation is None or ctx.identity is None:
            return None
        if isinstance(ctx.message, Event) and ctx.message.event != "click":
            return None
        flow = self.flows.get(ctx.conversation.flow)
        if flow is None or ctx.conversation.state not in flow.states:
            return self._lost
        return flow.step(ctx.conversation.state)

    @staticmethod
    def _lost(ctx: Context) -> Reply:
        ctx.finish()
        return Text(texts.CONVERSATION_LOST)


class Events(Route):
    """Events by name (subscribe, enter_agent, change_contact, ...)."""

    name = "event"

    def __init__(self, handlers: dict[str, Handler]) -> None:
        self.handlers = handlers

    def match(self, ctx: Context) -> Handler | None:
        """The handler of this event, except menu clicks (they are commands)."""
        message = ctx.message
        if isinstance(message, Event) and message.event != "click":
            return self.handlers.get(message.event)
        return None


@dataclass
class Commands(Route):
    """Menu clicks by key and typed keywords by first word, with the role checked."""

    commands: list[Command]
    by_key: dict[str, Command] = field(init=False)
    by_word: dict[str, Command] = field(init=False)
    name = "command"

    def __post_init__(self) -> None:
        self.by_key = {c.name: c for c in self.commands}
        self.by_word = {}
        for command in self.commands:
            for word in command.keywords:
                if word.lower() in self.by_word:
                    raise ValueError(f"keyword {word!r} claimed twice")
                self.by_word[word.lower()] = command

    def find(self, ctx: Context) -> Command | None:
        """The command this message asks for."""
        message = ctx.message
        if isinstance(message, Event) and message.event == "click":
            return self.by_key.get(message.event_key)
        if isinstance(message, TextMessage):
            text = ctx.text.lower()
            return self.by_word.get(text) or self.by_word.get(first_word(text))
        return None

    def match(self, ctx: Context) -> Handler | None:
        """The command's handler, or a refusal when the member lacks its role."""
        command = self.find(ctx)
        if command is None:
            return None
        if "member" not in command.roles and not (
            ctx.identity is not None and set(command.roles) & ctx.identity.roles()
        ):
            role = "或".join(texts.ROLE_NAMES.get(r, r) for r in command.roles)
            return lambda _ctx: Text(texts.NO_PERMISSION.format(role=role))
        return command.handler


class Fallback(Route):
    """Anything else."""

    name = "fallback"

    def __init__(self, handler: Handler) -> None:
        self.handler = handler

    def match(self, ctx: Context) -> Handler | None:
        """Always matches."""
        return self.handler


class Router:
    """Tries each route in order; the first match wins."""

    def __init__(self, routes: list[Route]) -> None:
        self.routes = routes

    def route(self, ctx: Context) -> Match:
        """The one handler for this message."""
        for route in self.routes:
            handler = route.match(ctx)
            if handler is not None:
                return Match(route.name, handler)
        raise LookupError("no route matched; the list must end with Fallback")

    def commands(self) -> list[Command]:
        """Every command, in registration order (for the help text)."""
        found: list[Command] = []
        for route in self.routes:
            if isinstance(route, Commands):
                found.extend(route.commands)
        return found
