"""The question bank from a spreadsheet: read → check every row (the bank's checks, one set
with the console's form) → plan → write. Nothing is written unless the whole file is valid;
a dry run stops after planning. A row whose question text is already in the bank updates
that question, so importing one file twice adds nothing twice. The template (.xlsx) has the
columns, a 题型 drop-down, and a sheet of instructions and examples.

The file is read with the roster's reader (roster.sheet_read: .xlsx, or .csv in UTF-8 or
GB18030); its problems come back as SheetError, row by row, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from content import quiz_page_texts as texts
from models import QuizQuestion, audit
from quizzes.answers import MAX_OPTIONS
from quizzes.bank import (
    OPTION_FIELDS,
    BankError,
    Lookups,
    QuestionDraft,
    QuestionInput,
    check_question,
    create_question,
    differs,
    find_by_stem,
    stem_key,
    update_question,
)
from roster.sheet_read import Problem, SheetError, read_table

MAX_ROWS = 2000
COLUMN_BY_HEADER = {header: key for key, header in texts.SHEET_COLUMNS.items()}
SHOWN = 60  # characters of a question's text in the report


@dataclass(frozen=True)
class SheetQuestion:
    """One row of the file: its number and the question as typed."""

    row: int
    typed: QuestionInput


@dataclass(frozen=True)
class PlannedQuestion:
    """A valid row and what importing it does: add (existing None), update or nothing."""

    row: int
    draft: QuestionDraft
    existing: QuizQuestion | None

    @property
    def changed(self) -> bool:
        """True if importing the row changes the bank."""
        return self.existing is None or differs(self.existing, self.draft)


@dataclass
class BankImport:
    """What an import did (or in a dry run would do): counts and the rows in words."""

    dry_run: bool
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        """Rows, added, updated, unchanged."""
        return {"rows": len(self.added) + len(self.updated) + self.unchanged,
                "added": len(self.added), "updated": len(self.updated),
                "unchanged": self.unchanged}

    def lines(self, examples: int = 10) -> list[str]:
        """The summary, then the rows added and updated (a few of each)."""
        summary = texts.REPORT_DRY_RUN if self.dry_run else texts.REPORT_DONE
        out = [summary.format(**self.counts())]
        for heading, rows in ((texts.REPORT_ADDED, self.added),
                              (texts.REPORT_UPDATED, self.updated)):
            if rows:
                out += [heading, *rows[:examples]]
                if len(rows) > examples:
                    out.append(texts.REPORT_MORE.format(count=len(rows) - examples))
        return out


def _header_key(text: str) -> str | None:
    return COLUMN_BY_HEADER.get(re.sub(r"\s+", "", text).upper())


def _columns(header: list[str], row: int) -> dict[str, int]:
    """Column key → position; SheetError for a required column missing or one repeated.
    Columns not ours (序号, 备注 …) are ignored."""
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for position, text in enumerate(header):
        key = _header_key(text)
        if key is None:
            continue
        if key in positions:
            problems.append(Problem(texts.HEADER_TWICE.format(
                row=row, column=texts.SHEET_COLUMNS[key]), row, key))
        positions.setdefault(key, position)
    for key in texts.SHEET_REQUIRED:
        if key not in positions:
            problems.append(Problem(texts.HEADER_MISSING.format(
                row=row, column=texts.SHEET_COLUMNS[key]), row, key))
    if problems:
        raise SheetError(problems)
    return positions


def parse_bank(table: list[list[str]]) -> list[SheetQuestion]:
    """The file's rows below its header (the first non-empty row) as typed questions."""
    start = next((i for i, row in enumerate(table) if any(row)), None)
    if start is None:
        raise SheetError([Problem(texts.NO_ROWS)])
    positions = _columns(table[start], start + 1)
    found = []
    for index in range(start + 1, len(table)):
        values = table[index]
        if not any(values):
            continue

        def cell(key: str, values: list[str] = values) -> str:
            position = positions.get(key)
            return values[position] if position is not None and position < len(values) else ""

        found.append(SheetQuestion(index + 1, QuestionInput(
            kind=cell("kind"), text=cell("text"),
            options=tuple(cell(name) for name in OPTION_FIELDS[:MAX_OPTIONS]),
            answer=cell("answer"), explanation=cell("explanation"), material=cell("material"),
            campaign=cell("campaign"))))
    if not found:
        raise SheetError([Problem(texts.NO_ROWS)])
    if len(found) > MAX_ROWS:
        raise SheetError([Problem(texts.TOO_MANY_ROWS.format(limit=MAX_ROWS,
                                                             count=len(found)))])
    return found


