"""Books and their distribution: a book registered with its copies, sent to organisations (all
not yet given it, those of one kind of enterprise, or a chosen list), never more copies in all
than the book has, once per book and organisation (a second time is refused).

Everything writes in the caller's transaction and never commits; every change is audited
("book.create", "book.distribute"). A refusal is a BookError raised before anything is
written, so a bad form writes nothing half-way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, func, select

from books import cards
from books.people import active_contacts
from bot.outbox import Outbox
from models import Book, BookDistribution, Organization, OrgKind, audit, db

MAX_TITLE = 200
MAX_PUBLISHER = 100
MAX_NOTES = 2000
MAX_COPIES = 1_000_000  # far above any committee's printing; more is a typo


class BookError(ValueError):
    """A book or distribution that cannot be taken: `reason` says why (the English message
    for logs), `details` fill the Chinese answer (content/book_texts.ERRORS)."""

    def __init__(self, reason: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.details = details


def count_of(typed: str | int | None, allow_zero: bool = True) -> int:
    """A count typed in a form: a whole number from 0 (or 1) to MAX_COPIES; BookError
    ("not_number", "negative", "too_big", "copies_each_zero") otherwise."""
    text = str(typed if typed is not None else "").strip()
    try:
        value = int(text)
    except ValueError:
        raise BookError("not_number", f"{text!r} is not a whole number", typed=text[:20]) from None
    if value < 0:
        raise BookError("negative", f"{value} is negative")
    if value > MAX_COPIES:
        raise BookError("too_big", f"{value} is more than {MAX_COPIES}", limit=MAX_COPIES)
    if value == 0 and not allow_zero:
        raise BookError("copies_each_zero", "at least one copy each")
    return value


def _text(value: str, limit: int, reason: str) -> str:
    cleaned = " ".join((value or "").split())
    if len(cleaned) > limit:
        raise BookError(reason, f"{len(cleaned)} characters, at most {limit}",
                        length=len(cleaned), limit=limit)
    return cleaned


def create_book(title: str, publisher: str, copies: str | int, notes: str, actor: str,
                now: datetime, form_key: str | None = None) -> Book:
    """Register a book with its copies (audited "book.create"); BookError when bad."""
    name = _text(title, MAX_TITLE, "title_too_long").strip("《》 ")
    if not name:
        raise BookError("title_empty", "the title is empty")
    press = _text(publisher, MAX_PUBLISHER, "publisher_too_long")
    note = (notes or "").strip()
    if len(note) > MAX_NOTES:
        raise BookError("notes_too_long", f"{len(note)} characters", length=len(note),
                        limit=MAX_NOTES)
    book = Book(title=name, publisher=press, copies=count_of(copies), notes=note,
                created_by=actor[:100], created_at=now, form_key=form_key)
    db.session.add(book)
    db.session.flush()
    audit(actor, "book.create", book_target(book), title=name, publisher=press,
          copies=book.copies)
    return book


def book_target(book: Book) -> str:
    """How a book is named in the audit trail."""
    return f"book:{book.id}"


def find_book(book_id: int) -> Book | None:
    """The book with this id, or None."""
    return db.session.get(Book, book_id)


def given_copies(book_id: int) -> int:
    """Copies of the book sent out so far, over all its distributions."""
    return int(db.session.scalar(select(func.coalesce(func.sum(BookDistribution.copies), 0))
                                 .where(BookDistribution.book_id == book_id)) or 0)


def _given_to(book_id: int) -> Any:
    """The condition "this organisation already has a distribution of the book"."""
    return exists().where(BookDistribution.book_id == book_id,
                          BookDistribution.organization_id == Organization.id)


def committee_ids() -> set[int]:
    """The committee's own organisations: the top of the tree (no parent, with branches
    under it). They hand the books out and are never sent any."""
    child = select(Organization.parent_id).where(Organization.parent_id.is_not(None),
                                                 Organization.active)
    return set(db.session.scalars(select(Organization.id).where(
        Organization.parent_id.is_(None), Organization.id.in_(child))))


def open_organizations(book_id: int) -> list[Organization]:
    """The active organisations not yet given the book (the committee's own left out)."""
    rows = db.session.scalars(select(Organization).where(Organization.active,
                                                         ~_given_to(book_id))
                              .order_by(Organization.order, Organization.name))
    skip = committee_ids()
    return [org for org in rows if org.id not in skip]


def targets(book: Book, mode: str, kind: str = "", org_ids: Sequence[int] = ()
            ) -> list[Organization]:
    """The organisations a distribution goes to: every one not yet given the book ("all"),
    those of one kind of enterprise not yet given it ("kind"), or the chosen ones ("list",
    refused with "already_given" when one has it already, "unknown_organization" when one is
    missing or inactive)."""
    if mode == "all":
        return open_organizations(book.id)
    if mode == "kind":
        if kind not in set(OrgKind):
            raise BookError("unknown_kind", f"unknown kind {kind!r}")
        return [org for org in open_organizations(book.id) if org.kind == kind]
    if mode != "list":
        raise BookError("no_organizations", f"unknown target {mode!r}")
    wanted = set(org_ids)
    found = list(db.session.scalars(select(Organization).where(
        Organization.id.in_(wanted), Organization.active).order_by(Organization.order,
                                                                   Organization.name)))
    if len(found) != len(wanted) or wanted & committee_ids():
        raise BookError("unknown_organization", "an organisation is missing or inactive")
    given = set(db.session.scalars(select(BookDistribution.organization_id).where(
        BookDistribution.book_id == book.id, BookDistribution.organization_id.in_(wanted))))
    if given:
        names = [org.name for org in found if org.id in given]
        raise BookError("already_given", f"already given to {len(names)} organisations",
                        names="、".join(names))
    return found


@dataclass
class Distributed:
    """What one distribution did: its rows, the contacts told, the organisations without an
    active contact (nobody told), the outbound rows to deliver after the commit."""

    rows: list[BookDistribution] = field(default_factory=list)
    contacts: int = 0
    without_contact: list[str] = field(default_factory=list)
    outbound_ids: list[int] = field(default_factory=list)

    @property
    def copies(self) -> int:
        """Copies sent in this distribution."""
        return sum(row.copies for row in self.rows)


def check_sent_on(sent_on: date | None, today: date) -> date:
    """The date sent: given, and not after the committee's today."""
    if sent_on is None:
        raise BookError("sent_on_bad", "no date sent")
    if sent_on > today:
        raise BookError("sent_in_future", f"{sent_on} is after today", today=today.isoformat())
    return sent_on


def distribute(book: Book, organizations: list[Organization], copies_each: str | int,
               sent_on: date | None, actor: str, now: datetime, today: date,
               outbox: Outbox) -> Distributed:
    """Send `copies_each` copies to each organisation (audited "book.distribute") and queue
    the receipt card to each one's active contacts. BookError, nothing written, when the
    copies or date are bad, there is no organisation, or the copies left do not suffice (the
    book's row is locked while counting, so two admins cannot overdraw it)."""
    each = count_of(copies_each, allow_zero=False)
    day = check_sent_on(sent_on, today)
    if not organizations:
        raise BookError("no_organizations", "no organisation to send to")
    db.session.execute(select(Book.id).where(Book.id == book.id).with_for_update())
    left = book.copies - given_copies(book.id)
    wanted = each * len(organizations)
    if wanted > left:
        raise BookError("over_stock", f"{wanted} copies wanted, {left} left", wanted=wanted,
                        left=left)
    done = Distributed()
    for org in organizations:
        row = BookDistribution(book_id=book.id, organization_id=org.id, copies=each,
                               sent_on=day, created_by=actor[:100], created_at=now)
        db.session.add(row)
        done.rows.append(row)
    db.session.flush()
    for row, org in zip(done.rows, organizations, strict=True):
        row.organization = org
        userids = active_contacts(org.id)
        if not userids:
            done.without_contact.append(org.name)
            continue
        outbox.send(cards.card(row, now), users=userids, once=True)
        done.contacts += len(userids)
    audit(actor, "book.distribute", book_target(book), organizations=[o.id for o in organizations],
          copies_each=each, copies=wanted, sent_on=day.isoformat())
    db.session.flush()
    done.outbound_ids = outbox.pending_ids()
    return done
