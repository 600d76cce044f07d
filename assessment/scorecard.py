"""The scorecard (考核): each organisation's measures for a committee quarter, scored against the
admins' targets and weights, ranked, and traced over quarters.

A measure's score is min(value / target, 1) × weight; the card's total is the sum of the
scores over the sum of the weights of the measures that apply (×100, one decimal), so an
organisation is not marked down for what it could not do that quarter (no book sent to it,
no rating to give). Ties rank by name. docs/assessment.md has the rules and the defaults.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

import clock
from assessment.measures import BY_KEY, MEASURES, Count, members_by_org
from bot.refusal import Refusal
from content import assessment_texts as texts
from meetings.requirements import parse_quarter as meeting_quarter
from models import Organization, ScoreRule, audit, db, utcnow
from participation import rates

MAX_WEIGHT = 100.0


class RuleError(Refusal):
    """A refused target or weight: `reason` keys content.assessment_texts.ERRORS."""

    ERRORS = texts.ERRORS


@dataclass(frozen=True)
class Rule:
    """A measure's target and weight in force, and whether an admin set them."""

    measure: str
    target: float
    weight: float
    custom: bool = False


@dataclass(frozen=True)
class Line:
    """One measure on an organisation's card."""

    measure: str
    count: Count
    rule: Rule

    @property
    def value(self) -> float | None:
        """The measured value, None when it does not apply."""
        return self.count.value

    @property
    def applies(self) -> bool:
        """False when the base is 0 this quarter: its weight drops out."""
        return self.count.value is not None and self.rule.weight > 0

    @property
    def score(self) -> float:
        """The weight earned: min(value / target, 1) × weight."""
        value = self.count.value
        if value is None:
            return 0.0
        return min(value / self.rule.target, 1.0) * self.rule.weight

    @property
    def met(self) -> bool:
        """True once the value reaches the target."""
        return self.count.value is not None and self.count.value >= self.rule.target

    @property
    def needed(self) -> int:
        """How many more counted items reach the target (0 when met or not applicable)."""
        if self.met or self.count.value is None:
            return 0
        if self.measure == "ratings":  # a mean: not a count to add to
            return 0
        return max(0, math.ceil(self.rule.target * self.count.base - self.count.count - 1e-9))


@dataclass(frozen=True)
class Card:
    """An organisation's scorecard for one quarter."""

    organization_id: int
    name: str
    kind: str
    members: int
    lines: tuple[Line, ...]

    @property
    def total(self) -> float:
        """0–100: the weights earned over the weights that apply, one decimal."""
        weights = sum(line.rule.weight for line in self.lines if line.applies)
        if not weights:
            return 0.0
        return round(100.0 * sum(line.score for line in self.lines if line.applies) / weights, 1)

    def lowering(self) -> list[Line]:
        """The measures below target, the costliest first: what lowers the total."""
        short = [line for line in self.lines if line.applies and not line.met]
        return sorted(short, key=lambda line: -(line.rule.weight - line.score))


@dataclass(frozen=True)
class Ranked:
    """A card with its place (1 = best) among the quarter's organisations."""

    rank: int
    card: Card


def rules() -> dict[str, Rule]:
    """Every measure's target and weight: the admins' where set, else the documented default."""
    stored = {row.measure: row for row in db.session.scalars(select(ScoreRule))}
    found = {}
    for measure in MEASURES:
        row = stored.get(measure.key)
        found[measure.key] = (Rule(measure.key, row.target, row.weight, True) if row is not None
                              else Rule(measure.key, measure.target, measure.weight))
    return found


def set_rule(actor: str, measure: str, target: float, weight: float) -> Rule:
    """Set a measure's target and weight (audited); RuleError on a bad value."""
    if measure not in BY_KEY:
        raise RuleError("unknown_measure", measure=measure)
    if not math.isfinite(target) or target <= 0:
        raise RuleError("bad_target", name=texts.MEASURE_NAMES[measure])
    if measure == "ratings" and target > 5:
        raise RuleError("bad_rating_target")
    if not math.isfinite(weight) or not 0 <= weight <= MAX_WEIGHT:
        raise RuleError("bad_weight", name=texts.MEASURE_NAMES[measure], most=MAX_WEIGHT)
    row = db.session.scalars(select(ScoreRule).where(ScoreRule.measure == measure)).first()
    before = {"target": row.target, "weight": row.weight} if row is not None else None
    if row is None:
        row = ScoreRule(measure=measure, target=target, weight=weight, updated_by=actor)
        db.session.add(row)
    row.target, row.weight, row.updated_by, row.updated_at = target, weight, actor, utcnow()
    audit(actor, "assessment.rule", measure, goal=target, weight=weight, before=before)
    return Rule(measure, target, weight, True)


