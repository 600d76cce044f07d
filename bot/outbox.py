"""The outbox: messages a handler wants sent, stored in its transaction, sent after commit."""

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
    ) -> OutboundMessage:
        """Queue one message/send payload (msgtype and its body) for the recipients."""
        row = OutboundMessage(
            touser=_join(users),
            toparty=_join(parties),
            totag=_join(tags),
            payload=payload,
            source_key=self.source_key,
        )
        if not (row.touser or row.toparty or row.totag):
            raise ValueError("an outbound message needs at least one recipient")
        self.session.add(row)
        self.created.append(row)
        return row

    def text(self, users: Iterable[str], content: str) -> list[OutboundMessage]:
        """Queue a text, split into parts that fit WeCom's 2048-byte limit."""
        users = list(users)
        return [
            self.send({"msgtype": "text", "text": {"content": part}}, users=users)
            for part in split_text(content)
        ]

    def pending_ids(self) -> list[int]:
        """Ids of the rows created here (valid after flush/commit)."""
        return [row.id for row in self.created]
