"""Changing the roster by hand: organisations, members and roles (CLI, import, demo), audited."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from sqlalchemy import select

from bot.suggest import suggest
from models import (
    Member,
    Membership,
    MemberStatus,
    Organization,
    OrgKind,
    Role,
    RoleGrant,
    db,
)

NAME_LENGTH = 200  # organizations.name


class RosterError(ValueError):
    """Input that cannot go into the roster; the message says why, in plain English."""


def check_kind(kind: str) -> None:
    """RosterError unless `kind` is an organisation kind."""
    if kind not in set(OrgKind):
        raise RosterError(f"unknown organisation kind {kind!r}; use one of {', '.join(OrgKind)}")


def ensure_organization(name: str, kind: str = OrgKind.OTHER, parent: Organization | None = None,
                        wecom_dept_id: int | None = None) -> Organization:
    """The organisation of that name, created if missing (sync, demo, `member add --create-org`;
    a typed name goes through find_organization, which never creates)."""
    check_kind(kind)
    org = organization_named(name)
    if org is None:
        org = Organization(name=name, kind=kind, parent=parent, wecom_dept_id=wecom_dept_id)
        db.session.add(org)
        db.session.flush()
    return org


def create_organization(name: str, kind: str = OrgKind.OTHER,
                        parent: Organization | None = None) -> Organization:
    """A new organisation (`org add`); RosterError if the name is taken or unusable."""
    check_kind(kind)
    name = name.strip()
    if not name or len(name) > NAME_LENGTH:
        raise RosterError(f"an organisation needs a name of 1 to {NAME_LENGTH} characters")
    if organization_named(name) is not None:
        raise RosterError(f"an organisation named {name!r} exists already")
    org = Organization(name=name, kind=kind, parent=parent)
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


def _check_role(role: str) -> None:
    if role not in set(Role):
        raise RosterError(f"unknown role {role!r}; use one of {', '.join(Role)}")


def grant_role(member: Member, role: str, organization: Organization | None = None,
               batch: int | None = None, specialties: str | None = None) -> bool:
    """Give a member a role (a contact acts for an organisation); False if they had it."""
    if role == "member":
        return False
    _check_role(role)
    if role == Role.CONTACT and organization is None:
        raise RosterError("a contact must belong to an organisation (give --org)")
    org_id = organization.id if role == Role.CONTACT and organization else None
    for grant in member.grants:
        if grant.role == role and grant.organization_id == org_id:
            changed = (batch is not None and grant.batch != batch) or (
                specialties is not None and grant.specialties != specialties)
            grant.batch = batch if batch is not None else grant.batch
            grant.specialties = specialties if specialties is not None else grant.specialties
            return changed
    member.grants.append(RoleGrant(role=role, organization_id=org_id, batch=batch,
                                   specialties=specialties))
    return True


def revoke_role(member: Member, role: str, organization: Organization | None = None) -> int:
    """Take a role away (for one organisation, or all of that role); returns how many."""
    _check_role(role)
    gone = [g for g in member.grants if g.role == role
            and (organization is None or g.organization_id == organization.id)]
    for grant in gone:
        member.grants.remove(grant)
    return len(gone)


def organization_named(name: str) -> Organization | None:
    """The organisation of that exact name, or None."""
    return db.session.scalars(select(Organization).where(Organization.name == name)
                              .order_by(Organization.id)).first()


def find_organization(name: str) -> Organization:
    """The organisation of that exact name, or RosterError naming the closest ones."""
    org = organization_named(name)
    if org is None:
        names = db.session.scalars(select(Organization.name).order_by(Organization.id))
        raise RosterError(f"no organisation named {name!r}{suggest(name, names)}")
    return org


def get_member(userid: str) -> Member:
    """The member with that userid, or RosterError naming the closest userids (or the userid
    of a member whose name is close: a name typed where a userid belongs)."""
    member = db.session.scalars(select(Member).where(Member.userid == userid)).first()
    if member is None:
        raise RosterError(f"no member with userid {userid!r}{suggest(userid, member_labels())}")
    return member


def main_organization_id(member_id: int) -> int | None:
    """The member's main organisation id (else the earliest), without loading the member."""
    return main_organization_ids([member_id]).get(member_id)


def main_organization_ids(member_ids: Collection[int] | None = None) -> dict[int, int]:
    """Each member's main organisation id (else that of the earliest membership), in one
    query: of the members given, or of every member with a membership when None."""
    statement = (select(Membership.member_id, Membership.organization_id)
                 .order_by(Membership.member_id, Membership.is_main.desc(), Membership.id))
    if member_ids is not None:
        statement = statement.where(Membership.member_id.in_(member_ids))
    found: dict[int, int] = {}
    for member_id, organization_id in db.session.execute(statement):
        found.setdefault(member_id, organization_id)
    return found


def member_labels() -> dict[str, str]:
    """Each member's userid and name, both leading to the userid (for close-name hints)."""
    rows = db.session.execute(select(Member.userid, Member.name).order_by(Member.id)).all()
    labels = {userid: userid for userid, _ in rows}
    for userid, name in rows:
        labels.setdefault(name, userid)
    return labels


def admin_userids() -> list[str]:
    """Userids of the active admins (told of new orders, applications, declines)."""
    return list(db.session.scalars(
        select(Member.userid).join(RoleGrant, RoleGrant.member_id == Member.id)
        .where(RoleGrant.role == Role.ADMIN, Member.status == MemberStatus.ACTIVE)
        .distinct().order_by(Member.userid)))
