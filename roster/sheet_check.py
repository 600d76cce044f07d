"""Checking a roster spreadsheet's rows against the roster, all of them, before anything is written.

Every problem is reported by row and column; organisations must already exist (they come from
the WeCom sync) and are matched by exact name.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select

from content import roster_sheet as texts
from models import Organization, Role, db
from roster.sheet_read import Problem, Sheet, SheetError, cell_problem

USERID_MAX = 64
LIMITS = {"name": 100, "position": 100, "specialties": 200}  # the columns' sizes in the database
BATCH_MAX = 999
ROLE_SEPARATORS = re.compile(r"[、,，;；\s]+")
BATCH_PATTERN = re.compile(r"第?\s*(\d+)\s*批?")  # 3, 第3批


@dataclass
class ImportRow:
    """One valid row: who, where, and what they should be."""

    number: int
    userid: str
    name: str
    organization: Organization | None  # None: leave the member's organisations as they are
    kind: str | None  # None: leave the organisation's kind as it is
    roles: frozenset[str] | None  # contact/lecturer/admin; None: the file has no 角色 column
    batch: int | None = None
    specialties: str | None = None
    position: str | None = None  # None: leave the position as it is


def _organizations_by_name() -> dict[str, list[Organization]]:
    found: dict[str, list[Organization]] = {}
    for org in db.session.scalars(select(Organization).order_by(Organization.id)):
        found.setdefault(org.name, []).append(org)
    return found


def _find_org(name: str, orgs: dict[str, list[Organization]]) -> Organization | str:
    """The organisation of that exact name, or the problem (prefers an active one)."""
    candidates = orgs.get(name, [])
    if len(candidates) > 1:
        candidates = [org for org in candidates if org.active] or candidates
    if not candidates:
        return texts.UNKNOWN_ORG.format(value=name)
    if len(candidates) > 1:
        return texts.AMBIGUOUS_ORG.format(count=len(candidates), value=name)
    return candidates[0]


def _parse_roles(text: str) -> tuple[frozenset[str], list[str]]:
    """Roles to hold (beyond plain membership) and the words not understood."""
    roles: set[str] = set()
    unknown: list[str] = []
    for word in filter(None, ROLE_SEPARATORS.split(text)):
        role = texts.ROLE_WORDS.get(word)
        if role is None:
            unknown.append(word)
        elif role != "member":
            roles.add(role)
    return frozenset(roles), unknown


def _parse_batch(text: str) -> int | None:
    match = BATCH_PATTERN.fullmatch(text)
    if match is None or not 1 <= int(match.group(1)) <= BATCH_MAX:
        return None
    return int(match.group(1))


class _Checker:
    """Checks rows one by one, remembering what the whole file has said so far."""

    def __init__(self, sheet: Sheet, orgs: dict[str, list[Organization]],
                 existing: Collection[str]) -> None:
        self.sheet, self.orgs, self.existing = sheet, orgs, existing
        self.problems: list[Problem] = []
        self.first_row: dict[str, int] = {}  # userid → the row it first appeared in
        self.kinds: dict[str, tuple[int, str, str]] = {}  # org name → (row, word, kind)

    def bad(self, row: int, column: str, message: str) -> None:
        """Note a problem in one cell."""
        self.problems.append(cell_problem(row, column, message))

    def text(self, row: int, column: str, value: str) -> str:
        """The cell's text, noting it if too long for the database."""
        if column in LIMITS and len(value) > LIMITS[column]:
            self.bad(row, column, texts.TOO_LONG.format(limit=LIMITS[column]))
        return value

    def userid(self, row: int, userid: str) -> None:
        """Check an account: present, well formed, not seen in an earlier row."""
        if not userid:
            return self.bad(row, "userid", texts.EMPTY_USERID)
        if len(userid) > USERID_MAX or any(c.isspace() for c in userid):
            return self.bad(row, "userid", texts.BAD_USERID.format(value=userid))
        first = self.first_row.setdefault(userid, row)
        if first != row:
            self.bad(row, "userid", texts.DUPLICATE_USERID.format(value=userid, first=first,
                                                                  row=row))

    def kind(self, row: int, org_name: str, word: str) -> str | None:
        """The organisation kind the cell names, checked against earlier rows."""
        if not word:
            return None
        kind = texts.KIND_WORDS.get(word)
        if kind is None:
            self.bad(row, "kind", texts.UNKNOWN_KIND.format(value=word))
            return None
        if not org_name:
            self.bad(row, "kind", texts.KIND_NEEDS_ORG)
            return None
        first_row, first_word, first_kind = self.kinds.setdefault(org_name, (row, word, kind))
        if first_kind != kind:
            self.bad(row, "kind", texts.KIND_CONFLICT.format(
                org=org_name, first=first_row, first_kind=first_word, row=row, kind=word))
        return kind

    def check(self, number: int, cells: dict[str, str]) -> ImportRow:
        """Check one row, noting every problem; the row is only used if none were found."""
        get = cells.get
        name = self.text(number, "name", get("name", ""))
        if not name:
            self.bad(number, "name", texts.EMPTY_NAME)
        userid = get("userid", "")
        self.userid(number, userid)
        roles: frozenset[str] | None = None
        if "roles" in self.sheet.columns:
            roles, unknown = _parse_roles(get("roles", ""))
            for word in unknown:
                self.bad(number, "roles", texts.UNKNOWN_ROLE.format(value=word))
        lecturer = roles is not None and Role.LECTURER in roles
        org_name = get("organization", "")
        org: Organization | None = None
        if org_name:
            found = _find_org(org_name, self.orgs)
            if isinstance(found, str):
                self.bad(number, "organization", found)
            else:
                org = found
        elif userid and userid not in self.existing:
            self.bad(number, "organization", texts.NEW_MEMBER_NEEDS_ORG)
        elif roles is not None and Role.CONTACT in roles:
            self.bad(number, "organization", texts.CONTACT_NEEDS_ORG)
        kind = self.kind(number, org_name, get("kind", ""))
        batch_text, batch = get("batch", ""), None
        if batch_text:
            batch = _parse_batch(batch_text)
            if batch is None:
                self.bad(number, "batch", texts.BAD_BATCH.format(value=batch_text,
                                                                 limit=BATCH_MAX))
            elif not lecturer:
                self.bad(number, "batch", texts.BATCH_WITHOUT_LECTURER)
        specialties = self.text(number, "specialties", get("specialties", ""))
        if specialties and not lecturer:
            self.bad(number, "specialties", texts.SPECIALTIES_WITHOUT_LECTURER)
        position = self.text(number, "position", get("position", ""))
        return ImportRow(number, userid, name, org, kind, roles, batch, specialties or None,
                         position or None)


def validate_sheet(sheet: Sheet, existing: Collection[str] = ()) -> list[ImportRow]:
    """Check every row against the roster; SheetError listing every problem in the file."""
    checker = _Checker(sheet, _organizations_by_name(), existing)
    rows = [checker.check(row.number, row.cells) for row in sheet.rows]
    if checker.problems:
        order = list(texts.HEADERS)
        raise SheetError(sorted(checker.problems, key=lambda p: (
            p.row or 0, order.index(p.column) if p.column else 0)))
    return rows
