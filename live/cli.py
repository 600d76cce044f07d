"""Live-session commands: `live import FILE --title T --at TIME [--lecture ID] [--dry-run]`
and `live list`. Thin wrappers over live.live."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

import clock
from bot.cli import cli_actor, cli_failure
from live import live
from roster.sheet_cli import sheet_import_command

live_cli = AppGroup("live", help="Live sessions (红色直播间): viewer lists.")


@live_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--title", required=True, help="The session's title.")
@click.option("--at", "at", required=True, help='Start, committee time: "YYYY-MM-DD HH:MM".')
@click.option("--lecture", "lecture_id", type=int, help="The lecture this session streamed.")
@click.option("--dry-run", is_flag=True, help="Check and match only; write nothing.")
def live_import(path: Path, title: str, at: str, lecture_id: int | None, dry_run: bool) -> None:
    """Import a viewer list (.xlsx or .csv: 企业微信账号, or 姓名 + 党组织; 观看时长（分钟）)."""
    try:
        sheet_import_command(lambda: live.import_live(
            path, title, live.parse_start(at), cli_actor(), lecture_id=lecture_id,
            dry_run=dry_run), dry_run)
    except live.LiveError as exc:
        raise cli_failure(exc) from exc


@live_cli.command("list")
def live_list() -> None:
    """Every imported session: id, start, title, viewers, members credited, unmatched."""
    rows = live.sessions()
    if not rows:
        click.echo("no live sessions imported")
    for row, credited in rows:
        lecture = f"\tlecture {row.lecture_id}" if row.lecture_id else ""
        click.echo(f"{row.id}\t{clock.local(row.starts_at):%Y-%m-%d %H:%M}\t{row.title}\t"
                   f"{row.viewers} viewers\t{credited} members\t{row.unmatched_viewers} unmatched"
                   f"{lecture}\t{row.source_file}\t{row.imported_by}")


COMMAND_GROUPS = (live_cli,)
