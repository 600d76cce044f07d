"""The annual report on a small known year: every figure of the workbook and the summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from content import report_texts as texts
from models import (
    AuditEntry,
    CheckIn,
    Lecture,
    LectureOrder,
    LiveSession,
    Material,
    MaterialDelivery,
    Member,
    MemberStatus,
    Organization,
    OrgMeeting,
    Push,
    PushDelivery,
    PushOccurrence,
    Rating,
    Reflection,
    Topic,
    db,
)
from participation.ledger import record
from report import figures, writing
from roster.manage import ensure_organization

NOW = datetime(2026, 12, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def at(month: int, day: int, year: int = 2026) -> datetime:
    """Noon in Shanghai on that day."""
    return datetime(year, month, day, 4, 0, tzinfo=UTC)


@pytest.fixture
def year(app: Flask, make_member: Any) -> dict[str, int]:
    """Three organisations, five counted members, a member who left, two lecturers, a year."""
    app.config.update(STUDY_HOURS_NORM="5", STUDY_HOURS_NORM_LEADER="5.5")
    with app.app_context():
        ensure_organization("甲党支部", "foreign")
        ensure_organization("乙党支部", "private")
        ensure_organization("丙党支部", "state")
        db.session.commit()
    people = {
        "a1": make_member("a1", "甲一", org="甲党支部", roles=("contact",)),
        "a2": make_member("a2", "甲二", org="甲党支部"),
        "a3": make_member("a3", "甲三", org="甲党支部"),
        "b1": make_member("b1", "乙一", org="乙党支部"),
        "b2": make_member("b2", "乙二", org="乙党支部"),
        "c1": make_member("c1", "丙一", org="丙党支部"),
        "l1": make_member("l1", "讲师甲", org=None, roles=("lecturer",)),
        "l2": make_member("l2", "讲师乙", org=None, roles=("lecturer",)),
    }
    ids = {key: member.id for key, member in people.items()}
    with app.app_context():
        db.session.get(Member, ids["a3"]).status = MemberStatus.LEFT
        db.session.get(Member, ids["b1"]).position = "组织委员"
        _ledger(ids)
        _pushes(ids)
        _lectures(ids)
        db.session.add_all([
            LiveSession(title="直播", starts_at=at(7, 1), viewers=40, unmatched_viewers=25,
                        imported_by="test"),
            LiveSession(title="去年的直播", starts_at=at(7, 1, 2025), viewers=99,
                        imported_by="test"),
            OrgMeeting(organization_id=ensure_organization("甲党支部").id, kind="lesson",
                       topic="党课", starts_at=at(6, 1), ends_at=at(6, 1) + timedelta(hours=1),
                       recorded_by_id=ids["a1"]),
            Reflection(member_id=ids["a1"], status="featured", featured=True,
                       submitted_at=at(4, 1)),
            Reflection(member_id=ids["b1"], status="featured", featured=True,
                       submitted_at=at(4, 2)),
            Reflection(member_id=ids["b1"], status="featured", featured=True,
                       submitted_at=at(4, 2, 2025)),
            Reflection(member_id=ids["a2"], status="submitted", submitted_at=at(4, 3)),
        ])
        db.session.commit()
    return ids


def _ledger(ids: dict[str, int]) -> None:
    record(ids["a1"], "material_read", "material:1", at(3, 1))
    record(ids["a1"], "material_completed", "material:1", at(3, 1))
    record(ids["a1"], "reflection", "reflection:1", at(4, 1))
    record(ids["a1"], "lecture", "lecture:1", at(5, 10))
    record(ids["a1"], "meeting", "meeting:1", at(6, 1))
    record(ids["a2"], "material_read", "material:1", at(3, 2))
    record(ids["a2"], "live", "live:1", at(7, 1), hours=1.5)
    # 1 January 2027, 01:00 in Shanghai: next year's.
    record(ids["a2"], "material_read", "material:2", datetime(2026, 12, 31, 17, tzinfo=UTC))
    record(ids["a3"], "material_read", "material:1", at(3, 3))
    record(ids["b1"], "lecture", "lecture:1", at(5, 10))
    record(ids["b1"], "lecture", "lecture:2", at(8, 1))
    record(ids["b1"], "reflection", "reflection:2", at(4, 2))
    for day in range(1, 6):
        record(ids["b2"], "campaign_item", f"campaign_item:{day}", at(10, day))
    record(ids["c1"], "material_read", "material:1", at(3, 1, 2025))


def _pushes(ids: dict[str, int]) -> None:
    push = Push(audience={"kind": "all"}, created_by="test")
    db.session.add(push)
    db.session.flush()
    this_year = PushOccurrence(push_id=push.id, due_at=at(3, 1), recipients=4)
    empty = PushOccurrence(push_id=push.id, due_at=at(3, 8), recipients=0)
    last_year = PushOccurrence(push_id=push.id, due_at=at(3, 1, 2025), recipients=1)
    db.session.add_all([this_year, empty, last_year])
    db.session.flush()
    db.session.add_all([PushDelivery(occurrence_id=this_year.id, member_id=ids[key])
                        for key in ("a1", "a2", "b1", "c1")])
    db.session.add(PushDelivery(occurrence_id=last_year.id, member_id=ids["b2"]))
    # The material deliveries the push send path writes beside them (study/deliveries.py).
    material = Material(slug="m1", title="材料", kind="article", published_on=at(3, 1).date())
    db.session.add(material)
    db.session.flush()
    db.session.add_all([MaterialDelivery(member_id=ids[key], material_id=material.id,
                                         first_at=at(3, 1), via="push",
                                         source=f"occurrence:{this_year.id}")
                        for key in ("a1", "a2", "b1", "c1")])
    db.session.add(MaterialDelivery(member_id=ids["b2"], material_id=material.id,
                                    first_at=at(3, 1, 2025), via="push",
                                    source=f"occurrence:{last_year.id}"))


def _lecture(ids: dict[str, int], topic: Topic, lecturer: str, start: datetime,
             status: str | None, present: tuple[str, ...] = (), leave: tuple[str, ...] = (),
             rating: int | None = None, **extra: Any) -> None:
    order = None
    if status is not None:
        order = LectureOrder(organization_id=ensure_organization("乙党支部").id,
                             contact_id=ids["a1"], topic_id=topic.id, status=status)
        db.session.add(order)
        db.session.flush()
    lecture = Lecture(order_id=order.id if order else None, topic_id=topic.id,
                      lecturer_id=ids[lecturer], starts_at=start,
                      ends_at=start + timedelta(hours=2), checkin_code="123456", **extra)
    db.session.add(lecture)
    db.session.flush()
    db.session.add_all([CheckIn(member_id=ids[k], lecture_id=lecture.id) for k in present])
    db.session.add_all([CheckIn(member_id=ids[k], lecture_id=lecture.id, status="leave")
                        for k in leave])
    if rating is not None and order is not None:
        db.session.add(Rating(order_id=order.id, contact_id=ids["a1"], score=rating))


def _lectures(ids: dict[str, int]) -> None:
    topic = Topic(slug="t1", title="党史")
    db.session.add(topic)
    db.session.flush()
    _lecture(ids, topic, "l1", at(5, 10), "rated", ("a1", "b1"), ("b2",), rating=5)
    _lecture(ids, topic, "l1", at(8, 1), "completed", ("b1",), mode="live", live_viewers=30)
    _lecture(ids, topic, "l2", at(9, 1), None, ("a2",))  # no order, held
    _lecture(ids, topic, "l2", at(12, 25), "confirmed", ("a1",))  # not held yet
    _lecture(ids, topic, "l1", at(11, 1, 2025), "rated", ("a1",), rating=3)  # last year


FIGURES = {
    "organizations": 3, "members": 5, "pushes": 1, "deliveries": 4, "covered_members": 4,
    "covered_organizations": 3, "material_read_count": 3, "material_read_members": 3,
    "material_completed_count": 1, "material_completed_members": 1, "lectures": 3,
    "lecture_attendances": 4, "ordered_lectures": 2, "ordered_attendances": 3,
    "live_sessions": 1, "live_viewers": 40, "live_unmatched": 25, "live_count": 1,
    "meetings": 1, "meeting_count": 1, "reflection_count": 2, "featured": 2,
    "participations": 16, "participants": 5, "participating": 4, "hours": 17.0, "met_norm": 2,
    "leaders": 2, "leaders_met": 1,
}
SUMMARY = [(label, FIGURES[key], how) for key, label, how in texts.SUMMARY_FIGURES] + [
    ("全委参学率", "80.0%", texts.RATE_HOW),
    ("外资企业参学率", "2/2（100.0%）", texts.KIND_RATE_HOW),
    ("民营企业参学率", "2/2（100.0%）", texts.KIND_RATE_HOW),
    ("国有企业参学率", "0/1（0.0%）", texts.KIND_RATE_HOW),
]
# name, kind, members, participating, rate, hours, average, met, leaders, leaders met,
# reads, completions, reflections, lecture check-ins, live, meetings
ORGS = {
    "甲党支部": ["甲党支部", "外资企业", 2, 2, "100.0%", 7.0, 3.5, 1, 1, 1, 2, 1, 1, 1, 1, 1],
    "乙党支部": ["乙党支部", "民营企业", 2, 2, "100.0%", 10.0, 5.0, 1, 1, 0, 0, 0, 1, 2, 0, 0],
    "丙党支部": ["丙党支部", "国有企业", 1, 0, "0.0%", 0.0, 0.0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
}
MEMBERS = {
    "甲党支部": [["甲一", "", "书记/委员", 5.5, 5.5, "是", 18, 5, 1],
                 ["甲二", "", "党员", 1.5, 5.0, "否", 4, 2, 0]],
    "乙党支部": [["乙一", "组织委员", "书记/委员", 5.0, 5.5, "否", 15, 3, 1],
                 ["乙二", "", "党员", 5.0, 5.0, "是", 15, 5, 0]],
    "丙党支部": [["丙一", "", "党员", 0.0, 5.0, "否", 0, 0, 0]],
}
TOP_LEARNERS = [[1, "甲一", "甲党支部", 18, 5.5, 1], [2, "乙一", "乙党支部", 15, 5.0, 1],
                [3, "乙二", "乙党支部", 15, 5.0, 0], [4, "甲二", "甲党支部", 4, 1.5, 0]]
MODEL_LEARNERS = [[1, "甲一", "甲党支部", 1, 18, 5.5], [2, "乙一", "乙党支部", 1, 15, 5.0]]
TOP_ORGS = [[1, "乙党支部", "民营企业", "100.0%", 5.0, 10.0],
            [2, "甲党支部", "外资企业", "100.0%", 3.5, 7.0]]
# 三会一课 by the default requirements (党员大会 and 党课 once a quarter, 支委会 and 党小组会
# monthly: 8 a quarter): on 20 December three quarters have ended, 24 meetings required; 甲
# held its 党课 in June, 1 of 24.
BRANCHES = [[1, "甲党支部", "外资企业", "4.2%", "100.0%", 3.5],
            [2, "乙党支部", "民营企业", "0.0%", "100.0%", 5.0]]
LECTURERS = [["讲师甲", 2, 2, 3, 30, 1, 5.0], ["讲师乙", 1, 0, 1, 0, 0, "—"]]


def _rows(sheet: Any) -> list[list[Any]]:
    return [[v if v is not None else "" for v in row] for row in sheet.iter_rows(values_only=True)]


def test_figures(app: Flask, year: dict[str, int]) -> None:
    """Is every committee figure counted from its records, the year's only?"""
    with app.app_context():
        built = figures.build(2026, NOW)
    assert {key: built.figures[key] for key in FIGURES} == FIGURES
    assert {k: (r.members, r.participating) for k, r in built.kinds.items()} == {
        "foreign": (2, 2), "private": (2, 2), "state": (1, 0)}
    assert list(built.kinds) == ["foreign", "private", "state"]  # OrgKind's order, not A–Z


