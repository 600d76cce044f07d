"""研判 (admins only): the form that starts an analysis of a month, quarter or year over all
organisations, some kinds of enterprise or a chosen list; the past analyses; one analysis
with its progress while the job builds it (the page refreshes itself) and its result with
charts once built; and its 研判报告 as Word.

Starting is audited by analysis.jobs ("analysis.start"); opening a built analysis (it quotes
members' words) and downloading its report are audited here ("analysis.view",
"analysis.export"). The form carries a one-time key, so a double submit starts one job.
"""

from __future__ import annotations

import io
import re
import secrets
from datetime import timedelta
from typing import Any

from flask import Response, flash, redirect, request, send_file, url_for
from sqlalchemy import select

import clock
from analysis import jobs
from analysis.lists import MIN_ATTEMPTS, MIN_DELIVERED
from analysis.report import write
from analysis.scope import (
    KINDS,
    UNITS,
    PeriodSpec,
    ScopeError,
    period_spec,
    scope_label,
    scope_spec,
)
from bot import keys
from console import once
from console.auth import guard, viewer
from console.views import bp, chart, not_found, page, paginate
from content import analysis_texts as a
from models import Analysis, AnalysisStatus, Organization, Role, audit, db, utcnow

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
REFRESH_S = 3
STALE_AFTER = timedelta(minutes=15)  # a job still "running" after this has died


def form_claim(key: str) -> str:
    """The Redis key a 新建研判 form's one-time key is claimed under."""
    return f"{keys.PREFIX}:console:analysis-form:{key}"


def _defaults() -> dict[str, Any]:
    """The form's first values: last month, all organisations, four idle weeks."""
    first = clock.month_of(utcnow()).start
    last_month = clock.month_of(first - timedelta(days=1)).first_day
    return {"unit": "month", "year": last_month.year, "number": last_month.month,
            "scope": "all", "kinds": [], "orgs": [], "idle": 4}


def _form(code: int = 200, typed: dict[str, Any] | None = None,
          error: str | None = None) -> Response:
    """The analysis page: the form, the past analyses."""
    orgs = list(db.session.scalars(select(Organization).where(Organization.active)
                                   .order_by(Organization.order, Organization.name)))
    rows = paginate(select(Analysis).order_by(Analysis.created_at.desc(), Analysis.id.desc()))
    return page("analysis.html", code, a=a, typed=typed or _defaults(), error=error,
                orgs=orgs, rows=rows, units=UNITS, kinds=KINDS,
                form_key=secrets.token_urlsafe(18), label=_label, scope_label=scope_label)


def _label(row: Analysis) -> str:
    return PeriodSpec(row.unit, row.year, row.number).label


@bp.get("/analysis")
@guard(Role.ADMIN)
def analysis() -> Response:
    """研判: the form to start one, and the past analyses with their status."""
    return _form()


def _typed() -> dict[str, Any]:
    """The form as sent (for showing it again)."""
    form = request.form
    return {"unit": form.get("unit", ""), "year": form.get("year", ""),
            "number": form.get("number", ""), "scope": form.get("scope", "all"),
            "kinds": form.getlist("kinds"), "orgs": [int(v) for v in form.getlist("orgs")
                                                     if v.isdecimal()],
            "idle": form.get("idle", "")}


