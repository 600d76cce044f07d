"""The README's table of day-to-day commands and their console pages (between the
console-table markers) against the app itself: each page is a console route, each command a
click command, and a command without a page is one PENDING names. No HTTP, no database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import click
import pytest
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo

from pioneer import create_app
from pioneer.features import FEATURES
from tests.helpers import AES_KEY, ROOT

README = ROOT / "README.md"
GUIDE = "docs/console-guide.md"
START, END = "<!-- console-table:start -->", "<!-- console-table:end -->"
NO_PAGE = "—"
PENDING_NOTE = "暂由运维执行"

# Day-to-day commands that have no console page yet: their rows say "—". Giving one a page
# means writing the page's path in its row and removing the command here.
PENDING = frozenset({
    "roster sync", "roster refused", "member add", "org add",
    "reflection digest",
})

CELL_CODE = re.compile(r"^`([^`]+)`$")
OPERATOR_ITEM = re.compile(r"^- `([^`]+)` — ")
CONSOLE_PATH = re.compile(r"`(/console/[^`]*)`")
RULE_VARIABLE = re.compile(r"<(?:[^<>:]+:)?([^<>:]+)>")  # <int:push_id> -> <push_id>


@dataclass(frozen=True)
class Row:
    """One row of the table: the command, its page path (None for "—") and the note."""

    command: str
    page: str | None
    note: str


def _section() -> str:
    """The README's text between the two markers (each must appear once)."""
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == 1 and text.count(END) == 1, f"{README.name}: mark the table once"
    return text.split(START, 1)[1].split(END, 1)[0]


def _code(cell: str) -> str:
    """The text of a cell that is one `code` span."""
    found = CELL_CODE.match(cell.strip())
    assert found, f"expected one `code` span, got {cell!r}"
    return found.group(1)


def table_rows() -> list[Row]:
    """The table's rows after its header and separator."""
    lines = [line for line in _section().splitlines() if line.startswith("|")]
    assert lines and lines[0].split("|")[1:4] == [" 命令 ", " 控制台页面 ", " 说明 "], lines[:1]
    rows = []
    for line in lines[2:]:
        cells = line.strip().strip("|").split("|")
        assert len(cells) == 3, f"three cells wanted: {line}"
        command, page, note = (cell.strip() for cell in cells)
        rows.append(Row(_code(command), None if page == NO_PAGE else _code(page), note))
    return rows


def operator_commands() -> list[str]:
    """The commands of the 运维命令 list (the "- `command` — ..." lines of the section)."""
    return [m.group(1) for line in _section().splitlines() if (m := OPERATOR_ITEM.match(line))]


@pytest.fixture(scope="module")
def console_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The app with every blueprint and command group registered (never connected)."""
    folder = tmp_path_factory.mktemp("console-table")
    return create_app({
        "TESTING": True, "WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1", "WECOM_SECRET": "s",
        "WECOM_TOKEN": "t", "WECOM_AES_KEY": AES_KEY, "SECRET_KEY": "x",
        "DATABASE_URL": f"sqlite:///{folder}/table.db", "MEDIA_DIR": str(folder / "media"),
    })


@pytest.fixture
def cli(console_app: Flask) -> Iterator[tuple[FlaskGroup, click.Context]]:
    """The `flask` command line as `flask --app wsgi` builds it for this app, and its context."""
    group = FlaskGroup(create_app=lambda: console_app)
    with click.Context(group, obj=ScriptInfo(create_app=lambda: console_app)) as ctx:
        yield group, ctx


def resolve(group: click.Group, ctx: click.Context, command: str) -> click.Command | None:
    """The click command `flask <words>` runs, or None when there is none (or only a group)."""
    found: click.Command | None = group
    for word in command.split():
        if not isinstance(found, click.Group):
            return None
        found = found.get_command(ctx, word)
        if found is None:
            return None
    return None if isinstance(found, click.Group) else found


def console_pages(app: Flask) -> set[str]:
    """Every console path a browser can open (GET), variables written <name>."""
    return {RULE_VARIABLE.sub(r"<\1>", rule.rule) for rule in app.url_map.iter_rules()
            if rule.rule.startswith("/console/") and "GET" in (rule.methods or ())}


def test_the_table_has_rows_and_one_per_command() -> None:
    """Does the table list day-to-day commands, each once, none of them also an operator's?"""
    commands = [row.command for row in table_rows()]
    assert len(commands) >= 30
    assert len(commands) == len(set(commands)), "a command has two rows"
    operators = operator_commands()
    assert operators and len(operators) == len(set(operators))
    assert not set(commands) & set(operators), "a command is both day-to-day and an operator's"


def test_every_page_is_a_console_page(console_app: Flask) -> None:
    """Is every page the table (or the text around it) names a console page one can open?"""
    pages = console_pages(console_app)
    named = {row.page for row in table_rows() if row.page} | set(CONSOLE_PATH.findall(_section()))
    assert named - pages == set(), "not a console page (GET) of the app"


def test_every_named_command_exists(cli: tuple[FlaskGroup, click.Context]) -> None:
    """Does every command of the table and of the operators' list run as `flask <command>`?"""
    group, ctx = cli
    named = [row.command for row in table_rows()] + operator_commands()
    assert [c for c in named if resolve(group, ctx, c) is None] == []


def pioneer_commands() -> list[str]:
    """Every command of Pioneer's own groups (every feature's, the machinery's among them), as
    typed after `flask`: "push add", "doctor"."""
    found = []
    for command in FEATURES.cli():
        if isinstance(command, click.Group):
            found += [f"{command.name} {name}" for name in sorted(command.commands)]
        else:
            found.append(str(command.name))
    return found


def test_every_pioneer_command_is_in_the_table_or_the_operators_list() -> None:
    """Is each command Pioneer adds either day-to-day (a row) or an operator's (the list)?"""
    listed = {row.command for row in table_rows()} | set(operator_commands())
    assert [c for c in pioneer_commands() if c not in listed] == [], (
        "add a README row (with its page, or `—` and PENDING) or an operator-list line")


def test_only_pending_commands_lack_a_page() -> None:
    """Has every day-to-day command a page, except those PENDING names (and only those)?"""
    rows = table_rows()
    without = {row.command for row in rows if row.page is None}
    assert without - PENDING == set(), "no console page and not PENDING: give it a page"
    assert PENDING - without == set(), "PENDING but the row names a page (or is gone): remove it"
    assert [row.command for row in rows if row.page is None and PENDING_NOTE not in row.note] == []


def test_readme_links_the_console_guide() -> None:
    """Does the README link the operator's guide, and is it there?"""
    assert (ROOT / GUIDE).is_file()
    assert f"]({GUIDE})" in README.read_text(encoding="utf-8")
