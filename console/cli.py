"""Console commands: `console create-admin|set-password|disable-admin USERNAME`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from bot.cli import cli_actor, cli_failure
from console import accounts
from models import db

console_cli = AppGroup("console", help="The web console: local admin accounts.")


def _password() -> str:
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@console_cli.command("create-admin")
@click.argument("username")
def create_admin(username: str) -> None:
    """Create a local admin account; the password is asked for (never an argument)."""
    try:
        accounts.create_admin(username, _password(), cli_actor())
    except accounts.AccountError as exc:
        raise cli_failure(exc) from exc
    db.session.commit()
    click.echo(f"console admin {username} created; log in at /console/login")


@console_cli.command("set-password")
@click.argument("username")
def set_password(username: str) -> None:
    """Give a local account a new password (and enable it again)."""
    try:
        accounts.set_password(username, _password(), cli_actor())
    except accounts.AccountError as exc:
        raise cli_failure(exc) from exc
    db.session.commit()
    click.echo(f"password of {username} changed")


@console_cli.command("disable-admin")
@click.argument("username")
def disable_admin(username: str) -> None:
    """Disable a local account (it can no longer log in; its open session ends)."""
    try:
        accounts.disable(username, cli_actor())
    except accounts.AccountError as exc:
        raise cli_failure(exc) from exc
    db.session.commit()
    click.echo(f"{username} disabled")


COMMAND_GROUPS = (console_cli,)
