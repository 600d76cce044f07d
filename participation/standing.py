"""Where a member stands: points, study hours against the norm, ranks; and the leaderboards.

Everything is read from the yearly totals (`ParticipationTotal`, kept by `ledger.record`), so a
rank is two counts over at most one row per member. Only active members are ranked; a member
with no participation this year has 0 points and shares the last place. A member's
organisation is their main one now (from memberships), so a move shows at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, and_, func, select

from content.texts import SHANGHAI
from models import (
    Member,
    Membership,
    MemberStatus,
    Organization,
    Participation,
    ParticipationTotal,
    Role,
    db,
)
from participation.ledger import main_organization_id
from participation.settings import ParticipationSettings, participation_settings


@dataclass(frozen=True)
class Standing:
    """A member's year: points, hours against the norm, and places (None when not ranked)."""

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


def is_leader(member: Member, settings: ParticipationSettings) -> bool:
    """Whether the 56-hour norm applies: a contact (书记/联络员) or a leader's position."""
    if any(grant.role == Role.CONTACT for grant in member.grants):
        return True
    position = member.position or ""
    return any(word in position for word in settings.leader_words)


def norm_for(member: Member, settings: ParticipationSettings | None = None) -> float:
    """The member's yearly study-hours norm (32 for members, 56 for secretaries, by default)."""
    settings = settings or participation_settings()
    return settings.norm_leader if is_leader(member, settings) else settings.norm_member


def _ranked_members() -> ColumnElement[bool]:
    """Totals of active members."""
    return ParticipationTotal.member_id.in_(
        select(Member.id).where(Member.status == MemberStatus.ACTIVE))


def _in_organization(organization_id: int) -> ColumnElement[bool]:
    """Totals of members whose main organisation is `organization_id`."""
    return ParticipationTotal.member_id.in_(
        select(Membership.member_id).where(Membership.organization_id == organization_id,
                                           Membership.is_main))


def _active_count(organization_id: int | None) -> int:
    """How many active members are ranked (in the organisation, or in the committee)."""
    query = select(func.count(Member.id)).where(Member.status == MemberStatus.ACTIVE)
    if organization_id is not None:
        query = query.where(Member.id.in_(select(Membership.member_id).where(
            Membership.organization_id == organization_id, Membership.is_main)))
    return int(db.session.scalar(query) or 0)


def _rank(year: int, points: int, organization_id: int | None) -> int:
    """1 + the number of active members with more points (ties share a place)."""
    query = select(func.count(ParticipationTotal.id)).where(
        ParticipationTotal.year == year, ParticipationTotal.points > points, _ranked_members())
    if organization_id is not None:
        query = query.where(_in_organization(organization_id))
    return 1 + int(db.session.scalar(query) or 0)


def standing(member_id: int, year: int) -> Standing:
    """The member's points, hours, norm, participations and ranks for `year` (Shanghai)."""
    member = db.session.get(Member, member_id)
    if member is None:
        raise ValueError(f"no member {member_id}")
    total = db.session.execute(
        select(ParticipationTotal.points, ParticipationTotal.hours, ParticipationTotal.count)
        .where(ParticipationTotal.member_id == member_id, ParticipationTotal.year == year)
    ).first()
    points, hours, count = (int(total[0]), float(total[1]), int(total[2])) if total else (0, 0.0,
                                                                                          0)
    organization_id = main_organization_id(member_id)
    ranked = member.status == MemberStatus.ACTIVE
    org_rank = (_rank(year, points, organization_id)
                if ranked and organization_id is not None else None)
    return Standing(
        member_id=member_id, year=year, points=points, hours=round(hours, 2),
        norm=norm_for(member), participations=count, organization_id=organization_id,
        organization_rank=org_rank,
        organization_ranked=_active_count(organization_id) if organization_id else 0,
        committee_rank=_rank(year, points, None) if ranked else None,
        committee_ranked=_active_count(None))


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
    """Points per participation kind in the Shanghai calendar month holding `now`."""
    local = now.astimezone(SHANGHAI)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start.replace(year=start.year + 1, month=1) if start.month == 12
           else start.replace(month=start.month + 1))
    rows = db.session.execute(
        select(Participation.kind, func.sum(Participation.points))
        .where(Participation.member_id == member_id,
               Participation.occurred_at >= start.astimezone(UTC),
               Participation.occurred_at < end.astimezone(UTC))
        .group_by(Participation.kind))
    return {kind: int(points or 0) for kind, points in rows if points}