def test_workbook_and_summary(app: Flask, year: dict[str, int], tmp_path: Path) -> None:
    """Does the workbook hold every figure, every organisation and every lecturer?"""
    with app.app_context():
        xlsx, md, docx = writing.write_report(2026, tmp_path, NOW)
    assert xlsx.name == "年度参学报告-2026.xlsx" and md.name == "年度参学报告-2026.md"
    assert docx.name == "年度参学报告-2026.docx" and docx.exists()
    book = load_workbook(xlsx)
    records = ["年度工作", "学习强国", "三会一课"]
    assert sorted(book.sheetnames) == sorted(["汇总", "组织参学", "讲师", *ORGS, *records])
    assert book.sheetnames[:2] == ["汇总", "组织参学"]
    assert book.sheetnames[-4:] == ["讲师", *records]

    summary = _rows(book["汇总"])
    assert summary[0][0] == "2026年度党员参学情况报告"
    assert summary[1][:3] == list(texts.SUMMARY_HEADER)
    assert [tuple(row[:3]) for row in summary[2:2 + len(SUMMARY)]] == SUMMARY
    rest = summary[2 + len(SUMMARY):]
    tops = [[row[:6] for row in block] for block in _split(rest)]
    assert tops == [[list(texts.TOP_LEARNERS_HEADER), *TOP_LEARNERS],
                    [list(texts.MODEL_LEARNERS_HEADER), *MODEL_LEARNERS],
                    [list(texts.TOP_ORGS_HEADER), *TOP_ORGS],
                    [list(texts.BRANCHES_HEADER), *BRANCHES]]

    overview = _rows(book["组织参学"])
    assert overview[0] == list(texts.ORG_HEADER)
    assert sorted(overview[1:]) == sorted(ORGS.values())
    for name, values in ORGS.items():
        rows = _rows(book[name])
        assert rows[0] == list(texts.ORG_HEADER) and rows[1] == values
        assert rows[3][:len(texts.MEMBER_HEADER)] == list(texts.MEMBER_HEADER)
        assert [row[:len(texts.MEMBER_HEADER)] for row in rows[4:]] == MEMBERS[name]

    lecturers = _rows(book["讲师"])
    assert lecturers == [list(texts.LECTURER_HEADER), *LECTURERS]

    text = md.read_text(encoding="utf-8")
    expected = _expected_markdown(text)
    assert text.startswith(expected)
    assert text[len(expected):].startswith("\n## 2026年度理论武装和阵地建设工作数据\n")


