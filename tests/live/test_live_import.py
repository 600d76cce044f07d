"""Live-session viewer lists: are matched viewers credited once, unknown people counted but never
invented, bad files refused whole, dry runs harmless, second imports refused, lectures counted?"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import select

from live.live import parse_minutes
from models import (
    AuditEntry,
    Lecture,
    LiveSession,
    Member,
    Participation,
    ParticipationKind,
    ParticipationTotal,
    Topic,
    db,
)
from tests.helpers import written

HUAXIN, YUANJING = "华芯党支部", "远景党支部"
AT = "2026-11-20 19:30"
STARTS = datetime(2026, 11, 20, 11, 30, tzinfo=UTC)
FULL_HEADER = ["序号", "企业微信账号", "姓名", "党组织", "观看时长（分钟）"]
FULL_ROWS = [
    [1, "zhangsan", "张三", HUAXIN, 90],  # by userid
    [2, "", "李四", HUAXIN, 30],  # by name within the organisation
    [3, "stranger", "路人", "", 20],  # a userid not in the roster
    [4, "", "王芳", YUANJING, 40],  # two 王芳 in that organisation
    [5, "", "钱七", HUAXIN, 15],  # no such member there
    [6, "", "孙八", "不存在党支部", 25],  # no such organisation
]


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """Members of two organisations, two of them both called 王芳."""
    return {
        "zhang": make_member("zhangsan", "张三", org=HUAXIN),
        "li": make_member("lisi", "李四", org=HUAXIN),
        "fang1": make_member("wangfang1", "王芳", org=YUANJING),
        "fang2": make_member("wangfang2", "王芳", org=YUANJING),
        "zhao": make_member("zhaoliu", "赵六", org=YUANJING),
    }


def xlsx(tmp_path: Path, header: list[Any], rows: list[list[Any]],
         name: str = "viewers.xlsx") -> Path:
    """A viewer list as an .xlsx file."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def csv_file(tmp_path: Path, header: list[Any], rows: list[list[Any]], encoding: str,
             name: str = "viewers.csv") -> Path:
    """A viewer list as a .csv file in that encoding."""
    path = tmp_path / name
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def run_import(app: Flask, path: Path, *options: str, title: str = "学习二十届四中全会精神",
               at: str = AT) -> Result:
    """`flask live import PATH --title T --at AT [options]`."""
    return app.test_cli_runner().invoke(
        args=["live", "import", str(path), "--title", title, "--at", at, *options])


def credited(app: Flask) -> dict[str, tuple[str, float, int, dict[str, Any]]]:
    """LIVE ledger rows by userid: (source, hours, points, details)."""
    with app.app_context():
        rows = db.session.scalars(select(Participation).where(
            Participation.kind == ParticipationKind.LIVE)).all()
        return {r.member.userid: (r.source, r.hours, r.points, r.details) for r in rows}


