"""Campaign commands: `campaign add|list` (audited). Thin wrappers."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot.cli import cli_actor
from models import Campaign, db
from participation.campaigns import CampaignError, create_campaign
from study import audience as audiences
from study.push_cli import audience_options, chosen_audience

campaign_cli = AppGroup("campaign", help="Campaigns such as the winter training (冬训).")


def _date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise click.BadParameter(f"{value!r}: use YYYY-MM-DD") from exc


@campaign_cli.command("add")
@click.argument("name")
@click.option("--kind", default="winter_training",
              type=click.Choice(["winter_training", "theme"]), show_default=True)
@click.option("--from", "starts", required=True, help="First day, YYYY-MM-DD.")
@click.option("--to", "ends", required=True, help="Last day, YYYY-MM-DD.")
@audience_options
def campaign_add(name: str, kind: str, starts: str, ends: str, everyone: bool,
                 orgs: tuple[str, ...], tags: tuple[int, ...], roles: tuple[str, ...]) -> None:
    """Create a campaign for an audience; materials join it by naming it."""
    try:
        campaign = create_campaign(cli_actor(), name, kind, _date(starts), _date(ends),
                                   chosen_audience(everyone, orgs, tags, roles))
    except CampaignError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"campaign {campaign.name} ({campaign.kind}) {campaign.starts_on} – "
               f"{campaign.ends_on}, audience {audiences.describe(campaign.audience)}")


@campaign_cli.command("list")
def campaign_list() -> None:
    """Every campaign."""
    rows = db.session.scalars(select(Campaign).order_by(Campaign.starts_on.desc())).all()
    if not rows:
        click.echo("no campaigns")
    for row in rows:
        click.echo(f"{row.name}\t{row.kind}\t{row.starts_on} – {row.ends_on}\t"
                   f"{audiences.describe(row.audience)}")


COMMAND_GROUPS = (campaign_cli,)
