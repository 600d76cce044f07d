"""Is the materials library checked whole, reported by file and line, and synced by slug?"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from models import AuditEntry, Material, MaterialKind, db
from study.library import LIBRARY_DIR, LibraryError, LibrarySync, load_library, sync_library
from tests.helpers import written
from tests.study.library_helpers import material_text, write


def sync(app: Flask, folder: Path) -> LibrarySync:
    """Run a sync and commit it."""
    with app.app_context():
        result = sync_library(folder)
        db.session.commit()
        return result


def stamps(app: Flask) -> dict[str, tuple[bool, datetime]]:
    """Each material's active flag and updated_at, by slug."""
    with app.app_context():
        return {m.slug: (m.active, m.updated_at) for m in db.session.scalars(select(Material))}


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the shipped library that a test may edit."""
    return Path(shutil.copytree(LIBRARY_DIR, tmp_path / "materials"))


def test_shipped_library_is_complete():
    """Does the shipped library load cleanly, with every kind and two series of four or more?"""
    files = load_library()
    assert len(files) >= 20
    assert {f.kind for f in files} == set(MaterialKind)
    series = Counter(f.series for f in files if f.series)
    assert len(series) >= 2 and all(count >= 4 for count in series.values())
    assert any(f.campaign == "2026年冬训" for f in files)
    assert any(f.slug == "shoudaoren" and f.kind == "film" for f in files)


def test_second_sync_changes_nothing(app: Flask):
    """Does a first sync add everything and a second one report all unchanged, writing nothing?"""
    count = len(load_library())
    assert sync(app, LIBRARY_DIR) == LibrarySync(added=count)
    before, times = written(app), stamps(app)
    assert before["materials"] == count and before["series"] == 2
    assert sync(app, LIBRARY_DIR) == LibrarySync(unchanged=count)
    assert written(app) == before and stamps(app) == times


def test_edited_file_updates_that_material(app: Flask, library: Path):
    """Does editing one file update that material only, and move only its updated_at?"""
    sync(app, library)
    times = stamps(app)
    path = library / "sanhui-yike.md"
    path.write_text(path.read_text().replace("minutes: 6", "minutes: 9"), encoding="utf-8")
    result = sync(app, library)
    assert (result.updated, result.added, result.deactivated) == (1, 0, 0)
    after = stamps(app)
    assert [slug for slug in after if after[slug] != times[slug]] == ["sanhui-yike"]
    with app.app_context():
        material = db.session.scalars(select(Material).where(Material.slug == "sanhui-yike")).one()
        assert material.minutes == 9


def test_removed_file_deactivates_and_returns(app: Flask, library: Path):
    """Is a material whose file is gone kept but deactivated, and active again when it returns?"""
    sync(app, library)
    text = (library / "shoudaoren.md").read_text()
    (library / "shoudaoren.md").unlink()
    assert sync(app, library).deactivated == 1
    assert stamps(app)["shoudaoren"][0] is False
    assert sync(app, library).deactivated == 0  # already inactive: nothing to do
    write(library, "shoudaoren.md", text)
    assert sync(app, library).updated == 1
    assert stamps(app)["shoudaoren"][0] is True


def test_series_move_and_new_series(app: Flask, tmp_path: Path):
    """Are series created by title, and a material moved out of its series?"""
    write(tmp_path, "a.md", material_text("a", series="专题甲", position="1"))
    sync(app, tmp_path)
    write(tmp_path, "a.md", material_text("a"))
    assert sync(app, tmp_path).updated == 1
    with app.app_context():
        material = db.session.scalars(select(Material)).one()
        assert (material.series_id, material.series_position) == (None, None)


BAD_FILES = [
    # (case, files to write besides good.md, the file at fault, line, words in the message)
    ("missing field", {"a.md": material_text("a", title=None)}, "a.md", 1,
     "missing field 'title'"),
    ("unknown kind", {"a.md": material_text("a", kind="podcast")}, "a.md", 4,
     "kind: 'podcast' is not one of article"),
    ("bad date", {"a.md": material_text("a", published="2024-02-30")}, "a.md", 7,
     "not a date"),
    ("date with words", {"a.md": material_text("a", published="去年")}, "a.md", 7,
     "not a date"),
    ("duplicate slug", {"a.md": material_text("a"), "sub/a.md": material_text("a")},
     "sub/a.md", 2, "duplicate slug 'a'"),
    ("duplicate position",
     {"a.md": material_text("a", series="专题", position="1"),
      "b.md": material_text("b", series="专题", position="1")}, "b.md", 10,
     "duplicate position 1 in series '专题'"),
    ("slug not file name", {"c.md": material_text("a")}, "c.md", 2,
     "does not match the file name 'c'"),
    ("no front matter", {"a.md": "# 标题\n\n正文\n"}, "a.md", 1, "no front matter"),
    ("unclosed front matter", {"a.md": "---\nslug: a\n正文\n"}, "a.md", 1, "no front matter"),
    ("bad URL", {"a.md": material_text("a", source_url="ftp://example.com/x")}, "a.md", 9,
     "not an http(s) URL"),
    ("unknown field", {"a.md": material_text("a", author="某某")}, "a.md", 9,
     "unknown field 'author'"),
    ("series without position", {"a.md": material_text("a", series="专题")}, "a.md", 9,
     "series needs a position"),
    ("zero minutes", {"a.md": material_text("a", minutes="0")}, "a.md", 8, "minutes"),
    ("no body, no URL", {"a.md": material_text("a", body="")}, "a.md", 1,
     "needs a source_url or a body"),
    ("broken YAML", {"a.md": material_text("a", title="[未闭合")}, "a.md", 4,
     "front matter: expected"),
]


@pytest.mark.parametrize(("files", "culprit", "line", "message"),
                         [case[1:] for case in BAD_FILES], ids=[case[0] for case in BAD_FILES])
def test_bad_file_is_reported_and_nothing_written(app: Flask, tmp_path: Path, files: dict[str, str],
                                                  culprit: str, line: int, message: str):
    """Is each kind of bad file named with its line, and is nothing (not even good.md) written?"""
    write(tmp_path, "good.md", material_text("good"))
    for name, text in files.items():
        write(tmp_path, name, text)
    before = written(app)
    with app.app_context(), pytest.raises(LibraryError) as caught:
        sync_library(tmp_path)
    lines = [str(problem) for problem in caught.value.problems]
    assert any(text.startswith(f"{tmp_path / culprit}:{line}: ") and message in text
               for text in lines), lines
    assert not any("good.md" in text for text in lines)
    assert written(app) == before


def test_every_problem_is_collected(tmp_path: Path):
    """Does one file with three mistakes get three problems, in line order?"""
    write(tmp_path, "a.md", material_text("a", kind="podcast", minutes="很多", summary=None))
    with pytest.raises(LibraryError) as caught:
        load_library(tmp_path)
    assert [(p.line, p.message.split(" ")[0]) for p in caught.value.problems] == [
        (1, "missing"), (4, "kind:"), (7, "minutes:")]


def test_empty_or_missing_folder_is_refused(tmp_path: Path):
    """Would a wrong --dir deactivate everything? No: it is refused."""
    for folder in (tmp_path, tmp_path / "nope"):
        with pytest.raises(LibraryError):
            load_library(folder)


def test_cli_prints_problems_and_exits_1(app: Flask, tmp_path: Path):
    """Does `content sync` list each problem, exit 1, and write nothing?"""
    write(tmp_path, "good.md", material_text("good"))
    write(tmp_path, "a.md", material_text("a", kind="podcast", published="2024-13-01"))
    before = written(app)
    result = app.test_cli_runner().invoke(args=["content", "sync", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'a.md'}:4: kind: 'podcast' is not one of" in result.output
    assert f"{tmp_path / 'a.md'}:7: published:" in result.output
    assert "2 problem(s); nothing was written" in result.output
    assert written(app) == before


def test_cli_syncs_and_audits_changes_only(app: Flask, tmp_path: Path):
    """Does `content sync` print a summary, and audit a run only when it changed something?"""
    write(tmp_path, "good.md", material_text("good"))
    runner = app.test_cli_runner()
    first = runner.invoke(args=["content", "sync", "--dir", str(tmp_path)])
    assert first.exit_code == 0, first.output
    assert "added 1, updated 0, unchanged 0, deactivated 0" in first.output
    second = runner.invoke(args=["content", "sync", "--dir", str(tmp_path)])
    assert "added 0, updated 0, unchanged 1, deactivated 0" in second.output
    with app.app_context():
        assert [a.action for a in db.session.scalars(select(AuditEntry))] == ["content.sync"]
