"""题库 in the console: authoring a question once per form (every problem beside its field,
nothing written), editing, 停用 / 启用, the .xlsx import (仅检查 then 导入, a bad file reported
row by row with nothing written), the template, the correct rates hardest first and the
participation per organisation, and a campaign's results."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from content import quiz_page_texts as qt
from models import AuditEntry, QuizQuestion, db
from tests.console_helpers import login_as, post
from tests.helpers import written
from tests.quizzes.quiz_helpers import add_campaign, add_material, fill_bank, on_question

FORM = {"kind": "single", "text": "党员没有正当理由，连续几个月不交纳党费，就被认为是自行脱党？",
        "option_a": "三个月", "option_b": "六个月", "option_c": "九个月", "option_d": "",
        "answer": "B", "explanation": "党章的规定。", "material": "dangfei", "campaign": ""}


def admin(client: FlaskClient, sandbox) -> FlaskClient:
    """The client logged in as the admin 陈静."""
    assert login_as(client, sandbox, "chenjing").status_code == 303
    return client


def form_key(client: FlaskClient) -> str:
    """The one-time key of a fresh 新建题目 form."""
    found = re.search(r'name="form_key" value="([^"]+)"', client.get("/console/quiz/new").text)
    assert found
    return found.group(1)


def questions(app: Flask) -> list[tuple[str, str, list[str], str, bool]]:
    """(kind, text, options, answer, active) of every question."""
    with app.app_context():
        return [(q.kind, q.text, list(q.options), q.answer, q.active) for q in
                db.session.scalars(select(QuizQuestion).order_by(QuizQuestion.id))]


def test_create_once_edit_retire(app: Flask, people, client, sandbox):
    """Is a question created once however often its form is sent, edited, retired and
    activated again, each audited, with the bank listing it?"""
    add_material(app)
    admin(client, sandbox)
    key = form_key(client)
    first = post(client, "/console/quiz/new", {**FORM, "form_key": key})
    assert first.status_code == 303
    again = post(client, "/console/quiz/new", {**FORM, "form_key": key})  # a double submit
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert questions(app) == [("single", FORM["text"], ["三个月", "六个月", "九个月"], "B", True)]
    detail = first.headers["Location"]
    page = client.get(detail)
    assert page.status_code == 200 and "DT-000001" in page.text
    assert qt.QUESTION_NO_FIGURES in page.text
    saved = post(client, detail, {**FORM, "kind": "judge", "answer": "错", "option_a": ""})
    assert saved.status_code == 303
    assert questions(app)[0][2:4] == (["对", "错"], "B")
    assert post(client, detail + "/retire").status_code == 303
    assert questions(app)[0][4] is False
    assert qt.ALREADY_STATE.format(state="已停用") in client.get(
        post(client, detail + "/retire").headers["Location"]).text
    post(client, detail + "/activate")
    listing = client.get("/console/quiz")
    assert listing.status_code == 200 and "DT-000001" in listing.text
    assert "DT-000001" not in client.get("/console/quiz?state=retired").text
    assert "DT-000001" not in client.get("/console/quiz?q=" + "%_' OR 1=1").text
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert [a for a in actions if a.startswith("quiz.")] == [
        "quiz.create", "quiz.update", "quiz.retire", "quiz.activate"]


def test_bad_form_writes_nothing(app: Flask, people, client, sandbox):
    """A missing answer, an answer not among the options, AB on a single choice, an unknown
    material, the text of a question already in the bank: each beside its field, 400, and
    nothing written."""
    add_material(app)
    admin(client, sandbox)
    post(client, "/console/quiz/new", {**FORM, "form_key": form_key(client)})
    before = written(app)
    cases = [({"answer": ""}, qt.ANSWER_MISSING),
             ({"answer": "D"}, "答案“D”不在选项中（本题的选项是 A、B、C）"),
             ({"answer": "AB"}, qt.ANSWER_SINGLE_MANY.format(value="AB")),
             ({"material": "nope"}, "找不到在用的学习材料“nope”"),
             ({}, qt.DUPLICATE_BANK.format(number="DT-000001")),
             ({"kind": "essay"}, "题型“essay”不对")]
    for change, message in cases:
        response = post(client, "/console/quiz/new", {**FORM, **change,
                                                      "form_key": form_key(client)})
        assert response.status_code == 400 and message in response.text, message
    assert written(app) == before
    assert post(client, "/console/quiz/999", FORM).status_code == 404


def xlsx(rows: list[list[str]]) -> io.BytesIO:
    """An upload: the import's header and these rows."""
    workbook = Workbook()
    workbook.active.append(list(qt.SHEET_COLUMNS.values()))
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    return data


