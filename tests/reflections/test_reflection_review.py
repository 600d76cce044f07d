"""Do reviewers (admins, contacts for their organisations) review reflections as promised?"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from content import review_texts as texts
from models import AuditEntry, Member, Reflection, ReflectionStatus, db, utcnow
from reflections import review
from sandbox.server import SandboxServer
from tests.helpers import written
from tests.reflections.reflection_helpers import make_reflection


def load(app: Flask, reflection_id: int) -> dict[str, Any]:
    """The review columns of a reflection, read afresh."""
    with app.app_context():
        row = db.session.get(Reflection, reflection_id)
        return {"status": row.status, "featured": row.featured, "reviewer_id": row.reviewer_id,
                "comment": row.review_comment, "reviewed": row.reviewed_at is not None}


def audits(app: Flask) -> list[tuple[str, str, str, dict]]:
    """Every audit row: actor, action, target, detail."""
    with app.app_context():
        return [(a.actor, a.action, a.target, a.detail)
                for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def inbox(sandbox: SandboxServer, userid: str) -> str:
    """Every text message/send delivered to the member, joined."""
    return "\n".join(m["content"]["content"] for m in sandbox.state.inbox_since(userid)
                     if m["msgtype"] == "text")


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """An admin, a contact of 华芯党支部, two of its members, and a member of 远景党支部."""
    return {
        "admin": make_member("admin1", "王管理", org="党委办公室", roles=("admin",)),
        "contact": make_member("lisi", "李四", org="华芯党支部", roles=("contact",)),
        "author": make_member("zhangsan", "张三", org="华芯党支部"),
        "plain": make_member("zhaoliu", "赵六", org="华芯党支部"),
        "other": make_member("wangwu", "王五", org="远景党支部"),
    }


def test_admin_features_and_author_is_told(app: Flask, people, send_text, sandbox):
    """Can an admin see the next reflection, feature it, and is the author told by message?"""
    rid, number = make_reflection(app, people["author"], text="守岛就是守国。" * 8, images=2)
    shown = send_text(people["admin"], "待审心得").text
    for part in (number, "张三", "华芯党支部", "《守岛人》", "共56字", "照片2张", "守岛就是守国。"):
        assert part in shown
    reply = send_text(people["admin"], "优秀").text
    assert reply.startswith(texts.DONE_FEATURE.format(number=number))
    assert texts.NONE_LEFT in reply
    assert load(app, rid) == {"status": "featured", "featured": True, "comment": None,
                              "reviewer_id": people["admin"].id, "reviewed": True}
    assert f"您的心得 {number}（《守岛人》）已被评为优秀心得" in inbox(sandbox, "zhangsan")
    [(actor, action, target, detail)] = audits(app)
    assert (actor, action, target, detail["verdict"]) == ("admin1", "reflection.review",
                                                         number, "feature")


def test_contact_reviews_only_own_organisations(app: Flask, people, send_text):
    """Is a contact offered only their organisation's reflections, and refused another's?"""
    _, other_number = make_reflection(app, people["other"], minutes_ago=120)
    _, number = make_reflection(app, people["author"], minutes_ago=60)
    assert number in send_text(people["contact"], "待审心得").text
    send_text(people["contact"], "取消")
    refused = send_text(people["contact"], f"待审心得 {other_number}").text
    assert refused == texts.OUT_OF_SCOPE.format(number=other_number)
    with app.app_context():
        contact = db.session.get(Member, people["contact"].id)
        other = review.find_by_number(other_number)
        assert not review.can_review(contact, other)
        with pytest.raises(review.ReviewError) as caught:
            review.review("lisi", contact, other, "feature", None, utcnow())
        assert caught.value.reason == "out_of_scope"
        assert other.status == ReflectionStatus.SUBMITTED
        assert review.can_review(contact, review.find_by_number(number))
    assert audits(app) == []


def test_plain_member_is_refused(app: Flask, people, send_text):
    """Is a plain member told that only admins and contacts review?"""
    make_reflection(app, people["author"])
    refusal = send_text(people["plain"], "待审心得").text
    assert "管理员" in refusal and "联络员" in refusal  # the router's role check
    assert audits(app) == []


def test_own_reflection_is_refused(app: Flask, people, make_member, send_text):
    """Is a reviewer never offered, nor allowed, their own reflection (admins included)?"""
    _, own = make_reflection(app, people["contact"])
    assert send_text(people["contact"], "待审心得").text == texts.NONE_LEFT
    assert send_text(people["contact"], f"待审心得 {own}").text == texts.OWN_REFLECTION
    _, admins_own = make_reflection(app, people["admin"])
    with app.app_context():
        admin = db.session.get(Member, people["admin"].id)
        with pytest.raises(review.ReviewError) as caught:
            review.review("admin1", admin, review.find_by_number(admins_own), "pass", None,
                          utcnow())
        assert caught.value.reason == "own"


def test_pass_and_return_with_reason(app: Flask, people, send_text, sandbox):
    """Are 通过 and 退回 理由 recorded and told; are other answers and a bare 退回 re-asked?"""
    first, first_number = make_reflection(app, people["author"], minutes_ago=90)
    second, second_number = make_reflection(app, people["plain"], minutes_ago=30)
    assert first_number in send_text(people["contact"], "待审心得").text
    assert send_text(people["contact"], "还行吧").text == texts.ASK_VERDICT
    reply = send_text(people["contact"], "通过 联系实际较好").text
    assert reply.startswith(texts.DONE_PASS.format(number=first_number))
    assert second_number in reply  # the next one follows at once
    assert send_text(people["contact"], "退回").text == texts.ASK_REASON
    reply = send_text(people["contact"], "退回：请结合本职工作谈体会").text
    assert reply == texts.DONE_RETURN.format(number=second_number) + "\n" + texts.NONE_LEFT
    assert load(app, first)["status"] == "reviewed"
    assert load(app, first)["comment"] == "联系实际较好"
    assert load(app, second)["status"] == "returned"
    assert load(app, second)["comment"] == "请结合本职工作谈体会"
    assert f"{first_number}（《守岛人》）已通过审阅" in inbox(sandbox, "zhangsan")
    told = inbox(sandbox, "zhaoliu")
    assert f"被退回：请结合本职工作谈体会。回复“修改 {second_number}”" in told
    assert [a[1] for a in audits(app)] == ["reflection.review", "reflection.review"]


def test_second_verdict_is_refused(app: Flask, people, send_text, sandbox):
    """When two reviewers open the same reflection, does only the first verdict count?"""
    rid, number = make_reflection(app, people["author"])
    assert number in send_text(people["contact"], "待审心得").text
    assert number in send_text(people["admin"], "待审心得").text
    send_text(people["contact"], "优秀")
    before = written(app)
    reply = send_text(people["admin"], "通过").text
    assert reply == texts.ALREADY_REVIEWED + "\n" + texts.NONE_LEFT
    assert written(app) == before
    assert load(app, rid)["status"] == "featured"
    assert load(app, rid)["reviewer_id"] == people["contact"].id
    assert len(sandbox.state.inbox_since("zhangsan")) == 1


def test_retried_verdict_counts_once(app: Flask, people, sim, sandbox):
    """Does WeCom's retry of 优秀 (same MsgId) review once and notify once?"""
    make_reflection(app, people["author"])
    sim.text("admin1", "待审心得")
    first = sim.text("admin1", "优秀", msg_id=424242)
    again = sim.text("admin1", "优秀", msg_id=424242)
    assert again.text == first.text
    assert len(audits(app)) == 1
    assert len(sandbox.state.inbox_since("zhangsan")) == 1


