"""Reflection commands: `reflection list` (review, export and digest commands join here)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from models import Reflection, db

reflection_cli = AppGroup("reflection", help="Reflections (心得体会).")


@reflection_cli.command("list")
@click.option("--status", help="draft, submitted, reviewed, featured or returned.")
@click.option("--limit", default=30, show_default=True)
def reflection_list(status: str | None, limit: int) -> None:
    """Recent reflections: number, status, author, subject, length."""
    query = select(Reflection).order_by(Reflection.id.desc()).limit(limit)
    if status:
        query = query.where(Reflection.status == status)
    rows = db.session.scalars(query).all()
    if not rows:
        click.echo("no reflections")
    for row in rows:
        click.echo(f"{row.number}\t{row.status}\t{row.member.userid}\t{row.subject_title}\t"
                   f"{row.word_count} chars, {row.image_count} photos")


COMMAND_GROUPS = (reflection_cli,)
