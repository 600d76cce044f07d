"""The router: an ordered list of routes; the first that matches picks the one handler.

The list itself is built in `pioneer/routing.py`, where its order can be read at a glance.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from bot.context import Context, ConversationChange
from bot.conversation import ConversationState, Flow, FlowRegistry
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
    # False for a word that answers steps too (确认, 继续): inside a conversation it goes to the
    # step; True: a click or the bare keyword there asks first whether to leave the flow.
    interrupts: bool = True

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
        if ctx.conversation is None and ctx.paused is None:
            return Text(texts.NOTHING_TO_CANCEL)
        ctx.finish()
        return Text(texts.CANCELLED)


class ActiveConversation(Route):
    """The member's open conversation: the next step, unless a command comes in between.

    A menu click, or a message that is exactly a command's keyword (not one the state takes as
    an answer, `Flow.answers`, nor a command that never interrupts), asks once whether to
    leave the flow, the way python-telegram-bot's ConversationHandler fallbacks do: 是 leaves,
    keeping the conversation paused (继续 resumes it until its timeout), then runs the command;
    否 or 继续 goes back to the step, asking its question again. Any other answer re-asks; a
    second command is taken as 是 for it. Ordinary text is always the step's. A flow with
    nothing to lose (`Flow.ask_to_leave` False) just ends and lets the command run.
    """

    name = "conversation"

    def __init__(self, flows: FlowRegistry, commands: Commands | None = None) -> None:
        self.flows = flows
        self.commands = commands
        self.yes = _words(texts.LEAVE_YES_WORDS)
        self.no = _words(texts.LEAVE_NO_WORDS + texts.RESUME_WORDS)
        self.resume = _words(texts.RESUME_WORDS)

    def match(self, ctx: Context) -> Handler | None:
        """The handler of this message when the member has a conversation open (or paused).

        Events other than menu clicks (a card button, subscribe, ...) are not answers to a
        step; they go to their own handlers.
        """
        if ctx.identity is None:
            return None
        if isinstance(ctx.message, Event) and ctx.message.event != "click":
            return None
        state = ctx.conversation
        if state is None:
            if ctx.paused is not None and _answer_word(ctx) in self.resume:
                return self._resume
            return None
        flow = self.flows.get(state.flow)
        if flow is None or state.state not in flow.states:
            return self._lost
        if state.asking:
            return self._answer
        command = self._interrupting(ctx, flow)
        if command is not None:
            return self._ask if flow.ask_to_leave else self._drop
        return flow.step(state.state)

    def _interrupting(self, ctx: Context, flow: Flow) -> Command | None:
        """The command this message asks for in the middle of the flow, if any."""
        if self.commands is None or ctx.conversation is None:
            return None
        message = ctx.message
        if isinstance(message, Event):  # a menu click (other events never get here)
            command = self.commands.by_key.get(message.event_key)
        elif isinstance(message, TextMessage) and not flow.takes(ctx.conversation.state,
                                                                  ctx.text):
            command = self.commands.by_word.get(ctx.text.lower())  # the bare keyword only
        else:
            return None
        return command if command is not None and command.interrupts else None

    def _ask(self, ctx: Context) -> Reply:
        """Ask whether to leave the flow for the command (refused at once without its role)."""
        state, flow = self._current(ctx)
        command = self._interrupting(ctx, flow)
        assert command is not None and self.commands is not None
        if not self.commands.permitted(command, ctx):
            return Text(self.commands.refusal(command) + "\n"
                        + texts.STILL_IN.format(flow=flow_name(flow)))
        state.asking = command.name
        _keep(ctx)
        return Text(texts.LEAVE_ASK.format(flow=flow_name(flow), command=_keyword(ctx, command),
                                           kept=texts.kept_for(flow.timeout_s)))

    def _drop(self, ctx: Context) -> Reply | None:
        """End a flow that does not ask (Flow.ask_to_leave) and run the command at once."""
        _state, flow = self._current(ctx)
        command = self._interrupting(ctx, flow)
        assert command is not None and self.commands is not None
        if not self.commands.permitted(command, ctx):
            return Text(self.commands.refusal(command))
        ctx.finish()
        return command.handler(ctx)

    def _answer(self, ctx: Context) -> Reply | None:
        """The answer to the leave question: 是, 否 / 继续, another command, or anything else."""
        state, flow = self._current(ctx)
        assert self.commands is not None
        asked = self.commands.by_key.get(state.asking)
        text = _answer_word(ctx)
        if asked is None or text in self.no:
            return self._resume(ctx)
        if text in self.yes:
            return self._leave(ctx, flow, asked)
        second = self._interrupting(ctx, flow)
        if second is not None:
            return self._leave(ctx, flow, second)
        _keep(ctx)  # the question stays open; its timeout starts again
        return Text(texts.LEAVE_AGAIN.format(flow=flow_name(flow), command=asked.keywords[0]))

    def _leave(self, ctx: Context, flow: Flow, command: Command) -> Reply | None:
        """Pause the conversation and run the command, as if its keyword had been sent alone."""
        assert ctx.conversation is not None and self.commands is not None
        if not self.commands.permitted(command, ctx):
            ctx.conversation.asking = ""
            _keep(ctx)
            return Text(self.commands.refusal(command) + "\n"
                        + texts.STILL_IN.format(flow=flow_name(flow)))
        state = ctx.conversation
        state.asking, state.paused = "", True
        ctx.conversation, ctx.paused = None, state
        paused = _keep(ctx)
        if isinstance(ctx.message, TextMessage):  # 是: the command sees its own keyword
            ctx.message = replace(ctx.message, content=command.keywords[0])
        reply = command.handler(ctx)
        if ctx.change is not paused and ctx.change is not None and ctx.change.state is not None:
            return reply  # it started another conversation: the pipeline says this one ended
        if ctx.change is paused:  # the command neither started nor ended a conversation
            note = texts.LEFT_KEPT.format(flow=flow_name(flow),
                                          kept=texts.kept_for(flow.timeout_s))
        else:
            note = texts.LEFT.format(flow=flow_name(flow))
        if reply is None:
            return Text(note)
        if isinstance(reply, Text):
            return Text(note + "\n" + reply.content)
        ctx.outbox.text([ctx.message.from_user], note)  # a news reply cannot carry it
        return reply

    def _resume(self, ctx: Context) -> Reply:
        """Back to the step the conversation was on, asking its question again."""
        if ctx.conversation is None:  # 继续 after leaving: the paused conversation
            ctx.conversation, ctx.paused = ctx.paused, None
        state = ctx.conversation
        flow = self.flows.get(state.flow) if state is not None else None
        if state is None or flow is None or state.state not in flow.states:
            return self._lost(ctx)
        state.asking, state.paused = "", False
        _keep(ctx)
        if state.prompt:
            return Text(texts.RESUMED.format(flow=flow_name(flow), prompt=state.prompt))
        return Text(texts.RESUMED_NO_PROMPT.format(flow=flow_name(flow)))

    def _current(self, ctx: Context) -> tuple[ConversationState, Flow]:
        """The open conversation and its flow (match() made sure both exist)."""
        state = ctx.conversation
        flow = self.flows.get(state.flow) if state is not None else None
        if state is None or flow is None:
            raise RuntimeError("no open conversation of a registered flow")
        return state, flow

    @staticmethod
    def _lost(ctx: Context) -> Reply:
        ctx.finish()
        return Text(texts.CONVERSATION_LOST)


def flow_name(flow: Flow | str) -> str:
    """The flow's name as members read it."""
    name = flow if isinstance(flow, str) else flow.name
    return texts.FLOW_NAMES.get(name, texts.FLOW_NAME_DEFAULT)


