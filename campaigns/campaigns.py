"""Campaigns: create, edit and close them, set what they require, find the current one.

The rules live here once, for the `campaign` CLI and the console's 活动 pages alike: each
refusal is a CampaignError whose message is plain English (the CLI prints it) and whose field
and reason (with parameters) let a form say it in Chinese beside the field.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

import clock
from bot.suggest import suggest
from checkins.checkin import lecture_confirmed
from content.texts import local_time
from content.titles import quoted
from models import (
    Broadcast,
    BroadcastStatus,
    Campaign,
    CampaignItem,
    CampaignItemKind,
    CampaignKind,
    Lecture,
    Material,
    Push,
    PushStatus,
    Tag,
    audit,
    db,
)
from roster import audience as audiences
from study.pushes import suggest_material

MAX_REQUIRED_HOURS = 500.0
NAME_LIMIT = 100
AUDIENCE_KINDS = ("all", "orgs", "tags", "roles")  # what `campaign add` offers


class CampaignError(ValueError):
    """A campaign (or a change to one) that cannot be made; the message says why, in plain
    English; `field` and `reason` (with `params`) let a form say it beside the field."""

    def __init__(self, message: str, reason: str = "invalid", field: str = "form",
                 **params: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.field = field
        self.params = params


class CampaignFormError(CampaignError):
    """Several fields are wrong (nothing was written); its message is the first problem's."""

    def __init__(self, problems: dict[str, CampaignError]) -> None:
        first = next(iter(problems.values()))
        super().__init__(str(first), first.reason, first.field, **first.params)
        self.problems = problems


class CampaignState(enum.StrEnum):
    """Where a campaign stands on a given day."""

    UPCOMING = "upcoming"
    RUNNING = "running"
    ENDED = "ended"


def state_of(campaign: Campaign, today: date) -> CampaignState:
    """Upcoming, running (today is within its period) or ended, on the committee's `today`."""
    if today < campaign.starts_on:
        return CampaignState.UPCOMING
    return CampaignState.RUNNING if today <= campaign.ends_on else CampaignState.ENDED


def parse_day(value: str, field: str = "form") -> date:
    """A day typed as YYYY-MM-DD (the CLI's --from/--to, a form's date picker)."""
    value = value.strip()
    if not value:
        raise CampaignError("a day is needed (YYYY-MM-DD)", "missing", field)
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise CampaignError(f"{value!r}: use YYYY-MM-DD", "date", field) from exc


def snapshot(campaign: Campaign) -> dict[str, Any]:
    """What a campaign says, for audit rows (before and after a change)."""
    return {"name": campaign.name, "kind": campaign.kind,
            "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
            "audience": campaign.audience, "required_hours": campaign.required_hours}


def _audience_problem(audience: dict[str, Any]) -> CampaignError | None:
    """Why the audience cannot be a campaign's (audiences.validate's rules, then known tags)."""
    kind = audience.get("kind")
    if kind == "campaign":
        return CampaignError("a campaign's audience cannot be another campaign",
                             "audience_campaign", "audience")
    if kind in audiences.KINDS and kind not in AUDIENCE_KINDS:
        return CampaignError(f"a campaign's audience is one of {', '.join(AUDIENCE_KINDS)}",
                             "audience_kind", "audience")
    try:
        audiences.validate(audience)
    except audiences.AudienceError as exc:
        return CampaignError(str(exc), f"audience_{exc.reason}", "audience", **exc.params)
    if kind == "tags":
        values = [str(v) for v in audience.get("values") or []]
        if not all(v.lstrip("-").isdecimal() for v in values):
            return CampaignError("a tag is given by its WeCom tag id (a number)",
                                 "audience_tag", "audience")
        known = set(db.session.scalars(select(Tag.wecom_tag_id).where(
            Tag.wecom_tag_id.in_([int(v) for v in values]))))
        unknown = [v for v in values if int(v) not in known]
        if unknown:
            return CampaignError(f"no WeCom tag {', '.join(unknown)} in the roster",
                                 "audience_unknown_tag", "audience", values=unknown)
    return None


def _names_in_use(name: str) -> dict[str, int]:
    """How many materials, live pushes and scheduled broadcasts name the campaign."""
    named = {"kind": "campaign", "values": [name]}
    pushes = db.session.scalars(select(Push.audience).where(
        Push.status.in_((PushStatus.ACTIVE, PushStatus.PAUSED))))
    broadcasts = db.session.scalars(select(Broadcast.audience).where(
        Broadcast.status == BroadcastStatus.SCHEDULED))
    return {"materials": int(db.session.scalar(select(func.count(Material.id)).where(
                Material.campaign == name)) or 0),
            "pushes": sum(1 for a in pushes if a == named),
            "broadcasts": sum(1 for a in broadcasts if a == named)}


