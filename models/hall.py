"""政治生活馆 / 阵地: the hall's open slots with their capacity, and organisations' bookings.

A slot's `booked` is the sum of the group sizes of its requested and confirmed bookings; it is
raised by one conditional UPDATE (`booked + size <= capacity`), so two contacts booking the
last places at once cannot both get them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.activity import Activity
from models.base import UTCDateTime, db, utcnow
from models.roster import Member, Organization

DEFAULT_HALL = "外企党员政治生活馆"


class HallSlot(db.Model):
    """An open slot of the hall: when, how many visitors it takes, how many are booked."""

    __tablename__ = "hall_slots"
    __table_args__ = (UniqueConstraint("hall", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    hall: Mapped[str] = mapped_column(String(100), default=DEFAULT_HALL)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int]
    booked: Mapped[int] = mapped_column(default=0)
    open: Mapped[bool] = mapped_column(default=True)  # closed slots take no new bookings
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    bookings: Mapped[list[VisitBooking]] = relationship(back_populates="slot",
                                                        order_by="VisitBooking.id")


class VisitStatus(enum.StrEnum):
    """Where a booking stands."""

    REQUESTED = "requested"  # waiting for an admin
    CONFIRMED = "confirmed"
    DECLINED = "declined"  # with a reason
    CANCELLED = "cancelled"  # by the contact, before the visit


class VisitBooking(db.Model):
    """An organisation's booking of a slot: group size, contact, purpose, the decision, and the
    activity (with its check-in) created when an admin confirms it."""

    __tablename__ = "visit_bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(ForeignKey("hall_slots.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    contact_phone: Mapped[str] = mapped_column(String(32), default="")
    group_size: Mapped[int]
    purpose: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=VisitStatus.REQUESTED, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")  # of a decline or cancellation
    decided_by: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    activity_id: Mapped[int | None] = mapped_column(ForeignKey("activities.id"), unique=True)
    booked_by: Mapped[str] = mapped_column(String(100))  # a userid or a console account
    message_key: Mapped[str | None] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    slot: Mapped[HallSlot] = relationship(back_populates="bookings")
    organization: Mapped[Organization] = relationship()
    contact: Mapped[Member | None] = relationship()
    activity: Mapped[Activity | None] = relationship()
