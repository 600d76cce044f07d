"""The outbox: messages a handler wants sent, stored in its transaction, sent after commit.

`once=True` marks a message whose content is meant once per source (a broadcast, a scheduled
push, a reminder, a notice carrying its order's number): delivery then asks WeCom's duplicate
check, so a batch sent again after a lost answer or a killed worker is not delivered twice. The
default is False because the check would also swallow a legitimate repeat of the same content
(a member asking 我的积分 twice): a producer that forgets the flag risks a rare duplicate on a
fault, never a lost message. See docs/reliability.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from bot.replies import split_text
from models import OutboundMessage


def _join(values: Iterable[str | int]) -> str:
    return "|".join(str(v) for v in values)


class Outbox:
    """Collects OutboundMessage rows in the handler's session; delivery jobs run after commit."""

    def __init__(self, session: Session, source_key: str | None = None) -> None:
        self.session = session
        self.source_key = source_key
        self.created: list[OutboundMessage] = []

    def send(
        self,
        payload: dict[str, Any],
        users: Iterable[str] = (),
        parties: Iterable[int] = (),
        tags: Iterable[int] = (),
        once: bool = False,
    ) -> OutboundMessage:
        """Queue one message/send payload (msgtype and its body) for the recipients; `once`
        sends it with WeCom's duplicate check (content meant once per source)."""
        row = OutboundMessage(
            touser=_join(users),
            toparty=_join(parties),
            totag=_join(tags),
            payload=payload,
            source_key=self.source_key,
            duplicate_check=once,
        )
        if not (row.touser or row.toparty or row.totag):
            raise ValueError("an outbound message needs at least one recipient")
        self.session.add(row)
        self.created.append(row)
        return row

    def text(self, users: Iterable[str], content: str, once: bool = False
             ) -> list[OutboundMessage]:
        """Queue a text, split into parts that fit WeCom's 2048-byte limit (`once`: as send)."""
        users = list(users)
        return [
            self.send({"msgtype": "text", "text": {"content": part}}, users=users, once=once)
            for part in split_text(content)
        ]

    def pending_ids(self) -> list[int]:
        """Ids of the rows created here (valid after flush/commit)."""
        return [row.id for row in self.created]
