"""Campaign progress (冬训进度): per member, per organisation, for the whole committee.

What counts as done, item by item:
- a material: the member finished it (读完了 on the reading page; opening it is not enough),
  at any time, since studying it before the campaign began is still studying it;
- a lecture: the member checked in (a present check-in, or the lecture's ledger row);
- N reflections: N submitted within the campaign's period (returned ones do not count until
  they are submitted again);
- study hours: the ledger's hours within the period reach the campaign's required hours.
A member who has done everything gets one CAMPAIGN_ITEM participation (source campaign:ID).
Everything is computed in bulk (a handful of queries for the whole audience).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select

import clock
from bot.jobs import run_tick
from campaigns.campaigns import campaign_items
from models import (
    Campaign,
    CampaignItem,
    CampaignItemKind,
    CheckIn,
    CheckInStatus,
    MaterialRead,
    Member,
    Membership,
    Organization,
    Participation,
    ParticipationKind,
    Reflection,
    ReflectionStatus,
    db,
)
from participation import ledger
from roster import audience

# Above this many members the queries read the whole item and filter in Python.
FILTER_IN_SQL_UP_TO = 500
COUNTED_REFLECTIONS = (ReflectionStatus.SUBMITTED, ReflectionStatus.REVIEWED,
                       ReflectionStatus.FEATURED)


class Status(enum.StrEnum):
    """Where a member stands in a campaign."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class ItemProgress:
    """One required item for one member: how much is done of how much is needed."""

    item_id: int
    kind: str
    title: str
    have: int
    need: int

    @property
    def done(self) -> bool:
        """Whether the item is done."""
        return self.have >= self.need


@dataclass(frozen=True)
class MemberProgress:
    """One member's progress in one campaign."""

    member_id: int
    items: tuple[ItemProgress, ...]
    hours: float
    required_hours: float

    @property
    def hours_done(self) -> bool:
        """Whether the study hours within the period reach the requirement."""
        return self.hours >= self.required_hours

    @property
    def status(self) -> Status:
        """Done (everything, and there was something to do), in progress, or not started."""
        if (self.items or self.required_hours) and self.hours_done \
                and all(i.done for i in self.items):
            return Status.DONE
        if self.hours > 0 or any(i.have for i in self.items):
            return Status.IN_PROGRESS
        return Status.NOT_STARTED


@dataclass(frozen=True)
class OrgProgress:
    """An organisation's members in a campaign, counted by status."""

    organization_id: int | None
    name: str
    members: int
    done: int
    in_progress: int
    not_started: int

    @property
    def rate(self) -> float:
        """The share of members done (0 for an empty organisation)."""
        return self.done / self.members if self.members else 0.0


def period_bounds(campaign: Campaign) -> tuple[datetime, datetime]:
    """The campaign's period as UTC instants: its first day 00:00 to after its last day."""
    return clock.at(campaign.starts_on), clock.at(campaign.ends_on + timedelta(days=1))


def audience_ids(campaign: Campaign) -> list[int]:
    """The active members the campaign is for."""
    return [r.member_id for r in audience.resolve(campaign.audience)]


def running_campaigns(today: date) -> list[Campaign]:
    """Campaigns running on `today` (the committee's date), the one that started last first."""
    return list(db.session.scalars(
        select(Campaign).where(Campaign.starts_on <= today, Campaign.ends_on >= today)
        .order_by(Campaign.starts_on.desc(), Campaign.id.desc())))


def _member_filter(column: ColumnElement[int], member_ids: Collection[int] | None
                   ) -> list[ColumnElement[bool]]:
    if member_ids is not None and len(member_ids) <= FILTER_IN_SQL_UP_TO:
        return [column.in_(list(member_ids))]
    return []


def _done_pairs(items: list[CampaignItem], member_ids: Collection[int] | None
                ) -> set[tuple[int, int]]:
    """(member id, item id) for every material finished and lecture checked in."""
    done: set[tuple[int, int]] = set()
    by_material = {i.material_id: i.id for i in items if i.kind == CampaignItemKind.MATERIAL}
    if by_material:
        for member_id, material_id in db.session.execute(
                select(MaterialRead.member_id, MaterialRead.material_id).where(
                    MaterialRead.material_id.in_(list(by_material)),
                    MaterialRead.completed_at.is_not(None),
                    *_member_filter(MaterialRead.member_id, member_ids))):
            done.add((member_id, by_material[material_id]))
    by_lecture = {i.lecture_id: i.id for i in items if i.kind == CampaignItemKind.LECTURE}
    if by_lecture:
        for member_id, lecture_id in db.session.execute(
                select(CheckIn.member_id, CheckIn.lecture_id).where(
                    CheckIn.lecture_id.in_(list(by_lecture)),
                    CheckIn.status == CheckInStatus.PRESENT,
                    *_member_filter(CheckIn.member_id, member_ids))):
            done.add((member_id, by_lecture[lecture_id]))
        by_source = {f"lecture:{lecture_id}": item_id for lecture_id, item_id in by_lecture.items()}
        for member_id, source in db.session.execute(
                select(Participation.member_id, Participation.source).where(
                    Participation.kind == ParticipationKind.LECTURE,
                    Participation.source.in_(list(by_source)),
                    *_member_filter(Participation.member_id, member_ids))):
            done.add((member_id, by_source[source]))
    return done


