"""Reflections written straight into the database, for the review and digest tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask

from models import Member, Reflection, ReflectionStatus, db, utcnow


def make_reflection(app: Flask, author: Member, text: str = "学习心得正文。" * 10,
                    subject: str = "《守岛人》", minutes_ago: int = 60,
                    status: ReflectionStatus = ReflectionStatus.SUBMITTED,
                    consent_public: bool = True, reviewed_at: datetime | None = None,
                    images: int = 0) -> tuple[int, str]:
    """A reflection written straight into the database; returns its id and number."""
    with app.app_context():
        at = utcnow() - timedelta(minutes=minutes_ago)
        reflection = Reflection(
            member_id=author.id, subject_kind="material", subject_title=subject, text=text,
            word_count=len(text), image_count=images, status=status,
            consent_public=consent_public, created_at=at, updated_at=at, submitted_at=at,
            featured=status == ReflectionStatus.FEATURED, reviewed_at=reviewed_at)
        db.session.add(reflection)
        db.session.commit()
        return reflection.id, reflection.number
