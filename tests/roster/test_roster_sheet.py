"""Can admins import and export the roster as a spreadsheet, all or nothing, told in Chinese?"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from models import AuditEntry, Member, MemberStatus, Organization, db
from roster.manage import add_member, ensure_organization, grant_role
from roster.sheet_read import SheetError
from roster.spreadsheet import import_roster

HEADER = ["姓名", "企业微信账号", "所在党组织", "党组织类型", "角色", "讲师批次", "讲师专长",
          "职务"]
HUAXIN, XINGHAI, CHENGTOU = "华芯微电子党支部", "星海科技党支部", "城投集团党委"
GOOD_ROW = ["陈静", "chenjing", XINGHAI, "", "党员", "", "", ""]


def write_xlsx(path: Path, rows: list[list[Any]], header: list[str] | None = None) -> Path:
    """An .xlsx with a header row (HEADER unless given) and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    """A .csv with the header row and the rows, in that encoding."""
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows([HEADER, *rows])
    return path


@pytest.fixture
def roster(app: Flask) -> None:
    """Three organisations (one of each kind) and three members with roles."""
    with app.app_context():
        huaxin = ensure_organization(HUAXIN, "foreign")
        xinghai = ensure_organization(XINGHAI, "private")
        ensure_organization(CHENGTOU, "state")
        grant_role(add_member("zhaoli", "赵丽", [huaxin], position="书记"), "contact", huaxin)
        grant_role(add_member("wangqiang", "王强", [xinghai]), "lecturer", batch=1,
                   specialties="党史")
        add_member("liming", "李明", [huaxin], roles=["admin"])
        db.session.commit()


def run_import(app: Flask, path: Path, *options: str) -> Result:
    """`flask roster import PATH [options]`."""
    return app.test_cli_runner().invoke(args=["roster", "import", str(path), *options])


def state(app: Flask) -> dict[str, Any]:
    """Everything an import may change, to prove it did not."""
    with app.app_context():
        members = db.session.scalars(select(Member).order_by(Member.userid)).all()
        return {
            "members": [(m.userid, m.name, m.position, m.status) for m in members],
            "memberships": sorted((m.userid, ms.organization.name, ms.is_main)
                                  for m in members for ms in m.memberships),
            "grants": grants(app),
            "kinds": sorted((o.name, o.kind) for o in db.session.scalars(select(Organization))),
            "audit": len(db.session.scalars(select(AuditEntry)).all()),
        }


def grants(app: Flask) -> list[tuple[str, str, str | None, int | None, str | None]]:
    """(userid, role, organisation, batch, specialties) of every grant."""
    with app.app_context():
        return sorted((m.userid, g.role, g.organization.name if g.organization else None,
                       g.batch, g.specialties)
                      for m in db.session.scalars(select(Member)) for g in m.grants)


def test_valid_import_grants_and_revokes_exactly(app: Flask, roster, tmp_path: Path):
    """Does a valid file add, update, set kinds and make each member's roles exactly as listed?"""
    path = write_xlsx(tmp_path / "名册.xlsx", [
        ["陈静", "chenjing", XINGHAI, "外资", "讲师", 3, "理论", "工程师"],
        ["赵丽", "zhaoli", HUAXIN, "外资", "党员、讲师", "第2批", "", "书记"],
        ["王强", "wangqiang", XINGHAI, "外企", "书记，管理员", "", "", ""],
        ["李明", "liming", CHENGTOU, "国企", "管理员", "", "", "主任"],
    ])
    result = run_import(app, path)
    assert result.exit_code == 0, result.output
    assert grants(app) == [
        ("chenjing", "lecturer", None, 3, "理论"),
        ("liming", "admin", None, None, None),
        ("wangqiang", "admin", None, None, None),
        ("wangqiang", "contact", XINGHAI, None, None),
        ("zhaoli", "lecturer", None, 2, None),
    ]
    after = state(app)
    assert ("chenjing", XINGHAI, True) in after["memberships"]
    # liming keeps his main organisation and joins 城投 besides.
    assert ("liming", HUAXIN, True) in after["memberships"]
    assert ("liming", CHENGTOU, False) in after["memberships"]
    assert ("liming", "李明", "主任", "active") in after["members"]
    assert dict(after["kinds"]) == {CHENGTOU: "state", HUAXIN: "foreign", XINGHAI: "foreign"}
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "roster.import")).one()
    assert entry.target == "名册.xlsx" and entry.actor.startswith("cli:")
    assert entry.detail == {"rows": 4, "added": 1, "updated": 3, "unchanged": 0, "granted": 4,
                            "revoked": 2, "kinds": 1}
    assert result.output.strip().splitlines()[-1] == (
        "导入完成：共4行，新增1人，更新3人，未变0人，授予角色4个，撤销角色2个，设置党组织类型1个。")


