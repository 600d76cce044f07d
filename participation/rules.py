"""The participation rules in force: per kind, the study hours and points of one item and the
daily caps on points and hours.

An admin's rule (models.ParticipationRule) applies from its start date on, a committee day
(Asia/Shanghai through `clock`), until a later rule of the kind starts; a kind without one
counts with the settings (PARTICIPATION_*). A rule cannot start before today, so nothing
already written is counted again: ledger rows keep the values they were credited with."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.refusal import Refusal
from content import participation_rule_texts as texts
from content import participation_texts as kind_texts
from models import ParticipationKind, ParticipationRule, audit, db, utcnow
from participation.settings import ParticipationSettings, participation_settings

MAX_HOURS = 24.0  # hours of one item, and hours a day
MAX_POINTS = 100  # points of one item
MAX_DAILY_POINTS = 1000


class RuleError(Refusal):
    """A refused rule: `reason` keys content.participation_rule_texts.ERRORS."""

    ERRORS = texts.ERRORS


@dataclass(frozen=True)
class KindRule:
    """One kind's hours and points per item and daily caps, and where they come from."""

    kind: str
    hours: float
    points: int
    daily_points: int
    daily_hours: float
    starts_on: date | None = None  # None: the settings' defaults
    rule_id: int | None = None


def kind_name(kind: str) -> str:
    """The kind's Chinese name (the kind itself when it has none)."""
    return kind_texts.KIND_NAMES.get(kind, kind)


def default_rule(kind: str, settings: ParticipationSettings | None = None) -> KindRule:
    """The kind's rule from the settings alone."""
    settings = settings or participation_settings()
    return KindRule(kind, float(settings.hours.get(kind, 0.0)), int(settings.points.get(kind, 0)),
                    int(settings.daily_caps.get(kind, 0)),
                    float(settings.daily_hours_caps.get(kind, 0.0)))


def _from_row(row: ParticipationRule) -> KindRule:
    return KindRule(row.kind, float(row.hours), int(row.points), int(row.daily_points),
                    float(row.daily_hours), row.starts_on, row.id)


def rule_on(kind: str, day: date, settings: ParticipationSettings | None = None) -> KindRule:
    """The kind's rule in force on the committee day `day`."""
    row = db.session.scalars(
        select(ParticipationRule)
        .where(ParticipationRule.kind == kind, ParticipationRule.starts_on <= day)
        .order_by(ParticipationRule.starts_on.desc()).limit(1)).first()
    return _from_row(row) if row is not None else default_rule(kind, settings)


def rules_on(day: date, settings: ParticipationSettings | None = None) -> dict[str, KindRule]:
    """Every kind's rule in force on `day`, in the kinds' order."""
    settings = settings or participation_settings()
    found = {kind.value: default_rule(kind, settings) for kind in ParticipationKind}
    for row in db.session.scalars(
            select(ParticipationRule).where(ParticipationRule.starts_on <= day)
            .order_by(ParticipationRule.kind, ParticipationRule.starts_on)):
        if row.kind in found:
            found[row.kind] = _from_row(row)  # the latest start date wins
    return found


def upcoming(day: date) -> list[KindRule]:
    """The rules that start after `day`, soonest first."""
    return [_from_row(row) for row in db.session.scalars(
        select(ParticipationRule).where(ParticipationRule.starts_on > day)
        .order_by(ParticipationRule.starts_on, ParticipationRule.kind))]


def _hours(value: float, name: str) -> float:
    if not math.isfinite(value) or not 0 <= value <= MAX_HOURS:
        raise RuleError("bad_hours", name=name, most=MAX_HOURS)
    return round(value, 2)


def _points(value: float, name: str, most: int) -> int:
    if not math.isfinite(value) or value != int(value) or not 0 <= value <= most:
        raise RuleError("bad_points", name=name, most=most)
    return int(value)


def check(kind: str, starts_on: date, hours: float, points: float, daily_points: float,
          daily_hours: float, today: date) -> KindRule:
    """The rule as it would be saved, or RuleError naming the first bad value."""
    if kind not in {k.value for k in ParticipationKind}:
        raise RuleError("unknown_kind", kind=kind)
    if starts_on < today:
        raise RuleError("past_day", today=today.isoformat())
    return KindRule(kind, _hours(hours, texts.HOURS), _points(points, texts.POINTS, MAX_POINTS),
                    _points(daily_points, texts.DAILY_POINTS, MAX_DAILY_POINTS),
                    _hours(daily_hours, texts.DAILY_HOURS), starts_on)


def save_rule(actor: str, rule: KindRule, today: date) -> tuple[KindRule, bool]:
    """Save the kind's rule for its start date (one per kind and day: saving the same day again
    replaces it), audited when it changes anything; the rule saved and whether it changed."""
    assert rule.starts_on is not None
    checked = check(rule.kind, rule.starts_on, rule.hours, rule.points, rule.daily_points,
                    rule.daily_hours, today)
    where = (ParticipationRule.kind == checked.kind,
             ParticipationRule.starts_on == checked.starts_on)
    row = db.session.scalars(select(ParticipationRule).where(*where)).first()
    values = {"hours": checked.hours, "points": checked.points,
              "daily_points": checked.daily_points, "daily_hours": checked.daily_hours}
    if row is not None and all(getattr(row, name) == value for name, value in values.items()):
        return _from_row(row), False
    before = None if row is None else {name: getattr(row, name) for name in values}
    if row is None:
        row = ParticipationRule(kind=checked.kind, starts_on=checked.starts_on, updated_by=actor,
                                **values)
        try:
            with db.session.begin_nested():
                db.session.add(row)
                db.session.flush()
        except IntegrityError:  # a second submit of the same form saved it first
            row = db.session.scalars(select(ParticipationRule).where(*where)).one()
            if all(getattr(row, name) == value for name, value in values.items()):
                return _from_row(row), False
    for name, value in values.items():
        setattr(row, name, value)
    row.updated_by, row.updated_at = actor, utcnow()
    db.session.flush()
    audit(actor, "participation.rule", f"{checked.kind}@{checked.starts_on.isoformat()}",
          before=before, **values)
    return _from_row(row), True


def delete_rule(actor: str, rule_id: int, today: date) -> KindRule:
    """Delete a rule that has not started yet (audited); RuleError when missing or started."""
    row = db.session.get(ParticipationRule, rule_id)
    if row is None:
        raise RuleError("not_found")
    if row.starts_on <= today:
        raise RuleError("started", day=row.starts_on.isoformat())
    gone = _from_row(row)
    audit(actor, "participation.rule_delete", f"{row.kind}@{row.starts_on.isoformat()}",
          hours=row.hours, points=row.points, daily_points=row.daily_points,
          daily_hours=row.daily_hours)
    db.session.delete(row)
    db.session.flush()
    return gone
