"""Menu commands: `topics sync` loads content/topics.yaml, `topics list` shows the menu."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot.cli import sync_command
from lectures.topics import TOPICS_FILE, TopicsError, sync_topics
from models import Topic, db
from study.library import display_path

topics_cli = AppGroup("topics", help="The lecture menu (宣讲菜单).")


@topics_cli.command("sync")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The menu file [default: content/topics.yaml].")
def topics_sync(path: Path | None) -> None:
    """Check the menu file and the lecturers, then upsert topics by slug (all or nothing)."""
    source = path or TOPICS_FILE
    sync_command("topics", "topics.sync", display_path(source), lambda: sync_topics(source),
                 TopicsError)


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
