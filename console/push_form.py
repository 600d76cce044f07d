"""新建推送's form: the fields read and checked, each error kept beside its field (in Chinese),
nothing written. The rules are study.pushes' (repeats, weekdays, the first time) and
broadcasts.compose's (audiences, who they reach, the daily quota), never restated here.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

import clock
from broadcasts import compose
from broadcasts.compose import ComposeError
from console.views import wall_time
from content import console_texts as t
from models import Material, Series, db
from study.pushes import MSGTYPES, PAST_GRACE, REPEATS, first_due, message_for, series_first

KIND_NUMBERS = {kind: number for number, kind in compose.AUDIENCE_CHOICES.items()}
MANY_VALUES = ("orgs", "tags", "roles")  # kinds naming several values, as the CLI allows
SEPARATORS = re.compile(r"[、，,;；\n]+")
FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
CHOICES_LIMIT = 500


@dataclass
class PushDraft:
    """A push the form describes, checked: what the first occurrence sends, to how many."""

    material: Material | None
    series: Series | None
    audience: dict[str, Any]
    first_at: datetime  # the first occurrence (a weekly push's first chosen day)
    repeat: str
    weekdays: list[int]
    msgtype: str
    size: int
    shown: Material  # what the first occurrence sends (a series' first item)


@dataclass
class Checked:
    """The form's fields read: the draft when every field is right, else the errors by field
    ("what", "msgtype", "audience", "first_at", "repeat", "weekdays"; "form" for the quota)."""

    draft: PushDraft | None = None
    errors: dict[str, str] = field(default_factory=dict)


def new_key() -> str:
    """A fresh one-time key for the form."""
    return secrets.token_urlsafe(16)


def choices() -> tuple[list[Material], list[Series]]:
    """The active materials (newest first) and the series with an active item, for the form."""
    materials = list(db.session.scalars(select(Material).where(Material.active)
                                        .order_by(Material.published_on.desc(), Material.id.desc())
                                        .limit(CHOICES_LIMIT)))
    series = list(db.session.scalars(
        select(Series).where(Series.id.in_(select(Material.series_id).where(Material.active)))
        .order_by(Series.title).limit(CHOICES_LIMIT)))
    return materials, series


def parse_audience(kind: str, value: str, now: datetime) -> dict[str, Any]:
    """The audience a kind and its typed value name; several organisations, tags or roles may
    be given, separated by 、 (ComposeError in Chinese when one is unknown)."""
    number = KIND_NUMBERS.get(kind, "")
    values = [v.strip() for v in SEPARATORS.split(value) if v.strip()]
    if not number:
        raise ComposeError(t.PUSH_BAD_AUDIENCE)
    if kind in t.PUSH_NEED_VALUE and not values:
        raise ComposeError(t.PUSH_NEED_VALUE[kind])
    if kind not in MANY_VALUES or len(values) < 2:
        return compose.parse_audience(number, value.strip(), now)
    found: list[Any] = []
    for one in values:
        found.extend(compose.parse_audience(number, one, now)["values"])
    return {"kind": kind, "values": list(dict.fromkeys(found))}


def audience_size(kind: str, value: str, now: datetime) -> int:
    """How many active members the audience reaches now (ComposeError when nobody)."""
    return len(compose.recipients(parse_audience(kind, value, now)))


def _what(value: str, errors: dict[str, str]) -> tuple[Material | None, Series | None,
                                                       Material | None]:
    """(material, series, what the first occurrence sends) chosen in the "what" field."""
    kind, _, ident = value.partition(":")
    if not value:
        errors["what"] = t.PUSH_NEED_WHAT
    elif kind == "material" and ident.isdecimal():
        material = db.session.get(Material, int(ident))
        if material is not None and material.active:
            return material, None, material
        errors["what"] = t.PUSH_UNKNOWN_WHAT
    elif kind == "series" and ident.isdecimal():
        series = db.session.get(Series, int(ident))
        first = series_first(series.id) if series is not None else None
        if first is not None:
            return None, series, first
        errors["what"] = t.PUSH_SERIES_EMPTY if series is not None else t.PUSH_UNKNOWN_WHAT
    else:
        errors["what"] = t.PUSH_UNKNOWN_WHAT
    return None, None, None


def check(form: MultiDict[str, str], now: datetime) -> Checked:
    """Read and check every field; the quota last, once the rest is right."""
    errors: dict[str, str] = {}
    material, series, shown = _what(form.get("what", ""), errors)
    msgtype = form.get("msgtype", "news")
    if msgtype not in MSGTYPES:
        errors["msgtype"] = t.PUSH_BAD_MSGTYPE
    audience: dict[str, Any] = {}
    size = 0
    try:
        audience = parse_audience(form.get("audience_kind", ""), form.get("audience_value", ""),
                                  now)
        size = len(compose.recipients(audience))
    except ComposeError as exc:
        errors["audience"] = str(exc)
    typed = form.get("first_at", "")
    moment = wall_time(typed)
    if not typed.strip():
        errors["first_at"] = t.PUSH_NEED_TIME
    elif moment is None or moment < now - PAST_GRACE:
        errors["first_at"] = t.BAD_TIME
    repeat = form.get("repeat", "once")
    if repeat not in REPEATS:
        errors["repeat"] = t.PUSH_BAD_REPEAT
    weekdays = sorted({int(d) for d in form.getlist("weekdays") if d.isdecimal() and int(d) <= 6})
    if repeat == "weekly" and not weekdays:
        errors["weekdays"] = t.PUSH_NEED_WEEKDAYS
    if errors or moment is None or shown is None:
        return Checked(errors=errors)
    first_at = first_due(moment, repeat, weekdays if repeat == "weekly" else [])
    if clock.today(first_at) == clock.today(now):  # today's sends count against today's quota
        try:
            compose.check_quota(size, now)
        except ComposeError as exc:
            return Checked(errors={"form": str(exc)})
    return Checked(PushDraft(material, series, audience, first_at, repeat,
                         weekdays if repeat == "weekly" else [], msgtype, size, shown))


def card(draft: PushDraft, public_url: str) -> dict[str, Any]:
    """The card members will see (study.pushes.message_for's payload), and a cover the page
    may show (its own origin only: the console's CSP loads no other image)."""
    payload = message_for(draft.shown, draft.msgtype)
    body = payload.get("news", {}).get("articles", [{}])[0] if draft.msgtype == "news" \
        else payload["textcard"]
    cover = str(body.get("picurl") or "")
    own = (cover.startswith("/") and not cover.startswith("//")) or bool(
        public_url and cover.startswith(public_url.rstrip("/") + "/"))
    return {"msgtype": draft.msgtype, "body": body, "cover": cover, "show_cover": own}


def repeat_text(repeat: str, weekdays: list[int]) -> str:
    """一次 / 每天 / 每周 周一、周三 as admins read it."""
    text = t.PUSH_REPEATS.get(repeat, repeat)
    if repeat == "weekly" and weekdays:
        text += " " + "、".join(t.WEEKDAY_NAMES[d] for d in weekdays if 0 <= d <= 6)
    return text
