"""Data retention: expired conversation drafts and old processed-message records are deleted
on a daily tick. Members' records (reflections, check-ins, the participation ledger, audit)
are kept; logs go to stdout and are kept by the process manager (docs/operations.md)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, select

from bot.jobs import run_tick
from models import ProcessedMessage, Reflection, ReflectionStatus, db, utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Retention:
    """How long kept data lives (days)."""

    drafts_days: int = 7  # a reflection draft untouched this long (chat resumes it for 24 h)
    processed_days: int = 30  # handled-message keys (WeCom retries within seconds)


def retention_settings() -> Retention:
    """RETENTION_DRAFT_DAYS and RETENTION_PROCESSED_DAYS over the defaults (at least 1)."""
    config, defaults = current_app.config, Retention()
    drafts = int(config.get("RETENTION_DRAFT_DAYS", defaults.drafts_days))
    processed = int(config.get("RETENTION_PROCESSED_DAYS", defaults.processed_days))
    if drafts < 1 or processed < 1:
        raise ValueError("RETENTION_DRAFT_DAYS and RETENTION_PROCESSED_DAYS must be at least 1")
    return Retention(drafts, processed)


def prune(now: datetime, dry_run: bool = False) -> dict[str, int]:
    """Delete expired drafts and old handled-message rows; the counts (nothing when dry)."""
    settings = retention_settings()
    drafts = list(db.session.scalars(select(Reflection).where(
        Reflection.status == ReflectionStatus.DRAFT,
        Reflection.updated_at < now - timedelta(days=settings.drafts_days))))
    old = ProcessedMessage.handled_at < now - timedelta(days=settings.processed_days)
    processed = db.session.scalar(select(db.func.count(ProcessedMessage.id)).where(old)) or 0
    if not dry_run:
        for draft in drafts:
            db.session.delete(draft)  # its parts go with it
        db.session.execute(delete(ProcessedMessage).where(old))
        db.session.commit()
    return {"drafts": len(drafts), "processed_messages": int(processed)}


def retention_tick() -> int:
    """Cron tick (daily): prune; the number of rows deleted."""
    def work() -> int:
        counts = prune(utcnow())
        log.info("retention: deleted %(drafts)s drafts, %(processed_messages)s handled-message "
                 "rows", counts)
        return sum(counts.values())

    return run_tick("retention", 3600, work)


retention_cli = AppGroup("retention", help="Data retention.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Count what would go; delete nothing.")
def retention_run(dry_run: bool) -> None:
    """Delete expired drafts and old handled-message rows now."""
    try:
        counts = prune(utcnow(), dry_run=dry_run)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    verb = "would delete" if dry_run else "deleted"
    click.echo(f"{verb}: {counts['drafts']} draft(s), {counts['processed_messages']} "
               "handled-message row(s)")


COMMAND_GROUPS = (retention_cli,)
