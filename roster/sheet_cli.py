"""The CLI half of a spreadsheet import: every problem of a bad sheet printed, or the report."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from models import db
from roster.sheet_read import SheetError


def sheet_import_command(run: Callable[[], Any], dry_run: bool) -> None:
    """An all-or-nothing spreadsheet import: print every problem of a bad sheet and exit 1,
    or commit (roll back on a dry run) and print the report's lines."""
    try:
        report = run()
    except SheetError as exc:
        db.session.rollback()
        for line in exc.lines():
            click.echo(line, err=True)
        raise click.exceptions.Exit(1) from exc
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in report.lines():
        click.echo(line)
