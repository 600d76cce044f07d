"""Who acts for an organisation on its books: its active contacts (told by card, reminded,
allowed to confirm), and how many active members it has (the bound of the members given)."""

from __future__ import annotations

from sqlalchemy import func, select

from models import Member, Membership, MemberStatus, Organization, Role, RoleGrant, db


def active_contacts(organization_id: int) -> list[str]:
    """The userids of the organisation's active contacts, in a stable order."""
    return list(db.session.scalars(
        select(Member.userid).join(RoleGrant, RoleGrant.member_id == Member.id)
        .where(RoleGrant.role == Role.CONTACT, RoleGrant.organization_id == organization_id,
               Member.status == MemberStatus.ACTIVE)
        .order_by(Member.userid).distinct()))


def contact_org_ids(member_id: int) -> frozenset[int]:
    """The active organisations the member is a contact of."""
    return frozenset(db.session.scalars(
        select(RoleGrant.organization_id)
        .join(Organization, Organization.id == RoleGrant.organization_id)
        .where(RoleGrant.member_id == member_id, RoleGrant.role == Role.CONTACT,
               Organization.active)))


def active_members(organization_id: int) -> int:
    """How many active members the organisation has (any of their memberships)."""
    return int(db.session.scalar(
        select(func.count(func.distinct(Membership.member_id)))
        .join(Member, Member.id == Membership.member_id)
        .where(Membership.organization_id == organization_id,
               Member.status == MemberStatus.ACTIVE)) or 0)