def test_import_check_then_apply(app: Flask, people, client, sandbox):
    """仅检查 writes nothing and reports; 导入 adds; a bad file is listed row by row, 422, and
    nothing is written; no file, or a .txt, is refused."""
    admin(client, sandbox)
    good = [["判断", "支部党员大会一般每季度召开1次。", "", "", "", "", "", "", "对",
             "每季度1次。"]]
    before = written(app)
    checked = post(client, "/console/quiz/import", {"mode": "check",
                                                    "file": (xlsx(good), "bank.xlsx")},
                   content_type="multipart/form-data")
    assert checked.status_code == 200 and "检查通过（未写入）：共1道题，将新增1道" in checked.text
    assert written(app) == before
    bad = [*good, ["单选", "题？", "甲", "乙", "", "", "", "", "", "解析"],
           ["单选", "题二？", "甲", "乙", "", "", "", "", "C", "解析"]]
    refused = post(client, "/console/quiz/import", {"mode": "apply",
                                                    "file": (xlsx(bad), "bank.xlsx")},
                   content_type="multipart/form-data")
    assert refused.status_code == 422
    assert "第3行「答案」：缺少答案" in refused.text
    assert "第4行「答案」：答案“C”不在选项中（本题的选项是 A、B）" in refused.text
    assert written(app) == before
    done = post(client, "/console/quiz/import", {"mode": "apply",
                                                 "file": (xlsx(good), "bank.xlsx")},
                content_type="multipart/form-data")
    assert done.status_code == 200 and "已导入：共1道题，新增1道" in done.text
    assert len(questions(app)) == 1
    assert post(client, "/console/quiz/import", {"mode": "apply"}).status_code == 400
    text = post(client, "/console/quiz/import", {"file": (io.BytesIO(b"x"), "bank.txt")},
                content_type="multipart/form-data")
    assert text.status_code == 400 and qt.IMPORT_NO_FILE in text.text


def test_template_download(app: Flask, people, client, sandbox, tmp_path: Path):
    """Is the template an .xlsx whose first sheet has the import's columns?"""
    admin(client, sandbox)
    response = client.get("/console/quiz/template.xlsx")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    path = tmp_path / "t.xlsx"
    path.write_bytes(response.data)
    first = load_workbook(path).worksheets[0]
    assert [c.value for c in first[1]] == list(qt.SHEET_COLUMNS.values())


def test_stats_hardest_first_and_per_organisation(app: Flask, people, client, sandbox,
                                                  send_text):
    """Do the figures show the questions lowest correct rate first, each organisation's
    participants and rate, and a campaign's results per organisation?"""
    fill_bank(app)
    for userid, right in (("zhangwei", True), ("lina", False), ("wangfang", False)):
        send_text(userid, "答题")
        shown = on_question(app, userid)
        typed = shown.answer if right else shown.wrong
        send_text(userid, {"A": "对", "B": "错"}.get(typed, typed) if shown.kind == "judge"
                  else typed)
    admin(client, sandbox)
    page = client.get("/console/quiz/stats?min=1")
    assert page.status_code == 200
    hardest = page.text.split('id="quiz-hardest"')[1].split("</table>")[0]
    rates = re.findall(r"<td>(\d+%)</td></tr>", hardest)
    assert rates and rates == sorted(rates, key=lambda r: int(r[:-1]))
    orgs = re.sub(r">\s+<", "><", page.text.split('id="quiz-orgs"')[1].split("</table>")[0])
    cells = "</td><td>".join
    assert cells(["华芯微电子党支部", "2", "2", "100%", "2", "1", "50%"]) in orgs
    assert cells(["锡东精密机械党支部", "1", "1", "100%", "1", "0", "0%"]) in orgs
    assert client.get("/console/quiz/stats?since=bad&until=2026-01-01&min=x").status_code == 200
    campaign = add_campaign(app, "2026年冬训", date(2026, 1, 1), date(2030, 12, 31))
    results = client.get(f"/console/quiz/campaigns/{campaign}")
    assert results.status_code == 200 and "2026年冬训" in results.text
    assert client.get("/console/quiz/campaigns/999").status_code == 404
