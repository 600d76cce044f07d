"""Participation rates (参学率): the share of active members with at least one participation.

A member counts for the organisation of their main membership (active organisations only) and
only while active (not left, not disabled); the committee and each organisation kind add up the
same rows, so the figures agree with each other. Every figure is one SQL aggregate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, case, exists, func, select

import clock
from models import Member, Membership, MemberStatus, Organization, OrgKind, Participation, db


@dataclass(frozen=True)
class Rate:
    """How many active members there are and how many of them took part."""

    members: int = 0
    participating: int = 0

    @property
    def percent(self) -> float:
        """The rate in percent, one decimal (0 for nobody)."""
        return round(100.0 * self.participating / self.members, 1) if self.members else 0.0

    @property
    def idle(self) -> int:
        """Members who did not take part."""
        return self.members - self.participating


@dataclass(frozen=True)
class OrgRate:
    """One organisation's rate."""

    organization_id: int
    name: str
    kind: str
    rate: Rate


Period = clock.Period  # a half-open span [start, end) of UTC times


def month_period(moment: datetime) -> Period:
    """The committee's calendar month holding `moment`."""
    return clock.month_of(moment)


def year_period(year: int) -> Period:
    """The committee's calendar year."""
    return clock.year(year)


def took_part(period: Period) -> ColumnElement[bool]:
    """True for a member (correlated on members.id) with a participation in the period."""
    return exists().where(Participation.member_id == Member.id,
                          Participation.occurred_at >= period.start,
                          Participation.occurred_at < period.end)


def counted_members(*columns: ColumnElement) -> Select:
    """Active members with their main, active organisation, selecting `columns`."""
    return (select(*columns).select_from(Member)
            .join(Membership, (Membership.member_id == Member.id) & Membership.is_main)
            .join(Organization, Organization.id == Membership.organization_id)
            .where(Member.status == MemberStatus.ACTIVE, Organization.active))


def _rate_columns(period: Period) -> tuple[ColumnElement, ColumnElement]:
    return (func.count(Member.id),
            func.coalesce(func.sum(case((took_part(period), 1), else_=0)), 0))


def committee_rate(period: Period) -> Rate:
    """The whole committee's rate for the period."""
    members, participating = db.session.execute(counted_members(*_rate_columns(period))).one()
    return Rate(int(members), int(participating))


def kind_rates(period: Period) -> dict[str, Rate]:
    """The rate per organisation kind that has members, in the order foreign, private, state,
    other."""
    rows = db.session.execute(counted_members(Organization.kind, *_rate_columns(period))
                              .group_by(Organization.kind))
    order = {kind: index for index, kind in enumerate(OrgKind)}
    return {kind: Rate(int(members), int(part))
            for kind, members, part in sorted(rows, key=lambda r: (order.get(r[0], 99), r[0]))}


def org_rates(period: Period, org_ids: list[int] | None = None) -> list[OrgRate]:
    """The rate of every organisation with active members (or of the given ones), by name."""
    query = counted_members(Organization.id, Organization.name, Organization.kind,
                     *_rate_columns(period))
    if org_ids is not None:
        query = query.where(Organization.id.in_(org_ids))
    rows = db.session.execute(query.group_by(Organization.id, Organization.name,
                                             Organization.kind)
                              .order_by(Organization.name, Organization.id))
    return [OrgRate(org_id, name, kind, Rate(int(members), int(part)))
            for org_id, name, kind, members, part in rows]


def lowest(rates: list[OrgRate], count: int) -> list[OrgRate]:
    """The `count` organisations with the lowest rate (larger ones first among equals)."""
    return sorted(rates, key=lambda r: (r.rate.percent, -r.rate.members, r.name))[:count]


def non_participants(org_id: int, period: Period) -> list[str]:
    """Names of the organisation's active members with no participation in the period."""
    query = (counted_members(Member.name).where(Organization.id == org_id, ~took_part(period))
             .order_by(Member.name, Member.id))
    return list(db.session.scalars(query))
