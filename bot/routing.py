"""The priority list: which handler gets a message. Read top to bottom; first match wins."""

from __future__ import annotations

from bot.conversation import FlowRegistry
from bot.router import ActiveConversation, CancelWords, Commands, Events, Fallback, Router
from content import texts
from handlers import help


def build_flows() -> FlowRegistry:
    """Every multi-step conversation of every feature."""
    return FlowRegistry()


def build_router(flows: FlowRegistry) -> Router:
    """The routes in priority order."""
    return Router(
        [
            CancelWords(texts.CANCEL_WORDS),  # 1. 取消/退出 end any conversation
            ActiveConversation(flows),  # 2. the next step of an open conversation
            Events({**help.EVENTS}),  # 3. events: subscribe, enter_agent, ...
            Commands([*help.COMMANDS]),  # 4. menu clicks and typed keywords
            Fallback(help.fallback),  # 5. anything else
        ]
    )
