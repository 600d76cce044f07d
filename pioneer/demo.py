"""The demo: the demo committee and a year of its records, the one way `./dev demo` and
`flask demo seed` write them.

`seed_demo_year` runs after the roster (roster.demo): the starter library, the lecture menu,
the starter quiz bank, a lecturer application, months of participation with the 冬训
campaign and the pushes behind every read (pioneer/demo_participation.py), the 点单 board
(pioneer/demo_lectures.py), the year's 三会一课 (pioneer/demo_meetings.py), then every
feature's demo year. It writes once per
database: a second call finds the campaign and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import click
from flask.cli import AppGroup

import clock
from activities import demo as activities_demo
from analysis import demo as analysis_demo
from awards import demo as awards_demo
from books import demo as books_demo
from bot.demo_data import NotADemoDatabase, claim_for_demo
from hall import demo as hall_demo
from lectures.demo import seed_application
from lectures.topics import sync_topics
from models import db
from pioneer.demo_lectures import seed_lectures
from pioneer.demo_meetings import seed_meetings
from pioneer.demo_participation import seed_participation
from publicity import demo as publicity_demo
from questions import demo as questions_demo
from quizzes.starter import seed_starter_bank
from roster.demo import seed_demo
from study.library import sync_library
from trainings import demo as trainings_demo

# Each feature's demo year, in the order they are written (later ones may use earlier rows).
YEAR_SEEDS: tuple[tuple[str, Callable[[date], int]], ...] = (
    ("books", books_demo.seed_demo_year),
    ("activities", activities_demo.seed_demo_year),
    ("hall", hall_demo.seed_demo_year),
    ("trainings", trainings_demo.seed_demo_year),
    ("publicity", publicity_demo.seed_demo_year),
    ("questions", questions_demo.seed_demo_year),
    ("awards", awards_demo.seed_demo_year),  # after the records: it decides from the figures
    ("analysis", analysis_demo.seed_demo_year),  # last: it reads what the year wrote
)


def seed_demo_year(today: date | None = None) -> dict[str, int]:
    """Write the demo's year after its roster; rows written per part (all 0 the second time)."""
    today = today or clock.today()
    sync_library()  # the starter library in content/materials
    sync_topics()  # the lecture menu in content/topics.yaml
    seed_starter_bank()  # the starter 每日答题 bank
    seed_application()  # one for the console's 讲师报名 page
    db.session.commit()
    written = {"participation": seed_participation(today)}
    if written["participation"]:  # the first time: the 点单 board, 三会一课, the features' years
        written["lectures"] = seed_lectures(today)
        written["meetings"] = seed_meetings(today)
        for name, seed in YEAR_SEEDS:
            written[name] = seed(today)
    db.session.commit()
    return written


demo_cli = AppGroup("demo", help="Demo data.")


@demo_cli.command("seed")
@click.option("--into-a-database-that-is-not-the-demos", "allow_other", is_flag=True,
              help="Seed even a database holding data the demo did not write (test "
                   "environments only: its figures then mix with fiction).")
@click.option("--roster-only", is_flag=True,
              help="Only the demo committee (organisations and members), not its year.")
def demo_seed(allow_other: bool, roster_only: bool) -> None:
    """Write the demo committee and a year of its records into an empty or demo database."""
    try:
        claim_for_demo(allow_other=allow_other)
    except NotADemoDatabase as exc:
        db.session.rollback()
        raise click.ClickException(
            f"{exc}. Nothing was written. For a test environment only: "
            "--into-a-database-that-is-not-the-demos") from exc
    count = seed_demo()  # commits, the mark with it
    click.echo(f"demo roster ready: {count} members")
    if not roster_only:
        written = seed_demo_year()
        click.echo("demo year: " + ", ".join(f"{name} {rows}" for name, rows in written.items()))


COMMAND_GROUPS = (demo_cli,)