def _problems(row: int, exc: BankError) -> list[Problem]:
    """A row's problems, each under its column (the options' count under the row)."""
    found = []
    for name, messages in exc.problems.items():
        for message in messages:
            if name in texts.SHEET_COLUMNS:
                found.append(Problem(texts.CELL_PROBLEM.format(
                    row=row, column=texts.SHEET_COLUMNS[name], message=message), row, name))
            else:
                found.append(Problem(texts.ROW_PROBLEM.format(row=row, message=message), row))
    return found


def plan_bank(rows: list[SheetQuestion]) -> list[PlannedQuestion]:
    """Check every row; SheetError with every problem of the file, else the plan."""
    lookups = Lookups.load()
    problems: list[Problem] = []
    drafts: list[tuple[int, QuestionDraft]] = []
    first_row: dict[str, int] = {}
    for row in rows:
        earlier = first_row.setdefault(stem_key(row.typed.text), row.row) \
            if row.typed.text.strip() else row.row
        if earlier != row.row:  # the same question twice, whatever else is wrong with it
            problems.append(Problem(texts.CELL_PROBLEM.format(
                row=row.row, column=texts.SHEET_COLUMNS["text"],
                message=texts.DUPLICATE_ROW.format(row=earlier)), row.row, "text"))
            continue
        try:
            drafts.append((row.row, check_question(row.typed, lookups)))
        except BankError as exc:
            problems += _problems(row.row, exc)
    if problems:
        raise SheetError(problems)
    existing = find_by_stem(draft.stem_key for _, draft in drafts)
    return [PlannedQuestion(row, draft, existing.get(draft.stem_key)) for row, draft in drafts]


def _line(item: PlannedQuestion) -> str:
    text = item.draft.text if len(item.draft.text) <= SHOWN else item.draft.text[:SHOWN] + "…"
    return texts.REPORT_LINE.format(row=item.row, kind=texts.KIND_NAMES[item.draft.kind],
                                    text=text)


def import_bank(path: Path, actor: str, now: datetime, dry_run: bool = False) -> BankImport:
    """Read, check and plan a bank file; unless a dry run, write it and audit it (one
    quiz.import entry) in the caller's transaction (no commit). SheetError on any problem."""
    plan = plan_bank(parse_bank(read_table(path)))
    report = BankImport(dry_run)
    for item in plan:
        if item.existing is None:
            report.added.append(_line(item))
        elif item.changed:
            report.updated.append(_line(item))
        else:
            report.unchanged += 1
    if dry_run or not (report.added or report.updated):
        return report
    for item in plan:
        if item.existing is None:
            create_question(item.draft, actor, now, audited=False)
        elif item.changed:
            update_question(item.existing, item.draft, actor, now, audited=False)
    audit(actor, "quiz.import", path.name, **report.counts())
    return report


def write_template(path: Path) -> None:
    """The import's template: the columns with a 题型 drop-down on the first sheet (the one
    imported), the instructions and three examples on the second."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = texts.SHEET_TITLE
    headers = list(texts.SHEET_COLUMNS.values())
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    kinds = DataValidation(type="list", formula1='"单选,多选,判断"', allow_blank=True)
    sheet.add_data_validation(kinds)
    kinds.add(f"A2:A{MAX_ROWS + 1}")
    for index, header in enumerate(headers):
        sheet.column_dimensions[chr(ord("A") + index)].width = 40 if header in (
            "题干", "解析") else 14
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(texts.SHEET_HELP_TITLE)
    for line in texts.SHEET_HELP:
        notes.append([line])
    notes.append([])
    notes.append(headers)
    for example in texts.SHEET_EXAMPLES:
        notes.append(list(example))
    notes.column_dimensions["A"].width = 14
    workbook.save(path)
