"""Weekly nudges: a friendly reminder to members who drifted away, a digest to each contact.

Once a week (on `nudge_weekday`, never in the quiet hours) active members with no participation
for `idle_days` get one card pointing at today's material (a material delivery for each of
them, study/deliveries.py), and each contact gets the names of their organisations' members
who have not taken part this month. A `Nudge` row per member, kind
and ISO week is claimed before anything is queued (unique), so a member hears at most once a
week whatever the ticks do. Same text to many members = one outbound message (batched by the
delivery job); every message goes through the outbox and is sent after commit.

An admin may also remind a running campaign's members who have not done everything yet (the
console's 提醒未完成的党员): the same claim, kind campaign:<id> and the ISO week as period, so
each member hears about that campaign at most once a week however often it is pressed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.dialects import postgresql, sqlite

import clock
from bot.outbox import Outbox
from campaigns import progress
from content import nudge_texts as texts
from content import study_texts
from content.titles import quoted
from models import (
    Campaign,
    DeliveryVia,
    Material,
    Member,
    Membership,
    MemberStatus,
    Nudge,
    Organization,
    Participation,
    Role,
    RoleGrant,
    audit,
    db,
    utcnow,
)
from participation import rates
from participation.settings import ParticipationSettings, in_quiet_hours, participation_settings
from roster import audience
from study import deliveries
from study.library import todays_materials
from study.links import read_url

IDLE = "idle"
CONTACT_DIGEST = "contact_digest"
CAMPAIGN = "campaign"
CLAIM_CHUNK = 1000


@dataclass(frozen=True)
class NudgeResult:
    """What one run sent (or why it sent nothing)."""

    idle: int = 0
    digests: int = 0
    outbound_ids: tuple[int, ...] = ()
    skipped: str = ""  # "weekday" or "quiet hours" when the run did nothing


def week_of(now: datetime) -> str:
    """The committee's ISO week of `now`, e.g. 2026-W47 (a nudge's period)."""
    year, week, _ = clock.today(now).isocalendar()
    return f"{year}-W{week:02d}"


def _not_nudged(kind: str, period: str) -> Any:
    return ~exists().where(Nudge.member_id == Member.id, Nudge.kind == kind,
                           Nudge.period == period)


def idle_members(now: datetime, settings: ParticipationSettings) -> list[tuple[int, str]]:
    """(id, userid) of active members idle for `idle_days` and not yet nudged this week.

    A member added to the roster less than `idle_days` ago has not been idle that long."""
    cutoff = now - timedelta(days=settings.idle_days)
    recent = exists().where(Participation.member_id == Member.id,
                            Participation.occurred_at >= cutoff)
    query = (select(Member.id, Member.userid)
             .where(Member.status == MemberStatus.ACTIVE, Member.created_at <= cutoff, ~recent,
                    _not_nudged(IDLE, week_of(now)))
             .order_by(Member.id))
    return [(member_id, userid) for member_id, userid in db.session.execute(query)]


def claim(kind: str, period: str, member_ids: Iterable[int], now: datetime,
          details: dict[str, Any] | None = None) -> set[int]:
    """Insert the Nudge rows; the ids whose row this call wrote (a row already there is kept)."""
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    ids, claimed = list(member_ids), set()
    for first in range(0, len(ids), CLAIM_CHUNK):
        rows = [{"member_id": member_id, "kind": kind, "period": period, "sent_at": now,
                 "details": details or {}} for member_id in ids[first:first + CLAIM_CHUNK]]
        statement = (insert(Nudge).values(rows).on_conflict_do_nothing()
                     .returning(Nudge.member_id))
        claimed.update(db.session.scalars(statement))
    return claimed


def idle_payload(settings: ParticipationSettings,
                 material: Material | None = None) -> dict[str, Any]:
    """The reminder: a card with the material (a tracked link), or a text without one."""
    if material is None:
        return {"msgtype": "text",
                "text": {"content": texts.NUDGE_TEXT.format(days=settings.idle_days)}}
    description = texts.NUDGE_DESCRIPTION.format(
        days=settings.idle_days, title=quoted(material.title), minutes=material.minutes,
        kind=study_texts.KIND_NAMES.get(material.kind, material.kind))
    # One message for many members, so the link names no one: the opener is learned through
    # WeCom OAuth, and the read is recorded for whoever opens it.
    return {"msgtype": "textcard", "textcard": {
        "title": texts.NUDGE_TITLE, "description": description,
        "url": read_url(material.id), "btntxt": texts.NUDGE_BUTTON}}


def send_idle(outbox: Outbox, now: datetime, settings: ParticipationSettings) -> int:
    """Claim and queue this week's reminder to every idle member; how many were reminded."""
    members = idle_members(now, settings)
    claimed = claim(IDLE, week_of(now), (member_id for member_id, _ in members), now,
                    {"idle_days": settings.idle_days})
    users = [userid for member_id, userid in members if member_id in claimed]
    if users:
        materials = todays_materials(1)
        material = materials[0] if materials else None
        outbox.send(idle_payload(settings, material), users=users, once=True)
        if material is not None:  # the card's material reached them: one delivery each
            deliveries.record_many((m for m, _ in members if m in claimed), material.id,
                                   DeliveryVia.NUDGE, f"nudge:{week_of(now)}", now)
    return len(users)


