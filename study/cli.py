"""Content commands: `content sync` loads content/materials/ into the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from models import audit, db
from study.library import LIBRARY_DIR, LibraryError, display_path, sync_library

content_cli = AppGroup("content", help="The study materials library.")


@content_cli.command("sync")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The materials folder [default: content/materials].")
def content_sync(directory: Path | None) -> None:
    """Check every material file, then upsert them by slug (all or nothing)."""
    from roster.cli import cli_actor

    folder = directory or LIBRARY_DIR
    try:
        result = sync_library(folder)
    except LibraryError as exc:
        db.session.rollback()
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(exc.problems)} problem(s); nothing was written", err=True)
        raise click.exceptions.Exit(1) from exc
    if result.changed:
        audit(cli_actor(), "content.sync", display_path(folder), added=result.added,
              updated=result.updated, deactivated=result.deactivated)
    db.session.commit()
    click.echo(f"materials: {result}")


COMMAND_GROUPS = (content_cli,)