def _lectures_outside(campaign: Campaign, starts_on: date, ends_on: date
                      ) -> list[tuple[CampaignItem, date]]:
    """The campaign's required lectures that would fall outside a new period."""
    found = []
    for item in campaign_items(campaign):
        lecture = db.session.get(Lecture, item.lecture_id) if item.lecture_id else None
        if lecture is not None:
            day = clock.today(lecture.starts_at)
            if not starts_on <= day <= ends_on:
                found.append((item, day))
    return found


def check_campaign(name: str, kind: str, starts_on: date | None, ends_on: date | None,
                   audience: dict[str, Any], campaign: Campaign | None = None,
                   problems: dict[str, CampaignError] | None = None) -> dict[str, Any]:
    """The clean fields of a new campaign (or of `campaign` edited); CampaignFormError with
    each field's problem. `problems` are the form's own (a day it could not read: None)."""
    found = dict(problems or {})

    def wrong(problem: CampaignError) -> None:
        found.setdefault(problem.field, problem)

    name = name.strip()
    if not name or len(name) > NAME_LIMIT:
        wrong(CampaignError(f"a campaign needs a name of 1 to {NAME_LIMIT} characters",
                            "name_length", "name", limit=NAME_LIMIT))
    if kind not in set(CampaignKind):
        wrong(CampaignError(f"unknown campaign kind {kind!r}; use one of "
                            f"{', '.join(CampaignKind)}", "kind", "kind"))
    if starts_on is not None and ends_on is not None and ends_on < starts_on:
        wrong(CampaignError("a campaign cannot end before it starts", "ends_before", "ends_on"))
    problem = _audience_problem(audience)
    if problem is not None and problem.reason in ("audience_campaign", "audience_kind"):
        wrong(problem)
    if "name" not in found:
        other = find_campaign(name)
        if other is not None and other is not campaign:
            wrong(CampaignError(f"a campaign named {name!r} exists already", "name_taken",
                                "name"))
        elif campaign is not None and name != campaign.name:
            uses = _names_in_use(campaign.name)
            if any(uses.values()):
                wrong(CampaignError(
                    f"{campaign.name} is named by {uses['materials']} material(s), "
                    f"{uses['pushes']} push(es) and {uses['broadcasts']} scheduled "
                    "broadcast(s); it keeps its name", "name_in_use", "name", **uses))
    if problem is not None:
        wrong(problem)
    if campaign is not None and starts_on is not None and ends_on is not None \
            and "ends_on" not in found:
        for item, day in _lectures_outside(campaign, starts_on, ends_on):
            wrong(CampaignError(
                f"{campaign.name} requires lecture {item.lecture_id} on {day}, outside "
                f"{starts_on} – {ends_on}; remove it first (campaign unrequire)",
                "lecture_outside_period", "starts_on" if day < starts_on else "ends_on",
                title=item.title, day=day.isoformat()))
    if found:
        raise CampaignFormError(found)
    assert starts_on is not None and ends_on is not None
    return {"name": name, "kind": kind, "starts_on": starts_on, "ends_on": ends_on,
            "audience": audiences.validate(audience)}


def create_campaign(actor: str, name: str, kind: str, starts_on: date, ends_on: date,
                    audience: dict[str, Any]) -> Campaign:
    """Create a campaign (audited); its audience must not itself be a campaign."""
    values = check_campaign(name, kind, starts_on, ends_on, audience)
    campaign = Campaign(**values, created_by=actor)
    db.session.add(campaign)
    db.session.flush()
    audit(actor, "campaign.add", campaign.name, kind=kind, starts_on=starts_on.isoformat(),
          ends_on=ends_on.isoformat(), audience=campaign.audience, before=None,
          after=snapshot(campaign))
    return campaign


def update_campaign(actor: str, campaign: Campaign, name: str, kind: str, starts_on: date,
                    ends_on: date, audience: dict[str, Any]) -> bool:
    """Save new fields over a campaign (checked as a new one is, audited); True if anything
    changed. Its name stays while materials, pushes or broadcasts name it."""
    values = check_campaign(name, kind, starts_on, ends_on, audience, campaign)
    before = snapshot(campaign)
    for column, value in values.items():
        setattr(campaign, column, value)
    after = snapshot(campaign)
    if after == before:
        return False
    audit(actor, "campaign.edit", campaign.name, campaign=campaign.id, before=before,
          after=after)
    return True


def close_campaign(actor: str, campaign: Campaign, today: date) -> bool:
    """End a running campaign today (its last day becomes today, so today's work still
    counts); False if it ends today or ended already. Audited."""
    if today < campaign.starts_on:
        raise CampaignError(f"{campaign.name} starts on {campaign.starts_on}; change its dates "
                            "instead of closing it", "not_started",
                            starts=campaign.starts_on.isoformat())
    if campaign.ends_on <= today:
        return False
    before = snapshot(campaign)
    campaign.ends_on = today
    audit(actor, "campaign.close", campaign.name, campaign=campaign.id, before=before,
          after=snapshot(campaign))
    return True


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


