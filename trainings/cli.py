"""Training commands: `training list` (a year's trainings with their sessions and counts)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

import clock
from models import TrainingKind
from trainings import figures

training_cli = AppGroup("training", help="Trainings (培训班): enrolments, sessions, attendance.")


@training_cli.command("list")
@click.option("--year", type=click.IntRange(2000, 2100), default=None,
              help="The committee year (default: this one).")
@click.option("--kind", type=click.Choice([k.value for k in TrainingKind]), default=None,
              help="Only trainings of this kind.")
def training_list(year: int | None, kind: str | None) -> None:
    """The year's trainings: dates, planned and scheduled sessions, enrolled, check-ins,
    attendees."""
    year = year or clock.today().year
    rows = figures.listing(year, kind)
    if not rows:
        click.echo(f"no trainings in {year}")
    for row in rows:
        training = row.training
        click.echo(f"training:{training.id} [{training.kind}] {training.title} "
                   f"{training.starts_on}..{training.ends_on}: "
                   f"{row.sessions}/{training.planned_sessions} sessions, "
                   f"{row.enrolled} enrolled, {row.checkins} check-ins, "
                   f"{row.attendees} attendees")


COMMAND_GROUPS = (training_cli,)
