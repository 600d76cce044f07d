"""Question-bank commands: `quiz import FILE [--dry-run]` and `quiz template FILE`. Thin
wrappers over quizzes.sheet; the console's 导入题目 page does the same."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

import clock
from bot.cli import cli_actor
from quizzes import sheet
from roster.sheet_cli import sheet_import_command

quiz_cli = AppGroup("quiz", help="每日答题: the question bank.")


@quiz_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report; write nothing.")
def quiz_import(path: Path, dry_run: bool) -> None:
    """Import questions from an .xlsx (the template's columns): all or nothing; a question
    whose text is already in the bank is updated."""
    sheet_import_command(lambda: sheet.import_bank(path, cli_actor(), clock.utcnow(),
                                                   dry_run=dry_run), dry_run)


@quiz_cli.command("template")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def quiz_template(path: Path) -> None:
    """Write the import's template (.xlsx) to PATH."""
    if path.suffix.lower() != ".xlsx":
        raise click.BadParameter("the template is an .xlsx file", param_hint="PATH")
    sheet.write_template(path)
    click.echo(f"wrote {path}")


COMMAND_GROUPS = (quiz_cli,)