def rows(app: Flask) -> dict[str, int]:
    """Row counts of every table (Redis left out)."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts


def sessions(app: Flask) -> list[tuple[str, datetime, int, int, int | None]]:
    """Every session as (title, start, viewers, unmatched, lecture id)."""
    with app.app_context():
        return [(s.title, s.starts_at, s.viewers, s.unmatched_viewers, s.lecture_id)
                for s in db.session.scalars(select(LiveSession).order_by(LiveSession.id))]


@pytest.mark.parametrize(("text", "minutes"), [
    ("45", 45.0), ("45.5", 45.5), ("４５", 45.0), ("45分钟", 45.0), ("0", 0.0), ("1440", 1440.0),
    ("abc", None), ("-5", None), ("1441", None), ("nan", None), ("inf", None), ("", None),
])
def test_minutes_understood(text: str, minutes: float | None):
    """Are minutes read from numbers (full-width, with 分钟) and nonsense refused?"""
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("chunk", [None, 1], ids=["one-lookup", "lookups-of-one"])
def test_good_xlsx(app: Flask, people, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   chunk: int | None):
    """Are matched viewers credited with their minutes, the others counted and listed (also
    when the userids are looked up and the ledger written in many small rounds)?"""
    if chunk:
        monkeypatch.setattr("live.live.LOOKUP_CHUNK", chunk)
        monkeypatch.setattr("participation.ledger.BULK_CHUNK", chunk)
    members_before = rows(app)["members"]
    result = run_import(app, xlsx(tmp_path, FULL_HEADER, FULL_ROWS))
    assert result.exit_code == 0, result.output
    assert "观看6人次；匹配党员2人，记入参学2条；未匹配4人次" in result.output
    assert "第4行 stranger：企业微信账号“stranger”不在党员名册中" in result.output
    assert f"第5行 王芳（{YUANJING}）：党组织“{YUANJING}”中有2名党员都叫“王芳”" in result.output
    assert f"第6行 钱七（{HUAXIN}）：党组织“{HUAXIN}”中没有名为“钱七”的党员" in result.output
    assert "第7行 孙八（不存在党支部）：找不到党组织“不存在党支部”" in result.output
    assert sessions(app) == [("学习二十届四中全会精神", STARTS, 6, 4, None)]
    found = credited(app)
    with app.app_context():
        session_id = db.session.scalars(select(LiveSession.id)).one()
    assert found == {
        "zhangsan": (f"live:{session_id}", 1.5, 3, {"minutes": 90.0, "rows": [2]}),
        "lisi": (f"live:{session_id}", 0.5, 3, {"minutes": 30.0, "rows": [3]}),
    }
    assert rows(app)["members"] == members_before  # nobody invented
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "live.import")).one()
        assert entry.detail["viewers"] == 6 and entry.detail["unmatched"] == 4
        assert entry.detail["recorded"] == 2 and entry.detail["file"] == "viewers.xlsx"
        totals = {t.member_id: t.hours for t in db.session.scalars(select(ParticipationTotal))}
        assert totals == {people["zhang"].id: 1.5, people["li"].id: 0.5}


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_good_csv(app: Flask, people, tmp_path: Path, encoding: str):
    """Is a CSV viewer list read in GB18030 (Excel's CSV) and in UTF-8 alike?"""
    path = csv_file(tmp_path, ["姓名", "所在党组织", "观看时长(分钟)"],
                    [["张三", HUAXIN, "45"], ["赵六", YUANJING, "120"]], encoding)
    result = run_import(app, path)
    assert result.exit_code == 0, result.output
    assert "匹配党员2人" in result.output
    hours = {userid: row[1] for userid, row in credited(app).items()}
    assert hours == {"zhangsan": 0.75, "zhaoliu": 2.0}


def test_same_member_twice_summed_once(app: Flask, people, tmp_path: Path):
    """Is a viewer who rejoined counted as two 人次 but credited once, minutes summed, capped?"""
    path = xlsx(tmp_path, ["userid", "观看时长"], [["zhangsan", 100], ["zhangsan", 50]])
    assert run_import(app, path).exit_code == 0
    assert sessions(app)[0][2:4] == (2, 0)
    _, hours, _, details = credited(app)["zhangsan"]
    assert hours == 2.0 and details == {"minutes": 150.0, "rows": [2, 3]}


def test_unknown_and_missing_columns(app: Flask, people, tmp_path: Path):
    """Is a file with an unknown column or without minutes refused whole, every problem said?"""
    before = rows(app)
    path = xlsx(tmp_path, ["企业微信账号", "手机号", "观看时长（分钟）"], [["zhangsan", "138", 30]])
    result = run_import(app, path)
    assert result.exit_code == 1
    assert "第2列“手机号”无法识别" in result.output and "未导入任何数据" in result.output
    result = run_import(app, xlsx(tmp_path, ["姓名", "观看时长"], [["张三", 30]], "b.xlsx"))
    assert result.exit_code == 1 and "须有「企业微信账号」列，或同时有「姓名」和「党组织」列" \
        in result.output
    result = run_import(app, xlsx(tmp_path, ["userid", "姓名"], [["zhangsan", "张三"]], "c.xlsx"))
    assert result.exit_code == 1 and "缺少「观看时长（分钟）」列" in result.output
    assert rows(app) == before


def test_bad_rows_all_reported(app: Flask, people, tmp_path: Path):
    """Are bad minutes and rows naming nobody reported by row, and nothing written?"""
    before = rows(app)
    path = xlsx(tmp_path, FULL_HEADER, [
        [1, "zhangsan", "", "", "abc"],
        [2, "lisi", "", "", -5],
        [3, "", "", HUAXIN, 10],
        [4, "zhaoliu", "", "", None],
        [5, "wangfang1", "", "", 2000],
        [6, "zhangsan", "", "", 30],
    ])
    result = run_import(app, path)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:5] == [
        "第2行「观看时长（分钟）」：“abc”不是观看分钟数，须为0至1440之间的数字",
        "第3行「观看时长（分钟）」：“-5”不是观看分钟数，须为0至1440之间的数字",
        "第4行：须填写企业微信账号，或姓名和党组织",
        "第5行「观看时长（分钟）」：观看时长不能为空",
        "第6行「观看时长（分钟）」：“2000”不是观看分钟数，须为0至1440之间的数字",
    ]
    assert "文件有5处问题，未导入任何数据" in lines[5]
    assert rows(app) == before


def test_header_only_and_wrong_type(app: Flask, people, tmp_path: Path):
    """Are an empty list and a file that is not .xlsx/.csv refused?"""
    result = run_import(app, xlsx(tmp_path, FULL_HEADER, []))
    assert result.exit_code == 1 and "只有表头，没有观众" in result.output
    other = tmp_path / "viewers.xls"
    other.write_bytes(b"old")
    result = run_import(app, other)
    assert result.exit_code == 1 and "只能导入 .xlsx 或 .csv" in result.output


