"""Roster import from a spreadsheet: read → validate every row → plan the changes → apply.

Nothing is written unless the whole file is valid; a dry run stops after planning. Reading is
in roster.sheet_read, row checks in roster.sheet_check, export in roster.sheet_export.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from content import roster_sheet as texts
from models import Member, Membership, Organization, Role, RoleGrant, audit, db
from roster.manage import grant_role
from roster.sheet_check import ImportRow, validate_sheet
from roster.sheet_read import Problem, SheetError, read_sheet

__all__ = ["ImportPlan", "ImportReport", "ImportRow", "MemberPlan", "Problem", "SheetError",
           "apply_plan", "describe_plan", "import_roster", "plan_import", "validate_sheet"]


@dataclass(frozen=True)
class GrantChange:
    """A role to give (or, for a lecturer, batch and specialties to set)."""

    role: str
    organization: Organization | None = None
    batch: int | None = None
    specialties: str | None = None


@dataclass
class MemberPlan:
    """What importing one row does to one member (None: a new member)."""

    row: ImportRow
    member: Member | None
    set_name: bool = False
    set_position: bool = False
    add_membership: bool = False
    main: bool = False  # the added membership becomes the main one
    grant: list[GrantChange] = field(default_factory=list)
    update: list[GrantChange] = field(default_factory=list)  # lecturer details
    revoke: list[RoleGrant] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True if applying this plan changes anything."""
        return self.member is None or any((self.set_name, self.set_position, self.add_membership,
                                          self.grant, self.update, self.revoke))


@dataclass
class ImportPlan:
    """Every change a valid file makes: per member, and organisation kinds to set."""

    members: list[MemberPlan]
    kinds: list[tuple[Organization, str]]

    def counts(self) -> dict[str, int]:
        """How many members are added, updated, unchanged; roles granted, revoked; kinds set."""
        changed = [p for p in self.members if p.changed]
        added = sum(1 for p in changed if p.member is None)
        return {"rows": len(self.members), "added": added, "updated": len(changed) - added,
                "unchanged": len(self.members) - len(changed),
                "granted": sum(len(p.grant) for p in self.members),
                "revoked": sum(len(p.revoke) for p in self.members), "kinds": len(self.kinds)}


def _wanted_grants(row: ImportRow) -> dict[tuple[str, int | None], GrantChange]:
    wanted: dict[tuple[str, int | None], GrantChange] = {}
    for role in sorted(row.roles or ()):
        if role == Role.CONTACT and row.organization is not None:
            wanted[(role, row.organization.id)] = GrantChange(role, row.organization)
        elif role == Role.LECTURER:
            wanted[(role, None)] = GrantChange(role, None, row.batch, row.specialties)
        elif role == Role.ADMIN:
            wanted[(role, None)] = GrantChange(role)
    return wanted


def _plan_member(row: ImportRow, member: Member | None) -> MemberPlan:
    plan = MemberPlan(row, member)
    if member is None:
        plan.add_membership = plan.main = row.organization is not None
        plan.grant = list(_wanted_grants(row).values())
        return plan
    plan.set_name = member.name != row.name
    plan.set_position = row.position is not None and member.position != row.position
    org_ids = {m.organization_id for m in member.memberships}
    plan.add_membership = row.organization is not None and row.organization.id not in org_ids
    plan.main = plan.add_membership and not member.memberships
    if row.roles is None:
        return plan
    wanted = _wanted_grants(row)
    held: set[tuple[str, int | None]] = set()
    for grant in member.grants:
        key = (grant.role, grant.organization_id)
        if key not in wanted:
            plan.revoke.append(grant)
            continue
        held.add(key)
        change = wanted[key]
        if (change.batch is not None and change.batch != grant.batch) or (
                change.specialties is not None and change.specialties != grant.specialties):
            plan.update.append(change)
    plan.grant = [change for key, change in wanted.items() if key not in held]
    return plan


def _members_by_userid(userids: Iterable[str]) -> dict[str, Member]:
    wanted = set(userids)
    query = select(Member).options(selectinload(Member.memberships),
                                   selectinload(Member.grants))
    return {m.userid: m for m in db.session.scalars(query) if m.userid in wanted}


def plan_import(rows: list[ImportRow], members: dict[str, Member] | None = None) -> ImportPlan:
    """What importing these valid rows would change; reads the roster, writes nothing."""
    if members is None:
        members = _members_by_userid(row.userid for row in rows)
    plans = [_plan_member(row, members.get(row.userid)) for row in rows]
    kinds: dict[int, tuple[Organization, str]] = {}
    for row in rows:
        org = row.organization
        if org is not None and row.kind is not None and org.kind != row.kind:
            kinds[org.id] = (org, row.kind)
    return ImportPlan(plans, list(kinds.values()))


def apply_plan(plan: ImportPlan) -> None:
    """Make the planned changes in the current transaction (the caller commits)."""
    for org, kind in plan.kinds:
        org.kind = kind
    for item in plan.members:
        row, member = item.row, item.member
        if member is None:
            member = Member(userid=row.userid, name=row.name, position=row.position)
            db.session.add(member)
        if item.set_name:
            member.name = row.name
        if item.set_position:
            member.position = row.position
        if item.add_membership and row.organization is not None:
            member.memberships.append(Membership(organization=row.organization,
                                                 is_main=item.main))
        for grant in item.revoke:
            member.grants.remove(grant)
        for change in item.grant + item.update:
            grant_role(member, change.role, change.organization, batch=change.batch,
                       specialties=change.specialties)
    db.session.flush()


