"""The question bank from .xlsx: the template, `quiz import FILE [--dry-run]`, the row-by-row
report of a bad file (a missing answer, an answer not among the options, two answers on a
single choice, a gap in the options, an unknown material, a repeated question …) with
nothing written, and a second import of the same file adding nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from content import quiz_page_texts as texts
from models import AuditEntry, QuizQuestion, db
from tests.helpers import written
from tests.quizzes.quiz_helpers import add_material

HEADER = list(texts.SHEET_COLUMNS.values())
GOOD: list[list[Any]] = [
    ["单选", "党员没有正当理由，连续几个月不交纳党费，就被认为是自行脱党？", "三个月", "六个月",
     "九个月", "十二个月", None, None, "B", "党章的规定。", "dangfei", None],
    ["多选题", "“三会”包括哪些？", "支部党员大会", "支部委员会会议", "党小组会", "座谈会", None,
     None, "A、B、C", "三会是……", "微党课：按时足额交纳党费", None],
    ["判断", "支部党员大会一般每季度召开1次。", None, None, None, None, None, None, "√",
     "一般每季度1次。", None, None],
]


def sheet(path: Path, rows: list[list[Any]], header: list[str] | None = None) -> Path:
    """An .xlsx with the header and rows."""
    workbook = Workbook()
    active = workbook.active
    active.append(header or HEADER)
    for row in rows:
        active.append(row)
    workbook.save(path)
    return path


def run(app: Flask, *args: str) -> Any:
    """`flask quiz …` in the test app."""
    return app.test_cli_runner().invoke(args=["quiz", *args])


def bank(app: Flask) -> list[tuple[str, str, list[str], str, int | None]]:
    """(kind, text, options, answer, material id) of every question."""
    with app.app_context():
        return [(q.kind, q.text, list(q.options), q.answer, q.material_id) for q in
                db.session.scalars(select(QuizQuestion).order_by(QuizQuestion.id))]


def test_import_dry_run_then_import_then_again(app: Flask, tmp_path: Path):
    """Does --dry-run report and write nothing, the import add three questions (answers read
    as letters, the material by slug or title), and the same file again change nothing?"""
    material = add_material(app)
    path = sheet(tmp_path / "bank.xlsx", GOOD)
    before = written(app)
    result = run(app, "import", str(path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "检查通过（未写入）：共3道题，将新增3道" in result.output
    assert written(app) == before
    result = run(app, "import", str(path))
    assert result.exit_code == 0 and "已导入：共3道题，新增3道" in result.output
    assert bank(app) == [
        ("single", GOOD[0][1], ["三个月", "六个月", "九个月", "十二个月"], "B", material),
        ("multiple", "“三会”包括哪些？", ["支部党员大会", "支部委员会会议", "党小组会", "座谈会"],
         "ABC", material),
        ("judge", "支部党员大会一般每季度召开1次。", ["对", "错"], "A", None)]
    again = run(app, "import", str(path))
    assert "新增0道、更新0道、不变3道" in again.output
    changed = [list(GOOD[0]), *GOOD[1:]]
    changed[0][8] = "C"
    assert "更新1道" in run(app, "import", str(sheet(tmp_path / "b2.xlsx", changed))).output
    assert bank(app)[0][3] == "C" and len(bank(app)) == 3
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action)).all()
    assert actions.count("quiz.import") == 2  # the unchanged import wrote no entry


BAD_ROWS: list[tuple[list[Any], str]] = [
    (["单选", "题一？", "甲", "乙", None, None, None, None, None, "解析"],
     "第2行「答案」：缺少答案"),
    (["单选", "题二？", "甲", "乙", "丙", None, None, None, "E", "解析"],
     "第3行「答案」：答案“E”不在选项中（本题的选项是 A、B、C）"),
    (["单选", "题三？", "甲", "乙", None, None, None, None, "AB", "解析"],
     "第4行「答案」：单选题只能有一个答案，现在是“AB”"),
    (["多选", "题四？", "甲", None, "丙", None, None, None, "AC", "解析"],
     "第5行「选项B」：选项B是空的"),
    (["判断", "题五？", None, None, None, None, None, None, "也许", "解析"],
     "第6行「答案」：判断题的答案只能是“对”或“错”，现在是“也许”"),
    (["填空", "题六？", "甲", "乙", None, None, None, None, "A", "解析"],
     "第7行「题型」：题型“填空”不对"),
    (["单选", "题七？", "甲", "乙", None, None, None, None, "A", "解析", "no-such"],
     "第8行「出处材料」：找不到在用的学习材料“no-such”"),
    (["单选", "题一？", "甲", "乙", None, None, None, None, "A", "解析"],
     "第9行「题干」：与第2行的题干相同"),
    (["多选", "题九？", "甲", "乙", "丙", None, None, None, "B", ""],
     "第10行「答案」：多选题至少要有两个正确答案"),
    (["单选", "", "甲", "", None, None, None, None, "A", "解析", None, "没有的活动"],
     "第11行「题干」：缺少题干"),
]


def test_bad_file_is_reported_row_by_row_and_nothing_written(app: Flask, tmp_path: Path):
    """Does a file with a bad row anywhere write nothing, listing every problem by row and
    column (and a good row beside them changes nothing either)?"""
    path = sheet(tmp_path / "bad.xlsx", [row for row, _ in BAD_ROWS] + [GOOD[2]])
    before = written(app)
    for args in (("import", str(path)), ("import", str(path), "--dry-run")):
        result = run(app, *args)
        assert result.exit_code == 1
        for _row, problem in BAD_ROWS:
            assert problem in result.output, problem
        assert "第10行「解析」：缺少解析" in result.output
        assert "第11行「选项B」" not in result.output and "第11行：选择题至少要有2个选项" in \
            result.output
        assert "第11行「专项活动」：找不到活动“没有的活动”" in result.output
        problems = result.output.strip().splitlines()[:-1]
        assert f"文件有{len(problems)}处问题，未导入任何数据。" in result.output
    assert written(app) == before


def test_shape_problems(app: Flask, tmp_path: Path):
    """A missing column, an empty file, a wrong file type: said in Chinese, nothing written."""
    before = written(app)
    no_answer = sheet(tmp_path / "h.xlsx", [GOOD[0][:8]], header=HEADER[:8])
    assert "表头（第1行）缺少「答案」列" in run(app, "import", str(no_answer)).output
    empty = sheet(tmp_path / "e.xlsx", [])
    assert texts.NO_ROWS in run(app, "import", str(empty)).output
    text = tmp_path / "bank.txt"
    text.write_text("x", encoding="utf-8")
    assert "文件类型不对" in run(app, "import", str(text)).output
    assert written(app) == before


def test_template_round_trip(app: Flask, tmp_path: Path):
    """Is the template's first sheet the import's columns (empty: nothing to import), and does
    it import once its rows are filled in like the examples on the second sheet?"""
    add_material(app)
    add_material(app, slug="sanhui-yike", title="微党课：“三会一课”怎么开")
    path = tmp_path / "template.xlsx"
    assert run(app, "template", str(path)).exit_code == 0
    assert texts.NO_ROWS in run(app, "import", str(path)).output
    workbook = load_workbook(path)
    first, notes = workbook.worksheets
    assert [c.value for c in first[1]] == HEADER and first.title == texts.SHEET_TITLE
    examples = [[c.value for c in row] for row in notes.iter_rows()
                if row[0].value in ("单选", "多选", "判断")]
    assert len(examples) == 3
    for example in examples:
        first.append(example)
    workbook.save(path)
    result = run(app, "import", str(path))
    assert "新增3道" in result.output, result.output
    assert run(app, "template", str(tmp_path / "t.csv")).exit_code != 0