def test_dry_run_shows_changes_and_writes_nothing(app: Flask, roster, tmp_path: Path):
    """Does --dry-run describe each kind of change with examples and leave the roster alone?"""
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["陈静", "chenjing", XINGHAI, "", "", "", "", ""],
        ["赵丽", "zhaoli", HUAXIN, "国企", "", "", "", ""],
        ["王强二", "wangqiang", XINGHAI, "", "讲师、管理员", "", "", ""],
    ])
    before = state(app)
    result = run_import(app, path, "--dry-run")
    assert result.exit_code == 0, result.output
    assert state(app) == before
    out = result.output
    assert f"新增党员（1人）：\n  第2行 陈静（chenjing）：{XINGHAI}" in out
    assert "第4行 王强二（wangqiang）：姓名 王强 → 王强二；角色 讲师 → 讲师、管理员" in out
    assert f"撤销角色（1个）：\n  第3行 赵丽（zhaoli）：书记/联络员（{HUAXIN}）" in out
    assert "授予角色（1个）：\n  第4行 王强二（wangqiang）：管理员" in out
    assert f"设置党组织类型（1个）：\n  {HUAXIN}：外企 → 国企" in out
    assert out.strip().splitlines()[-1].startswith(
        "试运行（未写入任何数据）：共3行，新增1人，更新2人")


def test_dry_run_lists_a_few_examples(app: Flask, roster, tmp_path: Path):
    """With many changes of one kind, are only a few shown, with a count of the rest?"""
    rows = [[f"新人{i}", f"new{i}", HUAXIN, "", "", "", "", ""] for i in range(8)]
    result = run_import(app, write_xlsx(tmp_path / "r.xlsx", rows), "--dry-run")
    assert "新增党员（8人）：" in result.output and "……另有3条" in result.output
    assert "第7行 新人5" not in result.output


@pytest.mark.parametrize(("rows", "expected"), [
    ([["", "x1", HUAXIN, "", "", "", "", ""]], "第2行「姓名」：姓名不能为空"),
    ([["甲", "", HUAXIN, "", "", "", "", ""]], "第2行「企业微信账号」：企业微信账号不能为空"),
    ([["甲", "zhang san", HUAXIN, "", "", "", "", ""]],
     "第2行「企业微信账号」：企业微信账号“zhang san”无效：须为1至64个字符，且不能含空格"),
    ([["甲", "a" * 65, HUAXIN, "", "", "", "", ""]], "无效：须为1至64个字符"),
    ([GOOD_ROW, ["陈静二", "chenjing", HUAXIN, "", "", "", "", ""]],
     "第3行「企业微信账号」：企业微信账号“chenjing”在第2行和第3行重复出现"),
    ([["甲", "x1", "XX党支部", "", "", "", "", ""]],
     "第2行「所在党组织」：找不到党组织“XX党支部”"),
    ([["甲", "x1", "", "", "", "", "", ""]], "第2行「所在党组织」：新党员须填写所在党组织"),
    ([["甲", "x1", HUAXIN, "合资", "", "", "", ""]],
     "第2行「党组织类型」：党组织类型“合资”无法识别，可填：外企、民企、国企、其他"),
    ([["甲", "x1", HUAXIN, "", "党员、部长", "", "", ""]], "第2行「角色」：角色“部长”无法识别"),
    ([["甲", "x1", HUAXIN, "", "讲师", "三", "", ""]], "第2行「讲师批次」：讲师批次“三”须为正整数"),
    ([["甲", "x1", HUAXIN, "", "讲师", 0, "", ""]], "第2行「讲师批次」：讲师批次“0”须为正整数"),
    ([["甲", "x1", HUAXIN, "", "党员", 2, "", ""]],
     "第2行「讲师批次」：填写了讲师批次，但角色中没有“讲师”"),
    ([["甲", "x1", HUAXIN, "外企", "", "", "", ""], ["乙", "x2", HUAXIN, "国企", "", "", "", ""]],
     f"第3行「党组织类型」：党组织“{HUAXIN}”在第2行填的是“外企”，第3行填的是“国企”"),
], ids=["empty-name", "empty-account", "account-with-space", "account-too-long",
        "duplicate-account", "unknown-org", "new-member-without-org", "unknown-kind",
        "unknown-role", "batch-not-a-number", "batch-zero", "batch-without-lecturer",
        "two-kinds-for-one-org"])
