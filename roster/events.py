"""Live contact changes (change_contact events) applied to the roster as they arrive."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from bot.inbound import ChangeContactEvent
from models import Member, Tag, TagMember, TagOrganization, db
from roster.members import (
    STATUS_FROM_WECOM,
    DepartmentRecord,
    MemberRecord,
    RosterChange,
    apply_department,
    apply_record,
    close_department,
    mark_left,
    members_by_userid,
    organizations_by_dept,
)

log = logging.getLogger(__name__)


def _ids(value: str | None) -> list[int]:
    """'1,2,3' -> [1, 2, 3]; anything unparsable is skipped with a log line."""
    found = []
    for part in (value or "").split(","):
        part = part.strip()
        if part.lstrip("-").isdecimal():
            found.append(int(part))
        elif part:
            log.warning("ignoring non-numeric id %r in a contact event", part)
    return found


def _words(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(",") if p.strip()]


def _optional_int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdecimal() else None


def member_record(raw: dict[str, str], userid: str) -> MemberRecord:
    """The fields a create_user/update_user event carries; absent ones stay None."""
    status = _optional_int(raw.get("Status"))
    return MemberRecord(
        userid=userid,
        name=raw.get("Name") or None,
        departments=_ids(raw["Department"]) if "Department" in raw else None,
        main_department=_optional_int(raw.get("MainDepartment")),
        position=raw.get("Position") if "Position" in raw else None,
        status=STATUS_FROM_WECOM.get(status) if status is not None else None,
    )


def _find(userid: str) -> Member | None:
    return members_by_userid([userid]).get(userid)


def user_changed(event: ChangeContactEvent, today: date) -> RosterChange | None:
    """create_user / update_user (including NewUserID renames)."""
    raw = event.raw
    userid = raw.get("UserID", "").strip()
    if not userid:
        log.warning("%s without UserID ignored", event.change_type)
        return None
    member = _find(userid)
    new_userid = raw.get("NewUserID", "").strip()
    if member is not None and new_userid and new_userid != userid:
        if _find(new_userid) is not None:
            log.warning("rename %s -> %s ignored: %s already exists", userid, new_userid,
                        new_userid)
        else:
            member.userid = new_userid
            userid = new_userid
    record = member_record(raw, userid)
    if member is None:
        log.info("%s for unknown member %s: adding them", event.change_type, userid)
    _, outcome = apply_record(record, member, organizations_by_dept(), today)
    return outcome


def user_deleted(event: ChangeContactEvent, today: date) -> RosterChange | None:
    """delete_user: the member is marked left; nothing is deleted."""
    userid = event.raw.get("UserID", "").strip()
    member = _find(userid) if userid else None
    if member is None:
        log.info("delete_user for unknown member %r ignored", userid)
        return None
    return RosterChange.LEFT if mark_left(member, today) else RosterChange.UNCHANGED


def party_changed(event: ChangeContactEvent, today: date) -> RosterChange | None:
    """create_party / update_party."""
    raw = event.raw
    dept_id = _optional_int(raw.get("Id"))
    if dept_id is None:
        log.warning("%s without a numeric Id ignored", event.change_type)
        return None
    record = DepartmentRecord(dept_id, raw.get("Name") or None,
                              _optional_int(raw.get("ParentId")), _optional_int(raw.get("Order")))
    return apply_department(record, organizations_by_dept())


def party_deleted(event: ChangeContactEvent, today: date) -> RosterChange | None:
    """delete_party: the organisation is closed; its history stays."""
    dept_id = _optional_int(event.raw.get("Id"))
    org = organizations_by_dept().get(dept_id) if dept_id is not None else None
    if org is None:
        log.info("delete_party for unknown department %r ignored", event.raw.get("Id"))
        return None
    return RosterChange.LEFT if close_department(org) else RosterChange.UNCHANGED


def tag_changed(event: ChangeContactEvent, today: date) -> RosterChange | None:
    """update_tag: members and departments added to or removed from a tag."""
    raw = event.raw
    tag_id = _optional_int(raw.get("TagId"))
    if tag_id is None:
        log.warning("update_tag without a numeric TagId ignored")
        return None
    tag = db.session.scalars(select(Tag).where(Tag.wecom_tag_id == tag_id)).first()
    if tag is None:
        tag = Tag(wecom_tag_id=tag_id, name="")
        db.session.add(tag)
        db.session.flush()
    members = members_by_userid(_words(raw.get("AddUserItems")) + _words(raw.get("DelUserItems")))
    orgs = organizations_by_dept()
    for userid in _words(raw.get("AddUserItems")):
        if userid in members:
            _link(TagMember, tag.id, "member_id", members[userid].id, add=True)
    for userid in _words(raw.get("DelUserItems")):
        if userid in members:
            _link(TagMember, tag.id, "member_id", members[userid].id, add=False)
    for dept_id in _ids(raw.get("AddPartyItems")):
        if dept_id in orgs:
            _link(TagOrganization, tag.id, "organization_id", orgs[dept_id].id, add=True)
    for dept_id in _ids(raw.get("DelPartyItems")):
        if dept_id in orgs:
            _link(TagOrganization, tag.id, "organization_id", orgs[dept_id].id, add=False)
    return RosterChange.UPDATED


def _link(model: type[TagMember] | type[TagOrganization], tag_id: int, column: str,
          target_id: int, add: bool) -> None:
    existing = db.session.scalars(
        select(model).where(model.tag_id == tag_id, getattr(model, column) == target_id)
    ).first()
    if add and existing is None:
        db.session.add(model(tag_id=tag_id, **{column: target_id}))
    elif not add and existing is not None:
        db.session.delete(existing)


APPLIERS: dict[str, Callable[[ChangeContactEvent, date], RosterChange | None]] = {
    "create_user": user_changed,
    "update_user": user_changed,
    "delete_user": user_deleted,
    "create_party": party_changed,
    "update_party": party_changed,
    "delete_party": party_deleted,
    "update_tag": tag_changed,
}


def apply_change(event: ChangeContactEvent, today: date) -> RosterChange | None:
    """Apply one change_contact event; unknown change types are logged and ignored."""
    applier = APPLIERS.get(event.change_type)
    if applier is None:
        log.warning("unknown change_contact type %r ignored", event.change_type)
        return None
    outcome = applier(event, today)
    log.info("change_contact %s -> %s", event.change_type, outcome)
    return outcome


