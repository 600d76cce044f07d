"""Does any product module cut time outside the committee's clock (clock/)?

A small AST check over every Python file outside tests/, migrations/ and clock/ itself. It
flags what has put UTC days where committee days belong (docs/time.md):
- `date.today()`, `datetime.today()`, `datetime.utcnow()`, `time.localtime()`, a zone-less
  `datetime.now()` or `fromtimestamp()` (the machine's zone, which is UTC in production);
- a time zone built or applied anywhere but the clock: `ZoneInfo`, `.astimezone(zone)`,
  `tzinfo=zone` or `datetime.combine(day, time, zone)` with a zone other than UTC;
- a calendar field of a stored (UTC) time: `.date()`, `.year`, `.month`, `.day`,
  `.weekday()`, `.hour` of `utcnow()`, of `datetime.now(...)`, of `now`, `moment` or of a
  name ending in `_at` (the models' and the context's names for UTC times).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.helpers import ROOT

SKIPPED = {"tests", "migrations", "clock", ".venv", "instance", "node_modules"}
FIELDS = {"date", "year", "month", "day", "weekday", "isoweekday", "hour", "timetz",
          "isocalendar", "strftime"}
BANNED_CALLS = {("date", "today"), ("datetime", "today"), ("datetime", "utcnow"),
                ("datetime", "utcfromtimestamp"), ("time", "localtime"),
                ("time", "mktime")}


def product_files() -> list[Path]:
    """Every Python file Pioneer runs, the clock package aside."""
    return sorted(path for path in ROOT.rglob("*.py")
                  if not SKIPPED & set(path.relative_to(ROOT).parts[:-1])
                  and not path.relative_to(ROOT).parts[0].startswith("."))


def _is_utc(node: ast.expr | None) -> bool:
    """`UTC`, `timezone.utc`, `datetime.UTC` or `dt.timezone.utc`."""
    if isinstance(node, ast.Name):
        return node.id == "UTC"
    if isinstance(node, ast.Attribute):
        return node.attr in ("UTC", "utc")
    return False


def _utc_time(node: ast.expr) -> bool:
    """Is this expression, by Pioneer's naming, a stored UTC time?"""
    if isinstance(node, ast.BoolOp):  # (row.submitted_at or utcnow()).year
        return any(_utc_time(value) for value in node.values)
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in ("utcnow", "now")
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", "")
    return name in ("now", "moment") or name.endswith("_at")


def _call_name(func: ast.expr) -> tuple[str, str]:
    if isinstance(func, ast.Attribute):
        owner = func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
        return owner_name, func.attr
    return "", getattr(func, "id", "")


def violations(source: str, filename: str = "<source>") -> list[str]:
    """What in `source` cuts time outside the clock, one line each."""
    found: list[str] = []
    tree = ast.parse(source, filename)

    def flag(node: ast.AST, what: str) -> None:
        found.append(f"{filename}:{getattr(node, 'lineno', 0)}: {what}")

    for node in ast.walk(tree):
        imported = (node.module,) if isinstance(node, ast.ImportFrom) else (
            tuple(a.name for a in node.names) if isinstance(node, ast.Import) else ())
        if "zoneinfo" in imported:
            flag(node, "imports zoneinfo (zones are clock/'s)")
        elif isinstance(node, ast.Attribute) and node.attr in FIELDS and _utc_time(node.value):
            flag(node, f".{node.attr} of a UTC time (use clock.local/today)")
        elif (isinstance(node, ast.FormattedValue) and node.format_spec is not None
              and _utc_time(node.value)):
            flag(node, "a UTC time formatted as a date (use clock.local)")
        elif isinstance(node, ast.Call):
            owner, name = _call_name(node.func)
            if (owner, name) in BANNED_CALLS:
                flag(node, f"{owner}.{name}() (use clock)")
            elif name == "now" and owner == "datetime" and not (
                    node.args and _is_utc(node.args[0])):
                flag(node, "datetime.now() without UTC (use clock.utcnow)")
            elif name == "fromtimestamp" and not (
                    (len(node.args) > 1 and _is_utc(node.args[1]))
                    or any(k.arg == "tz" and _is_utc(k.value) for k in node.keywords)):
                flag(node, "fromtimestamp() without UTC")
            elif name == "astimezone" and not (node.args and _is_utc(node.args[0])):
                flag(node, "astimezone() to a zone other than UTC (use clock.local)")
            elif name == "combine" and len(node.args) > 2 and not _is_utc(node.args[2]):
                flag(node, "datetime.combine() in a zone (use clock.at/wall)")
            for keyword in node.keywords:
                if keyword.arg == "tzinfo" and not _is_utc(keyword.value) and not (
                        isinstance(keyword.value, ast.Constant) and keyword.value.value is None):
                    flag(node, "tzinfo= a zone other than UTC (use clock.from_wall/wall)")
    return found


def test_no_product_module_cuts_time_outside_the_clock() -> None:
    """Does every product module leave days, months and years to clock/?"""
    problems = [problem for path in product_files()
                for problem in violations(path.read_text(encoding="utf-8"),
                                          str(path.relative_to(ROOT)))]
    assert problems == []


@pytest.mark.parametrize("line", [
    "today = date.today()",
    "today = utcnow().date()",
    "day = ctx.now.date()",
    "year = row.created_at.year",
    "stamp = datetime.now()",
    "local = moment.astimezone(SHANGHAI)",
    "start = datetime(2027, 1, 1, tzinfo=SHANGHAI)",
    "start = datetime.combine(day, time(), SHANGHAI)",
    "from zoneinfo import ZoneInfo",
    "t = datetime.fromtimestamp(stamp)",
    "z = time.localtime()",
    "number = f'DD-{(self.created_at or utcnow()).year}'",
    "shown = f'{row.sent_at:%m-%d}'",
])
def test_the_check_catches_each_kind_of_cut(line: str) -> None:
    """Does the check flag each way a UTC day slips in?"""
    assert violations(line)


@pytest.mark.parametrize("line", [
    "now = datetime.now(UTC)",
    "stored = moment.astimezone(UTC)",
    "t = datetime.fromtimestamp(stamp, UTC)",
    "today = clock.today(now)",
    "local = clock.local(now)\nday = local.date()",
    "day = datetime.strptime(value, '%Y-%m-%d').date()",
    "stamp = row.sent_at.isoformat()",
])
def test_the_check_lets_the_clock_through(line: str) -> None:
    """Does the check leave alone what goes through the clock or stays in UTC?"""
    assert violations(line) == []
