"""questions.box: submitting (checked, in the caller's transaction, audited), answering once,
correcting an answer the editor saw, publishing to the 问答库, and the box's figures on the
committee's clock (3 committee days; the month cut in Shanghai)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from models import Member, Question, QuestionStatus, db, find_member
from questions import box, figures
from tests.helpers import written
from tests.questions.question_helpers import answer, ask, audits, question, shanghai

pytestmark = pytest.mark.clock

HUAXIN, YUANJING = "华芯党支部", "远景党支部"


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """Two members of 华芯 (one also in 远景, 华芯 first), one of 远景, one without an org."""
    built = {
        "zhang": make_member("zhangsan", "张三", org=HUAXIN),
        "zhao": make_member("zhaoliu", "赵六", org=YUANJING),
        "nobody": make_member("drifter", "无组织", org=None),
    }
    make_member("zhangsan", "张三", org=YUANJING)  # a second, not main, membership
    return built


def _orgs(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {m.organization.name: m.organization.id
                for userid in ("zhangsan", "zhaoliu")
                for m in find_member(userid).memberships}


def test_submit_keeps_the_question_with_the_main_organisation(app: Flask, people):
    """Is a question stored stripped, open, with the member's main organisation and audited?"""
    when = shanghai("2026-11-25 10:00")
    question_id = ask(app, "zhangsan", "  月工资8000元党费交多少？\n", when)
    row = question(app, question_id)
    assert row["text"] == "月工资8000元党费交多少？"
    assert row["status"] == QuestionStatus.OPEN and row["published"] is False
    assert row["organization_id"] == _orgs(app)[HUAXIN]
    assert row["asked_at"] == when and row["answer"] is None
    assert audits(app) == [("zhangsan", "question.submit", f"TW-{question_id:06d}")]
    assert question(app, ask(app, "drifter"))["organization_id"] is None


@pytest.mark.parametrize(("text", "reason"), [
    ("", "empty"), ("   \n\t ", "empty"), ("问" * 501, "too_long"),
])
def test_bad_questions_write_nothing(app: Flask, people, text: str, reason: str):
    """Is an empty, blank or over-long question refused with its reason and nothing written?"""
    before = written(app)
    with app.app_context():
        with pytest.raises(box.QuestionError) as caught:
            box.submit(find_member("zhangsan"), text, shanghai("2026-11-25 10:00"))
        db.session.rollback()
    assert caught.value.reason == reason
    if reason == "too_long":
        assert (caught.value.length, caught.value.limit) == (501, box.MAX_QUESTION)
    assert written(app) == before


@pytest.mark.parametrize("text", [
    "问" * 500, "🙏🙏", "'; DROP TABLE questions; --", r"^(a+)+$ .* %_ \\", "<b>党费</b>",
])
def test_odd_but_real_questions_kept_verbatim(app: Flask, people, text: str):
    """Are 500 characters, emoji, SQL and regex metacharacters and markup kept as typed?"""
    assert question(app, ask(app, "zhangsan", text))["text"] == text


def test_answer_once_and_a_second_is_refused(app: Flask, people):
    """Does the first answer stick, and a second (a stale page) fail without changing it?"""
    question_id = ask(app, "zhangsan")
    answer(app, question_id, "按月工资收入的比例交纳。", shanghai("2026-11-26 09:00"))
    with app.app_context():
        row = db.session.get(Question, question_id)
        with pytest.raises(box.QuestionError) as caught:
            box.answer(row, "另一个答复", "联络员甲", "c-here", shanghai("2026-11-26 09:05"))
        db.session.rollback()
    assert caught.value.reason == "already_answered"
    row = question(app, question_id)
    assert row["answer"] == "按月工资收入的比例交纳。" and row["answered_by"] == "管理员甲"
    assert row["answered_at"] == shanghai("2026-11-26 09:00")
    assert [a[1] for a in audits(app)] == ["question.submit", "question.answer"]


@pytest.mark.parametrize(("text", "reason"), [("", "empty"), ("答" * 2001, "too_long")])
def test_bad_answers_write_nothing(app: Flask, people, text: str, reason: str):
    """Is an empty or over-long answer refused and the question left open?"""
    question_id = ask(app, "zhangsan")
    with app.app_context():
        with pytest.raises(box.QuestionError) as caught:
            box.answer(db.session.get(Question, question_id), text, "甲", "c-admin",
                       shanghai("2026-11-26 09:00"))
        db.session.rollback()
    assert caught.value.reason == reason
    assert question(app, question_id)["status"] == QuestionStatus.OPEN


def test_edit_replaces_the_answer_seen_and_keeps_the_first_answer_time(app: Flask, people):
    """Does an edit of the answer the editor saw replace it (editor named, first answer time
    kept), an unchanged text save nothing, and a stale version be refused?"""
    question_id = ask(app, "zhangsan")
    answer(app, question_id, "旧答复", shanghai("2026-11-26 09:00"))
    with app.app_context():
        row = db.session.get(Question, question_id)
        seen = box.version(row)
        assert box.edit(row, "旧答复", seen, "乙", "c-here", shanghai("2026-11-26 10:00")) is False
        assert box.edit(row, "新答复\r\n第二行", seen, "联络员甲", "c-here",
                        shanghai("2026-11-26 11:00")) is True
        db.session.commit()
        with pytest.raises(box.QuestionError) as caught:
            box.edit(row, "第三版", seen, "丙", "c-other", shanghai("2026-11-26 12:00"))
        db.session.rollback()
    assert caught.value.reason == "changed"
    row = question(app, question_id)
    assert row["answer"] == "新答复\n第二行" and row["answered_by"] == "联络员甲"
    assert row["answered_at"] == shanghai("2026-11-26 09:00")
    assert row["edited_at"] == shanghai("2026-11-26 11:00")
    assert [a[1] for a in audits(app)][-1] == "question.edit"


