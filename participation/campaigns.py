"""Campaigns: create them, find the current one, and tell whom they are for."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from models import Campaign, CampaignKind, audit, db


class CampaignError(ValueError):
    """A campaign that cannot be created; the message says why, in plain English."""


def create_campaign(actor: str, name: str, kind: str, starts_on: date, ends_on: date,
                    audience: dict[str, Any]) -> Campaign:
    """Create a campaign (audited); its audience must not itself be a campaign."""
    from study import audience as audiences

    name = name.strip()
    if not name or len(name) > 100:
        raise CampaignError("a campaign needs a name of 1 to 100 characters")
    if kind not in set(CampaignKind):
        raise CampaignError(f"unknown campaign kind {kind!r}; use one of {', '.join(CampaignKind)}")
    if ends_on < starts_on:
        raise CampaignError("a campaign cannot end before it starts")
    if audience.get("kind") == "campaign":
        raise CampaignError("a campaign's audience cannot be another campaign")
    if db.session.scalars(select(Campaign).where(Campaign.name == name)).first():
        raise CampaignError(f"a campaign named {name!r} exists already")
    try:
        audience = audiences.validate(audience)
    except audiences.AudienceError as exc:
        raise CampaignError(str(exc)) from exc
    campaign = Campaign(name=name, kind=kind, starts_on=starts_on, ends_on=ends_on,
                        audience=audience, created_by=actor)
    db.session.add(campaign)
    audit(actor, "campaign.add", name, kind=kind, starts_on=starts_on.isoformat(),
          ends_on=ends_on.isoformat(), audience=audience)
    return campaign


def find_campaign(name: str) -> Campaign | None:
    """The campaign of that name, or None."""
    return db.session.scalars(select(Campaign).where(Campaign.name == name)).first()


def current_campaign(today: date) -> Campaign | None:
    """The campaign running today (the one that started last, if several)."""
    return db.session.scalars(
        select(Campaign).where(Campaign.starts_on <= today, Campaign.ends_on >= today)
        .order_by(Campaign.starts_on.desc())).first()
