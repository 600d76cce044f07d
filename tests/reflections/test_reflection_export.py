"""Do the ledger exports (.docx compilation, .xlsx list) hold the right reflections, readably?"""

from __future__ import annotations

import base64
import itertools
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from content import export_texts
from models import Member, Organization, Reflection, ReflectionPart, db
from reflections.drafts import refresh
from reflections.export import reflections_for, write_docx, write_xlsx

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC")
MARCH = (date(2026, 3, 1), date(2026, 3, 31))
_keys = itertools.count(1)


def write(member: Member, text: str, submitted_at: datetime | None = None,
          status: str = "submitted", subject: str = "《习近平新时代中国特色社会主义思想》",
          photos: tuple[bytes | None, ...] = (), comment: str | None = None) -> Reflection:
    """A reflection by `member`, as the conversation would have left it (call in a context)."""
    row = Reflection(member_id=member.id, subject_title=subject, status=status,
                     submitted_at=submitted_at or datetime(2026, 3, 5, 2, 30, tzinfo=UTC),
                     featured=status == "featured", review_comment=comment)
    for line in text.split("\n"):
        row.parts.append(ReflectionPart(kind="text", text=line, source_key=f"k{next(_keys)}"))
    for image in photos:
        row.parts.append(ReflectionPart(kind="image", media_id=f"m{next(_keys)}", image=image,
                                        image_type="image/png", source_key=f"k{next(_keys)}"))
    refresh(row, row.submitted_at)
    db.session.add(row)
    db.session.commit()
    return row


def organization(name: str) -> Organization:
    """The organisation of that name."""
    return db.session.scalars(select(Organization).where(Organization.name == name)).one()


def docx_text(path: Path) -> str:
    """Every paragraph of a .docx, one per line."""
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


@pytest.fixture
def branch(app: Flask, make_member) -> dict[str, Member]:
    """华芯党支部 with a sub-organisation 华芯研发党小组, and an unrelated 远航党支部."""
    members = {"li": make_member("liqiang", "李强", org="华芯党支部"),
               "wang": make_member("wangfang", "王芳", org="华芯研发党小组"),
               "zhao": make_member("zhaoli", "赵丽", org="远航党支部")}
    with app.app_context():
        organization("华芯研发党小组").parent_id = organization("华芯党支部").id
        db.session.commit()
    return members


def test_docx_holds_texts_numbers_and_authors(app: Flask, branch, tmp_path: Path):
    """Does the compilation open and show title, numbers, authors, times, status and text?"""
    path = tmp_path / "ledger.docx"
    with app.app_context():
        first = write(branch["li"], "学习之后深受启发。\n要把理论落到实处。")
        second = write(branch["wang"], "研发岗位也要讲政治。", status="featured",
                       comment="写得很实在")
        write_docx(path, reflections_for(None, *MARCH), "华芯党支部心得体会汇编", "2026年3月")
        numbers = first.number, second.number
    text = docx_text(path)
    for expected in (export_texts.COMMITTEE, "华芯党支部心得体会汇编", "共 2 篇", *numbers,
                     "李强", "王芳", "华芯研发党小组", "学习之后深受启发。", "要把理论落到实处。",
                     "研发岗位也要讲政治。", "2026-03-05 10:30", export_texts.FEATURED_MARK,
                     "写得很实在", "《习近平新时代中国特色社会主义思想》"):
        assert expected in text


def test_docx_embeds_photos_and_notes_bad_ones(app: Flask, branch, tmp_path: Path):
    """Is a photo embedded, and are a broken and an unfetched one noted instead?"""
    path = tmp_path / "photos.docx"
    with app.app_context():
        write(branch["li"], "手写心得见照片。", photos=(PNG, b"not an image", None))
        write_docx(path, reflections_for(None, *MARCH), "汇编")
    document = Document(str(path))
    assert len(document.inline_shapes) == 1
    assert round(document.inline_shapes[0].width.cm) == 12
    text = docx_text(path)
    assert export_texts.PHOTO_UNREADABLE.format(index=2) in text
    assert export_texts.PHOTO_MISSING.format(index=3) in text


def test_xlsx_lists_one_row_per_reflection(app: Flask, branch, tmp_path: Path):
    """Does the list open with a bold frozen header and the right cells, wrapped?"""
    path = tmp_path / "ledger.xlsx"
    with app.app_context():
        row = write(branch["li"], "学习之后深受启发。", photos=(PNG,), comment="很好")
        write_xlsx(path, reflections_for(None, *MARCH))
        number = row.number
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == list(export_texts.HEADERS.values())
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[2]] == [
        number, "李强", "华芯党支部", "《习近平新时代中国特色社会主义思想》",
        datetime(2026, 3, 5, 10, 30), 9, 1, "已提交", "很好", "学习之后深受启发。"]
    assert sheet["J2"].alignment.wrap_text
    assert sheet.column_dimensions["J"].width > sheet.column_dimensions["F"].width


