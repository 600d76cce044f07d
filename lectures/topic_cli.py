"""Menu commands: `topics sync` loads content/topics.yaml, `topics list` shows the menu."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot.cli import cli_actor, sync_command
from content.titles import quoted
from lectures.topics import TOPICS_FILE, TopicsError, TopicSync, sync_topics
from models import Topic, audit, db
from study.library import display_path

topics_cli = AppGroup("topics", help="The lecture menu (宣讲菜单).")


@topics_cli.command("sync")
@click.option("--file", "path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The menu file [default: content/topics.yaml].")
@click.option("--force", is_flag=True,
              help="Overwrite (or retire) topics edited in the console since the last import.")
def topics_sync(path: Path | None, force: bool) -> None:
    """Check the menu file and the lecturers, then upsert topics by slug (all or nothing).

    A topic edited in the console since its last import is named and left as it is unless
    --force; topics created in the console are never retired for not being in the file."""
    source = path or TOPICS_FILE
    kept: list[str] = []

    def run() -> TopicSync:
        result = sync_topics(source, force=force)
        for before, after in result.forced:  # console work the file replaced
            audit(cli_actor(), "topic.sync_forced", f"topic {before['slug']}", before=before,
                  after=after)
        kept.extend(str(k) for k in result.kept)
        return result

    sync_command("topics", "topics.sync", display_path(source), run, TopicsError)
    for line in kept:
        click.echo(line)


@topics_cli.command("list")
def topics_list() -> None:
    """Every topic with its category, length, modes and lecturers; retired ones and console
    work marked."""
    topics = db.session.scalars(select(Topic).order_by(Topic.active.desc(), Topic.id)).all()
    if not topics:
        click.echo("no topics; run `flask --app wsgi topics sync`")
        return
    for topic in topics:
        lecturers = ", ".join(link.member.userid for link in topic.lecturers)
        state = "" if topic.active else " [retired]"
        if topic.imported_at is None:
            state += " [made in the console]"
        elif topic.edited_since_import:
            state += " [edited in the console]"
        click.echo(f"{topic.slug}{state}: {quoted(topic.title)} {topic.category}, "
                   f"{topic.minutes} min, {'/'.join(topic.modes)}; lecturers: {lecturers}")


COMMAND_GROUPS = (topics_cli,)