def test_each_bad_row_is_reported_and_nothing_written(app: Flask, roster, tmp_path: Path,
                                                      rows, expected):
    """Is each kind of bad cell named by row and column, with nothing written?"""
    before = state(app)
    result = run_import(app, write_xlsx(tmp_path / "bad.xlsx", rows))
    assert result.exit_code == 1
    assert expected in result.output
    assert result.output.strip().splitlines()[-1].startswith("文件有1处问题，未导入任何数据")
    assert state(app) == before


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("名册.xls", b"\xd0\xcf\x11\xe0", "文件类型不对：只能导入 .xlsx 或 .csv 文件，“名册.xls”不是"),
    ("名册.txt", "姓名,企业微信账号".encode(), "文件类型不对"),
    ("名册.xlsx", b"this is not a zip", "无法读取“名册.xlsx”：不是有效的 .xlsx 文件"),
    ("名册.csv", b"\xff\xff\xff", "文字编码无法识别，请用 UTF-8 或 GB18030"),
    ("名册.csv", None, "找不到文件"),
], ids=["xls", "txt", "broken-xlsx", "csv-in-unknown-encoding", "missing-file"])
def test_wrong_or_unreadable_file_is_refused(app: Flask, roster, tmp_path: Path, name, content,
                                             expected):
    """Are files of the wrong type, damaged or missing refused with a plain message?"""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = run_import(app, path)
    assert result.exit_code == 1 and expected in result.output


def test_missing_headers_are_each_named(app: Flask, roster, tmp_path: Path):
    """Does a header without 企业微信账号 and 所在党组织 say which columns are missing?"""
    path = write_xlsx(tmp_path / "r.xlsx", [["陈静", "党员"]], header=["姓名", "角色"])
    result = run_import(app, path)
    assert result.exit_code == 1
    assert "表头（第1行）缺少「企业微信账号」列" in result.output
    assert "表头（第1行）缺少「所在党组织」列" in result.output


def test_header_is_the_first_non_empty_row(app: Flask, roster, tmp_path: Path):
    """Below blank rows, with padded, reordered and extra headers, are rows numbered as in Excel?"""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append([])
    sheet.append(["序号", "所在党组织", "企业微信账号", "姓  名"])
    sheet.append([1, "XX党支部", "x1", "甲"])
    sheet.append([])
    sheet.append([2, HUAXIN, "x2", "乙"])
    workbook.save(tmp_path / "r.xlsx")
    result = run_import(app, tmp_path / "r.xlsx")
    assert result.output.strip().splitlines()[0].startswith(
        "第4行「所在党组织」：找不到党组织“XX党支部”")
    assert "文件有1处问题" in result.output


def test_every_problem_is_reported_at_once(app: Flask, roster, tmp_path: Path):
    """Does one run list every problem in the file, one per line, in row order?"""
    path = write_xlsx(tmp_path / "r.xlsx", [
        ["", "x1", HUAXIN, "", "", "", "", ""],
        GOOD_ROW,
        ["乙", "x 2", "XX党支部", "", "队长", "", "", ""],
    ])
    result = run_import(app, path)
    lines = result.output.strip().splitlines()
    assert lines == [
        "第2行「姓名」：姓名不能为空",
        "第4行「企业微信账号」：企业微信账号“x 2”无效：须为1至64个字符，且不能含空格",
        "第4行「所在党组织」：找不到党组织“XX党支部”（党组织须先从企业微信同步，名称须完全一致）",
        "第4行「角色」：角色“队长”无法识别，可填：党员、书记、联络员、讲师、管理员"
        "（多个角色用顿号、逗号或空格分隔）",
        "文件有4处问题，未导入任何数据。请修改后重新导入。",
    ]


def test_one_bad_row_at_the_end_writes_nothing(app: Flask, roster, tmp_path: Path):
    """Is a long valid file with one bad last row refused as a whole?"""
    rows = [[f"新人{i}", f"new{i}", XINGHAI, "外企", "管理员", "", "", ""] for i in range(30)]
    rows.append(["末行", "last", "不存在的党支部", "", "", "", "", ""])
    before = state(app)
    result = run_import(app, write_xlsx(tmp_path / "r.xlsx", rows))
    assert result.exit_code == 1 and "第32行「所在党组织」" in result.output
    assert state(app) == before


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-8"])
def test_csv_from_chinese_excel_is_read(app: Flask, roster, tmp_path: Path, encoding: str):
    """Does a CSV in GB18030 (Chinese Excel), or UTF-8 with or without BOM, import correctly?"""
    row = ["陈静", "chenjing", XINGHAI, "", "讲师", "2", "党史", ""]
    result = run_import(app, write_csv(tmp_path / "名册.csv", [row], encoding=encoding))
    assert result.exit_code == 0, result.output
    assert ("chenjing", "lecturer", None, 2, "党史") in grants(app)
    assert ("chenjing", "陈静", None, "active") in state(app)["members"]