def describe_item(item: CampaignItem) -> dict[str, Any]:
    """A required item as audit rows keep it."""
    return {"id": item.id, "kind": item.kind, "material": item.material_id,
            "lecture": item.lecture_id, "count": item.count, "title": item.title}


def _require_material(campaign: Campaign, slug: str) -> CampaignItem:
    material = db.session.scalars(select(Material).where(Material.slug == slug)).first()
    if material is None:
        raise CampaignError(f"no material {slug!r}{suggest_material(slug)}",
                            "unknown_material", "material", slug=slug)
    if not material.active:
        raise CampaignError(f"material {slug!r} is no longer active", "material_retired",
                            "material", title=quoted(material.title))
    if any(i.material_id == material.id for i in campaign_items(campaign)):
        raise CampaignError(f"{campaign.name} already requires material {slug!r}",
                            "material_twice", "material", title=quoted(material.title))
    return CampaignItem(campaign_id=campaign.id, kind=CampaignItemKind.MATERIAL,
                        material_id=material.id, title=material.title)


def _require_lecture(campaign: Campaign, lecture_id: int) -> CampaignItem:
    lecture = db.session.get(Lecture, lecture_id)
    if lecture is None:
        raise CampaignError(f"no lecture {lecture_id}", "unknown_lecture", "lecture",
                            id=lecture_id)
    if not lecture_confirmed(lecture):  # it may still be replaced by a new dispatch
        raise CampaignError(f"lecture {lecture_id} is not confirmed by its lecturer",
                            "lecture_unconfirmed", "lecture", id=lecture_id)
    day = clock.today(lecture.starts_at)
    if not campaign.starts_on <= day <= campaign.ends_on:
        raise CampaignError(f"lecture {lecture_id} is on {day}, outside {campaign.name} "
                            f"({campaign.starts_on} – {campaign.ends_on})", "lecture_outside",
                            "lecture", day=day.isoformat())
    if any(i.lecture_id == lecture.id for i in campaign_items(campaign)):
        raise CampaignError(f"{campaign.name} already requires lecture {lecture_id}",
                            "lecture_twice", "lecture", id=lecture_id)
    return CampaignItem(campaign_id=campaign.id, kind=CampaignItemKind.LECTURE,
                        lecture_id=lecture.id,
                        title=f"{lecture.topic.title}（{local_time(lecture.starts_at)}）")


def require(actor: str, campaign: Campaign, *, material: str | None = None,
            lecture: int | None = None, reflections: int | None = None) -> CampaignItem:
    """Add one required item (a material to finish, a lecture to attend, N reflections)."""
    given = [v for v in (material, lecture, reflections) if v is not None]
    if len(given) != 1:
        raise CampaignError("name exactly one of --material, --lecture or --reflections",
                            "one_item")
    if material is not None:
        item = _require_material(campaign, material)
    elif lecture is not None:
        item = _require_lecture(campaign, lecture)
    else:
        assert reflections is not None
        if reflections < 1:
            raise CampaignError("the number of reflections must be at least 1",
                                "reflections_min", "reflections")
        if any(i.kind == CampaignItemKind.REFLECTION for i in campaign_items(campaign)):
            raise CampaignError(f"{campaign.name} already requires reflections; "
                                "remove that item first (campaign unrequire)",
                                "reflections_twice", "reflections")
        item = CampaignItem(campaign_id=campaign.id, kind=CampaignItemKind.REFLECTION,
                            count=reflections)
    before = [describe_item(i) for i in campaign_items(campaign)]
    db.session.add(item)
    db.session.flush()
    audit(actor, "campaign.require", campaign.name, item=item.id, kind=item.kind,
          material=material, lecture=lecture, reflections=reflections, before=before,
          after=[*before, describe_item(item)])
    return item


def unrequire(actor: str, campaign: Campaign, item_id: int) -> CampaignItem:
    """Remove one required item (by the number `campaign show` prints)."""
    item = db.session.get(CampaignItem, item_id)
    if item is None or item.campaign_id != campaign.id:
        raise CampaignError(f"{campaign.name} has no item {item_id} (see campaign show)",
                            "no_item", id=item_id)
    before = [describe_item(i) for i in campaign_items(campaign)]
    db.session.delete(item)
    audit(actor, "campaign.unrequire", campaign.name, item=item_id, kind=item.kind,
          title=item.title, before=before, after=[d for d in before if d["id"] != item_id])
    return item


def set_required_hours(actor: str, campaign: Campaign, hours: float) -> bool:
    """Set the study hours a member needs within the campaign's period (0: none); True if
    they changed (audited)."""
    if not 0 <= hours <= MAX_REQUIRED_HOURS:
        raise CampaignError(f"required hours must be between 0 and {MAX_REQUIRED_HOURS:g}",
                            "hours_range", "hours", limit=f"{MAX_REQUIRED_HOURS:g}")
    before = float(campaign.required_hours or 0)
    after = round(hours, 2)
    if after == before:
        return False
    campaign.required_hours = after
    audit(actor, "campaign.hours", campaign.name, before=before, after=after)
    return True
