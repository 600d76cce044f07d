"""CLI commands: thin click wrappers over plain functions."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from bot.roster import RosterError, add_member, ensure_organization

member_cli = AppGroup("member", help="Roster members.")
demo_cli = AppGroup("demo", help="Demo data.")
wecom_cli = AppGroup("wecom", help="The WeCom app (menu).")


@member_cli.command("add")
@click.argument("userid")
@click.argument("name")
@click.option("--org", "org_name", help="Organisation name (created if missing).")
@click.option("--kind", default="other", show_default=True,
              help="Kind of a new organisation: foreign, private, state, other.")
@click.option("--role", "roles", multiple=True, help="contact, lecturer or admin (repeatable).")
@click.option("--position", default=None, help="Position in the enterprise.")
def member_add(userid: str, name: str, org_name: str | None, kind: str, roles: tuple[str, ...],
               position: str | None) -> None:
    """Add a member by WeCom userid, or update an existing one."""
    from models import db

    try:
        orgs = [ensure_organization(org_name, kind)] if org_name else []
        member = add_member(userid, name, orgs, roles, position)
    except RosterError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"member {member.userid} ({member.name}) saved, roles: "
               f"{', '.join(sorted(member.roles()))}")


@demo_cli.command("seed")
def demo_seed() -> None:
    """Write the demo committee (organisations and members)."""
    from bot.demo import seed_demo

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
    for group in (member_cli, demo_cli, wecom_cli):
        app.cli.add_command(group)
