"""Lecture commands: `lectures stats`, `applications`, `approve` and `decline`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from bot.cli import cli_actor
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from content.texts import local_time
from lectures import applications as apps
from lectures.stats import GROUPINGS, HELD_DEFINITION, figures
from models import db, utcnow

lectures_cli = AppGroup("lectures", help="Lectures (宣讲): figures and lecturer applications.")


@lectures_cli.command("stats")
@click.option("--by", "by", type=click.Choice(GROUPINGS), default="lecturer", show_default=True)
def lectures_stats(by: str) -> None:
    """Lectures held (lectures.stats.held), checked-in and reported audience, average rating."""
    rows = figures(by)
    if not rows:
        click.echo(f"no {by} figures yet")
        return
    click.echo(HELD_DEFINITION)
    click.echo(f"{by}\tlectures\tchecked_in\treported\tratings\taverage")
    for row in rows:
        average = "-" if row.average_rating is None else f"{row.average_rating:.2f}"
        click.echo(f"{row.label}\t{row.lectures}\t{row.audience}\t{row.reported}\t"
                   f"{row.ratings}\t{average}")


@lectures_cli.command("applications")
@click.option("--status", type=click.Choice([*apps.STATUSES, "all"]), default=apps.PENDING,
              show_default=True)
def lectures_applications(status: str) -> None:
    """Lecturer applications (讲师报名): id, status, batch, who, specialties, sample topic."""
    rows = apps.applications(None if status == "all" else status)
    if not rows:
        click.echo(f"no {status} applications")
    for row in rows:
        click.echo(f"{row.id}\t{row.status}\tbatch {row.batch}\t{row.member.userid} "
                   f"{row.member.name}\t{row.specialties}\t{row.sample_topic}\t"
                   f"{local_time(row.created_at)}")
        click.echo(f"\texperience: {row.experience}")
        if row.decision_note:
            click.echo(f"\treason: {row.decision_note}")


def _decide(decision: str, application_id: int, **kwargs: object) -> None:
    """Approve or decline, commit, then send the member's notice."""
    outbox = Outbox(db.session)
    decide = apps.approve if decision == "approve" else apps.decline
    try:
        row = decide(actor=cli_actor(), application_id=application_id, now=utcnow(),
                     outbox=outbox, **kwargs)
    except apps.ApplicationError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    userid, batch, status = row.member.userid, row.batch, row.status
    db.session.commit()
    enqueue_deliveries(outbox.pending_ids())
    click.echo(f"application {application_id} {status} (batch {batch}); {userid} notified")


@lectures_cli.command("approve")
@click.argument("application_id", type=int)
@click.option("--batch", type=int, help="The batch (default: the one applied for).")
def lectures_approve(application_id: int, batch: int | None) -> None:
    """Approve an application: grant the lecturer role with its batch and specialties."""
    _decide("approve", application_id, batch=batch)


@lectures_cli.command("decline")
@click.argument("application_id", type=int)
@click.option("--reason", required=True, help="Why, shown to the member.")
def lectures_decline(application_id: int, reason: str) -> None:
    """Decline an application, telling the member why."""
    _decide("decline", application_id, reason=reason)


COMMAND_GROUPS = (lectures_cli,)
