"""学习用书发放: study books and their distribution to organisations, with the receipt each
organisation's contact confirms in chat."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow
from models.roster import Member, Organization


class Book(db.Model):
    """A study book (学习用书) the committee hands out: its title and the copies it has."""

    __tablename__ = "books"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    publisher: Mapped[str] = mapped_column(String(100), default="")
    copies: Mapped[int] = mapped_column(default=0)  # copies the committee has to hand out
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    form_key: Mapped[str | None] = mapped_column(String(64), unique=True)

    distributions: Mapped[list[BookDistribution]] = relationship(back_populates="book")


class BookDistribution(db.Model):
    """Copies of a book sent to one organisation, and its contact's receipt.

    `confirmed_at` is set once, by the first confirmation; `members_given` is how many members
    got a copy, as the contact reported it (None: not reported)."""

    __tablename__ = "book_distributions"
    __table_args__ = (UniqueConstraint("book_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    book_id: Mapped[int] = mapped_column(ForeignKey("books.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    copies: Mapped[int]
    sent_on: Mapped[date]
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    confirmed_by_actor: Mapped[str | None] = mapped_column(String(100))  # a console account
    members_given: Mapped[int | None]
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminders: Mapped[int] = mapped_column(default=0)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    book: Mapped[Book] = relationship(back_populates="distributions")
    organization: Mapped[Organization] = relationship()
    confirmed_by: Mapped[Member | None] = relationship()
