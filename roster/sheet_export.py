"""Roster export to .xlsx: one row per member with the columns the import reads, plus 状态.

A file exported here imports back as valid and changes nothing.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from content import roster_sheet as texts
from models import Member, Membership, Role, db

Cell = str | int | None
ROLE_ORDER = (Role.CONTACT, Role.LECTURER, Role.ADMIN)
WIDTH_MIN, WIDTH_MAX = 8, 40


def member_row(member: Member) -> dict[str, Cell]:
    """One member as export cells, by column key."""
    main = member.main_organization
    roles: list[str] = []
    lecturer = None
    for role in ROLE_ORDER:
        for grant in member.grants:
            if grant.role != role:
                continue
            # A contact row shows the main organisation, so only that contact grant fits.
            if role == Role.CONTACT and (main is None or grant.organization_id != main.id):
                continue
            if role == Role.LECTURER:
                lecturer = grant
            roles.append(texts.ROLE_NAMES[role])
            break
    return {
        "name": member.name,
        "userid": member.userid,
        "organization": main.name if main else None,
        "kind": texts.KIND_NAMES.get(main.kind, main.kind) if main else None,
        "roles": texts.ROLE_JOINER.join(roles) or texts.ROLE_NAMES["member"],
        "batch": lecturer.batch if lecturer else None,
        "specialties": lecturer.specialties if lecturer else None,
        "position": member.position,
        "status": texts.STATUS_NAMES.get(member.status, member.status),
    }


def export_rows() -> list[dict[str, Cell]]:
    """Every member, including those who left, ordered by organisation and name."""
    query = select(Member).options(
        selectinload(Member.memberships).selectinload(Membership.organization),
        selectinload(Member.grants))
    rows = [member_row(member) for member in db.session.scalars(query)]
    rows.sort(key=lambda r: (str(r["organization"] or ""), str(r["name"]), str(r["userid"])))
    return rows


def _display_width(value: Cell) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_workbook(path: Path, rows: list[dict[str, Cell]]) -> None:
    """Write rows to an .xlsx: bold frozen header, columns as wide as their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "党员名册"
    keys = list(texts.HEADERS)
    sheet.append([texts.HEADERS[key] for key in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([row[key] for key in keys])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a name like "=1+1" is text, never a formula
    for index, key in enumerate(keys, start=1):
        widest = max([_display_width(texts.HEADERS[key])]
                     + [_display_width(row[key]) for row in rows])
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(widest + 2, WIDTH_MIN), WIDTH_MAX)
    sheet.freeze_panes = "A2"
    workbook.save(path)


def export_roster(path: Path) -> int:
    """Write the whole roster to an .xlsx file; returns how many members."""
    rows = export_rows()
    write_workbook(path, rows)
    return len(rows)
