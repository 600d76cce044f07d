"""Campaigns: create them, set what they require, find the current one."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

import clock
from bot.suggest import suggest
from content.texts import local_time
from models import (
    Campaign,
    CampaignItem,
    CampaignItemKind,
    CampaignKind,
    Lecture,
    Material,
    audit,
    db,
)

MAX_REQUIRED_HOURS = 500.0


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


def suggest_campaign(name: str) -> str:
    """"; did you mean: …?" with the campaigns whose name is close to `name`, or ""."""
    return suggest(name, db.session.scalars(select(Campaign.name).order_by(Campaign.id)))


def current_campaign(today: date) -> Campaign | None:
    """The campaign running today (the one that started last, if several)."""
    return db.session.scalars(
        select(Campaign).where(Campaign.starts_on <= today, Campaign.ends_on >= today)
        .order_by(Campaign.starts_on.desc())).first()


def campaign_items(campaign: Campaign) -> list[CampaignItem]:
    """The campaign's required items, in the order they were added."""
    return list(db.session.scalars(select(CampaignItem).where(
        CampaignItem.campaign_id == campaign.id).order_by(CampaignItem.id)))


def _require_material(campaign: Campaign, slug: str) -> CampaignItem:
    from study.pushes import suggest_material

    material = db.session.scalars(select(Material).where(Material.slug == slug)).first()
    if material is None:
        raise CampaignError(f"no material {slug!r}{suggest_material(slug)}")
    if not material.active:
        raise CampaignError(f"material {slug!r} is no longer active")
    if any(i.material_id == material.id for i in campaign_items(campaign)):
        raise CampaignError(f"{campaign.name} already requires material {slug!r}")
    return CampaignItem(campaign_id=campaign.id, kind=CampaignItemKind.MATERIAL,
                        material_id=material.id, title=material.title)


def _require_lecture(campaign: Campaign, lecture_id: int) -> CampaignItem:
    from participation.checkin import lecture_confirmed

    lecture = db.session.get(Lecture, lecture_id)
    if lecture is None:
        raise CampaignError(f"no lecture {lecture_id}")
    if not lecture_confirmed(lecture):  # it may still be replaced by a new dispatch
        raise CampaignError(f"lecture {lecture_id} is not confirmed by its lecturer")
    day = clock.today(lecture.starts_at)
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise CampaignError(f"lecture {lecture_id} is on {day}, outside {campaign.name} "
                            f"({campaign.starts_on} – {campaign.ends_on})")
    if any(i.lecture_id == lecture.id for i in campaign_items(campaign)):
        raise CampaignError(f"{campaign.name} already requires lecture {lecture_id}")
    return CampaignItem(campaign_id=campaign.id, kind=CampaignItemKind.LECTURE,
                        lecture_id=lecture.id,
                        title=f"{lecture.topic.title}（{local_time(lecture.starts_at)}）")


def require(actor: str, campaign: Campaign, *, material: str | None = None,
            lecture: int | None = None, reflections: int | None = None) -> CampaignItem:
    """Add one required item (a material to finish, a lecture to attend, N reflections)."""
    given = [v for v in (material, lecture, reflections) if v is not None]
    if len(given) != 1:
        raise CampaignError("name exactly one of --material, --lecture or --reflections")
    if material is not None:
        item = _require_material(campaign, material)
    elif lecture is not None:
        item = _require_lecture(campaign, lecture)
    else:
        assert reflections is not None
        if reflections < 1:
            raise CampaignError("the number of reflections must be at least 1")
        if any(i.kind == CampaignItemKind.REFLECTION for i in campaign_items(campaign)):
            raise CampaignError(f"{campaign.name} already requires reflections; "
                                "remove that item first (campaign unrequire)")
        item = CampaignItem(campaign_id=campaign.id, kind=CampaignItemKind.REFLECTION,
                            count=reflections)
    db.session.add(item)
    db.session.flush()
    audit(actor, "campaign.require", campaign.name, item=item.id, kind=item.kind,
          material=material, lecture=lecture, reflections=reflections)
    return item


def unrequire(actor: str, campaign: Campaign, item_id: int) -> CampaignItem:
    """Remove one required item (by the number `campaign show` prints)."""
    item = db.session.get(CampaignItem, item_id)
    if item is None or item.campaign_id != campaign.id:
        raise CampaignError(f"{campaign.name} has no item {item_id} (see campaign show)")
    db.session.delete(item)
    audit(actor, "campaign.unrequire", campaign.name, item=item_id, kind=item.kind,
          title=item.title)
    return item


def set_required_hours(actor: str, campaign: Campaign, hours: float) -> None:
    """Set the study hours a member needs within the campaign's period."""
    if not 0 <= hours <= MAX_REQUIRED_HOURS:
        raise CampaignError(f"required hours must be between 0 and {MAX_REQUIRED_HOURS:g}")
    before = campaign.required_hours
    campaign.required_hours = round(hours, 2)
    audit(actor, "campaign.hours", campaign.name, before=before, after=campaign.required_hours)
