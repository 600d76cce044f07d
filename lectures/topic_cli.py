"""Menu commands: `topics sync` loads content/topics.yaml, `topics list` shows the menu."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lectures.topics import TOPICS_FILE, TopicsError, sync_topics
from models import Topic, audit, db
from study.library import display_path

topics_cli = AppGroup("topics", help="The lecture menu (宣讲菜单).")


@topics_cli.command("sync")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The menu file [default: content/topics.yaml].")
def topics_sync(path: Path | None) -> None:
    """Check the menu file and the lecturers, then upsert topics by slug (all or nothing)."""
    from roster.cli import cli_actor

    source = path or TOPICS_FILE
    try:
        result = sync_topics(source)
    except TopicsError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s); nothing was written", err=True)
        raise click.exceptions.Exit(1) from exc
    if result.changed:
        audit(cli_actor(), "topics.sync", display_path(source), added=result.added,
              updated=result.updated, deactivated=result.deactivated)
    db.session.commit()
    click.echo(f"topics: {result}")


@topics_cli.command("list")
def topics_list() -> None:
    """Every topic with its category, length, modes and lecturers; retired ones marked."""
    topics = db.session.scalars(select(Topic).order_by(Topic.active.desc(), Topic.id)).all()
    if not topics:
        click.echo("no topics; run `flask --app wsgi topics sync`")
        return
    for topic in topics:
        lecturers = ", ".join(link.member.userid for link in topic.lecturers)
        state = "" if topic.active else " [retired]"
        click.echo(f"{topic.slug}{state}: 《{topic.title}》 {topic.category}, "
                   f"{topic.minutes} min, {'/'.join(topic.modes)}; lecturers: {lecturers}")


COMMAND_GROUPS = (topics_cli,)
