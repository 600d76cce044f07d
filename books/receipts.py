"""Receipts: an organisation's contact confirms the books arrived (once: the first
confirmation is kept, a second one is told when and by whom) and reports how many members got
a copy (at most the organisation's active members; a later report corrects it).

Writes in the caller's transaction and never commits; audited ("book.confirm",
"book.members_given").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, false, select, update
from sqlalchemy.orm import selectinload

from books.people import active_members
from books.records import BookError
from models import BookDistribution, audit, db


def find(distribution_id: int) -> BookDistribution | None:
    """The distribution with this id, or None."""
    return db.session.get(BookDistribution, distribution_id)


def target(distribution: BookDistribution) -> str:
    """How a distribution is named in the audit trail."""
    return f"book:{distribution.book_id}:org:{distribution.organization_id}"


def scoped(query: Select[Any], org_ids: Iterable[int] | None) -> Select[Any]:
    """The query of distributions limited to these organisations (None: all)."""
    if org_ids is None:
        return query
    ids = frozenset(org_ids)
    return query.where(BookDistribution.organization_id.in_(ids) if ids else false())


def of_organizations(org_ids: Iterable[int], confirmed: bool | None = None
                     ) -> list[BookDistribution]:
    """The organisations' distributions (None: all; True/False: confirmed or not), the oldest
    sent first, with their book and organisation loaded."""
    query = scoped(select(BookDistribution), org_ids).options(
        selectinload(BookDistribution.book), selectinload(BookDistribution.organization))
    if confirmed is True:
        query = query.where(BookDistribution.confirmed_at.is_not(None))
    elif confirmed is False:
        query = query.where(BookDistribution.confirmed_at.is_(None))
    return list(db.session.scalars(query.order_by(BookDistribution.sent_on,
                                                  BookDistribution.id)))


def confirm(distribution: BookDistribution, member_id: int | None, actor: str, now: datetime
            ) -> bool:
    """Record the receipt once (audited); False when it was confirmed before (two taps, two
    contacts, a tap and a console click): the first confirmation stands."""
    result = db.session.execute(
        update(BookDistribution).where(BookDistribution.id == distribution.id,
                                       BookDistribution.confirmed_at.is_(None))
        .values(confirmed_at=now, confirmed_by_id=member_id, confirmed_by_actor=actor[:100])
        .execution_options(synchronize_session=False))
    db.session.refresh(distribution)
    if result.rowcount != 1:
        return False
    audit(actor, "book.confirm", target(distribution), distribution=distribution.id,
          copies=distribution.copies)
    return True


def confirmer(distribution: BookDistribution) -> str:
    """Who confirmed the receipt, by name (a console account by its actor)."""
    if distribution.confirmed_by is not None:
        return distribution.confirmed_by.name
    return distribution.confirmed_by_actor or ""


def given_count(distribution: BookDistribution, typed: str | int) -> int:
    """A members-given count for the distribution: a whole number from 0 to the
    organisation's active members; BookError ("not_number", "negative", "too_many")."""
    text = str(typed).strip().removesuffix("人").removesuffix("名").strip()
    try:
        value = int(text)
    except ValueError:
        raise BookError("not_number", f"{text!r} is not a number", typed=text[:20]) from None
    if value < 0:
        raise BookError("negative", f"{value} is negative")
    limit = active_members(distribution.organization_id)
    if value > limit:
        raise BookError("too_many", f"{value} is more than the {limit} active members",
                        limit=limit)
    return value


def set_members_given(distribution: BookDistribution, typed: str | int, actor: str,
                      now: datetime) -> int | None:
    """Record how many members got a copy (audited with the value before); returns the value
    before (None: first report). BookError ("not_confirmed") before the receipt, or a bad
    count (given_count)."""
    if distribution.confirmed_at is None:
        raise BookError("not_confirmed", f"distribution {distribution.id} is not confirmed")
    value = given_count(distribution, typed)
    before = distribution.members_given
    if before != value:
        distribution.members_given = value
        audit(actor, "book.members_given", target(distribution), distribution=distribution.id,
              before=before, after=value, at=now.isoformat())
    return before
