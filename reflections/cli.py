"""Reflection commands: `reflection list`, `export`, `review` and `digest`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

import clock
from bot.cli import cli_actor, parse_time
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from content import export_texts
from models import Reflection, db, utcnow
from reflections.digest import DigestError, publish_digest
from reflections.export import reflections_for, write_docx, write_xlsx
from reflections.review import ReviewError, find_by_number, notify_author, review
from roster.audience_cli import audience_options, chosen_audience
from roster.manage import RosterError, find_organization
from study.pushes import PushError

reflection_cli = AppGroup("reflection", help="Reflections (心得体会).")


@reflection_cli.command("list")
@click.option("--status", help="draft, submitted, reviewed, featured or returned.")
@click.option("--limit", default=30, show_default=True)
def reflection_list(status: str | None, limit: int) -> None:
    """Recent reflections: number, status, author, subject, length."""
    query = select(Reflection).order_by(Reflection.id.desc()).limit(limit)
    if status:
        query = query.where(Reflection.status == status)
    rows = db.session.scalars(query).all()
    if not rows:
        click.echo("no reflections")
    for row in rows:
        click.echo(f"{row.number}\t{row.status}\t{row.member.userid}\t{row.subject_title}\t"
                   f"{row.word_count} chars, {row.image_count} photos")


@reflection_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--from", "since", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day (YYYY-MM-DD, committee time).")
@click.option("--to", "until", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="Last day, included (YYYY-MM-DD).")
@click.option("--org", "org_name", help="Organisation name (its sub-organisations included).")
def reflection_export(path: str, since: datetime, until: datetime, org_name: str | None) -> None:
    """Write submitted reflections of a period to a .docx compilation or an .xlsx list."""
    target = Path(path)
    kind = target.suffix.lower()
    if kind not in (".docx", ".xlsx"):
        raise click.ClickException(f"{target.name}: the file name must end in .docx or .xlsx")
    if since > until:
        raise click.ClickException("--from must not be after --to")
    try:
        org = find_organization(org_name) if org_name else None
    except RosterError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        rows = reflections_for(org, since.date(), until.date())
        if kind == ".docx":
            title = export_texts.TITLE.format(org=org.name if org else export_texts.TITLE_ALL)
            period = export_texts.PERIOD.format(since=since.date(), until=until.date())
            write_docx(target, rows, title, period)
        else:
            write_xlsx(target, rows)
    except OSError as exc:
        raise click.ClickException(f"cannot write {target}: {exc}") from exc
    finally:
        db.session.rollback()
    if not rows:
        click.echo(f"no reflections found; wrote {target} with a note saying so")
    else:
        click.echo(f"{len(rows)} reflections written to {target}")


@reflection_cli.command("review")
@click.argument("number")
@click.option("--feature", is_flag=True, help="Feature it (优秀心得).")
@click.option("--pass", "pass_", is_flag=True, help="Pass it (已点评).")
@click.option("--return", "reason", metavar="REASON", help="Return it to the author, saying why.")
@click.option("--comment", help="A comment for --feature or --pass, shown to the author.")
def reflection_review(number: str, feature: bool, pass_: bool, reason: str | None,
                      comment: str | None) -> None:
    """Review a submitted reflection (audited); the author is told by message."""
    chosen = [verdict for verdict, given in
              (("feature", feature), ("pass", pass_), ("return", reason is not None)) if given]
    if len(chosen) != 1:
        raise click.UsageError("choose exactly one of --feature, --pass, --return REASON")
    if chosen[0] == "return" and comment:
        raise click.UsageError("--return takes its reason as its value; drop --comment")
    reflection = find_by_number(number)
    if reflection is None:
        raise click.ClickException(f"no reflection {number}")
    try:
        review(cli_actor(), None, reflection, chosen[0],
               reason if chosen[0] == "return" else comment, utcnow())
    except ReviewError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    outbox = Outbox(db.session)
    notify_author(outbox, reflection)
    author, status = reflection.member.userid, reflection.status
    db.session.commit()
    enqueue_deliveries(outbox.pending_ids())
    click.echo(f"{number.strip().upper()} {status}; {author} notified")


@reflection_cli.command("digest")
@click.option("--since", required=True, type=click.DateTime(["%Y-%m-%d"]),
              help="First day (committee time) on which reflections were featured.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day; default today.")
@audience_options
@click.option("--at", "at", required=True, help="Push time, 'YYYY-MM-DD HH:MM' committee time.")
def reflection_digest(since: datetime, until: datetime | None, everyone: bool,
                      orgs: tuple[str, ...], tags: tuple[int, ...], roles: tuple[str, ...],
                      at: str) -> None:
    """Compile the period's featured reflections into a material and schedule its push."""
    audience = chosen_audience(everyone, orgs, tags, roles)
    try:
        material, push = publish_digest(cli_actor(), since.date(),
                                        until.date() if until else None, audience,
                                        parse_time(at))
    except (DigestError, PushError) as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"material {material.slug} ({material.title}); push {push.id} scheduled for "
               f"{clock.local(push.next_at):%Y-%m-%d %H:%M}")


COMMAND_GROUPS = (reflection_cli,)
