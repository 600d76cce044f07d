"""考核: the organisations' quarterly scorecards — the ranking (admins), each organisation's
card with what lowers it and what would raise it, the trend over four quarters, the .xlsx
for the secretaries' assessment, and the measures' targets and weights (admins).

A contact sees the cards of their own organisations only, with their place among all, and
nothing of any other (another organisation's card looks missing, 404; the ranking, export and
rules are admins', 403). The numbers are assessment.scorecard's, counted once.
"""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for

from assessment import describe, scorecard
from assessment.measures import MEASURES
from assessment.scorecard import RuleError
from console.auth import guard, viewer
from console.scope import org_scope
from console.views import bp, chart, not_found, page
from content import assessment_texts as at
from models import Role, db, utcnow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _quarter() -> tuple[tuple[int, int], str]:
    """The quarter ?quarter= names (2026-Q3), else this one, and a problem with the one asked."""
    try:
        return scorecard.parse_quarter(request.args.get("quarter", ""), utcnow()), ""
    except RuleError as exc:
        return scorecard.parse_quarter("", utcnow()), exc.text()


def _quarters() -> list[str]:
    """The last eight quarters to choose from, newest first."""
    back = scorecard.quarters_back(*scorecard.parse_quarter("", utcnow()), 8)
    return [f"{y}-Q{q}" for y, q in reversed(back)]


@bp.get("/assessment")
@guard(Role.ADMIN, Role.CONTACT)
def assessment() -> Response:
    """The quarter's ranking with every measure (admins); a contact's own cards' places."""
    (year, quarter), error = _quarter()
    ranked = scorecard.ranking(scorecard.cards(year, quarter))
    scope = org_scope(viewer())
    shown = [row for row in ranked if scope is None or row.card.organization_id in scope]
    totals = [(row.card.name, row.card.total) for row in shown[:30]]
    return page("assessment.html", at=at, describe=describe, rows=shown,
                count=len(ranked), year=year, quarter=quarter, error=error,
                quarter_key=f"{year}-Q{quarter}", quarters=_quarters(),
                measures=[m.key for m in MEASURES],
                spec=chart(at.PAGE_TITLE, totals, horizontal=True, maximum=100))


@bp.get("/assessment/orgs/<int:org_id>")
@guard(Role.ADMIN, Role.CONTACT)
def assessment_card(org_id: int) -> Response:
    """One organisation's card: every measure against its target, what lowers it, the trend."""
    scope = org_scope(viewer())
    if scope is not None and org_id not in scope:
        return not_found()
    (year, quarter), error = _quarter()
    found, count = scorecard.card_of(org_id, year, quarter)
    if found is None:
        return not_found()
    spans = scorecard.quarters_back(year, quarter, 4)
    trend = scorecard.trend(year, quarter, organization_ids=[org_id]).get(org_id, [])
    spec = chart(at.PAGE_TITLE, [(describe.quarter_name(y, q), value)
                                 for (y, q), value in zip(spans, trend, strict=False)],
                 kind="line", maximum=100)
    return page("assessment_card.html", at=at, describe=describe, row=found,
                count=count, year=year, quarter=quarter, error=error, spec=spec,
                quarter_key=f"{year}-Q{quarter}", quarters=_quarters())


@bp.get("/assessment.xlsx")
@guard(Role.ADMIN)
def assessment_xlsx() -> Response:
    """The quarter's ranking and the rules as an .xlsx."""
    (year, quarter), _error = _quarter()
    in_force = scorecard.rules()
    ranked = scorecard.ranking(scorecard.cards(year, quarter, in_force=in_force))
    body = describe.workbook(ranked, in_force, year, quarter)
    name = f"assessment-{year}-Q{quarter}.xlsx"
    return Response(body, mimetype=XLSX,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/assessment/rules")
@guard(Role.ADMIN)
def assessment_rules() -> Response:
    """Every measure's rule, target and weight, with the documented default beside it."""
    defaults = {m.key: m for m in MEASURES}
    return page("assessment_rules.html", at=at, describe=describe,
                rules=scorecard.rules(), defaults=defaults, problems={}, typed={})


def _number(name: str) -> float | None:
    try:
        return float(request.form.get(name, "").strip())
    except ValueError:
        return None


@bp.post("/assessment/rules/<measure>")
@guard(Role.ADMIN)
def assessment_rule_save(measure: str) -> Response:
    """Save one measure's target and weight (a percent measure's target in percent); audited."""
    defaults = {m.key: m for m in MEASURES}
    if measure not in defaults:
        return not_found()
    if request.form.get("reset"):
        scorecard.reset_rule(viewer().actor, measure)
        db.session.commit()
        flash(at.RULE_RESET.format(name=at.MEASURE_NAMES[measure]), "ok")
        return redirect(url_for(".assessment_rules"), 303)  # type: ignore[return-value]
    target, weight = _number("target"), _number("weight")
    problem = ""
    if target is None or weight is None:
        problem = at.ERRORS["bad_target" if target is None else "bad_weight"].format(
            name=at.MEASURE_NAMES[measure], most=scorecard.MAX_WEIGHT)
    else:
        if measure in at.PERCENT_MEASURES:
            target = target / 100
        try:
            scorecard.set_rule(viewer().actor, measure, target, weight)
        except RuleError as exc:
            problem = exc.text()
    if problem:
        db.session.rollback()
        typed = {"target": request.form.get("target", ""),
                 "weight": request.form.get("weight", "")}  # shown again as typed, to mend
        return page("assessment_rules.html", 422, at=at, describe=describe,
                    rules=scorecard.rules(), defaults=defaults, problems={measure: problem},
                    typed={measure: typed})
    db.session.commit()
    flash(at.RULE_SAVED.format(name=at.MEASURE_NAMES[measure]), "ok")
    return redirect(url_for(".assessment_rules"), 303)  # type: ignore[return-value]