def test_xlsx_keeps_formula_shaped_text_as_text(app: Flask, make_member, tmp_path: Path):
    """Are texts starting with = + - @ written as text, never as formulas?"""
    path = tmp_path / "inject.xlsx"
    author = make_member("evil", "=1+1", org="华芯党支部")
    with app.app_context():
        write(author, '=HYPERLINK("http://x","点我")', subject="+SUM(A1)", comment="-2+3",
              status="reviewed")
        write(author, "@cmd 正文\x07带控制字符")
        write_xlsx(path, reflections_for(None, *MARCH))
    sheet = load_workbook(path).active
    cells = [sheet["B2"], sheet["D2"], sheet["I2"], sheet["J2"], sheet["J3"]]
    assert [c.value for c in cells] == [
        "=1+1", "+SUM(A1)", "-2+3", '=HYPERLINK("http://x","点我")', "@cmd 正文带控制字符"]
    assert {c.data_type for c in cells} == {"s"}


def test_org_filter_includes_sub_organisations(app: Flask, branch):
    """Does an organisation's export hold its sub-organisations' reflections, not others'?"""
    with app.app_context():
        write(branch["zhao"], "远航的心得。")
        write(branch["wang"], "研发的心得。", datetime(2026, 3, 2, tzinfo=UTC))
        write(branch["li"], "支部的心得。", datetime(2026, 3, 9, tzinfo=UTC))
        write(branch["li"], "支部的早心得。", datetime(2026, 3, 1, tzinfo=UTC))

        def texts(name: str | None) -> list[str]:
            org = organization(name) if name else None
            return [r.text for r in reflections_for(org, *MARCH)]

        assert texts("华芯党支部") == ["支部的早心得。", "支部的心得。", "研发的心得。"]
        assert texts("华芯研发党小组") == ["研发的心得。"]
        assert texts("远航党支部") == ["远航的心得。"]
        assert len(texts(None)) == 4


def test_period_is_shanghai_days_both_included(app: Flask, branch):
    """Are the first and last Shanghai days included, and a minute outside excluded?"""
    with app.app_context():
        for text, moment in [("二月底", datetime(2026, 2, 28, 15, 59, tzinfo=UTC)),
                             ("三月初", datetime(2026, 2, 28, 16, 0, tzinfo=UTC)),
                             ("三月底", datetime(2026, 3, 31, 15, 59, tzinfo=UTC)),
                             ("四月初", datetime(2026, 3, 31, 16, 0, tzinfo=UTC))]:
            write(branch["li"], text, moment)
        assert [r.text for r in reflections_for(None, *MARCH)] == ["三月初", "三月底"]


def test_drafts_and_returned_are_left_out(app: Flask, branch):
    """Are drafts and returned reflections left out of the ledger?"""
    with app.app_context():
        write(branch["li"], "草稿。", status="draft")
        write(branch["li"], "退回的。", status="returned")
        write(branch["li"], "已点评的。", status="reviewed")
        write(branch["li"], "优秀的。", status="featured")
        assert [r.text for r in reflections_for(None, *MARCH)] == ["已点评的。", "优秀的。"]


def test_cli_exports_both_kinds(app: Flask, branch, tmp_path: Path):
    """Does `reflection export` write a .docx and an .xlsx for an organisation and say how many?"""
    with app.app_context():
        write(branch["li"], "支部的心得。")
        write(branch["zhao"], "远航的心得。")
    runner = app.test_cli_runner()
    for name in ("out.docx", "out.xlsx"):
        result = runner.invoke(args=["reflection", "export", str(tmp_path / name), "--from",
                                     "2026-03-01", "--to", "2026-03-31", "--org", "华芯党支部"])
        assert result.exit_code == 0, result.output
        assert "1 reflections written" in result.output
    text = docx_text(tmp_path / "out.docx")
    assert "支部的心得。" in text and "远航的心得。" not in text
    assert "华芯党支部心得体会汇编" in text and "2026-03-01 至 2026-03-31" in text
    assert load_workbook(tmp_path / "out.xlsx").active["J2"].value == "支部的心得。"


def test_cli_writes_a_note_when_nothing_found(app: Flask, branch, tmp_path: Path):
    """With nothing in the period, is a file still written with a note, and is that said?"""
    runner = app.test_cli_runner()
    for name in ("empty.docx", "empty.xlsx"):
        result = runner.invoke(args=["reflection", "export", str(tmp_path / name),
                                     "--from", "2026-03-01", "--to", "2026-03-31"])
        assert result.exit_code == 0, result.output
        assert "no reflections found" in result.output
    assert export_texts.NONE_FOUND in docx_text(tmp_path / "empty.docx")
    assert load_workbook(tmp_path / "empty.xlsx").active["A2"].value == export_texts.NONE_FOUND


def test_cli_refuses_bad_input(app: Flask, branch, tmp_path: Path):
    """Are a bad extension, an unknown organisation and a reversed period refused plainly?"""
    runner = app.test_cli_runner()
    period = ["--from", "2026-03-01", "--to", "2026-03-31"]
    for args, message in [
        ([str(tmp_path / "out.pdf"), *period], "must end in .docx or .xlsx"),
        ([str(tmp_path / "out.xlsx"), *period, "--org", "不存在党支部"], "no organisation"),
        ([str(tmp_path / "out.xlsx"), *period, "--org", "华芯研发小组"],
         "no organisation named '华芯研发小组'; did you mean: 华芯研发党小组"),
        ([str(tmp_path / "out.xlsx"), "--from", "2026-04-01", "--to", "2026-03-01"],
         "--from must not be after --to"),
    ]:
        result = runner.invoke(args=["reflection", "export", *args])
        assert result.exit_code != 0 and message in result.output, result.output
    assert list(tmp_path.iterdir()) == []
