"""研判 jobs: start an analysis (a row, then an RQ job that builds it and writes its progress
as it goes), the watch list's backfill when a term is added or changed, and the periodic
tick that matches the texts written since the last scan."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from analysis import watch
from analysis.build import build
from analysis.scope import PeriodSpec
from bot.extensions import jobs
from bot.jobs import app_context, run_or_enqueue, run_tick
from models import Analysis, AnalysisStatus, audit, db, utcnow

log = logging.getLogger(__name__)


def start(spec: PeriodSpec, scope: dict[str, Any], idle_weeks: int, actor: str, now: datetime,
          form_key: str | None = None) -> Analysis:
    """A queued analysis (audited "analysis.start"); the caller commits, then enqueues."""
    row = Analysis(unit=spec.unit, year=spec.year, number=spec.number, scope=scope,
                   idle_weeks=idle_weeks, status=AnalysisStatus.QUEUED, progress=0, stage="",
                   created_by=actor, form_key=form_key, created_at=now)
    db.session.add(row)
    db.session.flush()
    audit(actor, "analysis.start", f"analysis:{row.id}", period=spec.label, scope=scope,
          idle_weeks=idle_weeks)
    return row


def analysis_job(analysis_id: int) -> str:
    """RQ job: build one analysis, committing its progress as it goes; a failure is written
    on the row (and logged), not retried: the same data would fail the same way."""
    with app_context():
        row = db.session.get(Analysis, analysis_id)
        if row is None or row.status == AnalysisStatus.DONE:
            return "missing" if row is None else row.status

        def progress(percent: int, stage: str) -> None:
            row.progress, row.stage = percent, stage
            db.session.commit()

        row.status, row.started_at, row.error = AnalysisStatus.RUNNING, utcnow(), None
        try:
            result = build(row, utcnow(), progress)
        except Exception as exc:
            log.exception("analysis %s failed", analysis_id)
            db.session.rollback()
            row = db.session.get(Analysis, analysis_id)
            assert row is not None
            row.status, row.error, row.finished_at = AnalysisStatus.FAILED, str(exc)[:500], utcnow()
            db.session.commit()
            return row.status
        row.result, row.status, row.progress, row.stage = result, AnalysisStatus.DONE, 100, "done"
        row.finished_at = utcnow()
        db.session.commit()
        log.info("analysis %s built in %.1f s", analysis_id, result.get("seconds", 0))
        return row.status


def enqueue_analysis(analysis_id: int) -> None:
    """Queue the build of one analysis."""
    run_or_enqueue(jobs.queue.enqueue, analysis_job, analysis_id)


def backfill_job(term_id: int) -> int:
    """RQ job: match a new or changed watch term against the recent texts."""
    with app_context():
        return watch.backfill(term_id, utcnow())


def enqueue_backfill(term_id: int) -> None:
    """Queue the backfill of one watch term."""
    run_or_enqueue(jobs.queue.enqueue, backfill_job, term_id)


def analysis_tick() -> int:
    """Cron: match the texts written since the last scan against the watch list."""
    return run_tick("analysis_tick", 300, lambda: watch.scan_new(utcnow()))
