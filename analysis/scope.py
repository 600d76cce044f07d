"""What an analysis covers: a month, quarter or year of the committee's calendar (cut by
`clock`) and a set of organisations — all, those of some kinds of enterprise, or a chosen
list — with the period before it for the trend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

import clock
from content import analysis_texts as texts
from models import Organization, OrgKind, db

UNITS = ("month", "quarter", "year")
SCOPE_KINDS = ("all", "org_kind", "orgs")
KINDS = tuple(kind.value for kind in OrgKind)


class ScopeError(ValueError):
    """A period or scope that cannot be analysed; `reason` names why (texts.ERRORS)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class PeriodSpec:
    """A month (1–12), a quarter (1–4) or a year (number 1) of the committee's calendar."""

    unit: str
    year: int
    number: int

    def period(self) -> clock.Period:
        """The UTC span of the period, cut on the committee's clock."""
        if self.unit == "month":
            return clock.month(self.year, self.number)
        if self.unit == "quarter":
            return clock.quarter(self.year, self.number)
        return clock.year(self.year)

    def previous(self) -> PeriodSpec:
        """The period just before: the month, quarter or year before."""
        last = {"month": 12, "quarter": 4, "year": 1}[self.unit]
        if self.number > 1:
            return PeriodSpec(self.unit, self.year, self.number - 1)
        return PeriodSpec(self.unit, self.year - 1, last)

    @property
    def label(self) -> str:
        """The period in Chinese: 2026年11月, 2026年第四季度, 2026年."""
        if self.unit == "month":
            return texts.MONTH_LABEL.format(year=self.year, number=self.number)
        if self.unit == "quarter":
            return texts.QUARTER_LABEL.format(year=self.year,
                                              number=texts.QUARTER_NAMES[self.number - 1])
        return texts.YEAR_LABEL.format(year=self.year)


def period_spec(unit: str, year: int, number: int) -> PeriodSpec:
    """A checked period; ScopeError("period") when it is not one."""
    limits = {"month": 12, "quarter": 4, "year": 1}
    if unit not in limits or not 2000 <= year <= 2100 or not 1 <= number <= limits[unit]:
        raise ScopeError("period", f"{unit} {year}/{number} is not a month, quarter or year")
    return PeriodSpec(unit, year, number)


def scope_spec(kind: str, values: list[str]) -> dict[str, Any]:
    """A checked scope as stored: {"kind": "all"}, {"kind": "org_kind", "values": ["foreign",
    …]} or {"kind": "orgs", "values": [ids]}; ScopeError("scope") when it names nothing."""
    if kind == "all":
        return {"kind": "all", "values": []}
    if kind == "org_kind":
        chosen = sorted({v for v in values if v in KINDS})
        if not chosen:
            raise ScopeError("scope", "no kind of enterprise chosen")
        return {"kind": "org_kind", "values": chosen}
    if kind == "orgs":
        ids = sorted({int(v) for v in values if str(v).isdecimal()})
        found = set(db.session.scalars(select(Organization.id).where(Organization.id.in_(ids))))
        if not ids or found != set(ids):
            raise ScopeError("scope", "no organisation chosen, or one that does not exist")
        return {"kind": "orgs", "values": ids}
    raise ScopeError("scope", f"unknown scope {kind!r}")


def org_ids(scope: dict[str, Any]) -> frozenset[int] | None:
    """The organisations a scope covers, or None for every one."""
    kind = scope.get("kind")
    if kind == "org_kind":
        query = select(Organization.id).where(Organization.kind.in_(scope.get("values") or []))
        return frozenset(db.session.scalars(query))
    if kind == "orgs":
        return frozenset(int(v) for v in scope.get("values") or [])
    return None


def scope_label(scope: dict[str, Any]) -> str:
    """The scope in Chinese: 全部党组织, 外资企业、民营企业, or the organisations' names."""
    kind = scope.get("kind")
    values = scope.get("values") or []
    if kind == "org_kind":
        return texts.LIST_SEPARATOR.join(texts.KIND_NAMES.get(v, v) for v in values)
    if kind == "orgs":
        names = list(db.session.scalars(select(Organization.name)
                                        .where(Organization.id.in_(values))
                                        .order_by(Organization.name)))
        shown = texts.LIST_SEPARATOR.join(names[:5])
        return shown if len(names) <= 5 else texts.MORE_ORGS.format(names=shown,
                                                                      count=len(names))
    return texts.ALL_ORGS
