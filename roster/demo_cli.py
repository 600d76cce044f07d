"""`demo seed`: the demo committee (organisations and members), into an empty or demo database."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from bot.demo_data import NotADemoDatabase, claim_for_demo
from models import db
from roster.demo import seed_demo

demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option("--into-a-database-that-is-not-the-demos", "allow_other", is_flag=True,
              help="Seed even a database holding data the demo did not write (test "
                   "environments only: its figures then mix with fiction).")
def demo_seed(allow_other: bool) -> None:
    """Write the demo committee (organisations and members) into an empty or demo database."""
    try:
        claim_for_demo(allow_other=allow_other)
    except NotADemoDatabase as exc:
        db.session.rollback()
        raise click.ClickException(
            f"{exc}. Nothing was written. For a test environment only: "
            "--into-a-database-that-is-not-the-demos") from exc
    count = seed_demo()  # commits, the mark with it
    click.echo(f"demo roster ready: {count} members")


COMMAND_GROUPS = (demo_cli,)
