"""Adding organisations and members by hand (the CLI and the demo); WeCom sync comes later."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from models import Member, Membership, Organization, OrgKind, Role, RoleGrant, db


class RosterError(ValueError):
    """Input that cannot go into the roster; the message says why, in plain English."""


def ensure_organization(name: str, kind: str = OrgKind.OTHER, parent: Organization | None = None,
                        wecom_dept_id: int | None = None) -> Organization:
    """The organisation of that name, created if missing."""
    if kind not in set(OrgKind):
        raise RosterError(f"unknown organisation kind {kind!r}; use one of {', '.join(OrgKind)}")
    org = db.session.scalars(select(Organization).where(Organization.name == name)).first()
    if org is None:
        org = Organization(name=name, kind=kind, parent=parent, wecom_dept_id=wecom_dept_id)
        db.session.add(org)
        db.session.flush()
    return org


def add_member(userid: str, name: str, organizations: Iterable[Organization] = (),
               roles: Iterable[str] = (), position: str | None = None) -> Member:
    """Add a member (or update name, organisations and roles of an existing one)."""
    userid = userid.strip()
    if not userid or len(userid) > 64 or any(c.isspace() for c in userid):
        raise RosterError(f"invalid WeCom userid {userid!r}")
    if not name.strip():
        raise RosterError("a member needs a name")
    member = db.session.scalars(select(Member).where(Member.userid == userid)).first()
    if member is None:
        member = Member(userid=userid, name=name.strip(), position=position)
        db.session.add(member)
    else:
        member.name = name.strip()
    orgs = list(organizations)
    known = {m.organization_id for m in member.memberships}
    for index, org in enumerate(orgs):
        if org.id not in known:
            is_main = index == 0 and not member.memberships
            member.memberships.append(Membership(organization=org, is_main=is_main))
    for role in roles:
        grant_role(member, role, orgs[0] if orgs else None)
    db.session.flush()
    return member


def grant_role(member: Member, role: str, organization: Organization | None = None) -> None:
    """Give a member a role; a contact acts for an organisation."""
    if role == "member":
        return
    if role not in set(Role):
        raise RosterError(f"unknown role {role!r}; use one of member, {', '.join(Role)}")
    if role == Role.CONTACT and organization is None:
        raise RosterError("a contact must belong to an organisation (give --org)")
    org_id = organization.id if role == Role.CONTACT and organization else None
    if any(g.role == role and g.organization_id == org_id for g in member.grants):
        return
    member.grants.append(RoleGrant(role=role, organization_id=org_id))
