"""CLI commands: thin click wrappers over plain functions."""

from __future__ import annotations

import getpass
import importlib
from collections.abc import Callable
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Demo data.")


def cli_actor() -> str:
    """Who is acting at the command line, for the audit trail."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def cli_failure(exc: Exception) -> click.ClickException:
    """Roll back what the command wrote and turn the error into a plain CLI message."""
    from models import db

    db.session.rollback()
    return click.ClickException(str(exc))


def sync_command(label: str, action: str, target: str, sync: Callable[[], Any],
                 error: type[Exception]) -> None:
    """An all-or-nothing file sync: print every problem and exit 1, or commit and audit."""
    from models import audit, db

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
def sheet_import_command(run: Callable[[], Any], dry_run: bool) -> None:
    """An all-or-nothing spreadsheet import: print every problem of a bad sheet and exit 1,
    or commit (roll back on a dry run) and print the report's lines."""
    from models import db
    from roster.sheet_read import SheetError

    try:
        report = run()
    except SheetError as exc:
        db.session.rollback()
        for line in exc.lines():
            click.echo(line, err=True)
        raise click.exceptions.Exit(1) from exc
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for line in report.lines():
        click.echo(line)


wecom_cli = AppGroup("wecom", help="The WeCom app (menu).")


@demo_cli.command("seed")
@click.option("--into-a-database-that-is-not-the-demos", "allow_other", is_flag=True,
              help="Seed even a database holding data the demo did not write (test "
                   "environments only: its figures then mix with fiction).")
def demo_seed(allow_other: bool) -> None:
    """Write the demo committee (organisations and members) into an empty or demo database."""
    from bot.demo_data import NotADemoDatabase, claim_for_demo
    from models import db
    from roster.demo import seed_demo

    try:
        claim_for_demo(allow_other=allow_other)
    except NotADemoDatabase as exc:
        db.session.rollback()
        raise click.ClickException(
            f"{exc}. Nothing was written. For a test environment only: "
            "--into-a-database-that-is-not-the-demos") from exc
    count = seed_demo()  # commits, the mark with it
    click.echo(f"demo roster ready: {count} members")


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


# Each feature's CLI module exposes COMMAND_GROUPS.
FEATURE_CLIS = ("bot.doctor", "bot.retention", "roster.cli", "study.cli", "study.push_cli",
                "campaigns.cli", "live.cli", "reflections.cli",
                "lectures.topic_cli", "lectures.cli", "broadcasts.group_cli", "broadcasts.cli",
                "checkins.cli", "meetings.cli", "console.cli",
                "report.cli")


def init_app(app: Flask) -> None:
    """Register the command groups of the machinery and of every feature."""
    groups = [demo_cli, wecom_cli]
    for module in FEATURE_CLIS:
        groups.extend(importlib.import_module(module).COMMAND_GROUPS)
    for group in groups:
        app.cli.add_command(group)
