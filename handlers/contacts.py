"""WeCom contact changes (change_contact from 'sys'): applied to the roster as they arrive."""

from __future__ import annotations

import clock
from bot.context import Context
from bot.inbound import ChangeContactEvent
from bot.replies import Reply
from roster.events import apply_change


def on_change_contact(ctx: Context) -> Reply | None:
    """Apply the change in the message's transaction; WeCom expects no reply."""
    if isinstance(ctx.message, ChangeContactEvent):
        apply_change(ctx.message, clock.today(ctx.now))
    return None


EVENTS = {"change_contact": on_change_contact}
