"""The context a handler sees: member, message, conversation, session, outbox, clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.conversation import ConversationState
from bot.inbound import Inbound, TextMessage
from bot.member_cache import CachedMember, MemberView
from bot.outbox import Outbox
from bot.replies import Reply, Text
from models import Member


@dataclass(frozen=True)
class CommandInfo:
    """What the help text shows of one command."""

    name: str
    keyword: str
    summary: str
    roles: tuple[str, ...]


@dataclass
class ConversationChange:
    """What the handler asked to do with the member's conversation, applied after commit."""

    state: ConversationState | None  # None means end it
    prompt_kept: bool = False  # the machinery's own reply: not the conversation's question


@dataclass
class Context:
    """Everything a handler may use. It never sees HTTP, XML or crypto."""

    message: Inbound
    identity: MemberView | None  # who is writing (no SQL); `member` loads the ORM object
    session: Session
    outbox: Outbox
    now: datetime
    conversation: ConversationState | None = None
    paused: ConversationState | None = None  # a conversation left for a command (继续 resumes)
    ended_paused: str = ""  # the flow of a paused conversation a new one replaced
    expired_flow: str | None = None  # set when the member's last conversation timed out
    commands: tuple[CommandInfo, ...] = ()
    change: ConversationChange | None = field(default=None, repr=False)
    after: list[Callable[[], None]] = field(default_factory=list, repr=False)
    cached: CachedMember | None = field(default=None, repr=False)
    route: str = ""  # the handler's name in the processed record, e.g. "flow:reflection:writing"

    @property
    def member(self) -> Member | None:
        """The member as an ORM object in this request's session, loaded on first use."""
        return self.cached.load() if self.cached is not None else None

    def processed_row(self) -> dict[str, str]:
        """This message's processed record, for a write that is atomic on its own and carries it
        (models/direct.py, `mark_processed_written`); the pipeline then writes none."""
        return {"key": self.message.key, "userid": self.message.from_user[:64],
                "kind": self.message.kind[:64], "handler": self.route}

    @property
    def text(self) -> str:
        """The message text with outer whitespace removed ('' for non-text messages)."""
        return self.message.content.strip() if isinstance(self.message, TextMessage) else ""

    @property
    def data(self) -> dict[str, Any]:
        """The data of the current conversation (empty when there is none)."""
        return self.conversation.data if self.conversation else {}

    def start(self, flow: str, state: str, **data: Any) -> None:
        """Begin a conversation in `flow` at `state` (it replaces one left paused)."""
        self.conversation = ConversationState(flow, state, dict(data))
        if self.paused is not None:
            self.ended_paused = self.paused.flow
        self.paused = None
        self.change = ConversationChange(self.conversation)

    def goto(self, state: str, **data: Any) -> None:
        """Move the current conversation to `state`, merging in `data`."""
        if self.conversation is None:
            raise RuntimeError("goto() outside a conversation")
        self.conversation.state = state
        self.conversation.data.update(data)
        self.change = ConversationChange(self.conversation)

    def stay(self, **data: Any) -> None:
        """Keep the current state (e.g. to re-ask), refreshing its timeout and data."""
        if self.conversation is not None:
            self.goto(self.conversation.state, **data)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run `action` once the handler's work is committed (e.g. enqueue a job)."""
        self.after.append(action)

    def finish(self) -> None:
        """End the current conversation (and any left paused: one state per member)."""
        self.conversation = None
        self.paused = None
        self.change = ConversationChange(None)

    def remember_prompt(self, reply: Reply | None) -> None:
        """Keep a step's or command's text reply as the conversation's question to ask again."""
        change = self.change
        if (change is not None and change.state is not None and not change.prompt_kept
                and isinstance(reply, Text)):
            change.state.remember(reply.content)
