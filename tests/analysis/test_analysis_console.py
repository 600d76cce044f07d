"""研判 in the console: an admin starts an analysis (once per form), follows its progress, reads
the result with its charts and downloads the 研判报告, which opens in python-docx and holds the
figures; bad input is refused in Chinese and writes nothing; the lists are counted; a contact
is refused."""

from __future__ import annotations

import io
import json
import random
import re
from datetime import timedelta

import pytest
from docx import Document
from flask import Flask
from sqlalchemy import func, select

from analysis.demo import seed_demo_year
from models import (
    Analysis,
    DeliveryVia,
    Material,
    MaterialRead,
    Participation,
    Push,
    PushDelivery,
    PushOccurrence,
    QuizAttempt,
    QuizQuestion,
    WatchTerm,
    db,
    utcnow,
)
from roster.demo import seed_demo
from study import deliveries
from tests.analysis.analysis_helpers import (
    analyse,
    audits,
    committee,
    reflect,
    sentence,
    shanghai,
)
from tests.console_helpers import login_as, post

pytestmark = pytest.mark.clock
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


def _form(client) -> str:
    page = client.get("/console/analysis")
    assert page.status_code == 200
    found = FORM_KEY.search(page.get_data(as_text=True))
    assert found
    return found.group(1)


def _count(app: Flask) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count(Analysis.id))) or 0)


def test_admin_starts_an_analysis_once_and_downloads_the_report(app: Flask, make_member,
                                                               sandbox, travel):
    """Does the form (sent twice) start one analysis that the job builds, whose page shows
    the themes and charts, and whose .docx holds the figures and a quote?"""
    travel("2026-12-03 09:00", tick=False)
    c = committee(app, make_member)
    rng = random.Random(5)
    for i in range(12):
        reflect(app, (c.foreign + c.private)[i % 6],
                sentence(rng, *(["新质生产力"] if i < 9 else [])),
                shanghai(f"2026-11-{i + 1:02d} 20:00"))
    client = app.test_client()
    login_as(client, sandbox, c.admin)
    form = _form(client)
    assert 'name="number" type="number" min="1" max="12" value="11"' in client.get(
        "/console/analysis").get_data(as_text=True)  # last month, on the committee's clock
    data = {"unit": "month", "year": "2026", "number": "11", "scope": "all", "idle": "4",
            "form_key": form}
    first = post(client, "/console/analysis", data)
    assert first.status_code == 303
    again = post(client, "/console/analysis", data)
    assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
    assert _count(app) == 1
    detail = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "新质生产力" in detail and 'id="chart-themes"' in detail
    assert 'http-equiv="refresh"' not in detail  # built: no more refreshing
    with app.app_context():
        row = db.session.scalars(select(Analysis)).one()
        assert (row.status, row.progress, row.created_by) == ("done", 100, c.admin)
        analysis_id = row.id
    report = client.get(f"/console/analysis/{analysis_id}.docx")
    assert report.status_code == 200
    document = Document(io.BytesIO(report.data))
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "研判报告" in body and "2026年11月" in body
    assert "12" in [p.text.split("：")[-1] for p in document.paragraphs
                    if p.text.startswith("本期文本")]
    assert "新质生产力" in cells and "75.0" in cells  # 9 of 12 texts
    assert any("特别是新质生产力方面的内容" in p.text for p in document.paragraphs)
    assert [e.actor for e in audits(app, "analysis.start")] == [c.admin]
    assert len(audits(app, "analysis.export")) == 1
    assert len(audits(app, "analysis.view")) == 1


