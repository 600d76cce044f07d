"""Can admins compose, preview, schedule, list, recall and cancel broadcasts in chat?"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from broadcasts import sending
from broadcasts.jobs import broadcast_tick
from models import (
    AuditEntry,
    Broadcast,
    BroadcastStatus,
    OutboundMessage,
    Tag,
    db,
    utcnow,
)
from roster.demo import named_committee, seed_roster
from sandbox.server import SandboxServer
from tests.helpers import written
from tests.study_helpers import make_library

ADMIN, MEMBERS = "chenjing", ("zhangwei", "lina", "wangfang", "liuyang", "chenjing")


@pytest.fixture
def world(app: Flask) -> dict[str, int]:
    """The named committee (5 members, chenjing admin, lina contact) and a small library."""
    with app.app_context():
        seed_roster(named_committee())
        db.session.commit()
    return make_library(app)


def broadcasts(app: Flask) -> list[Broadcast]:
    """Every broadcast, detached."""
    with app.app_context():
        rows = list(db.session.scalars(select(Broadcast).order_by(Broadcast.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def compose(send_text, text: str = "明天上午9点开会", to: str = "1") -> str:
    """群发 → content → audience; the bot's last answer."""
    assert "发什么" in send_text(ADMIN, "群发").text
    assert "发给谁" in send_text(ADMIN, text).text
    return send_text(ADMIN, to).text


def test_send_to_everyone(app: Flask, world, send_text, sandbox: SandboxServer):
    """Does 确认 send once to every member, with a preview before and a summary after?"""
    assert "将发给 5 人。预览已发给您" in compose(send_text)
    assert len(sandbox.state.inbox_since(ADMIN)) == 1  # the preview
    reply = send_text(ADMIN, "确认").text
    row = broadcasts(app)[0]
    assert reply == f"已开始发送，编号 {row.number}。完成后告诉您结果。"
    assert row.number.startswith("QF-") and row.status == BroadcastStatus.SENT
    assert row.summary["sent"] == 5 and row.summary["invalid"] == 0
    for userid in MEMBERS:
        texts = [m["content"]["content"] for m in sandbox.state.inbox_since(userid)]
        assert texts.count("明天上午9点开会") == (2 if userid == ADMIN else 1)
    assert "已完成" in sandbox.state.inbox_since(ADMIN)[-1]["content"]["content"]
    send_text(ADMIN, "确认")  # a second 确认: nothing more
    assert len(broadcasts(app)) == 1


def test_role_on_the_same_line_and_material(app: Flask, world, send_text,
                                            sandbox: SandboxServer):
    """Does "4 书记" reach contacts only, and 材料 N go as news with a member-free link?"""
    assert "将发给 1 人" in compose(send_text, f"材料 {world['shoudaoren']}", "4 书记")
    send_text(ADMIN, "确认")
    news = sandbox.state.inbox_since("lina")[-1]
    assert news["msgtype"] == "news" and "/r/" in news["content"]["articles"][0]["url"]
    assert sandbox.state.inbox_since("zhangwei") == []


def test_material_as_a_text_card(app: Flask, world, send_text, sandbox: SandboxServer):
    """Does "材料 N 卡片" go as a textcard with the tracked link, and a bad one get the usage?"""
    send_text(ADMIN, "群发")
    assert "材料 12 卡片" in send_text(ADMIN, "材料 十二").text
    assert "发给谁" in send_text(ADMIN, f"材料 {world['zhangcheng']} 卡片").text
    send_text(ADMIN, "4 书记")
    send_text(ADMIN, "确认")
    card = sandbox.state.inbox_since("lina")[-1]
    assert card["msgtype"] == "textcard" and "/r/" in card["content"]["url"]
    result = app.test_cli_runner().invoke(args=[
        "broadcast", "send", "--material", "shoudaoren", "--type", "textcard", "--role",
        "lecturer"])
    assert result.exit_code == 0, result.output
    assert sandbox.state.inbox_since("liuyang")[-1]["msgtype"] == "textcard"


def test_org_by_name_uses_toparty(app: Flask, world, send_text, sandbox: SandboxServer):
    """Is one WeCom department sent by toparty, after asking for the name?"""
    send_text(ADMIN, "群发")
    send_text(ADMIN, "支部通知")
    assert "党组织名称" in send_text(ADMIN, "2").text
    assert "将发给 2 人" in send_text(ADMIN, "华芯微电子党支部").text
    send_text(ADMIN, "确认")
    call = sandbox.state.calls_to("message/send")[-2]  # the broadcast, then the summary
    assert call.body["toparty"] == "2" and call.body["touser"] == ""
    assert broadcasts(app)[0].summary["sent"] == 2
    # The CLI names organisations by name too.
    result = app.test_cli_runner().invoke(args=[
        "broadcast", "send", "--text", "支部通知二", "--org", "华芯微电子党支部"])
    assert result.exit_code == 0, result.output
    assert sandbox.state.calls_to("message/send")[-1].body["toparty"] == "2"


