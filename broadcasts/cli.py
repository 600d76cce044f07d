"""Broadcast commands: `broadcast send|list|recall|cancel` (the console comes later). Thin."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

import click
from flask.cli import AppGroup

from bot.cli import cli_actor, parse_time
from bot.services import wecom_client
from broadcasts import compose, sending
from broadcasts.compose import ComposeError
from broadcasts.jobs import broadcast_tick, enqueue_broadcast
from broadcasts.recall import recall
from models import Broadcast, BroadcastStatus, GroupRobot, Material, db, utcnow
from roster import audience as audiences
from roster.audience_cli import audience_options, chosen_audience
from study.pushes import PushError, find_material

THIS_MONTH = "this"
broadcast_cli = AppGroup("broadcast", help="Broadcasts (群发) to members (audited).")


def _robots(ids: tuple[int, ...]) -> tuple[int, ...]:
    """The active robots named (each once), or ValueError for one that is not."""
    for robot_id in ids:
        robot = db.session.get(GroupRobot, robot_id)
        if robot is None or not robot.active:
            raise ValueError(f"no active group robot {robot_id} (see `robots list`)")
    return tuple(dict.fromkeys(ids))


def _audience(everyone: bool, orgs: tuple[str, ...], tags: tuple[int, ...],
              roles: tuple[str, ...], campaigns: tuple[str, ...], idle: str | None,
              now: datetime) -> dict[str, Any]:
    """The one audience the options name; --idle alone means this month (the committee's)."""
    if idle is None:
        try:
            return chosen_audience(everyone, orgs, tags, roles, campaigns)
        except click.UsageError:
            pass
    elif not (everyone or orgs or tags or roles or campaigns):
        audience = audiences.idle_audience(now) if idle == THIS_MONTH else {
            "kind": "idle", "values": [idle]}
        try:
            return audiences.validate(audience)
        except audiences.AudienceError as exc:
            raise click.BadParameter(str(exc), param_hint="--idle") from exc
    raise click.UsageError("choose exactly one audience (--all, --org, --tag, --role, "
                           "--campaign, --idle)")


@broadcast_cli.command("send")
@click.option("--text", "content", help="The text (prefix 'markdown ' for markdown).")
@click.option("--material", "slug", help="A material's slug (sent with its tracked link).")
@click.option("--type", "msgtype", default="news", show_default=True,
              type=click.Choice(["news", "textcard"]), help="How a material is sent.")
@audience_options
@click.option("--campaign", "campaigns", multiple=True, help="A campaign's audience.")
@click.option("--idle", "idle", is_flag=False, flag_value=THIS_MONTH, default=None,
              metavar="[YYYY-MM]",
              help="Members with no participation this month, or in YYYY-MM (本月未参学).")
@click.option("--at", "at", help="Send later: 'YYYY-MM-DD HH:MM' committee time.")
@click.option("--group", "groups", multiple=True, type=int,
              help="Also a branch's group chat: a robot id from `robots list`.")
def broadcast_send(content: str | None, slug: str | None, msgtype: str, everyone: bool,
                   orgs: tuple[str, ...],
                   tags: tuple[int, ...], roles: tuple[str, ...], campaigns: tuple[str, ...],
                   idle: str | None, at: str | None, groups: tuple[int, ...]) -> None:
    """Send (or schedule) a broadcast; the audience is resolved now."""
    if (content is None) == (slug is None):
        raise click.UsageError("give exactly one of --text and --material")
    now = utcnow()
    audience = _audience(everyone, orgs, tags, roles, campaigns, idle, now)
    try:
        if slug is not None:
            material: Material = find_material(slug)
            kind, payload = compose.material_payload(material, slug, msgtype)
        else:
            kind, payload = compose.text_payload(content or "")
        draft = sending.BroadcastDraft(cli_actor(), kind, payload, audience, _robots(groups))
        row, _ = sending.create(draft, f"cli:{secrets.token_hex(8)}", now,
                                parse_time(at) if at else None)
    except (ComposeError, PushError, ValueError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    if row.status == BroadcastStatus.SENDING:
        enqueue_broadcast(row.id)
    click.echo(f"{row.number} {row.status}: {row.audience_size} members, at {row.send_at}")


@broadcast_cli.command("list")
@click.option("--limit", default=20, show_default=True)
def broadcast_list(limit: int) -> None:
    """The latest broadcasts with status and delivery counts."""
    for row in sending.recent(limit):
        click.echo(sending.describe(row))


def _find(number: str) -> Broadcast:
    row = sending.find(number)
    if row is None:
        raise click.ClickException(f"no broadcast {number}")
    return row


@broadcast_cli.command("recall")
@click.argument("number")
def broadcast_recall(number: str) -> None:
    """Recall every batch of a broadcast (within 24 hours)."""
    result = recall(wecom_client(), cli_actor(), _find(number), utcnow())
    if result.refused:
        raise click.ClickException(f"{number} not recalled: {result.refused}")
    click.echo(f"{number}: {len(result.recalled)} messages recalled"
               + (f", errors: {result.errors}" if result.errors else ""))


@broadcast_cli.command("cancel")
@click.argument("number")
def broadcast_cancel(number: str) -> None:
    """Cancel a scheduled broadcast."""
    row = _find(number)
    if not sending.cancel(cli_actor(), row):
        raise click.ClickException(f"{number} is {row.status}, not scheduled")
    db.session.commit()
    click.echo(f"{number} cancelled")


@broadcast_cli.command("tick")
def broadcast_tick_command() -> None:
    """Run the broadcast tick once (start due ones, summarise finished ones)."""
    click.echo(f"started {broadcast_tick()}")


COMMAND_GROUPS = (broadcast_cli,)
