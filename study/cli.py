"""Content commands: `content sync` loads content/materials/ into the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from bot.cli import cli_actor, sync_command
from study.library import (
    LIBRARY_DIR,
    LibraryError,
    LibrarySync,
    display_path,
    sync_library,
)

content_cli = AppGroup("content", help="The study materials library.")


@content_cli.command("sync")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The materials folder [default: content/materials].")
@click.option("--force", is_flag=True,
              help="Import files over materials edited in the console since their last import.")
def content_sync(directory: Path | None, force: bool) -> None:
    """Check every material file, then upsert them by slug (all or nothing); materials edited
    in the console since their file was last imported are listed and left alone."""
    folder = directory or LIBRARY_DIR

    def run() -> LibrarySync:
        result = sync_library(folder, force=force, actor=cli_actor())
        for kept in result.kept:
            click.echo(str(kept), err=True)
        return result

    sync_command("materials", "content.sync", display_path(folder), run, LibraryError)


COMMAND_GROUPS = (content_cli,)
