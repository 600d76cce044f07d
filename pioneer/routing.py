"""The priority list: which handler gets a message. Read top to bottom; first match wins."""

from __future__ import annotations

from bot.conversation import FlowRegistry
from bot.router import (
    ActiveConversation,
    CancelWords,
    Commands,
    Events,
    Fallback,
    Handler,
    Router,
)
from content import texts
from handlers import (
    broadcast,
    checkin,
    contacts,
    dispatch,
    followup,
    help,
    lectures,
    meetings,
    members,
    participation,
    qiangguo,
    rates,
    reflections,
    review,
    study,
)

# Who is not in the roster gets this and nothing else.
STRANGER: Handler = members.refuse_stranger


def build_flows() -> FlowRegistry:
    """Every multi-step conversation of every feature."""
    flows = FlowRegistry()
    for flow in (*study.FLOWS, *reflections.FLOWS, *lectures.FLOWS, *followup.FLOWS, *review.FLOWS,
                 *dispatch.FLOWS, *broadcast.FLOWS, *meetings.FLOWS, *qiangguo.FLOWS):
        flows.add(flow)
    return flows


def build_router(flows: FlowRegistry) -> Router:
    """The routes in priority order."""
    return Router(
        [
            CancelWords(texts.CANCEL_WORDS),  # 1. 取消/退出 end any conversation
            ActiveConversation(flows),  # 2. the next step of an open conversation
            Events({**help.EVENTS, **contacts.EVENTS, **dispatch.EVENTS,
                    **checkin.EVENTS}),  # 3. subscribe, change_contact, card taps, scans, ...
            Commands([*help.COMMANDS, *study.COMMANDS, *reflections.COMMANDS, *lectures.COMMANDS,
                      *followup.COMMANDS, *dispatch.COMMANDS, *review.COMMANDS, *broadcast.COMMANDS,
                      *checkin.COMMANDS, *meetings.COMMANDS,
                      *rates.COMMANDS, *participation.COMMANDS, *qiangguo.COMMANDS,
                      *members.COMMANDS]),  # 4. menu clicks and typed keywords
            Fallback(help.fallback),  # 5. anything else
        ]
    )
