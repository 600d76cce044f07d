"""学习用书 commands: `books list` (the year's books and their receipts) and `books remind`
(the reminder tick once). Thin wrappers; the console's 学习用书 page does the day-to-day work."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

import clock
from books.reminders import send_reminders
from bot.jobs import enqueue_deliveries
from models import Book, BookDistribution, db, utcnow

books_cli = AppGroup("books", help="学习用书: study books, their distribution and receipts.")


@books_cli.command("list")
@click.option("--year", type=int, default=None, help="The committee year (default: this one).")
def books_list(year: int | None) -> None:
    """Each book with the organisations sent it that year, confirmed, and members given."""
    year = year or clock.year_of(utcnow())
    rows = db.session.execute(
        select(Book.id, Book.title, Book.copies, func.count(BookDistribution.id),
               func.count(BookDistribution.confirmed_at),
               func.coalesce(func.sum(BookDistribution.members_given), 0))
        .join(BookDistribution, BookDistribution.book_id == Book.id)
        .where(BookDistribution.sent_on >= date(year, 1, 1),
               BookDistribution.sent_on <= date(year, 12, 31))
        .group_by(Book.id, Book.title, Book.copies).order_by(Book.id)).all()
    if not rows:
        click.echo(f"no books sent in {year}")
    for book_id, title, copies, orgs, confirmed, given in rows:
        click.echo(f"{book_id}\t{title}\tcopies {copies}\torganisations {orgs}\t"
                   f"confirmed {confirmed}\tmembers given {given}")


@books_cli.command("remind")
def books_remind() -> None:
    """Remind the contacts of unconfirmed distributions now (what the cron tick does)."""
    result = send_reminders(utcnow())
    db.session.commit()
    enqueue_deliveries(list(result.outbound_ids))
    if result.skipped:
        click.echo(f"no reminders: {result.skipped.replace('_', ' ')}")
    else:
        click.echo(f"{result.distributions} distribution(s) reminded, "
                   f"{result.contacts} contact(s) told")


COMMAND_GROUPS = (books_cli,)
