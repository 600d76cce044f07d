"""Reading a roster spreadsheet (.xlsx or .csv) into rows of text cells, keyed by column.

Only the file's shape is checked here (type, encoding, header); what the cells mean is
checked in roster.spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from content import roster_sheet as texts

SUFFIXES = (".xlsx", ".csv")
REQUIRED = ("name", "userid", "organization")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")  # Chinese Excel saves "CSV" as GB18030
COLUMN_BY_HEADER = {header: key for key, header in texts.HEADERS.items()}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, already in Chinese; with its row and column when known."""

    text: str
    row: int | None = None
    column: str | None = None  # a column key, e.g. "organization"

    def __str__(self) -> str:
        return self.text


def cell_problem(row: int, column: str, message: str) -> Problem:
    """A problem in one cell: 第5行「所在党组织」：..."""
    text = texts.CELL_PROBLEM.format(row=row, column=texts.HEADERS[column], message=message)
    return Problem(text, row, column)


def row_problem(row: int, message: str) -> Problem:
    """A problem with a whole row: 第5行：..."""
    return Problem(texts.ROW_PROBLEM.format(row=row, message=message), row)


class SheetError(Exception):
    """The file cannot be imported; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.text for p in problems))
        self.problems = problems

    def lines(self) -> list[str]:
        """Every problem on its own line, then a one-line summary."""
        summary = texts.PROBLEMS_SUMMARY.format(count=len(self.problems))
        return [p.text for p in self.problems] + [summary]


@dataclass
class SheetRow:
    """One non-empty row below the header: its number in the file and its cells by column."""

    number: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """The cell's text ('' when empty or when the file has no such column)."""
        return self.cells.get(column, "")


@dataclass
class Sheet:
    """A roster file's header row number, the columns it has, and its rows."""

    header_row: int
    columns: frozenset[str]
    rows: list[SheetRow]


def cell_text(value: object) -> str:
    """A cell as text: None → '', 3.0 → '3', dates as YYYY-MM-DD, outer whitespace removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            sheet = workbook.active
            sheet.reset_dimensions()  # some tools write a wrong size; read what is there
            return [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception as exc:  # a damaged file fails in many ways inside openpyxl
        raise SheetError([Problem(texts.UNREADABLE_XLSX.format(name=path.name))]) from exc


def _csv_rows(path: Path) -> list[list[str]]:
    data = path.read_bytes()
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            reader = csv.reader(io.StringIO(text, newline=""))
            return [[cell_text(v) for v in row] for row in reader]
        except csv.Error as exc:
            raise SheetError([Problem(texts.UNREADABLE_CSV.format(
                name=path.name, reason=str(exc)))]) from exc
    raise SheetError([Problem(texts.UNREADABLE_CSV.format(name=path.name,
                                                          reason=texts.CSV_ENCODING))])


def read_table(path: Path) -> list[list[str]]:
    """Every row of the file (an .xlsx: its first sheet) as text; SheetError if unreadable."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise SheetError([Problem(texts.WRONG_TYPE.format(name=path.name))])
    if not path.is_file():
        raise SheetError([Problem(texts.NOT_FOUND.format(name=path))])
    return _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)


def _header_key(text: str) -> str | None:
    # Admins often pad headers to align them ("姓  名"), so all whitespace is ignored.
    return COLUMN_BY_HEADER.get(re.sub(r"\s+", "", text))


def parse_sheet(table: list[list[str]], name: str = "") -> Sheet:
    """Find the header (the first non-empty row), map it to columns, keep the non-empty rows."""
    header_index = next((i for i, row in enumerate(table) if any(row)), None)
    if header_index is None:
        raise SheetError([Problem(texts.EMPTY_FILE.format(name=name))])
    header_row = header_index + 1
    positions: dict[str, int] = {}
    problems: list[Problem] = []
    for position, text in enumerate(table[header_index]):
        key = _header_key(text)
        if key is None:
            continue  # columns we do not know (序号, 备注 ...) are ignored
        if key in positions:
            problems.append(Problem(texts.HEADER_TWICE.format(
                row=header_row, column=texts.HEADERS[key]), header_row, key))
        positions.setdefault(key, position)
    for key in REQUIRED:
        if key not in positions:
            problems.append(Problem(texts.HEADER_MISSING.format(
                row=header_row, column=texts.HEADERS[key]), header_row, key))
    if problems:
        raise SheetError(problems)
    rows = []
    for index in range(header_index + 1, len(table)):
        values = table[index]
        if not any(values):
            continue
        cells = {key: values[pos] if pos < len(values) else "" for key, pos in positions.items()}
        rows.append(SheetRow(index + 1, cells))
    return Sheet(header_row, frozenset(positions), rows)


def read_sheet(path: Path) -> Sheet:
    """Read a roster file into a Sheet; SheetError with every problem of its shape."""
    return parse_sheet(read_table(path), path.name)
