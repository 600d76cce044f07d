"""CLI commands: thin click wrappers over plain functions."""

from __future__ import annotations

import getpass
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup

import clock
from bot.services import wecom_client
from bot.wecom import WeComError
from content.menu import MENU
from models import audit, db


def cli_actor() -> str:
    """Who is acting at the command line, for the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def cli_failure(exc: Exception) -> click.ClickException:
    """Roll back what the command wrote and turn the error into a plain CLI message."""
    db.session.rollback()
    return click.ClickException(str(exc))


def sync_command(label: str, action: str, target: str, sync: Callable[[], Any],
                 error: type[Exception]) -> None:
    """An all-or-nothing file sync: print every problem and exit 1, or commit and audit."""
    try:
        result = sync()
    except error as exc:
        db.session.rollback()
        problems = getattr(exc, "problems", [])
        for problem in problems:
            click.echo(str(problem), err=True)
        click.echo(f"{len(problems)} problem(s); nothing was written", err=True)
        raise click.exceptions.Exit(1) from exc
    if result.changed:
        audit(cli_actor(), action, target, added=result.added, updated=result.updated,
              deactivated=result.deactivated)
    db.session.commit()
    click.echo(f"{label}: {result}")
wecom_cli = AppGroup("wecom", help="The WeCom app (menu).")


@wecom_cli.command("push-menu")
def push_menu() -> None:
    """Push the app menu from content/menu.py to WeCom."""
    try:
        wecom_client().create_menu(MENU)
    except WeComError as exc:
        raise click.ClickException(f"menu not pushed: {exc}") from exc
    click.echo(f"menu pushed: {len(MENU['button'])} buttons")


COMMAND_GROUPS = (wecom_cli,)


def parse_time(value: str) -> datetime:
    """A time typed as 'YYYY-MM-DD HH:MM' (or a date) on the committee's clock, as UTC."""
    for layout in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return clock.from_wall(datetime.strptime(value, layout))
        except ValueError:
            continue
    raise click.BadParameter(f"{value!r}: use 'YYYY-MM-DD HH:MM' (the committee's local time)")


def init_app(app: Flask, groups: Sequence[click.Command]) -> None:
    """Register the command groups of the machinery and of every feature."""
    for group in groups:
        app.cli.add_command(group)