def _split(rows: list[list[Any]]) -> list[list[list[Any]]]:
    blocks: list[list[list[Any]]] = []
    for row in rows:
        if all(v == "" for v in row):
            blocks.append([])
        else:
            blocks[-1].append(row)
    return [b for b in blocks if b]


def _expected_markdown(text: str) -> str:
    lines = [
        "# 2026年度党员参学情况报告", "",
        texts.INTRO.format(time="2026-12-20 10:00", member=5.0, leader=5.5), "",
        "## 汇总", "", "| 指标 | 数值 | 口径 |", "|---|---|---|",
        *(f"| {label} | {value} | {how} |" for label, value, how in SUMMARY), "",
        "## 各党组织参学率和学时", "", texts.ORG_RATES_HOW, "",
        "| 党组织 | 类型 | 参学/党员 | 参学率 | 学时 | 人均学时 | 学时达标 |",
        "|---|---|---|---|---|---|---|",
    ]
    org_lines = {name: f"| {v[0]} | {v[1]} | {v[3]}/{v[2]} | {v[4]} | {v[5]} | {v[6]} | {v[7]} |"
                 for name, v in ORGS.items()}
    # Organisations come in the database's name order; take that order from the text.
    shown = [line for line in text.splitlines() if line in org_lines.values()]
    assert sorted(shown) == sorted(org_lines.values())
    lines += shown
    lines += ["", "## 学习达人候选（积分前10名）", "", texts.TOP_LEARNERS_HOW, "",
              "1. 甲一（甲党支部）：18分，5.5学时，优秀心得1篇",
              "2. 乙一（乙党支部）：15分，5.0学时，优秀心得1篇",
              "3. 乙二（乙党支部）：15分，5.0学时，优秀心得0篇",
              "4. 甲二（甲党支部）：4分，1.5学时，优秀心得0篇",
              "", "## 学习标兵候选（优秀心得，前10名）", "", texts.MODEL_LEARNERS_HOW, "",
              "1. 甲一（甲党支部）：优秀心得1篇，18分",
              "2. 乙一（乙党支部）：优秀心得1篇，15分",
              "", "## 先进集体候选（参学率和人均学时前10名）", "", texts.TOP_ORGS_HOW, "",
              "1. 乙党支部：参学率100.0%，人均5.0学时",
              "2. 甲党支部：参学率100.0%，人均3.5学时",
              "", "## 优秀党支部候选（三会一课和参学率前10名）", "", texts.BRANCHES_HOW, "",
              "1. 甲党支部：三会一课4.2%，参学率100.0%，人均3.5学时",
              "2. 乙党支部：三会一课0.0%，参学率100.0%，人均5.0学时",
              "", "## 讲师", "", texts.LECTURERS_HOW, "",
              "- 讲师甲：宣讲2场（点单2场），签到3人次，平均评分5.0",
              "- 讲师乙：宣讲1场（点单0场），签到1人次"]
    return "\n".join(lines) + "\n"