@bp.post("/analysis")
@guard(Role.ADMIN)
def analysis_start() -> Response:
    """开始研判: a checked period and scope become a queued analysis, built by the job."""
    typed = _typed()
    key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(key):
        return _form(400, typed, a.FORM_EXPIRED)
    claim = form_claim(key)
    made = once.made(claim)
    if made is not None:
        flash(a.FORM_USED, "ok")
        if made.isdecimal():
            return redirect(url_for(".analysis_detail", analysis_id=int(made)), 303)
        return redirect(url_for(".analysis"), 303)
    try:
        unit = typed["unit"]
        number = 1 if unit == "year" else int(typed["number"] or 0)
        spec = period_spec(unit, int(typed["year"] or 0), number)
        scope = scope_spec(typed["scope"], [str(v) for v in
                                            (typed["kinds"] if typed["scope"] == "org_kind"
                                             else typed["orgs"])])
        idle = int(typed["idle"] or 0)
        if not 1 <= idle <= 52:
            raise ScopeError("idle", f"{idle} idle weeks is not 1 to 52")
    except ScopeError as exc:
        return _form(400, typed, a.ERRORS[exc.reason])
    except ValueError:
        return _form(400, typed, a.ERRORS["period"])
    if not once.claim(claim):
        flash(a.FORM_USED, "ok")
        return redirect(url_for(".analysis"), 303)
    try:
        row = jobs.start(spec, scope, idle, viewer().actor, utcnow(), form_key=key)
        db.session.commit()
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, row.id)
    flash(a.STARTED.format(period=spec.label, scope=scope_label(scope)), "ok")
    jobs.enqueue_analysis(row.id)
    return redirect(url_for(".analysis_detail", analysis_id=row.id), 303)


def _charts(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The result's charts: themes' shares, texts per kind, missed questions, materials."""
    charts = {"themes": chart(a.CHART_SHARE, [(th["word"], th["share"])
                                             for th in result["themes"][:12]],
                              horizontal=True)}
    if result["kinds"]:
        charts["kinds"] = chart(a.CHART_TEXTS, [(k["name"], k["texts"])
                                                for k in result["kinds"]])
    if result["missed"]:
        charts["missed"] = chart(a.CHART_WRONG, [(m["text"][:16], m["wrong_share"])
                                                 for m in result["missed"]],
                                 horizontal=True, maximum=100)
    if result["materials"]:
        charts["materials"] = chart(a.CHART_COMPLETED, [(m["title"][:16], m["completed_share"])
                                                        for m in result["materials"]],
                                    horizontal=True, maximum=100)
    return charts


CHART_TITLES = {"themes": a.CHART_THEMES, "kinds": a.CHART_KINDS, "missed": a.CHART_MISSED,
                "materials": a.CHART_MATERIALS}


@bp.get("/analysis/<int:analysis_id>")
@guard(Role.ADMIN)
def analysis_detail(analysis_id: int) -> Response:
    """One analysis: its progress while it is built (refreshing), then its result."""
    row = db.session.get(Analysis, analysis_id)
    if row is None:
        return not_found()
    building = row.status in (AnalysisStatus.QUEUED, AnalysisStatus.RUNNING)
    stale = building and utcnow() - (row.started_at or row.created_at) > STALE_AFTER
    result = row.result if row.status == AnalysisStatus.DONE else None
    if result is not None:
        audit(viewer().actor, "analysis.view", f"analysis:{row.id}", period=_label(row))
        db.session.commit()
    return page("analysis_detail.html", a=a, row=row, label=_label(row),
                scope=scope_label(row.scope), building=building and not stale, stale=stale,
                refresh=REFRESH_S,
                result=result, charts=_charts(result) if result else {},
                chart_titles=CHART_TITLES, min_attempts=MIN_ATTEMPTS,
                min_delivered=MIN_DELIVERED)


@bp.get("/analysis/<int:analysis_id>.docx")
@guard(Role.ADMIN)
def analysis_docx(analysis_id: int) -> Response:
    """The 研判报告 of a built analysis as Word (audited)."""
    row = db.session.get(Analysis, analysis_id)
    if row is None or row.status != AnalysisStatus.DONE or not row.result:
        return not_found()
    data = write(row)
    audit(viewer().actor, "analysis.export", f"analysis:{row.id}", period=_label(row))
    db.session.commit()
    return send_file(io.BytesIO(data), as_attachment=True,
                     download_name=a.REPORT_FILE.format(period=_label(row)),
                     mimetype=DOCX_MIMETYPE)
