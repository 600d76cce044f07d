"""Does a broadcast reach the chosen branches' group chats too, once each, chosen in chat or
the CLI, with the groups counted in the summary?"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot import keys
from bot.extensions import redis_store
from broadcasts.groups import GIVE_UP_ERROR, register_robot, take_slot
from broadcasts.jobs import broadcast_tick
from models import AuditEntry, Broadcast, BroadcastStatus, GroupMessage, Member, db, utcnow
from roster.demo import named_committee, seed_roster
from roster.manage import find_organization, grant_role, revoke_role
from sandbox.server import SandboxServer

ADMIN = "chenjing"

KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def test_broadcast_to_members_and_a_group_chat(app: Flask, sandbox: SandboxServer):
    """Does `broadcast send --group` message every member once and the group chat once?"""
    sandbox.state.add_robot(KEY)
    with app.app_context():
        seed_roster(named_committee())
        robot = register_robot("华芯党支部群", KEY, "test")
        db.session.commit()
        robot_id = robot.id
    result = app.test_cli_runner().invoke(args=[
        "broadcast", "send", "--text", "明天上午9点召开冬训动员会", "--all",
        "--group", str(robot_id)])
    assert result.exit_code == 0, result.output
    assert [m["content"]["content"] for m in sandbox.state.inbox_since("lina")] == [
        "明天上午9点召开冬训动员会"]
    assert len(sandbox.state.robots[KEY]) == 1
    bad = app.test_cli_runner().invoke(args=["broadcast", "send", "--text", "x", "--all",
                                             "--group", "999"])
    assert bad.exit_code != 0 and "no active group robot 999" in bad.output


KEY_B = "0b5c2d44-1f9e-4c0b-8a3e-7d6f5e4c3b2a"
NOTICE = "冬训动员会改到三楼会议室"


@pytest.fixture
def robots(app: Flask, sandbox: SandboxServer) -> tuple[int, int]:
    """The named committee and two robots: 华芯's group (its org) and one with no org."""
    sandbox.state.add_robot(KEY)
    sandbox.state.add_robot(KEY_B)
    with app.app_context():
        seed_roster(named_committee())
        first = register_robot("华芯党支部群", KEY, "test", find_organization("华芯微电子党支部"))
        second = register_robot("二支部群", KEY_B, "test")
        db.session.commit()
        return first.id, second.id


def the_broadcast(app: Flask) -> Broadcast:
    """The one broadcast, detached."""
    with app.app_context():
        row = db.session.scalars(select(Broadcast)).one()
        db.session.expunge(row)
        return row


def summaries(sandbox: SandboxServer, userid: str = ADMIN) -> list[str]:
    """The summaries the sender got."""
    texts = [(m["content"] or {}).get("content", "") for m in sandbox.state.inbox_since(userid)]
    return [t for t in texts if "已完成" in t or "未能全部发出" in t]


def to_groups(send_text, answer: str, audience: str = "1", sender: str = ADMIN) -> str:
    """群发 → text → audience (asks for groups) → the answer to the group question."""
    send_text(sender, "群发")
    send_text(sender, NOTICE)
    assert send_text(sender, audience).text.startswith("同时发到群聊吗？")
    return send_text(sender, answer).text