def _role_label(role: str, organization: Organization | None = None, batch: int | None = None,
                specialties: str | None = None) -> str:
    details = []
    if role == Role.CONTACT and organization is not None:
        details.append(organization.name)
    if batch is not None:
        details.append(texts.LECTURER_BATCH.format(batch=batch))
    if specialties:
        details.append(texts.LECTURER_SPECIALTIES.format(specialties=specialties))
    label = texts.ROLE_NAMES[role]
    if not details:
        return label
    return texts.ROLE_WITH_DETAIL.format(role=label, detail=texts.DETAIL_JOINER.join(details))


def _grant_label(grant: RoleGrant | GrantChange) -> str:
    return _role_label(grant.role, grant.organization, grant.batch, grant.specialties)


def _roles_text(labels: list[str]) -> str:
    return texts.ROLE_JOINER.join(labels) or texts.ROLE_NAMES["member"]


def _changes(item: MemberPlan) -> list[str]:
    """What changes for an existing member, in words (read before applying)."""
    member, row = item.member, item.row
    assert member is not None and row is not None
    said = []
    if item.set_name:
        said.append(texts.CHANGE_NAME.format(old=member.name, new=row.name))
    if item.set_position:
        said.append(texts.CHANGE_POSITION.format(old=member.position or texts.EMPTY_VALUE,
                                                 new=row.position))
    if item.add_membership and row.organization is not None:
        template = texts.CHANGE_MAIN_ORG if item.main else texts.CHANGE_ORG
        said.append(template.format(org=row.organization.name))
    if item.grant or item.revoke:
        kept = [g for g in member.grants if g not in item.revoke]
        said.append(texts.CHANGE_ROLES.format(
            old=_roles_text([_role_label(g.role, g.organization) for g in member.grants]),
            new=_roles_text([_role_label(g.role, g.organization) for g in [*kept, *item.grant]])))
    for change in item.update:
        detail = _role_label(change.role, None, change.batch, change.specialties)
        said.append(texts.CHANGE_LECTURER.format(detail=detail))
    return said


@dataclass
class ImportReport:
    """What an import did (or in a dry run would do): counts and the changes in words."""

    counts: dict[str, int]
    sections: list[tuple[str, list[str]]]  # heading, one line per change
    dry_run: bool

    @property
    def changed(self) -> bool:
        """True if the file changes anything."""
        return any(lines for _, lines in self.sections)

    def lines(self, examples: int = 5) -> list[str]:
        """Each kind of change with a few example lines, then a one-line summary."""
        out: list[str] = []
        for heading, lines in self.sections:
            if not lines:
                continue
            out.append(heading)
            out += [texts.EXAMPLE_LINE.format(text=line) for line in lines[:examples]]
            if len(lines) > examples:
                out.append(texts.MORE_LINES.format(count=len(lines) - examples))
        summary = texts.DRY_RUN_SUMMARY if self.dry_run else texts.IMPORT_SUMMARY
        return [*out, summary.format(**self.counts)]


def describe_plan(plan: ImportPlan, dry_run: bool = False) -> ImportReport:
    """The plan in words; call it before apply_plan, since it shows the old values."""
    added: list[str] = []
    updated: list[str] = []
    granted: list[str] = []
    revoked: list[str] = []
    for item in plan.members:
        row = item.row

        def line(text: str, row: ImportRow = row) -> str:
            return texts.MEMBER_LINE.format(row=row.number, name=row.name, userid=row.userid,
                                            text=text)

        if item.member is None:
            added.append(line(row.organization.name if row.organization else ""))
        elif item.changed:
            updated.append(line(texts.CHANGE_JOINER.join(_changes(item))))
        granted += [line(_grant_label(g)) for g in item.grant]
        revoked += [line(_grant_label(g)) for g in item.revoke]
    kinds = [texts.KIND_LINE.format(org=org.name, old=texts.KIND_NAMES.get(org.kind, org.kind),
                                    new=texts.KIND_NAMES[kind]) for org, kind in plan.kinds]
    sections = [(texts.SECTION_ADDED.format(count=len(added)), added),
                (texts.SECTION_UPDATED.format(count=len(updated)), updated),
                (texts.SECTION_GRANTED.format(count=len(granted)), granted),
                (texts.SECTION_REVOKED.format(count=len(revoked)), revoked),
                (texts.SECTION_KINDS.format(count=len(kinds)), kinds)]
    return ImportReport(plan.counts(), sections, dry_run)


def import_roster(path: Path, actor: str, dry_run: bool = False) -> ImportReport:
    """Read, check and plan a roster file; unless a dry run, apply and audit it (no commit)."""
    sheet = read_sheet(path)
    members = _members_by_userid(row.get("userid") for row in sheet.rows)
    rows = validate_sheet(sheet, existing=members.keys())
    plan = plan_import(rows, members)
    report = describe_plan(plan, dry_run)
    if report.changed and not dry_run:
        apply_plan(plan)
        audit(actor, "roster.import", path.name, **plan.counts())
    return report
