"""Group robot commands: `robots add NAME KEY [--org ORG]`, `robots list`, `robots remove ID`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from bot.cli import cli_actor, cli_failure
from bot.robot import mask_key
from broadcasts.groups import GroupRobotError, deactivate_robot, list_robots, register_robot
from models import db
from roster.manage import RosterError, find_organization

robots_cli = AppGroup("robots", help="Branch group robots (群机器人) that broadcasts can reach.")


@robots_cli.command("add")
@click.argument("name")
@click.argument("key")
@click.option("--org", "org_name", help="The branch (organisation) whose group chat it is.")
def robots_add(name: str, key: str, org_name: str | None) -> None:
    """Register a group robot by its webhook KEY (or the whole webhook URL)."""
    try:
        org = find_organization(org_name) if org_name else None
        robot = register_robot(name, key, cli_actor(), org)
    except (GroupRobotError, RosterError) as exc:
        raise cli_failure(exc) from exc
    db.session.commit()
    click.echo(f"robot {robot.id} ({robot.name}) registered, key {mask_key(robot.webhook_key)}")


@robots_cli.command("list")
@click.option("--all", "include_inactive", is_flag=True, help="Include removed robots.")
def robots_list(include_inactive: bool) -> None:
    """List the registered group robots (keys shown masked)."""
    robots = list_robots(include_inactive)
    if not robots:
        click.echo("no group robots registered")
    for robot in robots:
        org = robot.organization.name if robot.organization else "-"
        state = "" if robot.active else "\tremoved"
        click.echo(f"{robot.id}\t{robot.name}\t{org}\t{mask_key(robot.webhook_key)}{state}")


@robots_cli.command("remove")
@click.argument("robot_id", type=int)
def robots_remove(robot_id: int) -> None:
    """Stop sending broadcasts to robot ROBOT_ID (its history stays)."""
    try:
        robot = deactivate_robot(robot_id, cli_actor())
    except GroupRobotError as exc:
        raise cli_failure(exc) from exc
    db.session.commit()
    click.echo(f"robot {robot.id} ({robot.name}) removed")


COMMAND_GROUPS = [robots_cli]