def test_progress_is_shown_while_the_job_runs(app: Flask, make_member, sandbox):
    """Does a running analysis's page show its progress and refresh itself, and one whose job
    died (still running after 15 minutes) say so and stop refreshing?"""
    c = committee(app, make_member)
    with app.app_context():
        row = Analysis(unit="month", year=2026, number=11, scope={"kind": "all"}, progress=45,
                       stage="previous", status="running", created_by="x")
        db.session.add(row)
        db.session.commit()
        analysis_id = row.id
    client = app.test_client()
    login_as(client, sandbox, c.admin)
    page = client.get(f"/console/analysis/{analysis_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and 'value="45"' in page and "统计上期" in page
    assert client.get(f"/console/analysis/{analysis_id}.docx").status_code == 404
    with app.app_context():
        db.session.get(Analysis, analysis_id).started_at = utcnow() - timedelta(minutes=20)
        db.session.commit()
    page = client.get(f"/console/analysis/{analysis_id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "后台任务可能已中断" in page


@pytest.mark.parametrize("fields, error", [
    ({"unit": "month", "year": "2026", "number": "13"}, "月份为 1–12"),
    ({"unit": "quarter", "year": "2026", "number": "5"}, "季度为 1–4"),
    ({"unit": "week", "year": "2026", "number": "1"}, "请选择正确的期间"),
    ({"scope": "org_kind"}, "至少选一种类型"),
    ({"scope": "orgs", "orgs": "99999"}, "至少选一个党组织"),
    ({"idle": "0"}, "1–52"),
])
def test_bad_input_is_refused_in_chinese_and_writes_nothing(app: Flask, make_member, sandbox,
                                                            fields, error):
    """Is a period or scope that is not one answered 400 with the reason, nothing written?"""
    c = committee(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, c.admin)
    data = {"unit": "month", "year": "2026", "number": "11", "scope": "all", "idle": "4",
            "form_key": _form(client), **fields}
    response = post(client, "/console/analysis", data)
    assert response.status_code == 400
    assert error in response.get_data(as_text=True)
    assert _count(app) == 0 and audits(app, "analysis.start") == []


def test_contact_is_refused(app: Flask, make_member, sandbox):
    """Does a contact get 403 on every 研判 page and action?"""
    c = committee(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, c.contact)
    assert client.get("/console/analysis").status_code == 403
    assert post(client, "/console/analysis", {"unit": "month"}).status_code == 403
    assert client.get("/console/analysis/1").status_code == 403
    assert client.get("/console/analysis/1.docx").status_code == 403


def test_the_lists_missed_quiz_rarely_completed_idle_and_unreached(app: Flask, make_member):
    """Are the missed quiz question, the rarely completed material, the idle organisation and
    the members reached by nothing counted as defined?"""
    c = committee(app, make_member, size=6)
    nov = shanghai("2026-11-10 10:00")
    with app.app_context():
        question = QuizQuestion(kind="single", text="党的最高理想是什么？", stem_key="k1",
                                options=["A", "B"], answer="B", created_by="t")
        material = Material(slug="m1", title="学习材料一", kind="article",
                            published_on=nov.date())
        db.session.add_all([question, material])
        db.session.flush()
        for i, member_id in enumerate(c.foreign):
            db.session.add(QuizAttempt(member_id=member_id, question_id=question.id,
                                       day=nov.date(), position=1, drawn_at=nov,
                                       answered_at=nov, choice="A" if i < 4 else "B",
                                       correct=i >= 4, organization_id=c.foreign_org))
        push = Push(material_id=material.id, audience={"kind": "all"}, created_by="t")
        db.session.add(push)
        db.session.flush()
        occurrence = PushOccurrence(push_id=push.id, due_at=nov, material_id=material.id)
        db.session.add(occurrence)
        db.session.flush()
        for member_id in c.foreign:
            db.session.add(PushDelivery(occurrence_id=occurrence.id, member_id=member_id))
        deliveries.record_many(c.foreign, material.id, DeliveryVia.PUSH,  # as the push does
                               f"occurrence:{occurrence.id}", nov)
        db.session.add(MaterialRead(member_id=c.foreign[0], material_id=material.id,
                                    completed_at=nov))
        db.session.add(Participation(member_id=c.private[0], organization_id=c.private_org,
                                     kind="reflection", source="r:1",
                                     occurred_at=nov - timedelta(weeks=10)))
        db.session.commit()
    result = analyse(app, "month", 2026, 11, idle_weeks=4)
    [missed] = result["missed"]
    assert (missed["answered"], missed["wrong"], missed["wrong_share"]) == (6, 4, 66.7)
    [read] = result["materials"]
    assert (read["delivered"], read["completed"], read["completed_share"]) == (6, 1, 16.7)
    idle = {o["name"]: o for o in result["idle"]["items"]}
    assert idle["民营党支部"]["last_day"] == "2026-09-01"
    assert "外资党支部" in idle and idle["外资党支部"]["last_day"] is None  # nothing in the ledger
    unreached = {o["name"]: o["count"] for o in result["unreached"]["orgs"]}
    assert unreached == {"民营党支部": 6, "外资党支部": 1, "党委办公室": 1}  # the push: 6 of 7
    assert json.dumps(result)  # stored as JSON


def test_demo_seeds_a_watch_list_and_an_analysis(app: Flask):
    """Does the demo write its watch list and last month's built analysis?"""
    with app.app_context():
        seed_demo()
        written = seed_demo_year(shanghai("2026-12-05 10:00").date())
        db.session.commit()
        assert written >= 4
        assert db.session.scalar(select(func.count(WatchTerm.id))) == 3
        row = db.session.scalars(select(Analysis)).one()
        assert (row.status, row.unit, row.year, row.number) == ("done", "month", 2026, 11)
        assert row.result and row.result["idle"]["organizations"] > 0
        assert row.result["unreached"]["members"] > 0
