"""Data retention: expired drafts and old handled-message rows go; everything else stays."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from bot.retention import prune
from models import ProcessedMessage, Reflection, ReflectionStatus, db, utcnow


def _seed(app: Flask, member_id: int) -> None:
    now = utcnow()
    with app.app_context():
        for days, status in ((10, ReflectionStatus.DRAFT), (1, ReflectionStatus.DRAFT),
                             (10, ReflectionStatus.SUBMITTED)):
            db.session.add(Reflection(member_id=member_id, status=status, text="心得",
                                      updated_at=now - timedelta(days=days)))
        for n, days in enumerate((40, 31, 2)):
            db.session.add(ProcessedMessage(key=f"k{n}", userid="u", kind="text",
                                            handled_at=now - timedelta(days=days)))
        db.session.commit()


def _left(app: Flask) -> tuple[list[str], int]:
    with app.app_context():
        statuses = sorted(db.session.scalars(select(Reflection.status)))
        return statuses, db.session.scalar(select(func.count(ProcessedMessage.id)))


def test_prune_deletes_only_what_expired(app: Flask, make_member: Any) -> None:
    member = make_member("keeper")
    _seed(app, member.id)
    with app.app_context():
        assert prune(utcnow(), dry_run=True) == {"drafts": 1, "processed_messages": 2}
    assert _left(app) == (["draft", "draft", "submitted"], 3)  # a dry run deletes nothing
    with app.app_context():
        assert prune(utcnow()) == {"drafts": 1, "processed_messages": 2}
    assert _left(app) == (["draft", "submitted"], 1)


def test_retention_is_configurable_and_checked(app: Flask, make_member: Any) -> None:
    member = make_member("keeper")
    _seed(app, member.id)
    app.config["RETENTION_PROCESSED_DAYS"] = "35"
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0 and "1 draft(s), 1 handled-message row(s)" in result.output
    app.config["RETENTION_DRAFT_DAYS"] = "0"
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 1 and "at least 1" in result.output
