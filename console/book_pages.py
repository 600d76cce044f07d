"""学习用书: the books and their distributions by year (filter 未确认 lists those not confirmed
with the days since they were sent), one book with its distributions and the distribute form,
and the contacts' 确认收到 and 发到党员人数.

Admins register books and distribute them (each form carries a one-time key, so a double
submit writes once; a registered book also keeps its key in `books.form_key`). A contact sees
the books sent to their organisations and only those distributions, and confirms and reports
for their own organisations: a book never sent to them is 404, a distribution of another
organisation is refused with 403 (as 问题箱 refuses a question outside their organisations).
Confirming twice keeps the first confirmation. Every change is audited by books.records and
books.receipts.
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

import clock
from books import cards, receipts, records
from books.people import active_members
from books.records import BookError
from books.settings import book_settings
from bot import keys
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from console import once
from console.auth import guard, viewer
from console.scope import org_scope
from console.views import bp, local, not_found, page, paginate
from content import book_texts as bk
from content import console_texts as t
from models import Book, BookDistribution, Organization, OrgKind, Role, db, utcnow

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
STATUSES = tuple(bk.STATUS_FILTERS)
PER_PAGE = 50
FIRST_YEAR = 2000


def form_claim(form_key: str) -> str:
    """The Redis key a 学习用书 form's one-time key is claimed under."""
    return f"{keys.PREFIX}:console:book-form:{form_key}"


def _year(now_year: int) -> int:
    year = request.args.get("year", type=int)
    return year if year is not None and FIRST_YEAR <= year <= now_year + 1 else now_year


def _in_year(query: Any, year: int) -> Any:
    return query.where(BookDistribution.sent_on >= date(year, 1, 1),
                       BookDistribution.sent_on <= date(year, 12, 31))


def _filtered(query: Any, status: str) -> Any:
    if status == "unconfirmed":
        return query.where(BookDistribution.confirmed_at.is_(None))
    if status == "confirmed":
        return query.where(BookDistribution.confirmed_at.is_not(None))
    return query


def _book_rows(year: int, scope: frozenset[int] | None) -> list[dict[str, Any]]:
    """The year's books (sent that year, or registered that year for admins) with their
    per-row counts in the viewer's scope."""
    sent = _in_year(receipts.scoped(select(BookDistribution.book_id), scope), year)
    period = clock.year(year)
    query = select(Book).where(Book.id.in_(sent))
    if scope is None:
        query = select(Book).where(or_(Book.id.in_(sent), and_(
            Book.created_at >= period.start, Book.created_at < period.end)))
    found = list(db.session.scalars(query.order_by(Book.created_at.desc(), Book.id.desc())))
    counts = {row.book_id: row for row in db.session.execute(
        receipts.scoped(select(
            BookDistribution.book_id, func.count(BookDistribution.id).label("orgs"),
            func.coalesce(func.sum(BookDistribution.copies), 0).label("copies"),
            func.count(BookDistribution.confirmed_at).label("confirmed"),
            func.coalesce(func.sum(BookDistribution.members_given), 0).label("given")),
            scope).where(BookDistribution.book_id.in_([b.id for b in found]))
        .group_by(BookDistribution.book_id))}
    rows = []
    for book in found:
        count = counts.get(book.id)
        rows.append({"book": book, "orgs": count.orgs if count else 0,
                     "copies": count.copies if count else 0,
                     "confirmed": count.confirmed if count else 0,
                     "given": count.given if count else 0})
    return rows


def _listing(code: int = 200, errors: dict[str, str] | None = None,
             typed: dict[str, str] | None = None) -> Response:
    """The books page: the year's books, their distributions by status, the new-book form."""
    now = utcnow()
    this_year = clock.year_of(now)
    year = _year(this_year)
    status = request.args.get("status", "all")
    if status not in STATUSES:
        status = "all"
    scope = org_scope(viewer())
    base = _in_year(receipts.scoped(select(BookDistribution), scope), year)
    counts = {s: int(db.session.scalar(select(func.count()).select_from(
        _filtered(base, s).subquery())) or 0) for s in STATUSES}
    order = ((BookDistribution.sent_on, BookDistribution.id) if status == "unconfirmed"
             else (BookDistribution.sent_on.desc(), BookDistribution.id.desc()))
    query = _filtered(base, status).options(
        selectinload(BookDistribution.book), selectinload(BookDistribution.organization),
        selectinload(BookDistribution.confirmed_by)).order_by(*order)
    rows = paginate(query, per_page=PER_PAGE)
    settings = book_settings()
    return page("books.html", code, bk=bk, year=year,
                years=list(range(this_year + 1, FIRST_YEAR - 1, -1))[:8], status=status,
                counts=counts, books=_book_rows(year, scope), rows=rows,
                today=clock.today(now), overdue_days=settings.remind_after_days,
                mine=_mine(), limits=_limits(rows.items), errors=errors or {},
                typed=typed or {}, form_key=secrets.token_urlsafe(18), book_name=cards.book_name,
                confirmer=receipts.confirmer)


