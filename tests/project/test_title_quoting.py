"""Titles are quoted in 《》 once, by one helper (content.titles.quoted), everywhere.

A template that writes 《{title}》 or 《{{ title }}》 wraps a title that may already carry its marks
(《习近平谈治国理政》导读 became 《《习近平谈治国理政》导读》), so no product module or template may
write the marks around a placeholder: texts take the title already quoted, templates use the
`quoted` filter.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask, render_template_string

from checkins.checkin import Target
from content.titles import quoted

ROOT = Path(__file__).resolve().parents[2]
NOT_PRODUCT = {"tests", "docs", "migrations", ".venv", ".git", "instance", "node_modules"}
SCANNED = (".py", ".html", ".txt", ".j2")
# 《 right before a placeholder or 》 right after one: {x}, {{ x }}, an f-string's {x}.
MARKS_AROUND_PLACEHOLDER = re.compile(r"《\{|\}\s*》")
# Where a mark beside a placeholder is not around a title (path -> why). None today.
ALLOWED: dict[str, str] = {}
# New features' files written while the helper came in; their engineers' lead converts them to
# content.titles.quoted. Each entry must still hold the pattern (remove it once converted).
PENDING: set[str] = set()


def _product_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in NOT_PRODUCT or relative.parts[0].startswith("."):
            continue
        if relative.parts[:2] == ("content", "materials"):  # the library's own texts
            continue
        if path.is_file() and path.suffix in SCANNED:
            files.append(path)
    return files


def _offenders() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in _product_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        lines = [f"{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
                 if MARKS_AROUND_PLACEHOLDER.search(line)]
        if lines:
            found[path.relative_to(ROOT).as_posix()] = lines
    return found


def test_no_product_file_wraps_a_placeholder_in_book_title_marks() -> None:
    offenders = {path: lines for path, lines in _offenders().items()
                 if path not in ALLOWED and path not in PENDING}
    assert not offenders, (
        "quote titles with content.titles.quoted (or the `quoted` template filter), "
        f"not 《{{…}}》: {offenders}")


def test_the_scan_sees_the_product_and_the_lists_are_not_stale() -> None:
    scanned = {p.relative_to(ROOT).as_posix() for p in _product_files()}
    assert {"content/lecture_texts.py", "console/templates/console/order.html",
            "study/templates/reading/done.html"} <= scanned
    found = _offenders()
    stale = {path for path in ALLOWED.keys() | PENDING
             if path in scanned and path not in found}
    assert not stale, f"no longer wraps a placeholder: remove from the list: {stale}"


def test_the_pattern_catches_every_way_of_writing_the_marks() -> None:
    for written in ('"《{title}》"', "f\"《{t.title}》\"", "《{{ topic.title }}》",
                    "{{ title }} 》"):
        assert MARKS_AROUND_PLACEHOLDER.search(written), written
    for fine in ('"{title}"', "{{ title|quoted }}", "《决定》学习辅导"):
        assert not MARKS_AROUND_PLACEHOLDER.search(fine), fine


@pytest.mark.parametrize(("title", "shown"), [
    ("党的二十大精神", "《党的二十大精神》"),
    ("  党的二十大精神 \n", "《党的二十大精神》"),
    ("《习近平谈治国理政》", "《习近平谈治国理政》"),
    ("《习近平谈治国理政》导读", "《习近平谈治国理政》导读"),
    ("教育片《守岛人》", "教育片《守岛人》"),
    ("《守岛人》观后感", "《守岛人》观后感"),
    ("“两学一做”", "“两学一做”"),
    ('"两学一做"', '"两学一做"'),
    ("“两学一做”学习教育", "《“两学一做”学习教育》"),
    ("", ""),
    ("   ", ""),
    (None, ""),
])
def test_quoted_wraps_once(title: str | None, shown: str) -> None:
    assert quoted(title) == shown
    assert quoted(quoted(title)) == shown  # quoting twice changes nothing


def test_templates_have_the_quoted_filter(app: Flask) -> None:
    with app.test_request_context():
        shown = render_template_string("{{ a|quoted }} {{ b|quoted }}",
                                       a="党章", b="《党章》导读")
    assert shown == "《党章》 《党章》导读"


def test_a_check_in_names_a_film_with_its_marks_once() -> None:
    moment = datetime(2026, 12, 1, 6, tzinfo=UTC)
    common = {"id": 1, "code": "123456", "starts_at": moment, "ends_at": moment,
              "organization_id": None, "confirmed": True}
    film = Target(kind="activity", title="教育片《守岛人》", activity_kind="screening", **common)
    lecture = Target(kind="lecture", title="《决定》学习辅导", **common)
    meeting = Target(kind="meeting", title="学党章", meeting_kind="lesson", **common)
    visit = Target(kind="activity", title="党员先锋队", activity_kind="visit", **common)
    assert "《教育片" not in film.what and film.what.endswith("教育片《守岛人》")
    assert lecture.what == "宣讲《决定》学习辅导"
    assert meeting.what.endswith("《学党章》") and "《《" not in meeting.what
    assert "《" not in visit.what and "党员先锋队" in visit.what