def _contacts(period: str) -> dict[tuple[int, str], list[int]]:
    """Active contacts not yet sent this week's digest: (id, userid) -> organisation ids."""
    rows = db.session.execute(
        select(Member.id, Member.userid, RoleGrant.organization_id)
        .join(RoleGrant, RoleGrant.member_id == Member.id)
        .join(Organization, Organization.id == RoleGrant.organization_id)
        .where(RoleGrant.role == Role.CONTACT, Member.status == MemberStatus.ACTIVE,
               Organization.active, _not_nudged(CONTACT_DIGEST, period))
        .order_by(Member.id, Organization.name, Organization.id))
    contacts: dict[tuple[int, str], list[int]] = defaultdict(list)
    for member_id, userid, org_id in rows:
        contacts[(member_id, userid)].append(org_id)
    return contacts


def _idle_names(org_ids: set[int], month: rates.Period) -> dict[int, list[str]]:
    """The organisations' active members with no participation this month, by name."""
    rows = db.session.execute(
        select(Membership.organization_id, Member.name)
        .join(Member, Member.id == Membership.member_id)
        .where(Membership.is_main, Membership.organization_id.in_(org_ids),
               Member.status == MemberStatus.ACTIVE, ~rates.took_part(month))
        .order_by(Member.name, Member.id))
    names: dict[int, list[str]] = defaultdict(list)
    for org_id, name in rows:
        names[org_id].append(name)
    return names


def digest_text(now: datetime, org_rates: list[rates.OrgRate],
                names: dict[int, list[str]]) -> str | None:
    """A contact's digest for their organisations; None when all of them took part."""
    local = clock.local(now)
    lines = []
    for org in org_rates:
        idle = names.get(org.organization_id, [])
        if idle:
            rate = texts.RATE.format(participating=org.rate.participating,
                                     members=org.rate.members, percent=f"{org.rate.percent:.1f}")
            lines.append(texts.DIGEST_ORG.format(name=org.name, rate=rate, count=len(idle),
                                                 names=texts.NAMES_JOIN.join(idle)))
    if not lines:
        return None
    head = texts.DIGEST_HEAD.format(month=texts.MONTH.format(year=local.year, month=local.month),
                                    day=texts.DAY.format(month=local.month, day=local.day))
    return "\n".join([head, *lines, texts.DIGEST_FOOT])


