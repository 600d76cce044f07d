"""新建活动 / 编辑活动 and the requirement forms: the fields read from the form, each problem
said in Chinese beside its field, nothing written while any is left. The rules are
campaigns.campaigns' (the `campaign` CLI's), never restated here: this module only reads
what was typed (a day, a number, the ticked audience) and words the problems.
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from campaigns.campaigns import (
    AUDIENCE_KINDS,
    CampaignError,
    CampaignFormError,
    check_campaign,
    parse_day,
)
from content import campaign_page_texts as ct
from models import Campaign, Organization, Role, Tag, db

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
WHOLE = re.compile(r"[+-]?\d{1,9}")
NUMBER = re.compile(r"[+-]?\d{1,6}(\.\d{1,4})?")
MANY = ("orgs", "tags", "roles")  # the audience kinds that name values


@dataclass(frozen=True)
class Fields:
    """A campaign form's fields, read and checked: what create/update_campaign take."""

    name: str
    kind: str
    starts_on: date
    ends_on: date
    audience: dict[str, Any]


@dataclass(frozen=True)
class Choice:
    """A box the audience part of the form offers: its value, its label, whether it is ticked,
    and whether the value still exists (a stored organisation may have gone)."""

    value: str
    label: str
    ticked: bool
    known: bool = True


def new_key() -> str:
    """A fresh one-time key for the 新建活动 form."""
    return secrets.token_urlsafe(16)


def error_text(problem: CampaignError) -> str:
    """A check's problem said in Chinese, for the form beside the field."""
    message = (ct.ERRORS.get(f"{problem.field}.{problem.reason}")
               or ct.ERRORS.get(problem.reason) or ct.ERRORS["invalid"])
    params = {name: ct.JOIN.join(map(str, value)) if isinstance(value, list) else value
              for name, value in problem.params.items()}
    try:
        return message.format(**params)
    except (KeyError, IndexError):
        return ct.ERRORS["invalid"]


def errors_of(exc: CampaignError) -> dict[str, str]:
    """Each field's problem in Chinese (a single CampaignError: its own field)."""
    problems = exc.problems if isinstance(exc, CampaignFormError) else {exc.field: exc}
    return {name: error_text(problem) for name, problem in problems.items()}


def _value(kind: str, raw: str) -> Any:
    """A ticked value as audiences store it: organisation ids and tag ids as numbers."""
    if kind in ("orgs", "tags") and WHOLE.fullmatch(raw):
        return int(raw)
    return raw


def audience_of(form: MultiDict[str, str]) -> dict[str, Any]:
    """The audience the form names: its kind and, for orgs, tags and roles, the ticked boxes."""
    kind = form.get("audience_kind", "").strip()
    if kind == "all":
        return {"kind": "all", "values": []}
    if kind in MANY:
        values = [_value(kind, v.strip()) for v in form.getlist(kind) if v.strip()]
        return {"kind": kind, "values": list(dict.fromkeys(values))}
    return {"kind": kind}


def read(form: MultiDict[str, str], campaign: Campaign | None = None) -> Fields:
    """The campaign the form describes, checked as campaigns.campaigns checks it (for an
    edit, against `campaign`); CampaignFormError with every field's problem."""
    problems: dict[str, CampaignError] = {}
    days: dict[str, date | None] = {}
    for field in ("starts_on", "ends_on"):
        try:
            days[field] = parse_day(form.get(field, ""), field)
        except CampaignError as exc:
            problems[field] = exc
            days[field] = None
    name, kind, audience = form.get("name", ""), form.get("kind", ""), audience_of(form)
    values = check_campaign(name, kind, days["starts_on"], days["ends_on"], audience, campaign,
                            problems)
    return Fields(values["name"], values["kind"], values["starts_on"], values["ends_on"],
                  values["audience"])


def shown_of(campaign: Campaign) -> dict[str, Any]:
    """A stored campaign as the form shows it (organisations named by the CLI become ids)."""
    audience = campaign.audience or {}
    kind = str(audience.get("kind", "all"))
    values = [str(v) for v in audience.get("values") or []]
    if kind == "orgs":
        ids = dict(db.session.execute(select(Organization.name, Organization.id)).all())
        values = [str(ids.get(v, v)) if not v.isdecimal() else v for v in values]
    return {"name": campaign.name, "kind": campaign.kind,
            "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
            "audience_kind": kind, "orgs": values if kind == "orgs" else [],
            "tags": values if kind == "tags" else [], "roles": values if kind == "roles" else []}


def shown_echo(form: MultiDict[str, str]) -> dict[str, Any]:
    """A posted form as the form shows it again."""
    shown: dict[str, Any] = {name: form.get(name, "") for name in
                             ("name", "kind", "starts_on", "ends_on", "audience_kind")}
    for kind in MANY:
        shown[kind] = [v.strip() for v in form.getlist(kind) if v.strip()]
    return shown


def blank(today: date) -> dict[str, Any]:
    """The empty 新建活动 form: a winter training starting today, for everyone."""
    return {"name": "", "kind": "winter_training", "starts_on": today.isoformat(), "ends_on": "",
            "audience_kind": "all", "orgs": [], "tags": [], "roles": []}


def audience_choices(shown: dict[str, Any]) -> dict[str, list[Choice]]:
    """The boxes of each audience kind: active organisations, the roster's tags, the roles;
    a ticked value that no longer exists is offered too (marked), so it can be unticked."""
    ticked = {kind: set(shown.get(kind) or []) for kind in MANY}
    orgs = [Choice(str(i), name, str(i) in ticked["orgs"]) for i, name in db.session.execute(
        select(Organization.id, Organization.name).where(Organization.active)
        .order_by(Organization.name, Organization.id))]
    tags = [Choice(str(i), name or str(i), str(i) in ticked["tags"]) for i, name in
            db.session.execute(select(Tag.wecom_tag_id, Tag.name).order_by(Tag.name, Tag.id))]
    roles = [Choice(str(r), ct.ROLE_NAMES.get(str(r), str(r)), str(r) in ticked["roles"])
             for r in Role]
    found: dict[str, list[Choice]] = {"orgs": orgs, "tags": tags, "roles": roles}
    if ticked["orgs"] - {c.value for c in orgs}:  # a retired organisation is still named
        names = dict(db.session.execute(select(Organization.id, Organization.name)).all())
        for value in sorted(ticked["orgs"] - {c.value for c in orgs}):
            name = names.get(int(value)) if value.isdecimal() else None
            found["orgs"].append(Choice(value, name or value, True, name is not None))
    for kind in ("tags", "roles"):
        for value in sorted(ticked[kind] - {c.value for c in found[kind]}):
            found[kind].append(Choice(value, value, True, False))
    return found


def audience_kinds() -> dict[str, str]:
    """The audience kinds a campaign may have (campaigns.campaigns'), in Chinese."""
    return {kind: ct.AUDIENCE_KINDS.get(kind, kind) for kind in AUDIENCE_KINDS}


def whole_number(value: str, field: str) -> int:
    """A whole number typed in a requirement form (CampaignError beside `field` if not)."""
    value = value.strip()
    if not WHOLE.fullmatch(value):
        raise CampaignError(f"{value!r} is not a whole number", "whole", field)
    return int(value)


def hours_number(value: str, field: str = "hours") -> float:
    """A number of hours typed in the form (CampaignError beside `field` if not a number)."""
    value = value.strip()
    if not NUMBER.fullmatch(value) or not math.isfinite(float(value)):
        raise CampaignError(f"{value!r} is not a number", "number", field)
    return float(value)