def test_groups_chosen_in_chat(app: Flask, robots, send_text, sandbox: SandboxServer):
    """Are robots offered, bad answers re-asked, the chosen groups sent once and counted?"""
    first, second = robots
    send_text(ADMIN, "群发")
    send_text(ADMIN, NOTICE)
    ask = send_text(ADMIN, "1").text
    assert f"{first}.华芯党支部群" in ask and f"{second}.二支部群" in ask
    assert "请回复群编号" in send_text(ADMIN, "都发吧").text
    assert "没有编号为 99 的群聊" in send_text(ADMIN, f"{first} 99").text
    reply = send_text(ADMIN, f"{first}，{second} {first}").text
    assert reply.startswith("将发给 5 人和 2 个群聊。预览已发给您。")
    assert sandbox.state.robots[KEY] == []  # nothing before 确认
    assert "已开始发送" in send_text(ADMIN, "确认").text
    for key in (KEY, KEY_B):
        assert [m["content"]["content"] for m in sandbox.state.robots[key]] == [NOTICE]
    assert [m["content"]["content"] for m in sandbox.state.inbox_since("lina")] == [NOTICE]
    [summary] = summaries(sandbox)
    assert "已发送 5 人" in summary and "群聊 2 个：已发送 2 个，发送失败 0 个。" in summary
    row = the_broadcast(app)
    assert row.robot_ids == [first, second] and row.status == BroadcastStatus.SENT
    assert [g["status"] for g in row.summary["groups"]] == ["sent", "sent"]
    with app.app_context():
        sent = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "broadcast.send")).one()
        assert sent.detail["groups"] == [first, second]
        assert db.session.scalar(select(func.count()).select_from(GroupMessage)) == 2
    assert "群聊已发2/2" in send_text(ADMIN, "群发记录").text
    recalled = send_text(ADMIN, f"撤回 {row.number}").text
    assert "已撤回" in recalled and "发到群聊的 2 条消息由群机器人发出，无法撤回" in recalled


def test_no_groups_or_all(app: Flask, robots, send_text, sandbox: SandboxServer):
    """Does 不用 send to members only (the issue's preview), and 全部 to every robot?"""
    assert to_groups(send_text, "不用") == (
        "将发给 5 人。预览已发给您。回复“确认”发送，“定时 明早8点”稍后发送，“取消”放弃。")
    send_text(ADMIN, "确认")
    assert sandbox.state.calls_to("webhook/send") == []
    assert "群聊" not in summaries(sandbox)[0]
    assert "将发给 1 人和 2 个群聊" in to_groups(send_text, "全部", "4 书记")
    send_text(ADMIN, "确认")
    assert len(sandbox.state.calls_to("webhook/send")) == 2


def test_contact_groups_and_recheck_at_confirm(app: Flask, robots, send_text,
                                               sandbox: SandboxServer):
    """Does a contact see only their organisation's robot, and lose it at 确认 with the org?"""
    first, second = robots
    app.config["BROADCAST_CONTACTS"] = True
    send_text("lina", "群发")
    send_text("lina", NOTICE)
    ask = send_text("lina", "2 华芯微电子党支部").text
    assert f"{first}.华芯党支部群" in ask and "二支部群" not in ask
    assert "没有编号为" in send_text("lina", str(second)).text
    assert "将发给 2 人和 1 个群聊" in send_text("lina", "全部").text
    with app.app_context():  # meanwhile lina becomes the contact of another branch
        lina = db.session.scalars(select(Member).where(Member.userid == "lina")).one()
        revoke_role(lina, "contact", find_organization("华芯微电子党支部"))
        grant_role(lina, "contact", find_organization("锡东精密机械党支部"))
        db.session.commit()
    assert "只能群发给" in send_text("lina", "确认").text
    with app.app_context():
        assert db.session.scalars(select(Broadcast)).all() == []
    assert sandbox.state.calls_to("webhook/send") == []


def test_summary_counts_a_failed_group(app: Flask, robots, send_text, sandbox: SandboxServer):
    """A robot removed from its group (93000): does the summary say which group failed?"""
    _, second = robots
    sandbox.state.robots.pop(KEY_B)
    to_groups(send_text, "全部")
    send_text(ADMIN, "确认")
    [summary] = summaries(sandbox)
    assert "群聊 2 个：已发送 1 个，发送失败 1 个。未发出的群：二支部群" in summary
    row = the_broadcast(app)
    assert row.status == BroadcastStatus.SENT
    failed = [g for g in row.summary["groups"] if g["status"] == "failed"]
    assert [g["robot_id"] for g in failed] == [second] and "93000" in failed[0]["error"]