def _mine() -> frozenset[int]:
    """The organisations the viewer confirms and reports for (a contact's own)."""
    who = viewer()
    return who.org_ids if Role.CONTACT in who.roles else frozenset()


def _limits(rows: Any) -> dict[int, int]:
    """Active members per organisation of the viewer's own rows (the members-given bound)."""
    mine = _mine()
    return {org_id: active_members(org_id)
            for org_id in {r.organization_id for r in rows if r.organization_id in mine}}


@bp.get("/books", endpoint="books")
@guard(Role.ADMIN, Role.CONTACT)
def books_listing() -> Response:
    """学习用书: the year's books and distributions (status=unconfirmed: not confirmed yet)."""
    return _listing()


def _error(exc: BookError) -> str:
    """A refusal in Chinese."""
    return bk.ERRORS.get(exc.reason, str(exc)).format(**{"typed": "", "limit": 0, **exc.details})


def _fresh_key() -> str | None:
    """The submitted one-time key when well formed, else None (flashed as expired)."""
    key = request.form.get("form_key", "")
    if FORM_KEY.fullmatch(key):
        return key
    flash(bk.FORM_EXPIRED, "error")
    return None


@bp.post("/books", endpoint="book_create")
@guard(Role.ADMIN)
def book_create() -> Response:
    """登记学习用书: a book with its copies, once per form key (audited)."""
    key = _fresh_key()
    form = {name: request.form.get(name, "") for name in ("title", "publisher", "copies",
                                                          "notes")}
    if key is None:
        return _listing(400, typed=form)
    claim = form_claim(key)
    made = once.made(claim)
    if made is not None and made != "pending":
        flash(bk.FORM_USED, "ok")
        return redirect(url_for(".book_detail", book_id=int(made)), 303)
    if made is not None or not once.claim(claim):
        flash(bk.FORM_USED, "ok")
        return redirect(url_for(".books"), 303)
    who = viewer()
    try:
        book = records.create_book(form["title"], form["publisher"], form["copies"],
                                   form["notes"], who.actor, utcnow(), form_key=key)
        db.session.commit()
    except BookError as exc:
        db.session.rollback()
        once.release(claim)
        flash(bk.FORM_INVALID, "error")
        field = "copies" if exc.reason in ("not_number", "negative", "too_big") else "title"
        return _listing(400, {field: _error(exc)}, form)
    except IntegrityError:  # the same key committed before Redis forgot it
        db.session.rollback()
        existing = db.session.scalar(select(Book.id).where(Book.form_key == key))
        flash(bk.FORM_USED, "ok")
        return redirect(url_for(".book_detail", book_id=existing) if existing
                        else url_for(".books"), 303)
    once.done(claim, book.id)
    flash(bk.CREATED.format(book=cards.book_name(book.title), copies=book.copies), "ok")
    return redirect(url_for(".book_detail", book_id=book.id), 303)


def _book(book_id: int) -> Book:
    """The book if the viewer may see it: 404 when missing or never sent to a contact's
    organisations."""
    book = records.find_book(book_id)
    if book is None:
        abort(not_found())
    scope = org_scope(viewer())
    if scope is not None and not db.session.scalar(
            receipts.scoped(select(BookDistribution.id), scope)
            .where(BookDistribution.book_id == book.id).limit(1)):
        abort(not_found())
    return book


def _detail(book: Book, code: int = 200, errors: dict[str, str] | None = None,
            typed: dict[str, Any] | None = None) -> Response:
    """The book's page: its counts, its distributions in the viewer's scope, the form."""
    scope = org_scope(viewer())
    rows = list(db.session.scalars(
        receipts.scoped(select(BookDistribution), scope)
        .where(BookDistribution.book_id == book.id)
        .options(selectinload(BookDistribution.organization),
                 selectinload(BookDistribution.confirmed_by))
        .join(Organization, Organization.id == BookDistribution.organization_id)
        .order_by(Organization.order, Organization.name)))
    given = records.given_copies(book.id)
    now = utcnow()
    open_orgs = records.open_organizations(book.id) if scope is None else []
    return page("book.html", code, bk=bk, book=book, rows=rows, given=given,
                left=book.copies - given, open_orgs=open_orgs, kinds=list(OrgKind),
                today=clock.today(now), overdue_days=book_settings().remind_after_days,
                mine=_mine(), limits=_limits(rows), errors=errors or {}, typed=typed or {},
                form_key=secrets.token_urlsafe(18), book_name=cards.book_name,
                confirmer=receipts.confirmer)


@bp.get("/books/<int:book_id>", endpoint="book_detail")
@guard(Role.ADMIN, Role.CONTACT)
def book_detail(book_id: int) -> Response:
    """One book: its distributions with their status, who confirmed when, members given."""
    return _detail(_book(book_id))


