"""Audiences: who a push reaches (everyone, organisations, tags, roles, a campaign's, and the
members with no participation in a month: 本月未参学党员)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select

import clock
from bot.suggest import suggest
from models import (
    Campaign,
    Member,
    Membership,
    MemberStatus,
    Organization,
    Participation,
    Role,
    RoleGrant,
    Tag,
    TagMember,
    TagOrganization,
    db,
)

KINDS = ("all", "orgs", "tags", "roles", "campaign", "idle")
MONTH = re.compile(r"(\d{4})-(\d{2})")


class AudienceError(ValueError):
    """An audience that cannot be resolved; the message says why, in plain English, and the
    reason (with its parameters) lets a form say it in Chinese."""

    def __init__(self, message: str, reason: str = "invalid", **params: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Recipient:
    """One member an audience reaches."""

    member_id: int
    userid: str


def _org_subtree(root_ids: set[int]) -> set[int]:
    """The organisations and all their descendants."""
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in db.session.execute(select(Organization.id, Organization.parent_id)):
        children.setdefault(parent_id, []).append(org_id)
    found, todo = set(root_ids), list(root_ids)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def org_id(value: Any) -> int:
    """The id of an organisation given by id or by name (AudienceError if there is none)."""
    query = select(Organization.id)
    query = (query.where(Organization.id == int(value)) if str(value).isdecimal()
             else query.where(Organization.name == str(value)))
    found = db.session.scalar(query)
    if found is None:
        names = db.session.scalars(select(Organization.name).order_by(Organization.id))
        raise AudienceError(f"no organisation named {value!r}{suggest(str(value), names)}",
                            "unknown_org", value=str(value))
    return found


def _org_ids(values: list[Any]) -> set[int]:
    return _org_subtree({org_id(value) for value in values})


def local_month(moment: datetime) -> str:
    """The committee's month holding `moment`, as "YYYY-MM" (the value of an idle audience)."""
    return f"{clock.local(moment):%Y-%m}"


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """A committee month "YYYY-MM" as UTC start (inclusive) and end (exclusive)."""
    found = MONTH.fullmatch(month)
    if found is None or not 1 <= int(found[2]) <= 12:
        raise AudienceError(f"not a month {month!r}; use YYYY-MM", "month")
    span = clock.month(int(found[1]), int(found[2]))
    return span.start, span.end


def idle_audience(moment: datetime) -> dict[str, Any]:
    """The members with no participation in the committee's month of `moment` (本月未参学)."""
    return {"kind": "idle", "values": [local_month(moment)]}


def describe(audience: dict[str, Any]) -> str:
    """A short English description, for listings."""
    kind = audience.get("kind")
    values = audience.get("values") or []
    return "everyone" if kind == "all" else f"{kind}: {', '.join(map(str, values))}"


def validate(audience: dict[str, Any]) -> dict[str, Any]:
    """Check an audience's shape; returns it normalised."""
    kind = audience.get("kind")
    if kind not in KINDS:
        raise AudienceError(f"unknown audience kind {kind!r}; use one of {', '.join(KINDS)}",
                            "kind")
    values = list(audience.get("values") or [])
    if kind != "all" and not values:
        raise AudienceError(f"audience {kind} needs at least one value", "empty", kind=kind)
    if kind == "roles":
        unknown = [v for v in values if v not in set(Role)]
        if unknown:
            raise AudienceError(f"unknown role(s) {', '.join(map(str, unknown))}", "unknown_role",
                                values=[str(v) for v in unknown])
    if kind == "idle":
        if len(values) != 1:
            raise AudienceError("an idle audience names exactly one month (YYYY-MM)", "month")
        month_bounds(str(values[0]))
    if kind == "orgs":
        for value in values:
            org_id(value)
    if kind == "campaign":
        if len(values) != 1:
            raise AudienceError("a campaign audience names exactly one campaign", "campaign")
        if db.session.scalars(select(Campaign.id).where(Campaign.name == values[0])).first() \
                is None:
            names = db.session.scalars(select(Campaign.name).order_by(Campaign.id))
            raise AudienceError(f"no campaign {values[0]!r}{suggest(str(values[0]), names)}",
                                "campaign")
    return {"kind": kind, "values": values}


def resolve(audience: dict[str, Any]) -> list[Recipient]:
    """The active members an audience reaches, each once, in a stable order."""
    audience = validate(audience)
    kind, values = audience["kind"], audience["values"]
    if kind == "campaign":  # the campaign's own audience (never itself a campaign)
        campaign = db.session.scalars(select(Campaign).where(Campaign.name == values[0])).one()
        return resolve(campaign.audience)
    query = select(Member.id, Member.userid).where(Member.status == MemberStatus.ACTIVE)
    if kind == "orgs":
        orgs = _org_ids(values)
        query = query.where(Member.id.in_(
            select(Membership.member_id).where(Membership.organization_id.in_(orgs))))
    elif kind == "tags":
        tag_ids = select(Tag.id).where(Tag.wecom_tag_id.in_([int(v) for v in values]))
        tagged_orgs = set(db.session.scalars(
            select(TagOrganization.organization_id).where(TagOrganization.tag_id.in_(tag_ids))))
        in_orgs = select(Membership.member_id).where(
            Membership.organization_id.in_(_org_subtree(tagged_orgs)))
        tagged = select(TagMember.member_id).where(TagMember.tag_id.in_(tag_ids))
        query = query.where(Member.id.in_(tagged) | Member.id.in_(in_orgs))
    elif kind == "roles":
        query = query.where(Member.id.in_(
            select(RoleGrant.member_id).where(RoleGrant.role.in_(values))))
    elif kind == "idle":  # an anti-join on (member_id, occurred_at), indexed
        start, end = month_bounds(str(values[0]))
        query = query.where(~exists().where(
            Participation.member_id == Member.id, Participation.occurred_at >= start,
            Participation.occurred_at < end))
    return [Recipient(mid, uid) for mid, uid in db.session.execute(query.order_by(Member.id))]
