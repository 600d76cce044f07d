"""Content commands: `content sync` loads content/materials/ into the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from bot.cli import sync_command
from study.library import LIBRARY_DIR, LibraryError, display_path, sync_library

content_cli = AppGroup("content", help="The study materials library.")


@content_cli.command("sync")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The materials folder [default: content/materials].")
def content_sync(directory: Path | None) -> None:
    """Check every material file, then upsert them by slug (all or nothing)."""
    folder = directory or LIBRARY_DIR
    sync_command("materials", "content.sync", display_path(folder),
                 lambda: sync_library(folder), LibraryError)


COMMAND_GROUPS = (content_cli,)
