"""Report commands: `report annual --year 2026 [--out DIR]` writes the .xlsx, .md and .docx
(audited). Thin wrappers."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

import clock
from bot.cli import cli_actor
from models import audit, db
from report.writing import write_report

report_cli = AppGroup("report", help="Reports built from the records (annual figures).")
FIRST_YEAR = 2000


@report_cli.command("annual")
@click.option("--year", type=int, required=True, help="The year, e.g. 2026 (the committee's).")
@click.option("--out", "out_dir", default=".", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the .xlsx workbook, the .md summary and the .docx.")
def report_annual(year: int, out_dir: Path) -> None:
    """Write the year's workbook (summary, organisations, lecturers, the year's records), the
    Markdown summary and the .docx in the committee's sentences."""
    this_year = clock.today().year
    if not FIRST_YEAR <= year <= this_year:
        raise click.ClickException(f"year must be from {FIRST_YEAR} to {this_year}")
    try:
        files = write_report(year, out_dir)
    except OSError as exc:
        raise click.ClickException(f"cannot write the report into {out_dir}: {exc}") from exc
    audit(cli_actor(), "report.annual", f"year {year}", workbook=str(files.xlsx),
          summary=str(files.md), document=str(files.docx))
    db.session.commit()
    click.echo(f"annual report {year}: {files.xlsx}, {files.md} and {files.docx}")


COMMAND_GROUPS = (report_cli,)
