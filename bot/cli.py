"""CLI commands: thin click wrappers over plain functions."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")
wecom_cli = AppGroup("wecom", help="The WeCom app (menu).")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Write the demo committee (organisations and members)."""
    from roster.demo import seed_demo

    click.echo(f"demo roster ready: {seed_demo()} members")


@wecom_cli.command("push-menu")
def push_menu() -> None:
    """Push the app menu from content/menu.py to WeCom."""
    from bot.services import wecom_client
    from bot.wecom import WeComError
    from content.menu import MENU

    try:
        wecom_client().create_menu(MENU)
    except WeComError as exc:
        raise click.ClickException(f"menu not pushed: {exc}") from exc
    click.echo(f"menu pushed: {len(MENU['button'])} buttons")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    from roster.cli import COMMAND_GROUPS

    for group in (*COMMAND_GROUPS, demo_cli, wecom_cli):
        app.cli.add_command(group)
