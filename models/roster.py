"""The roster: organisations, members, their memberships and roles."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from models.base import UTCDateTime, db, utcnow


class OrgKind(enum.StrEnum):
    """What kind of enterprise an organisation belongs to (reports split by it)."""

    FOREIGN = "foreign"
    PRIVATE = "private"
    STATE = "state"
    OTHER = "other"


class MemberStatus(enum.StrEnum):
    """Whether a member is active, disabled in WeCom, or has left."""

    ACTIVE = "active"
    DISABLED = "disabled"
    LEFT = "left"


class Role(enum.StrEnum):
    """Roles beyond plain membership; they add up (a contact is also a member)."""

    CONTACT = "contact"
    LECTURER = "lecturer"
    ADMIN = "admin"


class Organization(db.Model):
    """A party organisation (a WeCom department), usually of one enterprise."""

    __tablename__ = "organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    wecom_dept_id: Mapped[int | None] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    kind: Mapped[str] = mapped_column(String(16), default=OrgKind.OTHER)
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    order: Mapped[int] = mapped_column(default=0, server_default="0")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    parent: Mapped[Organization | None] = relationship(remote_side=[id])


class Member(db.Model):
    """A person in the roster, keyed by WeCom userid; never deleted, only marked left."""

    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    userid: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.ACTIVE)
    joined_on: Mapped[date | None]
    left_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="member", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:
        """True while the member may use the bot."""
        return self.status == MemberStatus.ACTIVE

    @property
    def main_organization(self) -> Organization | None:
        """The member's main organisation, if any."""
        for membership in self.memberships:
            if membership.is_main:
                return membership.organization
        return self.memberships[0].organization if self.memberships else None

    def roles(self) -> set[str]:
        """Every role the member holds, always including plain 'member'."""
        return {"member", *(grant.role for grant in self.grants)}

    def has_role(self, role: Role, organization_id: int | None = None) -> bool:
        """True if the member holds the role (for contacts: for that organisation)."""
        for grant in self.grants:
            if grant.role != role:
                continue
            if organization_id is None or grant.organization_id in (None, organization_id):
                return True
        return False


class Membership(db.Model):
    """A member's place in an organisation; exactly one is the main one."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("member_id", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    is_main: Mapped[bool] = mapped_column(default=False)

    member: Mapped[Member] = relationship(back_populates="memberships")
    organization: Mapped[Organization] = relationship()


class RoleGrant(db.Model):
    """A role held by a member; contacts are scoped to an organisation."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("member_id", "role", "organization_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    batch: Mapped[int | None]  # lecturers: trained in the N-th batch
    specialties: Mapped[str | None] = mapped_column(String(200))  # lecturers: 理论, 党史, ...
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    member: Mapped[Member] = relationship(back_populates="grants")
    organization: Mapped[Organization | None] = relationship()


def find_member(userid: str) -> Member | None:
    """The member with this WeCom userid (roles loaded in the same query), or None."""
    query = select(Member).options(joinedload(Member.grants)).where(Member.userid == userid)
    return db.session.scalars(query).unique().first()


class RefusedUser(db.Model):
    """Someone who wrote to the bot but is not in the roster (so an admin can add them)."""

    __tablename__ = "refused_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    userid: Mapped[str] = mapped_column(String(64), unique=True)
    attempts: Mapped[int] = mapped_column(default=1)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