def _words(words: Iterable[str]) -> set[str]:
    return {w.lower() for w in words}


def _answer_word(ctx: Context) -> str:
    """A typed yes / no / 继续, lower-cased and without a closing full stop or exclamation."""
    return ctx.text.rstrip("。.!！").strip().lower() if isinstance(ctx.message, TextMessage) else ""


def _keyword(ctx: Context, command: Command) -> str:
    """The keyword as the member typed it, or the command's first one for a menu click."""
    return ctx.text if isinstance(ctx.message, TextMessage) and ctx.text else command.keywords[0]


def _keep(ctx: Context) -> ConversationChange:
    """Save the conversation's change (asked, resumed, paused) without taking the machinery's
    reply as its question."""
    change = ConversationChange(ctx.conversation or ctx.paused, prompt_kept=True)
    ctx.change = change
    return change


class Events(Route):
    """Events by name (subscribe, enter_agent, change_contact, ...).

    A handler may also claim the events whose key starts with a prefix: the name
    "template_card_event:quiz" takes the taps of card buttons keyed "quiz:…", before the
    handler of the bare name "template_card_event" (which takes the other taps)."""

    name = "event"

    def __init__(self, handlers: dict[str, Handler]) -> None:
        self.handlers = handlers

    def match(self, ctx: Context) -> Handler | None:
        """The handler of this event, except menu clicks (they are commands)."""
        message = ctx.message
        if isinstance(message, Event) and message.event != "click":
            prefix, colon, _rest = message.event_key.partition(":")
            keyed = self.handlers.get(f"{message.event}:{prefix}") if colon else None
            return keyed or self.handlers.get(message.event)
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

    @staticmethod
    def permitted(command: Command, ctx: Context) -> bool:
        """Whether the member has a role the command needs."""
        return "member" in command.roles or (
            ctx.identity is not None and bool(set(command.roles) & ctx.identity.roles()))

    @staticmethod
    def refusal(command: Command) -> str:
        """What a member without the command's role is told."""
        return texts.NO_PERMISSION.format(
            role="或".join(texts.ROLE_NAMES.get(r, r) for r in command.roles))

    def match(self, ctx: Context) -> Handler | None:
        """The command's handler, or a refusal when the member lacks its role."""
        command = self.find(ctx)
        if command is None:
            return None
        if not self.permitted(command, ctx):
            refusal = self.refusal(command)
            return lambda _ctx: Text(refusal)
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
