"""Helpers of the 学习用书 tests: a book registered and distributed as the console would, the
distributions' columns, the cards and texts in a member's sandbox inbox, audit rows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from sqlalchemy import select

import clock
from books import records
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from models import AuditEntry, BookDistribution, Organization, db, utcnow
from sandbox.server import SandboxServer
from tests.helpers import SHANGHAI

HUAXIN, XIDONG, XINWU = "华芯微电子党支部", "锡东精密机械党支部", "新吴物流党支部"
COMMITTEE = "高新区企业党委"


def shanghai(text: str) -> datetime:
    """A Shanghai wall-clock time, e.g. "2026-11-30 23:59"."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def org_id(app: Flask, name: str) -> int:
    """The id of the organisation of that name."""
    with app.app_context():
        found = db.session.scalar(select(Organization.id).where(Organization.name == name))
        assert found is not None, name
        return found


def add_book(app: Flask, copies: int = 100, title: str = "中国共产党简史") -> int:
    """A book registered by the admin; its id."""
    with app.app_context():
        book = records.create_book(title, "人民出版社", copies, "", "chenjing", utcnow())
        db.session.commit()
        return book.id


def send(app: Flask, book_id: int, orgs: list[str], copies_each: int = 10,
         sent_on: date | None = None, when: datetime | None = None) -> list[int]:
    """Distribute the book to the organisations named (committed, cards delivered); the
    distributions' ids."""
    with app.app_context():
        now = when or utcnow()
        book = records.find_book(book_id)
        assert book is not None
        chosen = records.targets(book, "list", org_ids=[org_id(app, n) for n in orgs])
        done = records.distribute(book, chosen, copies_each, sent_on or clock.today(now),
                                  "chenjing", now, clock.today(now), Outbox(db.session))
        db.session.commit()
        enqueue_deliveries(done.outbound_ids)
        return [row.id for row in done.rows]


def distribution(app: Flask, distribution_id: int) -> dict[str, Any]:
    """The distribution's columns as a dict."""
    with app.app_context():
        row = db.session.get(BookDistribution, distribution_id)
        assert row is not None
        return {c.name: getattr(row, c.name) for c in BookDistribution.__table__.columns}


def cards(sandbox: SandboxServer, userid: str) -> list[dict[str, Any]]:
    """The member's template cards, oldest first."""
    return [m for m in sandbox.state.inbox_since(userid) if m["msgtype"] == "template_card"]


def texts_of(sandbox: SandboxServer, userid: str) -> list[str]:
    """The member's texts delivered by message/send, oldest first."""
    return [m["content"]["content"] for m in sandbox.state.inbox_since(userid)
            if m["msgtype"] == "text"]


def button(card: dict[str, Any]) -> str:
    """The key of the card's one button."""
    [key] = [b["key"] for b in card["content"]["button_list"]]
    return key


def audits(app: Flask, prefix: str = "book.") -> list[tuple[str, str, str]]:
    """(actor, action, target) of the books' audit entries, in order."""
    with app.app_context():
        rows = db.session.scalars(select(AuditEntry).where(AuditEntry.action.startswith(prefix))
                                  .order_by(AuditEntry.id))
        return [(r.actor, r.action, r.target) for r in rows]
