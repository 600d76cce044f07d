"""Can members apply to be red lecturers, and do admins approve or decline them as promised?"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from content import followup_texts as texts
from content.texts import local_time
from lectures import rounds
from lectures.applications import next_batch
from models import AuditEntry, LecturerApplication, Member, RoleGrant, db, utcnow
from roster.manage import grant_role
from sandbox.server import SandboxServer

EXPERIENCE = "在社区党校讲过三年党课，带过青年理论学习小组。"


@pytest.fixture
def people(app: Flask, make_member) -> dict[str, Member]:
    """An admin, a member who applies, a lecturer of the third batch, and the fourth batch's
    round of applications open."""
    found = {
        "admin": make_member("admin1", "管理员", roles=("admin",)),
        "member": make_member("zhangsan", "张三", org="华芯党支部"),
        "lecturer": make_member("wangli", "王立"),
    }
    with app.app_context():
        grant_role(db.session.get(Member, found["lecturer"].id), "lecturer", batch=3,
                   specialties="党史")
        rounds.open_round("admin1", "第四批红色讲师报名", rounds.next_batch(), utcnow())
        db.session.commit()
    return found


def applications(app: Flask) -> list[LecturerApplication]:
    """Every application, detached."""
    with app.app_context():
        rows = list(db.session.scalars(select(LecturerApplication)
                                       .order_by(LecturerApplication.id)))
        db.session.expunge_all()
        return rows


def apply(send_text, userid: str = "zhangsan") -> str:
    """The whole 讲师报名 conversation; returns the last reply."""
    send_text(userid, "讲师报名")
    send_text(userid, "党史、理论")
    send_text(userid, EXPERIENCE)
    send_text(userid, "新时代的红色精神")
    return send_text(userid, "确认").text


def test_application_conversation(app: Flask, people, send_text, sandbox: SandboxServer):
    """讲师报名 → specialties → experience (too short: asked again) → topic → 确认."""
    assert "第4批" in send_text("zhangsan", "讲师报名").text
    assert send_text("zhangsan", "党史、理论").text == texts.ASK_EXPERIENCE.format(min_chars=10)
    assert send_text("zhangsan", "讲过").text == texts.APPLY_TOO_SHORT.format(min_chars=10)
    assert send_text("zhangsan", EXPERIENCE).text == texts.ASK_SAMPLE_TOPIC
    confirm = send_text("zhangsan", "新时代的红色精神").text
    assert "第4批" in confirm and "党史、理论" in confirm and EXPERIENCE in confirm
    assert send_text("zhangsan", "好的").text == texts.APPLY_CONFIRM_AGAIN
    assert send_text("zhangsan", "确认").text == texts.APPLY_SUBMITTED.format(batch=4)
    [row] = applications(app)
    assert (row.specialties, row.experience, row.sample_topic, row.batch, row.status) == (
        "党史、理论", EXPERIENCE, "新时代的红色精神", 4, "pending")
    [notice] = sandbox.state.inbox_since("admin1")
    assert "张三（zhangsan，华芯党支部）" in notice["content"]["content"]
    assert f"报名编号 {row.id}" in notice["content"]["content"]


def test_one_pending_application(app: Flask, people, send_text):
    """A second 讲师报名 while one waits, or from a lecturer, is refused."""
    apply(send_text)
    assert "您已提交讲师报名（第4批" in send_text("zhangsan", "讲师报名").text
    assert send_text("wangli", "讲师报名").text == texts.ALREADY_LECTURER
    assert send_text("zhangsan", "确认").text != texts.APPLY_SUBMITTED.format(batch=4)
    assert len(applications(app)) == 1


def test_cancel_leaves_nothing(app: Flask, people, send_text):
    """取消 half way: no application."""
    send_text("zhangsan", "讲师报名")
    send_text("zhangsan", "党史")
    send_text("zhangsan", "取消")
    assert applications(app) == []


def test_first_batch(app: Flask, make_member):
    """With no lecturers yet, applications are for batch 1."""
    with app.app_context():
        assert next_batch() == 1


def test_approve_grants_the_role(app: Flask, people, send_text, sandbox: SandboxServer):
    """lectures approve ID --batch 5: the lecturer role with batch and specialties, audited."""
    apply(send_text)
    [row] = applications(app)
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["lectures", "applications"]).output
    assert f"{row.id}\tpending\tbatch 4\tzhangsan 张三" in listing
    result = runner.invoke(args=["lectures", "approve", str(row.id), "--batch", "5"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        grant = db.session.scalars(select(RoleGrant).where(
            RoleGrant.member_id == people["member"].id, RoleGrant.role == "lecturer")).one()
        assert (grant.batch, grant.specialties) == (5, "党史、理论")
        audit = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "lecturer_application.approve")).one()
        assert audit.detail["batch"] == 5 and audit.actor.startswith("cli:")
    assert applications(app)[0].status == "approved"
    notice = sandbox.state.inbox_since("zhangsan")[-1]["content"]["content"]
    assert notice == texts.APPLY_APPROVED.format(batch=5, specialties="党史、理论")
    again = runner.invoke(args=["lectures", "approve", str(row.id)])
    assert again.exit_code != 0 and "already approved" in again.output
    assert "没有找到订单" in send_text("zhangsan", "人数 DD-2026-0001 30").text  # now a lecturer
    with app.app_context():
        assert next_batch() == 6


def test_decline_tells_why(app: Flask, people, send_text, sandbox: SandboxServer):
    """lectures decline ID --reason: declined, the member told why, audited; no role."""
    apply(send_text)
    [row] = applications(app)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["lectures", "decline", str(row.id)]).exit_code != 0
    result = runner.invoke(args=["lectures", "decline", str(row.id), "--reason", "本批已满"])
    assert result.exit_code == 0, result.output
    [declined] = applications(app)
    assert (declined.status, declined.decision_note) == ("declined", "本批已满")
    notice = sandbox.state.inbox_since("zhangsan")[-1]["content"]["content"]
    assert notice == texts.APPLY_DECLINED.format(batch=4, reason="本批已满")
    with app.app_context():
        assert db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.action == "lecturer_application.decline")).one()
        assert not db.session.get(Member, people["member"].id).has_role("lecturer")
    missing = runner.invoke(args=["lectures", "approve", "999"])
    assert missing.exit_code != 0 and "no application 999" in missing.output
    # once decided, the member may apply again
    assert apply(send_text) == texts.APPLY_SUBMITTED.format(batch=4)


def _close_round(app: Flask) -> None:
    with app.app_context():
        found = rounds.current_round()
        assert found is not None
        rounds.close_round("admin1", found.id, utcnow())
        db.session.commit()


def test_no_round_open(app: Flask, make_member, send_text):
    """With no round ever opened, 讲师报名 says applications are not open and starts nothing."""
    make_member("zhangsan", "张三", org="华芯党支部")
    assert send_text("zhangsan", "讲师报名").text == texts.APPLY_CLOSED
    assert send_text("zhangsan", "党史").text != texts.ASK_EXPERIENCE.format(min_chars=10)
    assert applications(app) == []


def test_round_closed(app: Flask, people, send_text):
    """Once the round is closed, 讲师报名 names it and when it closed; a conversation begun
    before is refused at 确认 with the same answer, and nothing is stored."""
    send_text("zhangsan", "讲师报名")
    send_text("zhangsan", "党史、理论")
    send_text("zhangsan", EXPERIENCE)
    send_text("zhangsan", "新时代的红色精神")
    _close_round(app)
    with app.app_context():
        ended = rounds.last_closed()
        assert ended is not None and ended.closed_at is not None
        closed = texts.APPLY_CLOSED_SINCE.format(name="第四批红色讲师报名",
                                                 date=local_time(ended.closed_at))
    assert send_text("zhangsan", "确认").text == closed
    assert applications(app) == []
    assert send_text("zhangsan", "讲师报名").text == closed
    assert "第四批红色讲师报名已于" in closed


def test_application_is_for_the_rounds_batch(app: Flask, people, send_text):
    """The open round's batch, not the next one, is what members apply for and what is stored
    (with the round)."""
    _close_round(app)
    with app.app_context():
        found = rounds.open_round("admin1", "第七批红色讲师报名", 7, utcnow())
        db.session.commit()
        round_id = found.id
    assert "第7批" in send_text("zhangsan", "讲师报名").text
    send_text("zhangsan", "党史、理论")
    send_text("zhangsan", EXPERIENCE)
    assert "第7批" in send_text("zhangsan", "新时代的红色精神").text
    assert send_text("zhangsan", "确认").text == texts.APPLY_SUBMITTED.format(batch=7)
    [row] = applications(app)
    assert (row.batch, row.details) == (7, {"round": round_id})


def test_one_open_round(app: Flask, people):
    """A second round cannot be opened while one is (nothing written)."""
    with app.app_context():
        with pytest.raises(rounds.RoundError) as refused:
            rounds.open_round("admin1", "第五批红色讲师报名", 5, utcnow())
        assert refused.value.reason == "open"
        db.session.rollback()
        assert len(rounds.recent_rounds()) == 1