def test_without_a_roles_column_roles_are_kept(app: Flask, roster, tmp_path: Path):
    """Does a file with only the required columns leave roles and kinds alone?"""
    path = write_xlsx(tmp_path / "r.xlsx", [["赵丽", "zhaoli", HUAXIN]],
                      header=["姓名", "企业微信账号", "所在党组织"])
    before = state(app)
    result = run_import(app, path)
    assert result.exit_code == 0 and "未变1人" in result.output
    assert state(app) == before


def test_ambiguous_organisation_is_refused(app: Flask, roster, tmp_path: Path):
    """Are two organisations with the same name refused rather than guessed?"""
    with app.app_context():
        db.session.add(Organization(name="第一党支部"))
        db.session.add(Organization(name="第一党支部"))
        db.session.commit()
    result = run_import(app, write_xlsx(tmp_path / "r.xlsx", [["甲", "x1", "第一党支部"]]))
    assert result.exit_code == 1 and "有2个党组织都叫“第一党支部”" in result.output


def test_import_roster_without_the_cli(app: Flask, roster, tmp_path: Path):
    """Can the plain function be used (e.g. by the console), raising SheetError on problems?"""
    good = write_csv(tmp_path / "good.csv", [GOOD_ROW])
    bad = write_csv(tmp_path / "bad.csv", [["", "x1", HUAXIN, "", "", "", "", ""]])
    with app.app_context():
        report = import_roster(good, actor="admin1", dry_run=True)
        assert report.counts["added"] == 1 and report.changed
        with pytest.raises(SheetError) as caught:
            import_roster(bad, actor="admin1")
        assert [(p.row, p.column) for p in caught.value.problems] == [(2, "name")]


@pytest.fixture
def full_roster(app: Flask, roster) -> None:
    """The roster plus a member who left, a disabled one, one without organisation, a formula."""
    with app.app_context():
        chengtou = ensure_organization(CHENGTOU)
        add_member("sunli", "孙丽", [chengtou], roles=["admin"]).status = MemberStatus.LEFT
        add_member("zhoujie", "周杰", [chengtou], position="科员").status = MemberStatus.DISABLED
        add_member("nobody", "无组织")
        add_member("formula", "=1+1", [chengtou])
        db.session.commit()


def test_export_then_import_changes_nothing(app: Flask, full_roster, tmp_path: Path):
    """Is an exported file valid, and does importing it back change nothing at all?"""
    path = tmp_path / "导出.xlsx"
    result = app.test_cli_runner().invoke(args=["roster", "export", str(path)])
    assert result.exit_code == 0 and "已导出7名党员" in result.output
    before = state(app)
    result = run_import(app, path)
    assert result.exit_code == 0, result.output
    assert "新增0人，更新0人，未变7人，授予角色0个，撤销角色0个，设置党组织类型0个" in result.output
    assert state(app) == before  # including: no audit row for an import that changed nothing


def test_export_looks_right(app: Flask, full_roster, tmp_path: Path):
    """Does the export have the columns, roles in words, 状态, a bold frozen header, widths?"""
    path = tmp_path / "out.xlsx"
    app.test_cli_runner().invoke(args=["roster", "export", str(path)])
    sheet = load_workbook(path).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [*HEADER, "状态"]
    by_userid = {row[1]: row for row in rows[1:]}
    assert by_userid["zhaoli"] == ["赵丽", "zhaoli", HUAXIN, "外企", "书记/联络员", None, None,
                                   "书记", "在册"]
    assert by_userid["wangqiang"][4:7] == ["讲师", 1, "党史"]
    assert by_userid["sunli"][4] == "管理员" and by_userid["sunli"][8] == "离开"
    assert by_userid["zhoujie"][8] == "停用"
    assert by_userid["nobody"][2:5] == [None, None, "党员"]
    assert by_userid["formula"][0] == "=1+1" and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert 8 <= sheet.column_dimensions["C"].width <= 40


def test_export_needs_an_xlsx_name(app: Flask, tmp_path: Path):
    """Is an export to .csv refused with a plain message?"""
    result = app.test_cli_runner().invoke(args=["roster", "export", str(tmp_path / "a.csv")])
    assert result.exit_code != 0 and "须以 .xlsx 结尾" in result.output
