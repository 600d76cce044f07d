"""The receipt card: a button_interaction template card to an organisation's contacts, its one
button keyed "book:<distribution id>:confirm", sent when the books go out and again as the
reminder. The task id carries the distribution id and a random part, so every card sent has a
task id of its own, as WeCom requires."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from typing import Any

import clock
from content import book_texts as texts
from content.titles import quoted
from models import BookDistribution

PREFIX = "book"
KEY = re.compile(r"book:(\d{1,12}):confirm")
TITLE_MAX = 36  # WeCom cuts longer titles on the card
DESC_MAX = 44
FIELD_MAX = 30


def parse_key(event_key: str) -> int | None:
    """The distribution id a card button names, or None for a key that is not one."""
    found = KEY.fullmatch(event_key.strip())
    return int(found.group(1)) if found else None


def button_key(distribution_id: int) -> str:
    """The key of the card's 确认收到 button."""
    return f"{PREFIX}:{distribution_id}:confirm"


def day_text(day: date) -> str:
    """A date as members read it: 3月5日."""
    return texts.DATE.format(month=day.month, day=day.day)


def book_name(title: str) -> str:
    """A title in 《》, once (content.titles.quoted)."""
    return quoted(title)


def days_since(distribution: BookDistribution, now: datetime) -> int:
    """Whole committee days from the day sent to today."""
    return (clock.today(now) - distribution.sent_on).days


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def card(distribution: BookDistribution, now: datetime, reminder: bool = False
         ) -> dict[str, Any]:
    """The message/send payload of the distribution's receipt card (or its reminder)."""
    org = distribution.organization.name
    book = book_name(distribution.book.title)
    values = {"org": org, "book": book, "copies": distribution.copies,
              "date": day_text(distribution.sent_on), "number": distribution.id,
              "days": days_since(distribution, now)}
    body: dict[str, Any] = {
        "card_type": "button_interaction",
        "source": {"desc": texts.CARD_SOURCE},
        "main_title": {"title": _short(texts.CARD_REMIND_TITLE if reminder else texts.CARD_TITLE,
                                       TITLE_MAX),
                       "desc": _short(texts.CARD_DESC.format(**values), DESC_MAX)},
        "sub_title_text": (texts.CARD_REMIND_SUB if reminder else texts.CARD_SUB).format(**values),
        "horizontal_content_list": [
            {"keyname": name, "value": _short(value.format(**values), FIELD_MAX)}
            for name, value in texts.CARD_FIELDS],
        "button_list": [{"text": texts.CARD_BUTTON, "style": 1,
                         "key": button_key(distribution.id)}],
        "task_id": f"book-{distribution.id}-{secrets.token_hex(4)}",
    }
    return {"msgtype": "template_card", "template_card": body}
