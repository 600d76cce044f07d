"""The priority list: which handler gets a message. Read top to bottom; first match wins."""

from __future__ import annotations

from bot.conversation import FlowRegistry
from bot.router import ActiveConversation, CancelWords, Commands, Events, Fallback, Handler, Router
from content import texts
from handlers import answers, members
from pioneer.features import FEATURES

# Who is not in the roster gets this and nothing else.
STRANGER: Handler = members.refuse_stranger


def build_flows() -> FlowRegistry:
    """Every multi-step conversation of every feature."""
    flows = FlowRegistry()
    for flow in FEATURES.flows():
        flows.add(flow)
    return flows


def build_router(flows: FlowRegistry) -> Router:
    """The routes in priority order."""
    commands = Commands(FEATURES.commands())
    return Router(
        [
            CancelWords(texts.CANCEL_WORDS),  # 1. 取消/退出 end any conversation
            # 2. the next step of an open conversation; a command there asks to leave it first
            ActiveConversation(flows, commands),
            Events(FEATURES.events()),  # 3. subscribe, change_contact, card taps, scans, ...
            commands,  # 4. menu clicks and typed keywords, features' order
            Fallback(answers.fallback),  # 5. a question to the library; help's for the rest
        ]
    )