def send_digests(outbox: Outbox, now: datetime) -> int:
    """Claim and queue this week's digest to every contact with idle members; how many."""
    period = week_of(now)
    contacts = _contacts(period)
    if not contacts:
        return 0
    month = clock.month_of(now)
    org_ids = {org_id for ids in contacts.values() for org_id in ids}
    by_org = {r.organization_id: r for r in rates.org_rates(month, sorted(org_ids))}
    names = _idle_names(org_ids, month)
    by_text: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for contact, ids in contacts.items():
        text = digest_text(now, [by_org[i] for i in ids if i in by_org], names)
        if text is not None:
            by_text[text].append(contact)
    sent = 0
    for text, group in by_text.items():
        claimed = claim(CONTACT_DIGEST, period, (member_id for member_id, _ in group), now)
        users = [userid for member_id, userid in group if member_id in claimed]
        if users:
            outbox.text(users, text, once=True)
            sent += len(users)
    return sent


def run_weekly(now: datetime | None = None) -> NudgeResult:
    """The weekly nudges when it is the day and not night; commits, returns what was queued."""
    now = now or utcnow()
    settings = participation_settings()
    if clock.today(now).weekday() != settings.nudge_weekday:
        return NudgeResult(skipped="weekday")
    if in_quiet_hours(now, settings.quiet_hours):
        return NudgeResult(skipped="quiet hours")
    outbox = Outbox(db.session, source_key=f"nudge:{week_of(now)}")
    idle = send_idle(outbox, now, settings)
    digests = send_digests(outbox, now)
    db.session.commit()
    return NudgeResult(idle, digests, tuple(outbox.pending_ids()))


@dataclass(frozen=True)
class CampaignNudge:
    """What reminding a campaign's members did: how many are behind, how many were reminded
    now (the others heard this week already), or why nothing was sent."""

    behind: int = 0
    nudged: int = 0
    outbound_ids: tuple[int, ...] = ()
    skipped: str = ""  # "quiet hours" or "not running" when nothing was sent


def campaign_kind(campaign: Campaign) -> str:
    """The Nudge kind of a campaign's reminders, e.g. campaign:3."""
    return f"{CAMPAIGN}:{campaign.id}"


def campaign_text(campaign: Campaign) -> str:
    """The reminder: the campaign, its last day, and how to see what is left."""
    return texts.CAMPAIGN_NUDGE.format(name=campaign.name, month=campaign.ends_on.month,
                                       day=campaign.ends_on.day)


def nudge_campaign(actor: str, campaign: Campaign, now: datetime | None = None) -> CampaignNudge:
    """Remind the campaign's audience members who are not done (campaigns.progress), each
    at most once a week; nothing in the quiet hours or outside the campaign's period. Audited;
    the caller commits and then hands `outbound_ids` to delivery."""
    now = now or utcnow()
    settings = participation_settings()
    today = clock.today(now)
    if not campaign.starts_on <= today <= campaign.ends_on:
        return CampaignNudge(skipped="not running")
    if in_quiet_hours(now, settings.quiet_hours):
        return CampaignNudge(skipped="quiet hours")
    userids = {r.member_id: r.userid for r in audience.resolve(campaign.audience)}
    found = progress.progress(campaign, list(userids))  # the audience, as audience_ids gives it
    behind = [member_id for member_id, state in found.items()
              if state.status != progress.Status.DONE]
    kind, period = campaign_kind(campaign), week_of(now)
    already = set(db.session.scalars(select(Nudge.member_id).where(
        Nudge.kind == kind, Nudge.period == period)))
    claimed = claim(kind, period, (m for m in behind if m not in already), now,
                    {"campaign": campaign.name})
    users = [userids[member_id] for member_id in behind if member_id in claimed]
    outbox = Outbox(db.session, source_key=f"nudge:{kind}:{period}")
    if users:
        outbox.text(users, campaign_text(campaign), once=True)
        db.session.flush()
    audit(actor, "campaign.nudge", campaign.name, campaign=campaign.id, period=period,
          behind=len(behind), nudged=len(users),
          before={"reminded_this_week": len(already)},
          after={"reminded_this_week": len(already) + len(users)})
    return CampaignNudge(len(behind), len(users), tuple(outbox.pending_ids()))
