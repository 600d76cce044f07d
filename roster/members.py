"""Applying what WeCom says about a member or a department to the roster, one record at a time.

Shared by the full sync and the live change_contact events, so both reach the same result.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from models import Member, Membership, MemberStatus, Organization, db

log = logging.getLogger(__name__)

# WeCom user status: 1 active, 2 disabled, 4 not yet activated (still a member), 5 left.
STATUS_FROM_WECOM = {1: MemberStatus.ACTIVE, 2: MemberStatus.DISABLED, 4: MemberStatus.ACTIVE,
                     5: MemberStatus.LEFT}


class RosterChange(enum.StrEnum):
    """What applying one roster record did to a member or department."""

    ADDED = "added"
    UPDATED = "updated"
    MOVED = "moved"
    RETURNED = "returned"
    LEFT = "left"
    UNCHANGED = "unchanged"


@dataclass
class MemberRecord:
    """What WeCom says of one user; None means 'not said, leave as is'."""

    userid: str
    name: str | None = None
    departments: list[int] | None = None
    main_department: int | None = None
    position: str | None = None
    status: str | None = None

    @classmethod
    def from_wecom(cls, user: dict) -> MemberRecord:
        """From a user/get or user/list record."""
        departments = [int(d) for d in user.get("department") or []]
        main = user.get("main_department")
        return cls(
            userid=str(user["userid"]),
            name=str(user.get("name") or user["userid"]),
            departments=departments,
            main_department=int(main) if main else (departments[0] if departments else None),
            position=str(user.get("position") or "") or None,
            status=STATUS_FROM_WECOM.get(int(user.get("status") or 1), MemberStatus.ACTIVE),
        )


def organizations_by_dept() -> dict[int, Organization]:
    """Every organisation that is a WeCom department, by department id."""
    orgs = db.session.scalars(select(Organization).where(Organization.wecom_dept_id.is_not(None)))
    return {org.wecom_dept_id: org for org in orgs if org.wecom_dept_id is not None}


def members_by_userid(userids: Iterable[str] | None = None) -> dict[str, Member]:
    """Members (with memberships loaded) by userid; all of them when userids is None."""
    query = select(Member).options(selectinload(Member.memberships))
    if userids is not None:
        query = query.where(Member.userid.in_(list(userids)))
    return {m.userid: m for m in db.session.scalars(query)}


def _set_memberships(member: Member, orgs: list[Organization], main: Organization | None) -> bool:
    """Make the member's memberships exactly `orgs` with `main` as main; True if changed."""
    wanted = {org.id: org for org in orgs}
    main_id = main.id if main is not None else (orgs[0].id if orgs else None)
    current = {m.organization_id: m for m in member.memberships}
    changed = False
    for org_id, membership in current.items():
        if org_id not in wanted:
            member.memberships.remove(membership)
            changed = True
    for org_id, org in wanted.items():
        membership = current.get(org_id)
        if membership is None:
            member.memberships.append(Membership(organization=org, is_main=org_id == main_id))
            changed = True
        elif membership.is_main != (org_id == main_id):
            membership.is_main = org_id == main_id
            changed = True
    return changed


def _resolve(departments: list[int], orgs: dict[int, Organization], userid: str
             ) -> list[Organization]:
    found = []
    for dept_id in departments:
        org = orgs.get(dept_id)
        if org is None:
            log.warning("member %s is in unknown WeCom department %s; ignored", userid, dept_id)
        else:
            found.append(org)
    return found


def apply_record(record: MemberRecord, member: Member | None, orgs: dict[int, Organization],
                 today: date) -> tuple[Member, RosterChange]:
    """Create or update one member from a WeCom record; says what changed."""
    if member is None:
        member = Member(userid=record.userid, name=record.name or record.userid,
                        position=record.position, status=record.status or MemberStatus.ACTIVE,
                        joined_on=today)
        if member.status == MemberStatus.LEFT:
            member.left_on = today
        db.session.add(member)
        departments = _resolve(record.departments or [], orgs, record.userid)
        _set_memberships(member, departments, orgs.get(record.main_department or -1))
        return member, RosterChange.ADDED
    outcome = RosterChange.UNCHANGED
    if record.departments is not None:
        departments = _resolve(record.departments, orgs, record.userid)
        main = orgs.get(record.main_department or -1)
        if _set_memberships(member, departments, main):
            outcome = RosterChange.MOVED
    for field in ("name", "position"):
        value = getattr(record, field)
        if value is not None and getattr(member, field) != value:
            setattr(member, field, value)
            outcome = outcome if outcome != RosterChange.UNCHANGED else RosterChange.UPDATED
    if record.status is not None and record.status != member.status:
        outcome = _change_status(member, record.status, today) or outcome
    return member, outcome


def _change_status(member: Member, status: str, today: date) -> RosterChange | None:
    was_left = member.status == MemberStatus.LEFT
    member.status = status
    if status == MemberStatus.LEFT:
        member.left_on = today
        return RosterChange.LEFT
    if was_left:
        member.left_on = None
        return RosterChange.RETURNED
    return RosterChange.UPDATED


def mark_left(member: Member, today: date) -> bool:
    """Mark a member as left (history kept); False if they already were."""
    if member.status == MemberStatus.LEFT:
        return False
    member.status = MemberStatus.LEFT
    member.left_on = today
    return True


@dataclass
class DepartmentRecord:
    """What WeCom says of one department; None means 'not said'."""

    dept_id: int
    name: str | None = None
    parent_id: int | None = None
    order: int | None = None


def apply_department(record: DepartmentRecord, orgs: dict[int, Organization]) -> RosterChange:
    """Create or update one organisation from a WeCom department (its parent must be known)."""
    org = orgs.get(record.dept_id)
    parent = orgs.get(record.parent_id) if record.parent_id else None
    if record.parent_id and parent is None and record.parent_id != record.dept_id:
        log.warning("department %s has unknown parent %s", record.dept_id, record.parent_id)
    if org is None:
        org = Organization(wecom_dept_id=record.dept_id, name=record.name or str(record.dept_id),
                           parent=parent, order=record.order or 0)
        db.session.add(org)
        orgs[record.dept_id] = org
        return RosterChange.ADDED
    outcome = RosterChange.UNCHANGED
    if not org.active:
        org.active = True
        outcome = RosterChange.RETURNED
    if record.name is not None and org.name != record.name:
        org.name = record.name
        outcome = RosterChange.UPDATED if outcome == RosterChange.UNCHANGED else outcome
    if record.parent_id is not None and parent is not None and org.parent_id != parent.id:
        org.parent = parent
        outcome = RosterChange.MOVED
    if record.order is not None and org.order != record.order:
        org.order = record.order
        outcome = RosterChange.UPDATED if outcome == RosterChange.UNCHANGED else outcome
    return outcome


def close_department(org: Organization) -> bool:
    """Mark an organisation inactive (its history stays); False if it already was."""
    if not org.active:
        return False
    org.active = False
    return True
