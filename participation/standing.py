"""Where a member stands: points, study hours against the norm, ranks; and the leaderboards.

Everything is read from the yearly totals (`ParticipationTotal`, kept by `ledger.record`), so a
rank is two counts over at most one row per member. Only active members with points are
ranked: a member with 0 points this year has no place (nobody is first at zero). Ties share a
place (competition ranking: 1, 2, 2, 4). A member's organisation is their main one now (from
memberships), so a move shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, ScalarSelect, and_, exists, func, select

import clock
from models import (
    Member,
    Membership,
    MemberStatus,
    Organization,
    Participation,
    ParticipationTotal,
    Role,
    RoleGrant,
    db,
)
from participation.settings import ParticipationSettings, participation_settings


@dataclass(frozen=True)
class Standing:
    """A member's year: points, hours against the norm, and places (None when not ranked:
    an inactive member, or one with no points yet)."""

    member_id: int
    year: int
    points: int
    hours: float
    norm: float
    participations: int
    organization_id: int | None
    organization_rank: int | None
    organization_ranked: int
    committee_rank: int | None
    committee_ranked: int
    active: bool = True

    @property
    def hours_left(self) -> float:
        """Study hours still needed to reach the norm (0 once reached)."""
        return round(max(self.norm - self.hours, 0.0), 2)


@dataclass(frozen=True)
class Leader:
    """One line of a leaderboard."""

    rank: int
    member_id: int
    name: str
    organization: str
    points: int
    hours: float


def leader_norm_applies(position: str | None, is_contact: bool,
                        settings: ParticipationSettings) -> bool:
    """Whether the 56-hour norm applies: a contact (书记/联络员) or a leader's position."""
    return is_contact or any(word in (position or "") for word in settings.leader_words)


def norm_for(member: Member, settings: ParticipationSettings | None = None) -> float:
    """The member's yearly study-hours norm (32 for members, 56 for secretaries, by default)."""
    settings = settings or participation_settings()
    is_contact = any(grant.role == Role.CONTACT for grant in member.grants)
    return (settings.norm_leader if leader_norm_applies(member.position, is_contact, settings)
            else settings.norm_member)


def _count(*where: ColumnElement[bool], members: bool = False) -> ScalarSelect[int]:
    """count(*) of this year's totals (joined to members when asked), as a scalar subquery."""
    query = select(func.count()).select_from(ParticipationTotal)
    if members:
        query = query.join(Member, Member.id == ParticipationTotal.member_id)
    return query.where(*where).scalar_subquery()


def standing(member_id: int, year: int) -> Standing:
    """The member's points, hours, norm, participations and ranks for `year` (the committee's).

    Two round trips: the member's own row, then every count at once. The committee rank
    counts totals above on the (year, points) index and takes away the few inactive ones."""
    settings = participation_settings()
    main_org = (select(Membership.organization_id).where(Membership.member_id == Member.id)
                .order_by(Membership.is_main.desc(), Membership.id).limit(1).scalar_subquery())
    contact = exists().where(RoleGrant.member_id == Member.id, RoleGrant.role == Role.CONTACT)
    row = db.session.execute(
        select(Member.status, Member.position, ParticipationTotal.points,
               ParticipationTotal.hours, ParticipationTotal.count, main_org, contact)
        .outerjoin(ParticipationTotal, and_(ParticipationTotal.member_id == Member.id,
                                            ParticipationTotal.year == year))
        .where(Member.id == member_id)).first()
    if row is None:
        raise ValueError(f"no member {member_id}")
    status, position, points, hours, count, organization_id, is_contact = row
    points, hours, count = int(points or 0), float(hours or 0), int(count or 0)
    above = (ParticipationTotal.year == year, ParticipationTotal.points > points)
    active = Member.status == MemberStatus.ACTIVE
    counts = [_count(*above), _count(*above, Member.status != MemberStatus.ACTIVE, members=True),
              select(func.count()).select_from(Member).where(active).scalar_subquery()]
    if organization_id is not None:
        in_org = select(Membership.member_id).where(
            Membership.organization_id == organization_id, Membership.is_main)
        counts += [_count(*above, active, ParticipationTotal.member_id.in_(in_org), members=True),
                   select(func.count()).select_from(Member)
                   .where(active, Member.id.in_(in_org)).scalar_subquery()]
    all_above, inactive_above, ranked, *org = db.session.execute(select(*counts)).one()
    is_ranked = status == MemberStatus.ACTIVE and points > 0
    return Standing(
        member_id=member_id, year=year, points=points, hours=round(hours, 2),
        norm=(settings.norm_leader if leader_norm_applies(position, bool(is_contact), settings)
              else settings.norm_member),
        participations=count, organization_id=organization_id,
        organization_rank=1 + org[0] if org and is_ranked else None,
        organization_ranked=org[1] if org else 0,
        committee_rank=1 + all_above - inactive_above if is_ranked else None,
        committee_ranked=ranked, active=status == MemberStatus.ACTIVE)


def leaderboard(year: int, organization_id: int | None = None, limit: int = 10) -> list[Leader]:
    """The top active members by points (then hours) for `year`, in the organisation or all."""
    query = (
        select(ParticipationTotal.member_id, Member.name, Organization.name,
               ParticipationTotal.points, ParticipationTotal.hours)
        .join(Member, Member.id == ParticipationTotal.member_id)
        .outerjoin(Membership, and_(Membership.member_id == Member.id, Membership.is_main))
        .outerjoin(Organization, Organization.id == Membership.organization_id)
        .where(ParticipationTotal.year == year, ParticipationTotal.points > 0,
               Member.status == MemberStatus.ACTIVE)
        .order_by(ParticipationTotal.points.desc(), ParticipationTotal.hours.desc(),
                  Member.id)
        .limit(limit))
    if organization_id is not None:
        query = query.where(Membership.organization_id == organization_id)
    leaders: list[Leader] = []
    for member_id, name, org_name, points, hours in db.session.execute(query):
        # Competition ranking: everyone above with more points counts, equal points share.
        rank = (leaders[-1].rank if leaders and leaders[-1].points == points
                else len(leaders) + 1)
        leaders.append(Leader(rank, member_id, name, org_name or "", int(points),
                              round(float(hours), 2)))
    return leaders


def month_points(member_id: int, now: datetime) -> dict[str, int]:
    """Points per participation kind in the committee's calendar month holding `now`."""
    month = clock.month_of(now)
    rows = db.session.execute(
        select(Participation.kind, func.sum(Participation.points))
        .where(Participation.member_id == member_id,
               Participation.occurred_at >= month.start,
               Participation.occurred_at < month.end)
        .group_by(Participation.kind))
    return {kind: int(points or 0) for kind, points in rows if points}

