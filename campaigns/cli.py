"""Campaign commands: `campaign add|list|require|unrequire|hours|show`. Thin wrappers."""

from __future__ import annotations

from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select

from bot.cli import cli_actor, cli_failure
from campaigns import progress
from campaigns.campaigns import (
    CampaignError,
    campaign_items,
    create_campaign,
    find_campaign,
    parse_day,
    require,
    set_required_hours,
    suggest_campaign,
    unrequire,
)
from models import Campaign, CampaignItem, CampaignItemKind, db
from roster import audience as audiences
from roster.audience_cli import audience_options, chosen_audience

campaign_cli = AppGroup("campaign", help="Campaigns such as the winter training (冬训).")


def _date(value: str) -> date:
    try:
        return parse_day(value)
    except CampaignError as exc:
        raise click.BadParameter(str(exc)) from exc


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



def _campaign(name: str) -> Campaign:
    campaign = find_campaign(name)
    if campaign is None:
        raise click.ClickException(
            f"no campaign {name!r} (see `campaign list`){suggest_campaign(name)}")
    return campaign


@campaign_cli.command("require")
@click.argument("name")
@click.option("--material", help="Slug of a material members must finish reading.")
@click.option("--lecture", type=int, help="Id of a lecture members must check in at.")
@click.option("--reflections", type=int, help="How many reflections members must submit.")
def campaign_require(name: str, material: str | None, lecture: int | None,
                     reflections: int | None) -> None:
    """Add one required item to a campaign (audited)."""
    campaign = _campaign(name)
    try:
        item = require(cli_actor(), campaign, material=material, lecture=lecture,
                       reflections=reflections)
    except CampaignError as exc:
        raise cli_failure(exc) from exc
    db.session.commit()
    click.echo(f"{campaign.name}: item {item.id} {_item_line(item)}")


@campaign_cli.command("unrequire")
@click.argument("name")
@click.argument("item_id", type=int)
def campaign_unrequire(name: str, item_id: int) -> None:
    """Remove a required item (its number from `campaign show`; audited)."""
    campaign = _campaign(name)
    try:
        item = unrequire(cli_actor(), campaign, item_id)
    except CampaignError as exc:
        raise cli_failure(exc) from exc
    db.session.commit()
    click.echo(f"{campaign.name}: removed item {item_id} {_item_line(item)}")


@campaign_cli.command("hours")
@click.argument("name")
@click.argument("hours", type=float)
def campaign_hours(name: str, hours: float) -> None:
    """Set the study hours a member needs within the campaign (audited)."""
    campaign = _campaign(name)
    try:
        set_required_hours(cli_actor(), campaign, hours)
    except CampaignError as exc:
        raise cli_failure(exc) from exc
    db.session.commit()
    click.echo(f"{campaign.name}: {campaign.required_hours:g} study hours required")


def _item_line(item: CampaignItem) -> str:
    if item.kind == CampaignItemKind.MATERIAL:
        return f"material {item.title}"
    if item.kind == CampaignItemKind.LECTURE:
        return f"lecture {item.lecture_id} {item.title}"
    return f"{item.count} reflection(s)"


@campaign_cli.command("show")
@click.argument("name")
def campaign_show(name: str) -> None:
    """A campaign's period, audience, requirements and progress by organisation."""
    campaign = _campaign(name)
    click.echo(f"{campaign.name} ({campaign.kind}) {campaign.starts_on} – {campaign.ends_on}, "
               f"audience {audiences.describe(campaign.audience)}")
    items = campaign_items(campaign)
    click.echo(f"required study hours in the period: {campaign.required_hours or 0:g}")
    if not items:
        click.echo("no required items yet (campaign require NAME --material|--lecture|"
                   "--reflections)")
    for item in items:
        click.echo(f"  item {item.id}: {_item_line(item)}")
    rows = progress.by_organization(progress.progress(campaign, progress.audience_ids(campaign)))
    whole = progress.totals(rows)
    click.echo(f"progress: {whole.members} members, {whole.done} done ({whole.rate:.0%}), "
               f"{whole.in_progress} in progress, {whole.not_started} not started")
    for row in rows:
        click.echo(f"  {row.name or '(no organisation)'}\t{row.done}/{row.members} done "
                   f"({row.rate:.0%})\t{row.in_progress} in progress\t"
                   f"{row.not_started} not started")


COMMAND_GROUPS = (campaign_cli,)
