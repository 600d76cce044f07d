"""Check-in commands: `checkin qr` (a printable PNG), `checkin list` (who, when, proxy, leave)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from checkins import checkin, codes
from checkins.checkin import Target
from content.texts import local_time
from models import Lecture, OrgMeeting, db
from participation.settings import participation_settings

checkin_cli = AppGroup("checkin", help="Check-in (签到): QR codes and who checked in.")


def _target(lecture_id: int | None, meeting_id: int | None) -> Target:
    """The lecture or meeting named by exactly one of the options."""
    if (lecture_id is None) == (meeting_id is None):
        raise click.UsageError("give exactly one of --lecture ID or --meeting ID")
    if lecture_id is not None:
        lecture = db.session.get(Lecture, lecture_id)
        if lecture is None:
            raise click.ClickException(f"no lecture {lecture_id}")
        return checkin.of_lecture(lecture)
    meeting = db.session.get(OrgMeeting, meeting_id)
    if meeting is None:
        raise click.ClickException(f"no meeting {meeting_id}")
    if not meeting.checkin_code:
        raise click.ClickException(f"meeting {meeting_id} was recorded with a list of "
                                   "attendees; it has no check-in code")
    return checkin.of_meeting(meeting)


def _window(target: Target) -> str:
    settings = participation_settings()
    return f"{local_time(target.opens(settings))} – {local_time(target.closes(settings))}"


@checkin_cli.command("qr")
@click.option("--lecture", "lecture_id", type=int, help="A lecture's id.")
@click.option("--meeting", "meeting_id", type=int, help="A meeting's id.")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PNG file to write.")
@click.option("--scale", default=12, show_default=True, type=click.IntRange(1, 40),
              help="Pixels per module.")
def checkin_qr(lecture_id: int | None, meeting_id: int | None, out: Path, scale: int) -> None:
    """Write a printable QR code PNG that the menu's 扫码签到 button checks in with."""
    target = _target(lecture_id, meeting_id)
    if not target.confirmed:
        click.echo(f"warning: {target.source} is not confirmed by its lecturer yet; "
                   "check-in is refused until it is", err=True)
    try:
        out.write_bytes(codes.qr_png(target, scale=scale))
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror}") from exc
    click.echo(f"{out}: QR for {target.source} ({target.title}), code {target.code}, "
               f"check-in {_window(target)}")


@checkin_cli.command("list")
@click.option("--lecture", "lecture_id", type=int, help="A lecture's id.")
@click.option("--meeting", "meeting_id", type=int, help="A meeting's id.")
def checkin_list(lecture_id: int | None, meeting_id: int | None) -> None:
    """Who checked in (or asked for leave), when, and who checked them in (代签)."""
    if (lecture_id is None) == (meeting_id is None):
        raise click.UsageError("give exactly one of --lecture ID or --meeting ID")
    if meeting_id is not None:
        meeting = db.session.get(OrgMeeting, meeting_id)
        if meeting is None:
            raise click.ClickException(f"no meeting {meeting_id}")
        target = checkin.of_meeting(meeting)
    else:
        target = _target(lecture_id, None)
    rows = checkin.listing(target)
    present, on_leave = checkin.counts(target)
    click.echo(f"{target.source} {target.title}: {present} present, {on_leave} on leave")
    for row in rows:
        by = row.proxy.userid if row.proxy is not None else row.proxy_actor
        proxy = f"\tproxy {by}" if by else ""
        reason = f"\treason: {row.reason}" if row.reason else ""
        click.echo(f"{row.member.userid}\t{row.member.name}\t{row.status}\t"
                   f"{local_time(row.checked_at)}{proxy}{reason}")


COMMAND_GROUPS = (checkin_cli,)
