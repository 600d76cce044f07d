"""Roster commands: `org add`, `member add`, `roles grant|revoke`,
`roster sync|refused|import|export`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

import clock
from bot.cli import cli_actor, cli_failure
from bot.extensions import redis_store
from bot.services import wecom_client
from content import roster_sheet
from models import Organization, OrgKind, RefusedUser, audit, db
from roster.manage import (
    RosterError,
    add_member,
    check_kind,
    create_organization,
    find_organization,
    get_member,
    grant_role,
    organization_named,
    revoke_role,
)
from roster.sheet_cli import sheet_import_command
from roster.sheet_export import export_roster
from roster.spreadsheet import import_roster
from roster.sync import RosterSync, SyncError

org_cli = AppGroup("org", help="Organisations (党组织) made by hand; `roster sync` brings WeCom's.")
member_cli = AppGroup("member", help="Roster members.")
roles_cli = AppGroup("roles", help="Grant and revoke roles (audited).")
roster_cli = AppGroup("roster", help="Keep the roster in step with WeCom.")


@org_cli.command("add")
@click.argument("name")
@click.option("--kind", default=OrgKind.OTHER, show_default=True, type=click.Choice(list(OrgKind)),
              help="The kind of enterprise it belongs to.")
@click.option("--parent", "parent_name", help="The organisation it belongs under (its exact name).")
def org_add(name: str, kind: str, parent_name: str | None) -> None:
    """Create an organisation (audited); refused if one of that name exists."""
    try:
        parent = find_organization(parent_name) if parent_name else None
        org = create_organization(name, kind, parent)
    except RosterError as exc:
        raise cli_failure(exc) from exc
    audit(cli_actor(), "org.add", org.name, kind=kind, parent=parent_name)
    db.session.commit()
    click.echo(f"organisation {org.name} ({kind}) created"
               + (f" under {parent_name}" if parent_name else ""))


@member_cli.command("add")
@click.argument("userid")
@click.argument("name")
@click.option("--org", "org_name",
              help="An existing organisation's exact name (see --create-org, `org add`).")
@click.option("--create-org", is_flag=True,
              help="Create the --org organisation if there is none of that name.")
@click.option("--kind", default="other", show_default=True,
              help="Kind of the organisation --create-org makes: foreign, private, state, other.")
@click.option("--role", "roles", multiple=True, help="contact, lecturer or admin (repeatable).")
@click.option("--position", default=None, help="Position in the enterprise.")
def member_add(userid: str, name: str, org_name: str | None, create_org: bool, kind: str,
               roles: tuple[str, ...], position: str | None) -> None:
    """Add a member by WeCom userid, or update an existing one."""
    if create_org and not org_name:
        raise click.UsageError("--create-org needs --org NAME")
    created = False
    try:
        check_kind(kind)
        orgs: list[Organization] = []
        if org_name:
            created = create_org and organization_named(org_name) is None
            orgs = [create_organization(org_name, kind) if created
                    else find_organization(org_name)]
        member = add_member(userid, name, orgs, roles, position)
    except RosterError as exc:
        raise cli_failure(exc) from exc
    if created:
        audit(cli_actor(), "org.add", org_name, kind=kind, parent=None)
    audit(cli_actor(), "member.add", member.userid, name=member.name, roles=list(roles),
          org=org_name)
    db.session.commit()
    click.echo(("" if not created else f"organisation {org_name} ({kind}) created\n")
               + f"member {member.userid} ({member.name}) saved, roles: "
               f"{', '.join(sorted(member.roles()))}")


@roles_cli.command("grant")
@click.argument("userid")
@click.argument("role")
@click.option("--org", "org_name", help="The organisation a contact acts for.")
@click.option("--batch", type=click.IntRange(min=1), help="Lecturers: trained in batch N.")
@click.option("--specialties", help="Lecturers: what they speak on, e.g. 党史、理论.")
def roles_grant(userid: str, role: str, org_name: str | None, batch: int | None,
                specialties: str | None) -> None:
    """Give USERID the ROLE (contact, lecturer, admin)."""
    try:
        member = get_member(userid)
        org = find_organization(org_name) if org_name else None
        changed = grant_role(member, role, org, batch=batch, specialties=specialties)
    except RosterError as exc:
        raise cli_failure(exc) from exc
    if changed:
        audit(cli_actor(), "role.grant", userid, role=role, org=org_name, batch=batch)
    db.session.commit()
    click.echo(f"{userid}: {role} {'granted' if changed else 'already held'}")


@roles_cli.command("revoke")
@click.argument("userid")
@click.argument("role")
@click.option("--org", "org_name", help="Only for this organisation (contacts).")
def roles_revoke(userid: str, role: str, org_name: str | None) -> None:
    """Take ROLE away from USERID."""
    try:
        member = get_member(userid)
        org = find_organization(org_name) if org_name else None
        count = revoke_role(member, role, org)
    except RosterError as exc:
        raise cli_failure(exc) from exc
    if count:
        audit(cli_actor(), "role.revoke", userid, role=role, org=org_name)
    db.session.commit()
    click.echo(f"{userid}: {role} revoked" if count else f"{userid} did not hold {role}")


@roster_cli.command("sync")
@click.option("--wait", "rate_wait_s", default=60.0, show_default=True,
              help="Seconds to wait when WeCom rate-limits or is busy, before trying again.")
def roster_sync(rate_wait_s: float) -> None:
    """Pull departments and users from WeCom; upsert, mark the missing as left."""
    with click.progressbar(length=1, label="departments", show_pos=True) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)

        sync = RosterSync(wecom_client(), redis_store.client, actor=cli_actor(),
                          on_progress=progress, rate_wait_s=rate_wait_s)
        try:
            summary = sync.run()
        except SyncError as exc:
            raise cli_failure(exc) from exc
    m, o = summary.members, summary.organizations
    click.echo(
        f"members: added {m['added']}, updated {m['updated']}, moved {m['moved']}, "
        f"left {m['left']}, returned {m['returned']}, unchanged {m['unchanged']}\n"
        f"organisations: added {o['added']}, updated {o['updated'] + o['moved']}, "
        f"closed {o['closed']}, reopened {o['returned']}, unchanged {o['unchanged']}\n"
        f"WeCom API calls: {summary.api_calls}" + (" (resumed)" if summary.resumed else "")
    )


@roster_cli.command("refused")
@click.option("--limit", default=50, show_default=True)
def roster_refused(limit: int) -> None:
    """Who wrote to the bot but is not in the roster (add them with `member add`): the days
    they wrote on, the first refusal and the latest day's first one."""
    rows = db.session.scalars(
        select(RefusedUser).order_by(RefusedUser.last_at.desc()).limit(limit)).all()
    if not rows:
        click.echo("nobody was refused")
    for row in rows:
        first, last = clock.local(row.first_at), clock.local(row.last_at)
        days = f"{row.attempts} day" + ("" if row.attempts == 1 else "s")
        click.echo(f"{row.userid}\t{days}\tfirst {first:%Y-%m-%d %H:%M %Z}"
                   f"\tlast {last:%Y-%m-%d %H:%M %Z}")


@roster_cli.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
def roster_import(path: str, dry_run: bool) -> None:
    """Import members, organisation kinds and roles from an .xlsx or .csv file (all or nothing)."""
    from pathlib import Path

    sheet_import_command(
        lambda: import_roster(Path(path), actor=cli_actor(), dry_run=dry_run), dry_run)


@roster_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
def roster_export(path: str) -> None:
    """Write every member (including those who left) to an .xlsx file, ready to import back."""
    from pathlib import Path

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise click.ClickException(roster_sheet.EXPORT_WRONG_TYPE.format(name=target.name))
    try:
        count = export_roster(target)
    except OSError as exc:
        raise click.ClickException(roster_sheet.EXPORT_FAILED.format(name=target)) from exc
    finally:
        db.session.rollback()
    click.echo(roster_sheet.EXPORT_SUMMARY.format(count=count, name=target))


COMMAND_GROUPS = (org_cli, member_cli, roles_cli, roster_cli)