def _reflections(campaign: Campaign, member_ids: Collection[int] | None) -> dict[int, int]:
    start, end = period_bounds(campaign)
    return {member_id: int(count) for member_id, count in db.session.execute(
        select(Reflection.member_id, func.count(Reflection.id)).where(
            Reflection.status.in_(COUNTED_REFLECTIONS), Reflection.submitted_at >= start,
            Reflection.submitted_at < end, *_member_filter(Reflection.member_id, member_ids))
        .group_by(Reflection.member_id))}


def _hours(campaign: Campaign, member_ids: Collection[int] | None) -> dict[int, float]:
    """Ledger hours within the period, without the campaign's own completion row."""
    start, end = period_bounds(campaign)
    return {member_id: round(float(hours or 0), 2) for member_id, hours in db.session.execute(
        select(Participation.member_id, func.sum(Participation.hours)).where(
            Participation.occurred_at >= start, Participation.occurred_at < end,
            Participation.source != completion_source(campaign),
            *_member_filter(Participation.member_id, member_ids))
        .group_by(Participation.member_id))}


def progress(campaign: Campaign, member_ids: Collection[int]) -> dict[int, MemberProgress]:
    """Each given member's progress in the campaign (whether in its audience or not)."""
    items = campaign_items(campaign)
    done = _done_pairs(items, member_ids)
    reflections = (_reflections(campaign, member_ids)
                   if any(i.kind == CampaignItemKind.REFLECTION for i in items) else {})
    hours = _hours(campaign, member_ids)
    result: dict[int, MemberProgress] = {}
    for member_id in member_ids:
        states = []
        for item in items:
            if item.kind == CampaignItemKind.REFLECTION:
                have = min(reflections.get(member_id, 0), item.count)
            else:
                have = 1 if (member_id, item.id) in done else 0
            states.append(ItemProgress(item.id, item.kind, item.title, have,
                                       item.count if item.kind == CampaignItemKind.REFLECTION
                                       else 1))
        result[member_id] = MemberProgress(member_id, tuple(states), hours.get(member_id, 0.0),
                                           float(campaign.required_hours or 0))
    return result


def member_progress(campaign: Campaign, member_id: int) -> MemberProgress:
    """One member's progress in the campaign."""
    return progress(campaign, [member_id])[member_id]


def main_organizations(member_ids: Collection[int]) -> dict[int, int]:
    """Member id → main organisation id, for the given members."""
    wanted = set(member_ids)
    return {member_id: org_id for member_id, org_id in db.session.execute(
        select(Membership.member_id, Membership.organization_id).where(Membership.is_main))
            if member_id in wanted}


def by_organization(found: dict[int, MemberProgress]) -> list[OrgProgress]:
    """The members' progress counted per main organisation, lowest completion rate first."""
    orgs = main_organizations(found)
    counts: dict[int | None, dict[Status, int]] = defaultdict(lambda: dict.fromkeys(Status, 0))
    for member_id, state in found.items():
        counts[orgs.get(member_id)][state.status] += 1
    names = dict(db.session.execute(select(Organization.id, Organization.name)).all())
    rows = [OrgProgress(org_id, names.get(org_id, "") if org_id else "", sum(c.values()),
                        c[Status.DONE], c[Status.IN_PROGRESS], c[Status.NOT_STARTED])
            for org_id, c in counts.items()]
    return sorted(rows, key=lambda r: (r.rate, -r.not_started, r.name))


def totals(rows: list[OrgProgress]) -> OrgProgress:
    """All organisations' rows added up."""
    return OrgProgress(None, "", sum(r.members for r in rows), sum(r.done for r in rows),
                       sum(r.in_progress for r in rows), sum(r.not_started for r in rows))


def member_names(member_ids: Collection[int]) -> list[str]:
    """The members' names, in id order."""
    if not member_ids:
        return []
    return list(db.session.scalars(
        select(Member.name).where(Member.id.in_(list(member_ids))).order_by(Member.id)))


def completion_source(campaign: Campaign) -> str:
    """The ledger source of a campaign's completion."""
    return f"campaign:{campaign.id}"


def award(campaign: Campaign, state: MemberProgress, now: datetime) -> bool:
    """Record the member's completion once (a CAMPAIGN_ITEM participation); True if new."""
    if state.status != Status.DONE:
        return False
    return ledger.record(state.member_id, ParticipationKind.CAMPAIGN_ITEM,
                         completion_source(campaign), now,
                         details={"campaign": campaign.name}) is not None


def settle(campaign: Campaign, now: datetime) -> int:
    """Record the completion of every audience member who has done everything; how many new."""
    members = audience_ids(campaign)
    recorded = set(db.session.scalars(select(Participation.member_id).where(
        Participation.kind == ParticipationKind.CAMPAIGN_ITEM,
        Participation.source == completion_source(campaign))))
    found = progress(campaign, members)
    return sum(award(campaign, state, now) for member_id, state in found.items()
               if member_id not in recorded)


def settle_running(now: datetime) -> int:
    """Settle every campaign running today or ended yesterday (so the last day counts)."""
    today = clock.today(now)
    campaigns = db.session.scalars(select(Campaign).where(
        Campaign.starts_on <= today, Campaign.ends_on >= today - timedelta(days=1)))
    count = sum(settle(campaign, now) for campaign in campaigns)
    db.session.commit()
    return count


def campaign_tick() -> int:
    """Cron tick: record campaign completions; returns how many were new."""
    return run_tick("campaign_tick", 1800, lambda: settle_running(clock.utcnow()))