def test_dry_run_writes_nothing(app: Flask, people, tmp_path: Path):
    """Does a dry run show the matching and write nothing?"""
    before = rows(app)
    result = run_import(app, xlsx(tmp_path, FULL_HEADER, FULL_ROWS), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("试运行（未写入任何数据）：") and "匹配党员2人" in result.output
    assert "第4行 stranger" in result.output
    assert rows(app) == before


def test_second_import_refused(app: Flask, people, tmp_path: Path):
    """Is the same session (title and time) refused the second time, counting nobody twice?"""
    path = xlsx(tmp_path, FULL_HEADER, FULL_ROWS)
    assert run_import(app, path).exit_code == 0
    after_first = rows(app)
    result = run_import(app, path)
    assert result.exit_code == 1 and "was imported already" in result.output
    assert run_import(app, path, "--dry-run").exit_code == 1
    assert rows(app) == after_first
    later = run_import(app, path, at="2026-11-27 19:30")  # next week's session is another
    assert later.exit_code == 0, later.output
    assert len(sessions(app)) == 2
    with app.app_context():
        totals = {t.member_id: (t.hours, t.count)
                  for t in db.session.scalars(select(ParticipationTotal))}
    assert totals[people["zhang"].id] == (3.0, 2)


def make_lecture(app: Flask, people: dict[str, Member]) -> int:
    """A live lecture (no order) by 赵六; its id."""
    with app.app_context():
        topic = Topic(slug="live-topic", title="红色直播间：党的创新理论", modes=["live"])
        lecture = Lecture(topic=topic, lecturer_id=people["zhao"].id, starts_at=STARTS,
                          ends_at=STARTS + timedelta(hours=1), mode="live", checkin_code="123456")
        db.session.add(lecture)
        db.session.commit()
        return lecture.id


def lecture_viewers(app: Flask, lecture_id: int) -> int | None:
    """The lecture's live viewer count as stored."""
    with app.app_context():
        return db.session.get(Lecture, lecture_id).live_viewers


def test_lecture_viewers_set(app: Flask, people, tmp_path: Path):
    """With --lecture, are the lecture's live viewers set (summed over its sessions)?"""
    lecture_id = make_lecture(app, people)
    path = xlsx(tmp_path, FULL_HEADER, FULL_ROWS)
    dry = run_import(app, path, "--lecture", str(lecture_id), "--dry-run")
    assert f"宣讲 #{lecture_id} 的直播观看人次记为 6" in dry.output
    assert lecture_viewers(app, lecture_id) is None
    assert run_import(app, path, "--lecture", str(lecture_id)).exit_code == 0
    assert lecture_viewers(app, lecture_id) == 6
    assert sessions(app)[0][4] == lecture_id
    replay = xlsx(tmp_path, ["userid", "观看时长"], [["lisi", 10]], "replay.xlsx")
    result = run_import(app, replay, "--lecture", str(lecture_id), title="回放")
    assert result.exit_code == 0, result.output
    assert lecture_viewers(app, lecture_id) == 7


def test_bad_options(app: Flask, people, tmp_path: Path):
    """Are an unknown lecture, a bad time and an empty title refused in plain English?"""
    path = xlsx(tmp_path, FULL_HEADER, FULL_ROWS)
    before = rows(app)
    result = run_import(app, path, "--lecture", "999")
    assert result.exit_code == 1 and "no lecture 999" in result.output
    result = run_import(app, path, at="11月20日晚上")
    assert result.exit_code == 1 and "YYYY-MM-DD HH:MM" in result.output
    result = run_import(app, path, title="  ")
    assert result.exit_code == 1 and "needs a title" in result.output
    assert rows(app) == before


def test_list(app: Flask, people, tmp_path: Path):
    """Does `live list` show each session with its viewers, members credited and unmatched?"""
    assert "no live sessions" in app.test_cli_runner().invoke(args=["live", "list"]).output
    run_import(app, xlsx(tmp_path, FULL_HEADER, FULL_ROWS))
    output = app.test_cli_runner().invoke(args=["live", "list"]).output
    assert "2026-11-20 19:30\t学习二十届四中全会精神\t6 viewers\t2 members\t4 unmatched" in output


def test_racing_second_import_meets_the_constraint(app: Flask, people, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch):
    """If a second import of one session passes the check before the first commits, is it
    refused by the database with a plain message and nobody counted twice?"""
    path = xlsx(tmp_path, FULL_HEADER, FULL_ROWS)
    assert run_import(app, path).exit_code == 0
    after_first, first_credit = rows(app), credited(app)
    monkeypatch.setattr("live.live.find_session", lambda title, starts_at: None)
    result = run_import(app, path)
    assert result.exit_code == 1, result.output
    assert "by an import running at the same time; nothing was written" in result.output
    assert rows(app) == after_first and credited(app) == first_credit