def reset_rule(actor: str, measure: str) -> None:
    """Go back to the measure's documented default (audited)."""
    row = db.session.scalars(select(ScoreRule).where(ScoreRule.measure == measure)).first()
    if row is not None:
        audit(actor, "assessment.rule_reset", measure, goal=row.target, weight=row.weight)
        db.session.delete(row)


def _organizations(organization_ids: list[int] | None) -> list[Organization]:
    query = select(Organization).where(Organization.active).order_by(Organization.name,
                                                                     Organization.id)
    if organization_ids is not None:
        query = query.where(Organization.id.in_(organization_ids))
    return list(db.session.scalars(query))


def cards(year: int, quarter: int, organization_ids: list[int] | None = None,
          in_force: dict[str, Rule] | None = None) -> list[Card]:
    """The quarter's cards of the active organisations with members (or of the given ones)."""
    period = clock.quarter(year, quarter)
    organizations = _organizations(organization_ids)
    members = members_by_org([o.id for o in organizations])
    members = {org: count for org, count in members.items() if count}
    in_force = in_force or rules()
    read = {measure.key: measure.read(period, members) for measure in MEASURES}
    return [Card(o.id, o.name, o.kind, members[o.id],
                 tuple(Line(m.key, read[m.key][o.id], in_force[m.key]) for m in MEASURES))
            for o in organizations if o.id in members]


def ranking(found: list[Card]) -> list[Ranked]:
    """The cards best first (ties: by name), each with its place; equal totals share one."""
    ordered = sorted(found, key=lambda card: (-card.total, card.name, card.organization_id))
    result: list[Ranked] = []
    for index, card in enumerate(ordered):
        tied = result and result[-1].card.total == card.total
        result.append(Ranked(result[-1].rank if tied else index + 1, card))
    return result


def quarters_back(year: int, quarter: int, count: int) -> list[tuple[int, int]]:
    """`count` quarters ending with the given one, oldest first."""
    index = year * 4 + quarter - 1
    return [((index - back) // 4, (index - back) % 4 + 1) for back in range(count - 1, -1, -1)]


def trend(year: int, quarter: int, count: int = 4,
          organization_ids: list[int] | None = None) -> dict[int, list[float]]:
    """Each organisation's total over the `count` quarters ending with the given one."""
    in_force = rules()
    totals: dict[int, list[float]] = {}
    spans = quarters_back(year, quarter, count)
    for position, (y, q) in enumerate(spans):
        for card in cards(y, q, organization_ids, in_force):
            totals.setdefault(card.organization_id, [0.0] * len(spans))[position] = card.total
    return totals


def committee_rate(year: int, quarter: int) -> rates.Rate:
    """The committee's participation rate in the quarter, beside the cards."""
    return rates.committee_rate(clock.quarter(year, quarter))


def card_of(organization_id: int, year: int, quarter: int) -> tuple[Ranked | None, int]:
    """One organisation's ranked card among the quarter's cards, and how many were ranked
    (its card is None when it has no counted members)."""
    ranked = ranking(cards(year, quarter))
    found = next((row for row in ranked if row.card.organization_id == organization_id), None)
    return found, len(ranked)


def parse_quarter(text: str, now: datetime) -> tuple[int, int]:
    """(year, quarter) of "2026-Q3" or of "" (this quarter); RuleError on a bad or future one."""
    if not text.strip():
        return clock.quarter_number(now)
    found = meeting_quarter(text)
    if found is None:
        raise RuleError("bad_quarter")
    if found > clock.quarter_number(now):
        raise RuleError("future_quarter", quarter=texts.QUARTER.format(year=found[0],
                                                                       quarter=found[1]))
    return found