def test_find_by_number(app: Flask, people):
    """Is a number read forgivingly, but one with the wrong year or a bad shape not found?"""
    rid, number = make_reflection(app, people["author"])
    year = int(number[3:7])
    with app.app_context():
        assert review.find_by_number(f" {number.lower()} ").id == rid
        assert review.find_by_number(number.replace(str(year), str(year - 1))) is None
        assert review.find_by_number("123") is None


def test_cli_review_is_audited_and_told(app: Flask, people, sandbox):
    """Does `reflection review --feature` feature it, audit as cli:<user>, and tell the author?"""
    rid, number = make_reflection(app, people["author"])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reflection", "review", number, "--feature"])
    assert result.exit_code == 0, result.output
    assert load(app, rid)["status"] == "featured"
    [(actor, action, target, detail)] = audits(app)
    assert actor.startswith("cli:") and action == "reflection.review" and target == number
    assert detail["reviewer"] is None
    assert "已被评为优秀心得" in inbox(sandbox, "zhangsan")
    again = runner.invoke(args=["reflection", "review", number, "--pass"])
    assert again.exit_code != 0 and "already reviewed" in again.output
    assert load(app, rid)["status"] == "featured"


def test_cli_review_refuses_bad_input(app: Flask, people):
    """Are no verdict, two verdicts, an unknown number and a blank reason refused?"""
    rid, number = make_reflection(app, people["author"])
    runner = app.test_cli_runner()
    for args, message in [
        ([number], "exactly one"),
        ([number, "--feature", "--pass"], "exactly one"),
        (["XD-2026-999999", "--pass"], "no reflection"),
        ([number, "--return", " "], "needs a reason"),
    ]:
        result = runner.invoke(args=["reflection", "review", *args])
        assert result.exit_code != 0 and message in result.output
    assert load(app, rid)["status"] == "submitted"
    assert audits(app) == []
    result = runner.invoke(args=["reflection", "review", number, "--return", "字数不够"])
    assert result.exit_code == 0, result.output
    assert load(app, rid) == {"status": "returned", "featured": False, "reviewer_id": None,
                              "comment": "字数不够", "reviewed": True}
