"""Push commands: `push add|list|cancel|stats`, thin wrappers over study.pushes (the console's
推送 pages also create, pause and resume pushes: console/study_pages.py)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

import clock
from bot.cli import cli_actor, parse_time
from models import Push, PushStatus, db
from roster import audience as audiences
from roster.audience_cli import audience_options, chosen_audience
from study.pushes import PushError, cancel_push, create_push, find_material, find_series
from study.stats import by_organization, material_figures

push_cli = AppGroup("push", help="Scheduled pushes of study materials (audited).")


@push_cli.command("add")
@click.option("--material", "slug", help="The material's slug.")
@click.option("--series", "series_title", help="A series: each time, its next item.")
@audience_options
@click.option("--campaign", "campaigns", multiple=True, help="A campaign's audience.")
@click.option("--at", "at", required=True, help="First time, 'YYYY-MM-DD HH:MM' committee time.")
@click.option("--repeat", default="once", type=click.Choice(["once", "daily", "weekly"]))
@click.option("--days", default="", help="Weekly: days 1-7 (Monday=1), e.g. 1,3,5.")
@click.option("--type", "msgtype", default="news", type=click.Choice(["news", "textcard"]))
def push_add(slug: str | None, series_title: str | None, everyone: bool, orgs: tuple[str, ...],
             tags: tuple[int, ...], roles: tuple[str, ...], campaigns: tuple[str, ...], at: str,
             repeat: str, days: str, msgtype: str) -> None:
    """Schedule a push of a material or a series to an audience."""
    try:
        weekdays = [int(d) - 1 for d in days.replace("，", ",").split(",") if d.strip()]
    except ValueError as exc:
        raise click.BadParameter(f"--days {days!r}: use numbers 1-7 like 1,3,5") from exc
    try:
        push = create_push(
            cli_actor(), chosen_audience(everyone, orgs, tags, roles, campaigns),
            parse_time(at),
            material=find_material(slug) if slug else None,
            series=find_series(series_title) if series_title else None,
            repeat=repeat, weekdays=weekdays, msgtype=msgtype)
    except PushError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"push {push.id} scheduled for {clock.local(push.next_at):%Y-%m-%d %H:%M}"
               f" ({push.repeat}), audience {audiences.describe(push.audience)}")


@push_cli.command("list")
@click.option("--all", "show_all", is_flag=True, help="Also finished and cancelled pushes.")
def push_list(show_all: bool) -> None:
    """The scheduled pushes (active and paused; --all: every one)."""
    query = select(Push).order_by(Push.id)
    if not show_all:
        query = query.where(Push.status.in_((PushStatus.ACTIVE, PushStatus.PAUSED)))
    pushes = db.session.scalars(query).all()
    if not pushes:
        click.echo("no pushes")
    for push in pushes:
        what = push.material.slug if push.material else f"series {push.series.title}"
        when = (f"{clock.local(push.next_at):%Y-%m-%d %H:%M}" if push.next_at else "-")
        click.echo(f"{push.id}\t{push.status}\t{when}\t{push.repeat}\t{what}\t"
                   f"{audiences.describe(push.audience)}")


@push_cli.command("cancel")
@click.argument("push_id", type=int)
def push_cancel(push_id: int) -> None:
    """Cancel a push; nothing more of it is sent."""
    try:
        cancel_push(cli_actor(), push_id)
    except PushError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"push {push_id} cancelled")


@push_cli.command("stats")
@click.option("--material", "slug", help="One material, by organisation.")
def push_stats(slug: str | None) -> None:
    """Delivered, opened and completed per material (or per organisation for one)."""
    try:
        rows = by_organization(find_material(slug).id) if slug else material_figures()
    except PushError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo("delivered\topened\tcompleted\t" + ("organisation" if slug else "material"))
    for row in rows:
        click.echo(f"{row.delivered}\t{row.opened}\t{row.completed}\t{row.label}")


COMMAND_GROUPS = (push_cli,)