def test_cli_names_the_closest_material_and_org(app: Flask, world):
    """Does `broadcast send` refuse a misspelt material or organisation in one line naming
    the closest, with nothing written?"""
    runner = app.test_cli_runner()
    before = written(app)
    for args, message in [
        (["--material", "zhangchen", "--all"],
         "no active material 'zhangchen'; did you mean: zhangcheng?"),
        (["--text", "支部通知", "--org", "华芯微电子"],
         "no organisation named '华芯微电子'; did you mean: 华芯微电子党支部"),
    ]:
        result = runner.invoke(args=["broadcast", "send", *args])
        assert result.exit_code != 0 and message in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
    assert written(app) == before


def test_bad_content_and_nobody(app: Flask, world, send_text):
    """Are empty and over-long content refused with the limit, and an empty audience too?"""
    send_text(ADMIN, "群发")
    assert "2048 字节" in send_text(ADMIN, "长" * 700).text
    assert "发给谁" in send_text(ADMIN, "markdown **通知**").text
    assert "找不到党组织" in send_text(ADMIN, "2 不存在党支部").text
    assert broadcasts(app) == []


def test_nobody(app: Flask, world, send_text, make_member):
    """An audience with no active member: is it said, and nothing created?"""
    with app.app_context():
        db.session.add(Tag(wecom_tag_id=77, name="空标签"))
        db.session.commit()
    assert "无人可发" in compose(send_text, "通知", "3 空标签")
    assert broadcasts(app) == []


def test_permissions(app: Flask, world, send_text):
    """Is 群发 refused to a plain member, and to a contact unless the setting allows it?"""
    assert "只对" in send_text("zhangwei", "群发").text
    assert "只对管理员开放" in send_text("lina", "群发").text
    app.config["BROADCAST_CONTACTS"] = True
    send_text("lina", "群发")
    assert "华芯微电子党支部" in send_text("lina", "通知").text
    assert "只能群发给" in send_text("lina", "2 锡东精密机械党支部").text
    assert "将发给 2 人" in send_text("lina", "2 华芯微电子党支部").text
    assert "只对" in send_text("zhangwei", "撤回 QF-2026-0001").text


def test_schedule_tick_and_cancel(app: Flask, world, send_text, sandbox: SandboxServer):
    """Does 定时 wait for the tick, send exactly once, and can a second one be cancelled?"""
    compose(send_text)
    assert "已定时" in send_text(ADMIN, "定时 明天上午8点").text
    compose(send_text, "第二条")
    send_text(ADMIN, "定时 明天上午9点")
    first, second = broadcasts(app)
    assert first.status == second.status == BroadcastStatus.SCHEDULED
    assert f"已取消定时群发 {second.number}" in send_text(ADMIN, f"取消群发 {second.number}").text
    with app.app_context():
        assert broadcast_tick() == 0
        row = db.session.get(Broadcast, first.id)
        row.send_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        assert broadcast_tick() == 1
        assert broadcast_tick() == 0
    assert broadcasts(app)[0].status == BroadcastStatus.SENT
    assert [m["content"].get("content") for m in sandbox.state.inbox_since("zhangwei")] == [
        "明天上午9点开会"]
    listing = send_text(ADMIN, "群发记录").text
    assert first.number in listing and "已取消" in listing and "已发送" in listing


def test_quota_refused(app: Flask, world, send_text):
    """Over members × 200 person-times today: is the broadcast refused, saying why?"""
    with app.app_context():
        db.session.add(OutboundMessage(touser="|".join(["x"] * 996),
                                       payload={"msgtype": "text", "text": {"content": "a"}},
                                       status="sent"))
        db.session.commit()
    compose(send_text)  # the preview to the admin counts too: 997 + 5 > 1000
    assert "超过今日群发额度" in send_text(ADMIN, "确认").text
    assert broadcasts(app) == []


def test_recall_and_too_late(app: Flask, world, send_text, sandbox: SandboxServer):
    """Is a broadcast recalled for everyone within 24 h, audited, and refused after?"""
    compose(send_text)
    send_text(ADMIN, "确认")
    compose(send_text, "第二条")
    send_text(ADMIN, "确认")
    first, second = broadcasts(app)
    assert "已撤回" in send_text(ADMIN, f"撤回 {first.number}").text
    assert sandbox.state.inbox_since("zhangwei")[0]["recalled"] is True
    assert sandbox.state.inbox_since("zhangwei")[1]["recalled"] is False
    with app.app_context():
        db.session.get(Broadcast, second.id).send_at = utcnow() - timedelta(hours=25)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "broadcast.recall")) == 1
    assert send_text(ADMIN, f"撤回 {second.number}").text == "已超过24小时，无法撤回"
    assert [b.status for b in broadcasts(app)] == [BroadcastStatus.RECALLED,
                                                   BroadcastStatus.SENT]
    with app.app_context():
        assert sending.find(first.number.lower()) is not None