def test_an_open_question_cannot_be_edited_or_published(app: Flask, people):
    """Are edit and publish of an unanswered question refused with not_answered?"""
    question_id = ask(app, "zhangsan")
    with app.app_context():
        row = db.session.get(Question, question_id)
        for act in (lambda: box.edit(row, "x", box.version(row), "甲", "a", shanghai(
                        "2026-11-26 09:00")),
                    lambda: box.publish(row, "a", shanghai("2026-11-26 09:00"))):
            with pytest.raises(box.QuestionError) as caught:
                act()
            assert caught.value.reason == "not_answered"
        db.session.rollback()
    assert question(app, question_id)["published"] is False


def test_publish_and_unpublish_change_the_library_stamp(app: Flask, people):
    """Do publish and unpublish happen once each, list the question in the 问答库 and change
    the stamp an index watches (an edit of a published answer too)?"""
    first, second = ask(app, "zhangsan"), ask(app, "zhaoliu", "三会一课是什么？")
    answer(app, first)
    answer(app, second, "支部党员大会、支委会、党小组会和党课。")
    with app.app_context():
        empty = box.published_stamp()
        row = db.session.get(Question, first)
        assert box.publish(row, "c-admin", shanghai("2026-11-27 09:00")) is True
        assert box.publish(row, "c-admin", shanghai("2026-11-27 09:01")) is False
        db.session.commit()
        one = box.published_stamp()
        assert [q.id for q in box.published_questions()] == [first]
        box.edit(row, "修正后的答复", box.version(row), "甲", "c-admin",
                 shanghai("2026-11-27 10:00"))
        db.session.commit()
        edited = box.published_stamp()
        assert box.unpublish(row, "c-admin") is True
        assert box.unpublish(row, "c-admin") is False
        db.session.commit()
        assert box.published_questions() == []
        assert len({empty, one, edited}) == 3 and box.published_stamp()[0] == 0
    assert [a[1] for a in audits(app)].count("question.publish") == 1
    assert [a[1] for a in audits(app)].count("question.unpublish") == 1


def test_deadline_is_the_end_of_the_third_committee_day():
    """Is a question asked Monday at 23:59 or 00:01 (Shanghai) due by Thursday's end, and does
    it become overdue on Friday's first minute?"""
    for asked in ("2026-11-23 00:01", "2026-11-23 23:59"):
        assert figures.deadline(shanghai(asked)) == shanghai("2026-11-27 00:00")
    asked_at = shanghai("2026-11-23 23:59")
    assert asked_at >= figures.overdue_before(shanghai("2026-11-26 23:59"))
    assert asked_at < figures.overdue_before(shanghai("2026-11-27 00:01"))


def test_figures_on_the_committee_clock(app: Flask, people, travel):
    """This month's questions, those answered within 3 days over those due, and the open ones,
    with the month cut in Shanghai (1 Dec 00:30 is still 30 Nov in UTC) and per org."""
    travel("2026-12-05 10:00")
    orgs = _orgs(app)
    late = ask(app, "zhangsan", "上月底的问题", shanghai("2026-11-30 23:59"))  # last month
    in_time = ask(app, "zhangsan", "一", shanghai("2026-12-01 00:30"))
    answer(app, in_time, when=shanghai("2026-12-04 23:59"))
    slow = ask(app, "zhaoliu", "二", shanghai("2026-12-01 08:30"))
    answer(app, slow, when=shanghai("2026-12-05 00:01"))
    ask(app, "zhaoliu", "三", shanghai("2026-12-01 09:00"))  # open, overdue
    ask(app, "zhangsan", "四", shanghai("2026-12-04 09:00"))  # open, not due yet
    with app.app_context():
        whole = figures.figures(None, shanghai("2026-12-05 10:00"))
        huaxin = figures.figures(frozenset({orgs[HUAXIN]}), shanghai("2026-12-05 10:00"))
        none = figures.figures(frozenset(), shanghai("2026-12-05 10:00"))
    assert (whole.asked, whole.in_time, whole.due, whole.waiting, whole.overdue) == (4, 1, 3, 3, 2)
    assert whole.percent == 33.3
    assert (huaxin.asked, huaxin.in_time, huaxin.due, huaxin.waiting, huaxin.overdue) == (
        2, 1, 1, 2, 1)
    assert (none.asked, none.waiting, none.percent) == (0, 0, None)
    assert question(app, late)["status"] == QuestionStatus.OPEN


def test_mine_lists_newest_first(app: Flask, people):
    """Does box.mine give the member's latest questions first, with the total?"""
    start = shanghai("2026-11-20 09:00")
    ids = [ask(app, "zhangsan", f"问题{n}", start + timedelta(hours=n)) for n in range(3)]
    ask(app, "zhaoliu", "别人的问题", start)
    with app.app_context():
        rows, total = box.mine(find_member("zhangsan").id, 2)
        assert [r.id for r in rows] == [ids[2], ids[1]] and total == 3
