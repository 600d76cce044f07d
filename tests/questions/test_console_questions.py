"""The console's 问题箱: the queue per scope and filter, answering once (the member told in
WeCom), correcting, publishing to the 问答库, the refusals (empty, too long, twice, out of
scope, missing) with nothing half-written, and the dashboard's figures."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from content import console_texts as t
from content import question_page_texts as qq
from models import QuestionStatus
from questions import box
from tests.console_helpers import World, build_world, login_as, post
from tests.helpers import written
from tests.questions.question_helpers import answer, ask, audits, question

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]+)"')


@pytest.fixture
def world(app: Flask, make_member) -> World:
    """build_world: its open question TW-000001 of 党员丁 (华芯), plus one of 党员戊 (远景)."""
    built = build_world(app, make_member)
    ask(app, built.member, "远景的问题：入党积极分子怎么培养？")
    return built


def client_of(app: Flask, sandbox: Any, userid: str) -> FlaskClient:
    """A console client logged in as the member."""
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def html(response: Any) -> str:
    """A response's page text."""
    return response.get_data(as_text=True)


def form_key(client: FlaskClient, question_id: int) -> str:
    """The one-time key of the question page's form."""
    found = FORM_KEY.search(html(client.get(f"/console/questions/{question_id}")))
    assert found
    return found.group(1)


def inbox(sandbox: Any, userid: str) -> list[str]:
    """The texts WeCom delivered to the member."""
    return [m["content"]["content"] for m in sandbox.state.inbox_since(userid)]


