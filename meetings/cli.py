"""三会一课 commands: `meeting add`, `meeting list`, `meeting remind`. Thin wrappers."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

import clock
from bot.cli import cli_actor, cli_failure
from bot.jobs import enqueue_deliveries
from bot.suggest import suggest
from checkins import checkin
from content import meeting_texts as texts
from content.texts import local_time
from meetings import recording, requirements
from meetings.recording import MeetingError
from meetings.settings import meeting_settings
from models import MeetingKind, Organization, Role, RoleGrant, db, utcnow
from roster.manage import RosterError, find_organization, get_member

meeting_cli = AppGroup("meeting", help="三会一课: organisation meetings and their attendance.")


def _when(value: str) -> datetime:
    try:
        local = datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError as exc:
        raise click.BadParameter(
            f"{value!r}: use 'YYYY-MM-DD HH:MM' (the committee's local time)") from exc
    return clock.from_wall(local)


@meeting_cli.command("add")
@click.option("--org", "org_name", required=True, help="The organisation's exact name.")
@click.option("--kind", required=True, type=click.Choice(list(MeetingKind)))
@click.option("--at", "at", required=True, help="Start, 'YYYY-MM-DD HH:MM' committee time.")
@click.option("--topic", required=True)
@click.option("--by", "by", required=True, help="Userid of the contact (or admin) recording it.")
@click.option("--attendees", default=None,
              help="Names or userids of the organisation's members, space or comma separated.")
@click.option("--checkin", "with_checkin", is_flag=True,
              help="Give the meeting a check-in code instead of a list.")
def meeting_add(org_name: str, kind: str, at: str, topic: str, by: str, attendees: str | None,
                with_checkin: bool) -> None:
    """Record a meeting with its attendees (each a participation) or a check-in code."""
    if (attendees is None) == (not with_checkin):
        raise click.UsageError("give either --attendees or --checkin")
    starts_at = _when(at)
    try:
        recorder = get_member(by)
        organization = find_organization(org_name)
        attendee_ids = None
        if attendees is not None:
            found = recording.match_attendees(organization.id, recording.split_names(attendees))
            names = recording.active_member_names(organization.id) if found.unknown else []
            problems = [f"{t}: not a member of {org_name}{suggest(t, names)}"
                        for t in found.unknown]
            problems += [f"{t}: ambiguous ({', '.join(m.userid for m in ms)}); use the userid"
                         for t, ms in found.ambiguous]
            if problems or not found.members:
                for problem in problems:
                    click.echo(problem, err=True)
                raise click.ClickException("no attendees matched" if not problems else
                                           f"{len(problems)} problem(s); nothing was written")
            attendee_ids = [m.id for m in found.members]
        meeting = recording.record_meeting(recorder, organization, kind, starts_at, topic,
                                           attendee_ids, utcnow(), actor=cli_actor())
    except (MeetingError, RosterError) as exc:
        raise cli_failure(exc) from exc
    number, code = recording.meeting_number(meeting), meeting.checkin_code
    db.session.commit()
    extra = f"check-in code {code}" if code else f"{len(attendee_ids or [])} attendees"
    click.echo(f"meeting {number} (id {meeting.id}) {texts.KIND_NAMES[kind]} "
               f"{local_time(starts_at)} {topic}: {extra}")


@meeting_cli.command("list")
@click.option("--org", "org_name", default=None, help="One organisation (default: all).")
@click.option("--quarter", default=None, help="e.g. 2026-Q4 (default: this quarter).")
def meeting_list(org_name: str | None, quarter: str | None) -> None:
    """The quarter's meetings with attendance, and each organisation's shortfall."""
    if quarter is None:
        year, number = clock.quarter_number(utcnow())
    else:
        parsed = requirements.parse_quarter(quarter)
        if parsed is None:
            raise click.BadParameter(f"{quarter!r}: use YYYY-QN, e.g. 2026-Q4")
        year, number = parsed
    try:
        organizations = [find_organization(org_name)] if org_name else None
    except RosterError as exc:
        raise cli_failure(exc) from exc
    if organizations is None:
        ids = set(db.session.scalars(select(RoleGrant.organization_id).where(
            RoleGrant.role == Role.CONTACT, RoleGrant.organization_id.is_not(None))))
        organizations = list(db.session.scalars(select(Organization).where(
            Organization.id.in_(ids)).order_by(Organization.name)))
    span = clock.quarter(year, number)
    settings = meeting_settings()
    held = requirements.held_counts([o.id for o in organizations], year, number)
    for organization in organizations:
        missing = requirements.shortfalls(held[organization.id], settings)
        status = ("missing " + ", ".join(f"{k} {h}/{r}" for k, h, r in missing)
                  if missing else "complete")
        click.echo(f"{organization.name}\t{year}-Q{number}\t{status}")
        for row in recording.meetings_between([organization.id], span.start, span.end):
            present, on_leave = checkin.counts(checkin.of_meeting(row))
            click.echo(f"  {recording.meeting_number(row)}\tid {row.id}\t{row.kind}\t"
                       f"{local_time(row.starts_at)}\t{row.topic}\t{present} present\t"
                       f"{on_leave} leave\t{row.checkin_code or '-'}")


@meeting_cli.command("remind")
def meeting_remind() -> None:
    """Send the quarter's reminders now (what the cron tick does; at most once a quarter)."""
    result = requirements.send_reminders()
    enqueue_deliveries(list(result.outbound_ids))
    if result.skipped:
        click.echo(f"no reminders: {result.skipped.replace('_', ' ')}")
    else:
        click.echo(f"{result.reminded} contact(s) reminded")


COMMAND_GROUPS = (meeting_cli,)