def fill_window(app: Flask, robot_id: int) -> None:
    """Use up the robot's 20 messages of this minute."""
    with app.app_context():
        for _ in range(20):
            assert take_slot(redis_store.client, robot_id, time.time())


def test_summary_waits_for_the_rate_window(app: Flask, robots, send_text,
                                          sandbox: SandboxServer):
    """With the robot at 20/min, does the summary wait, and the tick send it once later?"""
    first, _ = robots
    fill_window(app, first)
    to_groups(send_text, str(first))
    send_text(ADMIN, "确认")
    assert [m["content"]["content"] for m in sandbox.state.inbox_since("zhangwei")] == [NOTICE]
    assert sandbox.state.robots[KEY] == [] and summaries(sandbox) == []
    assert the_broadcast(app).status == BroadcastStatus.SENDING
    with app.app_context():
        broadcast_tick()  # still within the minute: nothing
    assert sandbox.state.robots[KEY] == [] and summaries(sandbox) == []
    with app.app_context():
        redis_store.client.delete(keys.robot_window(first))  # the minute has passed
        broadcast_tick()
        broadcast_tick()
    assert len(sandbox.state.robots[KEY]) == 1
    [summary] = summaries(sandbox)
    assert "群聊 1 个：已发送 1 个，发送失败 0 个。" in summary
    assert the_broadcast(app).status == BroadcastStatus.SENT


def test_group_given_up_after_an_hour(app: Flask, robots, send_text, sandbox: SandboxServer):
    """A group message still waiting an hour later: is it failed and the summary sent?"""
    first, _ = robots
    fill_window(app, first)
    to_groups(send_text, str(first))
    send_text(ADMIN, "确认")
    with app.app_context():
        row = db.session.scalars(select(Broadcast)).one()
        row.send_at = utcnow() - timedelta(minutes=61)
        db.session.commit()
        broadcast_tick()
    [summary] = summaries(sandbox)
    assert "发送失败 1 个。未发出的群：华芯党支部群" in summary
    assert sandbox.state.robots[KEY] == []
    with app.app_context():
        message = db.session.scalars(select(GroupMessage)).one()
        assert message.status == "failed" and message.error == GIVE_UP_ERROR


def test_scheduled_broadcast_reaches_groups_at_the_tick(app: Flask, robots, send_text,
                                                        sandbox: SandboxServer):
    """定时 with group chats: is nothing sent before the time, and each group once after?"""
    to_groups(send_text, "全部")
    assert "已定时" in send_text(ADMIN, "定时 明天上午8点").text
    with app.app_context():
        broadcast_tick()
        assert sandbox.state.calls_to("webhook/send") == []
        row = db.session.scalars(select(Broadcast)).one()
        row.send_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        broadcast_tick()
        broadcast_tick()
    assert [len(sandbox.state.robots[key]) for key in (KEY, KEY_B)] == [1, 1]
    [summary] = summaries(sandbox)
    assert "群聊 2 个：已发送 2 个" in summary


def test_many_robots_fit_one_reply(app: Flask, robots, send_text):
    """With 80 robots, does the question stay within WeCom's 2,048 bytes, saying how many
    more there are, and can an unlisted one still be chosen by number?"""
    with app.app_context():
        extra = [register_robot(f"第{n:03d}号非公企业联合党支部工作群", f"key-{n:05d}-abcdef",
                                "test").id for n in range(78)]
        db.session.commit()
    send_text(ADMIN, "群发")
    send_text(ADMIN, NOTICE)
    ask = send_text(ADMIN, "1").text
    assert len(ask.encode()) <= 2048
    listed = ask.count("工作群")
    assert 0 < listed < 78 and f"另有 {80 - 2 - listed} 个群未列出" in ask
    assert f"{extra[-1]}." not in ask
    assert "将发给 5 人和 1 个群聊" in send_text(ADMIN, str(extra[-1])).text