def rows(app: Flask) -> dict[str, int]:
    """Row counts without Redis (the console keeps sessions there)."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts


def test_queue_by_scope_and_filter(app: Flask, world: World, sandbox):
    """Does the admin see both open questions, a contact only their organisation's, and do
    the filters and search narrow the list?"""
    admin = client_of(app, sandbox, world.admin)
    page = html(admin.get("/console/questions"))
    assert "党费按什么基数交" in page and "入党积极分子" in page
    assert qq.FILTER_COUNT.format(name="待答复", count=2) in page
    here = html(client_of(app, sandbox, world.contact_here).get("/console/questions"))
    assert "党费按什么基数交" in here and "入党积极分子" not in here
    other = html(client_of(app, sandbox, world.contact_other).get("/console/questions?status=all"))
    assert "入党积极分子" in other and "党费按什么基数交" not in other
    answer(app, world.question_id)
    assert "党费" not in html(admin.get("/console/questions"))
    assert "党费" in html(admin.get("/console/questions?status=answered"))
    assert "党费" not in html(admin.get("/console/questions?status=published"))
    assert "入党" not in html(admin.get("/console/questions?status=all&q=党费"))
    assert "入党" in html(admin.get(f"/console/questions?status=all&org={world.org_other}"))
    assert html(admin.get("/console/questions?status=nonsense")).count('id="question-') >= 1


def test_contact_answers_and_the_member_is_told(app: Flask, world: World, sandbox):
    """Does a contact's answer close the question, name them, reach the member in WeCom once
    (a second submit of the same form sends nothing more) and get audited?"""
    client = client_of(app, sandbox, world.contact_here)
    key = form_key(client, world.question_id)
    url = f"/console/questions/{world.question_id}/answer"
    done = post(client, url, {"form_key": key, "answer": "按月工资收入的比例交纳。"})
    assert done.status_code == 303
    again = post(client, url, {"form_key": key, "answer": "按月工资收入的比例交纳。"})
    assert again.status_code == 303 and qq.FORM_USED in html(client.get(again.headers["Location"]))
    row = question(app, world.question_id)
    assert row["status"] == QuestionStatus.ANSWERED and row["answered_by"] == "联络员甲"
    sent = inbox(sandbox, "c-author")
    assert len(sent) == 1 and "按月工资收入的比例交纳。" in sent[0] and "TW-000001" in sent[0]
    assert ("c-here", "question.answer", "TW-000001") in audits(app)


def test_a_second_answer_is_refused_and_sends_nothing(app: Flask, world: World, sandbox):
    """Is an answer from a page opened before someone else answered refused (409), naming the
    first answerer, with the member told once?"""
    admin = client_of(app, sandbox, world.admin)
    contact = client_of(app, sandbox, world.contact_here)
    stale = form_key(contact, world.question_id)
    url = f"/console/questions/{world.question_id}/answer"
    post(admin, url, {"form_key": form_key(admin, world.question_id), "answer": "管理员的答复"})
    late = post(contact, url, {"form_key": stale, "answer": "联络员的答复"})
    assert late.status_code == 409
    assert "已由管理员甲于" in html(late) and "修改答复" in html(late)
    assert question(app, world.question_id)["answer"] == "管理员的答复"
    assert len(inbox(sandbox, "c-author")) == 1


@pytest.mark.parametrize(("text", "message"), [
    ("", qq.ERRORS["empty"]), ("   ", qq.ERRORS["empty"]),
    ("答" * 2001, qq.ERRORS["too_long"].format(length=2001, limit=box.MAX_ANSWER)),
])
def test_bad_answer_is_shown_again_and_nothing_written(app: Flask, world: World, sandbox,
                                                       text: str, message: str):
    """Is an empty or over-long answer refused beside its field (400), the text kept in the
    form, and nothing written or sent?"""
    client = client_of(app, sandbox, world.admin)
    key = form_key(client, world.question_id)
    before = rows(app)
    refused = post(client, f"/console/questions/{world.question_id}/answer",
                   {"form_key": key, "answer": text})
    assert refused.status_code == 400 and message in html(refused)
    assert rows(app) == before and inbox(sandbox, "c-author") == []
    retried = post(client, f"/console/questions/{world.question_id}/answer",
                   {"form_key": key, "answer": "改好的答复"})
    assert retried.status_code == 303  # the key was not used up by the refusal
    assert question(app, world.question_id)["answer"] == "改好的答复"


def test_expired_form_key_is_refused(app: Flask, world: World, sandbox):
    """Is a form without its one-time key refused (400) and nothing written?"""
    client = client_of(app, sandbox, world.admin)
    before = rows(app)
    refused = post(client, f"/console/questions/{world.question_id}/answer", {"answer": "答复"})
    assert refused.status_code == 400 and qq.FORM_EXPIRED in html(refused)
    assert rows(app) == before


def test_out_of_scope_and_missing(app: Flask, world: World, sandbox):
    """Is the other organisation's contact refused (403, in Chinese) on the page and every
    action, with nothing written, and is a missing id 404?"""
    client = client_of(app, sandbox, world.contact_other)
    before = rows(app)
    page = client.get(f"/console/questions/{world.question_id}")
    assert page.status_code == 403 and qq.OUT_OF_SCOPE in html(page)
    for action in ("answer", "edit", "publish", "unpublish"):
        response = post(client, f"/console/questions/{world.question_id}/{action}",
                        {"form_key": "k" * 24, "answer": "越权答复", "version": "x"})
        assert response.status_code == 403, action
    assert rows(app) == before and inbox(sandbox, "c-author") == []
    admin = client_of(app, sandbox, world.admin)
    assert admin.get("/console/questions/999").status_code == 404
    missing = post(admin, "/console/questions/999/answer", {"form_key": "k" * 24, "answer": "x"})
    assert missing.status_code == 404 and t.NOT_FOUND in html(missing)


def test_edit_tells_the_member_and_a_stale_edit_is_refused(app: Flask, world: World, sandbox):
    """Does 修改答复 replace the answer (the member told it changed), and is an edit from a
    page showing the old answer refused without writing?"""
    answer(app, world.question_id, "旧答复")
    admin = client_of(app, sandbox, world.admin)
    page = html(admin.get(f"/console/questions/{world.question_id}"))
    key, seen = FORM_KEY.search(page).group(1), VERSION.search(page).group(1)
    contact = client_of(app, sandbox, world.contact_here)
    other_page = html(contact.get(f"/console/questions/{world.question_id}"))
    url = f"/console/questions/{world.question_id}/edit"
    assert post(admin, url, {"form_key": key, "version": seen, "answer": "新答复"}
                ).status_code == 303
    assert question(app, world.question_id)["answer"] == "新答复"
    sent = inbox(sandbox, "c-author")
    assert len(sent) == 1 and "已更新" in sent[0] and "新答复" in sent[0]
    stale = post(contact, url, {"form_key": FORM_KEY.search(other_page).group(1),
                                "version": VERSION.search(other_page).group(1),
                                "answer": "联络员的版本"})
    assert stale.status_code == 409 and "已修改了这条答复" in html(stale)
    assert question(app, world.question_id)["answer"] == "新答复"
    assert len(inbox(sandbox, "c-author")) == 1


def test_publish_and_unpublish(app: Flask, world: World, sandbox):
    """Is an open question not publishable, an answered one published once (answerer and date
    on the page) and taken out again, each audited?"""
    admin = client_of(app, sandbox, world.admin)
    url = f"/console/questions/{world.question_id}"
    refused = post(admin, f"{url}/publish")
    assert "还没有答复" in html(admin.get(refused.headers["Location"]))
    assert question(app, world.question_id)["published"] is False
    answer(app, world.question_id, "按月工资收入的比例交纳。")
    post(admin, f"{url}/publish")
    again = post(admin, f"{url}/publish")
    assert "已经在问答库中" in html(admin.get(again.headers["Location"]))
    row = question(app, world.question_id)
    assert row["published"] is True and row["published_at"] is not None
    assert "已发布到问答库" in html(admin.get(url))
    assert "党费" in html(admin.get("/console/questions?status=published"))
    post(admin, f"{url}/unpublish")
    assert question(app, world.question_id)["published"] is False
    actions = [a[1] for a in audits(app)]
    assert actions.count("question.publish") == 1 and actions.count("question.unpublish") == 1


def test_dashboard_figures_per_scope(app: Flask, world: World, sandbox):
    """Does the dashboard show this month's questions and the waiting ones, the committee's
    for the admin and only their organisation's for a contact?"""
    admin = html(client_of(app, sandbox, world.admin).get("/console/"))
    assert f"{t.CARD_QUESTIONS_MONTH}<b>2</b>" in admin
    assert t.CARD_QUESTIONS_WAITING_VALUE.format(waiting=2, overdue=0, days=3) in admin
    contact = html(client_of(app, sandbox, world.contact_here).get("/console/"))
    assert f"{t.CARD_QUESTIONS_MONTH}<b>1</b>" in contact
    assert t.CARD_QUESTIONS_WAITING_VALUE.format(waiting=1, overdue=0, days=3) in contact
    answer(app, world.question_id)
    contact = html(client_of(app, sandbox, world.contact_here).get("/console/"))
    assert t.CARD_QUESTIONS_IN_TIME_VALUE.format(in_time=1, due=1, percent=100.0) in contact