def _sent_on(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


@bp.post("/books/<int:book_id>/distribute", endpoint="book_distribute")
@guard(Role.ADMIN)
def book_distribute(book_id: int) -> Response:
    """寄出: the book to all, one kind, or chosen organisations, once per form key; their
    contacts get the receipt card after the commit (audited)."""
    book = _book(book_id)
    typed: dict[str, Any] = {
        "target": request.form.get("target", "all"), "kind": request.form.get("kind", ""),
        "orgs": request.form.getlist("orgs", type=int),
        "copies_each": request.form.get("copies_each", ""),
        "sent_on": request.form.get("sent_on", "")}
    key = _fresh_key()
    if key is None:
        return _detail(book, 400, typed=typed)
    claim = form_claim(key)
    if once.made(claim) is not None or not once.claim(claim):
        flash(bk.FORM_USED, "ok")
        return redirect(url_for(".book_detail", book_id=book.id), 303)
    who, now, outbox = viewer(), utcnow(), Outbox(db.session)
    try:
        organizations = records.targets(book, typed["target"], typed["kind"], typed["orgs"])
        done = records.distribute(book, organizations, typed["copies_each"],
                                  _sent_on(typed["sent_on"]), who.actor, now, clock.today(now),
                                  outbox)
        db.session.commit()
    except (BookError, IntegrityError) as exc:
        db.session.rollback()
        once.release(claim)
        flash(bk.FORM_INVALID, "error")
        reason = exc if isinstance(exc, BookError) else BookError("raced", "given meanwhile")
        return _detail(book, 400 if isinstance(exc, BookError) else 409,
                       {"distribute": _error(reason)}, typed)
    once.done(claim, book.id)
    enqueue_deliveries(done.outbound_ids)
    flash(bk.DISTRIBUTED.format(orgs=len(done.rows), book=cards.book_name(book.title),
                                copies=done.copies, contacts=done.contacts), "ok")
    if done.without_contact:
        flash(bk.WITHOUT_CONTACT.format(names="、".join(done.without_contact)), "error")
    return redirect(url_for(".book_detail", book_id=book.id), 303)


def _own(distribution_id: int) -> BookDistribution:
    """A distribution the viewer confirms and reports for: 404 when missing (or outside a
    contact's scope entirely), 403 when it is not of the viewer's own organisations."""
    distribution = receipts.find(distribution_id)
    if distribution is None:
        abort(not_found())
    if distribution.organization_id not in _mine():
        abort(page("notice.html", 403, title=t.FORBIDDEN_TITLE, detail=bk.OUT_OF_SCOPE))
    return distribution


def _back(distribution: BookDistribution) -> Response:
    target = request.form.get("back", "")
    if target == "books":  # the listing of the distribution's year, where its row stays
        return redirect(url_for(".books", year=distribution.sent_on.year), 303)
    return redirect(url_for(".book_detail", book_id=distribution.book_id), 303)


@bp.post("/books/distributions/<int:distribution_id>/confirm", endpoint="book_confirm")
@guard(Role.ADMIN, Role.CONTACT)
def book_confirm(distribution_id: int) -> Response:
    """确认收到: the contact confirms the receipt for their organisation, once (audited)."""
    distribution = _own(distribution_id)
    who = viewer()
    values = {"org": distribution.organization.name,
              "book": cards.book_name(distribution.book.title)}
    if receipts.confirm(distribution, who.member_id, who.actor, utcnow()):
        db.session.commit()
        flash(bk.CONFIRMED_CONSOLE.format(**values), "ok")
    else:
        db.session.rollback()
        flash(bk.ERRORS["already_confirmed"].format(
            **values, at=local(distribution.confirmed_at),
            by=receipts.confirmer(distribution)), "ok")
    return _back(distribution)


@bp.post("/books/distributions/<int:distribution_id>/given", endpoint="book_given")
@guard(Role.ADMIN, Role.CONTACT)
def book_given(distribution_id: int) -> Response:
    """发到党员人数: how many members got a copy, at most the organisation's active members."""
    distribution = _own(distribution_id)
    values = {"org": distribution.organization.name,
              "book": cards.book_name(distribution.book.title)}
    try:
        receipts.set_members_given(distribution, request.form.get("members_given", ""),
                                   viewer().actor, utcnow())
        db.session.commit()
    except BookError as exc:
        db.session.rollback()
        flash(bk.ERRORS.get(exc.reason, bk.ERRORS["not_number"]).format(
            **values, typed=str(exc.details.get("typed", "")),
            limit=exc.details.get("limit", 0)), "error")
        return _back(distribution)
    flash(bk.GIVEN_SAVED_CONSOLE.format(**values, count=distribution.members_given), "ok")
    return _back(distribution)
