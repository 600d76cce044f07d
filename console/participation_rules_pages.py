"""积分与学时规则: per participation kind, the hours and points of one item and the daily caps on
points and hours, from a start date on (admins only; every change audited).

Saving is idempotent: one rule per kind and start date, so a second submit of the same form
finds the rule as it is and writes nothing more. A rule starts today at the earliest and never
changes a ledger row already written (participation/rules.py)."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Response, flash, redirect, request, url_for

import clock
from console.auth import guard, viewer
from console.views import bp, not_found, page
from content import participation_rule_texts as rt
from models import Role, db, utcnow
from participation import rules
from participation.rules import KindRule, RuleError


def _number(name: str) -> float:
    """A form field as a number (NaN when empty or not a number, which the rule refuses)."""
    try:
        return float(request.form.get(name, "").strip())
    except ValueError:
        return float("nan")


def _show(status: int = 200, problem: str = "", problem_kind: str = "") -> Response:
    today = clock.today(utcnow())
    return page("participation_rules.html", status, rt=rt, kind_name=rules.kind_name,
                in_force=rules.rules_on(today), upcoming=rules.upcoming(today), today=today,
                tomorrow=today + timedelta(days=1), problem=problem, problem_kind=problem_kind)


@bp.get("/participation/rules")
@guard(Role.ADMIN)
def participation_rules() -> Response:
    """Every kind's rule in force today, the rules still to start, and a form per kind."""
    return _show()


@bp.post("/participation/rules")
@guard(Role.ADMIN)
def participation_rule_save() -> Response:
    """Save one kind's rule from its start date on (audited); 422 with the reason if refused."""
    kind = request.form.get("kind", "").strip()
    today = clock.today(utcnow())
    try:
        starts_on = date.fromisoformat(request.form.get("starts_on", "").strip())
    except ValueError:
        db.session.rollback()
        return _show(422, RuleError("bad_day").text(), kind)
    try:
        checked = rules.check(kind, starts_on, _number("hours"), _number("points"),
                              _number("daily_points"), _number("daily_hours"), today)
        saved, changed = rules.save_rule(viewer().actor, checked, today)
    except RuleError as exc:
        db.session.rollback()
        return _show(422, exc.text(), kind)
    db.session.commit()
    flash((rt.SAVED if changed else rt.UNCHANGED).format(**_described(saved)), "ok")
    return redirect(url_for(".participation_rules"), 303)  # type: ignore[return-value]


@bp.post("/participation/rules/<int:rule_id>/delete")
@guard(Role.ADMIN)
def participation_rule_delete(rule_id: int) -> Response:
    """Delete a rule that has not started yet (audited)."""
    try:
        gone = rules.delete_rule(viewer().actor, rule_id, clock.today(utcnow()))
    except RuleError as exc:
        db.session.rollback()
        if exc.reason == "not_found":
            return not_found()
        return _show(422, exc.text())
    db.session.commit()
    flash(rt.DELETED.format(**_described(gone)), "ok")
    return redirect(url_for(".participation_rules"), 303)  # type: ignore[return-value]


def _described(rule: KindRule) -> dict[str, object]:
    """The values the flash messages name."""
    return {"kind": rules.kind_name(rule.kind),
            "day": rule.starts_on.isoformat() if rule.starts_on else "",
            "hours": f"{rule.hours:g}", "points": rule.points,
            "daily_points": rule.daily_points, "daily_hours": f"{rule.daily_hours:g}"}