def test_rates_agree_with_participation_rates(app: Flask, year: dict[str, int]) -> None:
    """Are the report's organisation rates the same as 参学率's for the year?"""
    from participation import rates

    with app.app_context():
        built = figures.build(2026, NOW)
        expected = {r.name: r.rate for r in rates.org_rates(rates.year_period(2026))}
    assert {o.name: o.rate for o in built.organizations} == expected


def test_cli_writes_and_audits(app: Flask, year: dict[str, int], tmp_path: Path) -> None:
    """Does `report annual` write both files, say where, and leave an audit row?"""
    result = app.test_cli_runner().invoke(args=["report", "annual", "--year", "2026",
                                                "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "年度参学报告-2026.xlsx" in result.output
    assert (tmp_path / "out" / "年度参学报告-2026.md").exists()
    book = load_workbook(tmp_path / "out" / "年度参学报告-2026.xlsx")
    assert [tuple(r[:3]) for r in _rows(book["汇总"])[2:2 + len(SUMMARY)]] == SUMMARY
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.target) == ("report.annual", "year 2026")


@pytest.mark.parametrize("value", ["1999", "2999", "two"])
def test_cli_refuses_bad_years(app: Flask, value: str, tmp_path: Path) -> None:
    """Is a year out of range (or not a number) refused with nothing written?"""
    result = app.test_cli_runner().invoke(args=["report", "annual", "--year", value,
                                                "--out", str(tmp_path)])
    assert result.exit_code != 0
    assert list(tmp_path.iterdir()) == []


def test_a_failed_build_leaves_nothing_in_the_way(app: Flask, year: dict[str, int],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """After a build fails half-way, does the next one in the same session still work?"""
    with app.app_context():
        def boom(*_: Any) -> None:
            raise RuntimeError("half-way")

        monkeypatch.setattr(figures, "_from_ledger", boom)
        with pytest.raises(RuntimeError):
            figures.build(2026, NOW)
        monkeypatch.undo()
        assert figures.build(2026, NOW).figures["participations"] == 16


def test_formula_shaped_names_stay_text(app: Flask, year: dict[str, int], tmp_path: Path) -> None:
    """Is a member or organisation name starting with = written as text, never as a formula
    (XlsxWriter turns such strings into formulas unless told not to)?"""
    evil = '=HYPERLINK("http://evil.example","点此")'
    with app.app_context():
        db.session.get(Member, year["a2"]).name = evil
        organization = db.session.scalars(select(Organization).where(
            Organization.name == "乙党支部")).one()
        organization.name = "=1+1党支部"
        db.session.commit()
        xlsx = writing.write_report(2026, tmp_path, NOW).xlsx
    book = load_workbook(xlsx)
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=")]
    assert {cell.value for cell in cells} >= {evil, "=1+1党支部"}
    assert {cell.data_type for cell in cells} == {"s"}
