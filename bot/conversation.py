"""Multi-step conversations: flows written as state tables, per-member state kept in Redis.

A flow names its states and gives one small function per state. A command starts a flow
with `ctx.start(flow, state, **data)`; each later message from that member goes to the
function of the current state, which moves on with `ctx.goto(...)` or ends with
`ctx.finish()`. Cancel words and the timeout are handled here, once, for every flow.

A command in the middle of a conversation (a menu click, or a message that is exactly a
command's keyword) first asks whether to leave it (`asking` holds the command); the member
may leave, and the conversation is kept `paused` until its timeout, so 继续 resumes it at the
question it was on (`prompt`, the last question it asked). bot/router.py holds the rules.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import redis

from bot import keys

if TYPE_CHECKING:
    from bot.context import Context
    from bot.extensions import RedisRoundTrip
    from bot.replies import Reply


DEFAULT_TIMEOUT_S = 30 * 60
# The key outlives the timeout so an expired conversation can still be reported as expired.
KEEP_S = 24 * 3600
PROMPT_MAX = 1000  # characters of the last question kept to ask again on resuming


@dataclass
class Flow:
    """A multi-step dialog: named states, one function per state, a timeout."""

    name: str
    states: dict[str, Callable[[Context], Reply | None]]
    timeout_s: int = DEFAULT_TIMEOUT_S
    # Per state, the command keywords that are answers there (e.g. 签到 when asked how the
    # attendees are recorded); every other exact keyword asks whether to leave the flow.
    answers: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # False for a flow with nothing to lose (a yes/no offer): a command ends it without asking.
    ask_to_leave: bool = True

    def step(self, state: str) -> Callable[[Context], Reply | None]:
        """The function that handles a message in this state."""
        return self.states[state]

    def takes(self, state: str, text: str) -> bool:
        """True if `text` is an answer of `state` although a command has it as a keyword."""
        lowered = text.lower()
        return any(lowered == word.lower() for word in self.answers.get(state, ()))


@dataclass
class ConversationState:
    """Where one member stands in one flow."""

    flow: str
    state: str
    data: dict[str, Any] = field(default_factory=dict)
    touched: float = 0.0
    asking: str = ""  # the command asked about: "leave the flow for it?" awaits an answer
    paused: bool = False  # left for a command; kept until the timeout so 继续 resumes it
    prompt: str = ""  # the last question the conversation asked, to ask again on resuming

    def expired(self, now: float, timeout_s: int) -> bool:
        """True once the member has been silent longer than the flow's timeout."""
        return now - self.touched > timeout_s

    def dumps(self) -> str:
        """JSON for Redis (the leave question's fields only when set)."""
        value: dict[str, Any] = {"flow": self.flow, "state": self.state, "data": self.data,
                                 "touched": self.touched}
        if self.asking:
            value["asking"] = self.asking
        if self.paused:
            value["paused"] = True
        if self.prompt:
            value["prompt"] = self.prompt
        return json.dumps(value, ensure_ascii=False)

    @classmethod
    def loads(cls, raw: bytes | str) -> ConversationState | None:
        """Read a state back; anything unreadable counts as no state."""
        try:
            value = json.loads(raw)
            return cls(value["flow"], value["state"], dict(value.get("data") or {}),
                       float(value.get("touched") or 0), str(value.get("asking") or ""),
                       bool(value.get("paused")), str(value.get("prompt") or ""))
        except (ValueError, KeyError, TypeError):
            return None

    def remember(self, prompt: str) -> None:
        """Keep `prompt` as the question to ask again when the conversation is resumed."""
        self.prompt = prompt if len(prompt) <= PROMPT_MAX else prompt[:PROMPT_MAX] + "…"


class ConversationStore:
    """Reads and writes members' conversation states under one Redis prefix."""

    def __init__(self, client: redis.Redis, clock: Callable[[], float] = time.time) -> None:
        self.client = client
        self.clock = clock

    def load(self, userid: str) -> ConversationState | None:
        """The member's state, or None."""
        raw = self.client.get(keys.conversation(userid))
        return ConversationState.loads(raw) if raw else None

    def save(self, userid: str, state: ConversationState,
             trip: RedisRoundTrip | None = None) -> None:
        """Store the state, stamped now (in `trip` when given)."""
        state.touched = self.clock()
        (trip or self.client).set(keys.conversation(userid), state.dumps(), ex=KEEP_S)

    def clear(self, userid: str, trip: RedisRoundTrip | None = None) -> None:
        """Forget the member's state (in `trip` when given)."""
        (trip or self.client).delete(keys.conversation(userid))


class FlowRegistry:
    """Every flow by name."""

    def __init__(self) -> None:
        self.flows: dict[str, Flow] = {}

    def add(self, flow: Flow) -> Flow:
        """Register a flow; names are unique."""
        if flow.name in self.flows:
            raise ValueError(f"flow {flow.name!r} registered twice")
        self.flows[flow.name] = flow
        return flow

    def get(self, name: str) -> Flow | None:
        """The flow of that name, or None (a state left over from an old release)."""
        return self.flows.get(name)
