"""Do broadcasts reach branch group chats through their robots once each, 20 a minute at most?"""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import select

from bot.robot import MARKDOWN_BYTES, TEXT_BYTES, UnsupportedPayload, to_robot_message
from broadcasts.groups import (
    GroupRobotError,
    GroupSendResult,
    GroupsPending,
    list_robots,
    pending_broadcast_ids,
    register_robot,
    send_to_groups,
)
from broadcasts.jobs import send_groups_job
from models import AuditEntry, Broadcast, GroupMessage, GroupRobot, db, utcnow
from roster.manage import ensure_organization
from sandbox.server import SandboxServer

KEY_A = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
KEY_B = "0b5c2d44-1f9e-4c0b-8a3e-7d6f5e4c3b2a"
TEXT = {"msgtype": "text", "text": {"content": "明天上午9点在三楼召开冬训动员会。"}}


class Clock:
    """A settable clock for the rate window."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _robot(name: str, key: str, sandbox: SandboxServer | None = None) -> int:
    if sandbox is not None:
        sandbox.state.add_robot(key)
    robot = register_robot(name, key, "admin")
    db.session.commit()
    return robot.id


def _broadcast(robot_ids: list[int], payload: dict[str, Any] | None = None) -> Broadcast:
    broadcast = Broadcast(sender="admin", content_kind="text", payload=payload or TEXT,
                          audience={"kind": "groups"}, send_at=utcnow(), robot_ids=robot_ids)
    db.session.add(broadcast)
    db.session.commit()
    return broadcast


def _rows(broadcast_id: int) -> list[GroupMessage]:
    return list(db.session.scalars(select(GroupMessage).where(
        GroupMessage.broadcast_id == broadcast_id).order_by(GroupMessage.id)))


def test_register_list_and_duplicate_refused(app: Flask):
    """Is a robot registered (key or whole URL), listed, and a second use of its key refused?"""
    with app.app_context():
        org = ensure_organization("华芯微电子党支部")
        robot = register_robot("华芯支部群", KEY_A, "admin", org)
        db.session.commit()
        assert [r.id for r in list_robots()] == [robot.id]
        url = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY_A}"
        with pytest.raises(GroupRobotError, match="already registered"):
            register_robot("again", url, "admin")
        with pytest.raises(GroupRobotError, match="not a group robot webhook key"):
            register_robot("bad", "no key here!", "admin")
        other = register_robot("二支部群", f"https://x/cgi-bin/webhook/send?key={KEY_B}", "admin")
        assert other.webhook_key == KEY_B
        entry = db.session.scalars(select(AuditEntry)).first()
        assert entry.action == "robot.add" and KEY_A not in str(entry.detail)


def test_send_to_two_robots_once(app: Flask, sandbox: SandboxServer):
    """Does each robot get the broadcast once, and a second run send nothing?"""
    with app.app_context():
        ids = [_robot("一支部群", KEY_A, sandbox), _robot("二支部群", KEY_B, sandbox)]
        broadcast = _broadcast(ids)
        assert send_to_groups(broadcast) == GroupSendResult(sent=2)
        assert send_to_groups(broadcast) == GroupSendResult(sent=2)
        assert send_groups_job(broadcast.id) == {"sent": 2, "pending": 0, "failed": 0}
        assert len(sandbox.state.calls_to("webhook/send")) == 2
        for key in (KEY_A, KEY_B):
            [message] = sandbox.state.robots[key]
            assert message["content"] == TEXT["text"]
        assert all(row.sent_at and row.error is None for row in _rows(broadcast.id))


def test_twenty_a_minute_per_robot(app: Flask, sandbox: SandboxServer):
    """Of 21 broadcasts to one robot in a minute, do 20 go, and the last only a minute later?"""
    clock = Clock()
    with app.app_context():
        robot_id = _robot("一支部群", KEY_A, sandbox)
        results = [send_to_groups(_broadcast([robot_id]), clock=clock) for _ in range(21)]
        assert results[:20] == [GroupSendResult(sent=1)] * 20
        assert results[20] == GroupSendResult(pending=1)
        last = db.session.scalars(select(Broadcast).order_by(Broadcast.id.desc())).first()
        assert pending_broadcast_ids() == [last.id]
        with pytest.raises(GroupsPending):
            send_groups_job(last.id)
        assert len(sandbox.state.calls_to("webhook/send")) == 20  # never hammered
        clock.now += 61
        sandbox.state.advance(61)
        assert send_to_groups(last, clock=clock) == GroupSendResult(sent=1)
        assert len(sandbox.state.robots[KEY_A]) == 21
        assert pending_broadcast_ids() == []


def test_server_rate_limit_and_busy_keep_pending(app: Flask, sandbox: SandboxServer):
    """Does a 45009 leave the message pending (error noted) and -1 get retried with backoff?"""
    with app.app_context():
        broadcast = _broadcast([_robot("一支部群", KEY_A, sandbox)])
        sandbox.state.fail_next("webhook/send", 45009)
        assert send_to_groups(broadcast) == GroupSendResult(pending=1)
        assert "45009" in _rows(broadcast.id)[0].error
        sandbox.state.fail_next("webhook/send", -1, times=2)
        assert send_to_groups(broadcast) == GroupSendResult(sent=1)
        assert app.config["TEST_SLEEPS"] == [1, 2]
        assert len(sandbox.state.robots[KEY_A]) == 1


def test_removed_robot_fails_and_is_not_retried(app: Flask, sandbox: SandboxServer):
    """Does 93000 mark the message failed with the error, and is it never sent again?"""
    with app.app_context():
        gone = _robot("已解散群", KEY_B)  # not known to WeCom
        broadcast = _broadcast([_robot("一支部群", KEY_A, sandbox), gone])
        assert send_to_groups(broadcast) == GroupSendResult(sent=1, failed=1)
        failed = next(row for row in _rows(broadcast.id) if row.robot_id == gone)
        assert failed.status == "failed" and "93000" in failed.error and KEY_B not in failed.error
        assert send_groups_job(broadcast.id) == {"sent": 1, "pending": 0, "failed": 1}
        assert len(sandbox.state.calls_to("webhook/send")) == 2


def test_deactivated_robot_is_skipped(app: Flask, sandbox: SandboxServer):
    """Is a robot removed before sending marked failed without a call?"""
    runner = app.test_cli_runner()
    with app.app_context():
        broadcast = _broadcast([_robot("一支部群", KEY_A, sandbox)])
        robot_id = broadcast.robot_ids[0]
    assert runner.invoke(args=["robots", "remove", str(robot_id)]).exit_code == 0
    with app.app_context():
        assert send_to_groups(db.session.get(Broadcast, broadcast.id)).failed == 1
        assert sandbox.state.calls_to("webhook/send") == []


def test_payload_conversions():
    """Do text, markdown and news stay (within limits) and cards become markdown with a link?"""
    assert to_robot_message(TEXT) == TEXT
    long_text = to_robot_message({"msgtype": "text", "text": {"content": "党" * 1000}})
    assert len(long_text["text"]["content"].encode()) <= TEXT_BYTES
    long_md = to_robot_message({"msgtype": "markdown", "markdown": {"content": "课" * 2000}})
    assert len(long_md["markdown"]["content"].encode()) <= MARKDOWN_BYTES
    news = to_robot_message({"msgtype": "news", "news": {"articles": [
        {"title": "冬训材料", "url": "https://x/r/1", "picurl": "https://x/p.png",
         "appid": "wx1", "pagepath": "p"}] * 9}})
    assert len(news["news"]["articles"]) == 8
    assert news["news"]["articles"][0] == {"title": "冬训材料", "url": "https://x/r/1",
                                           "picurl": "https://x/p.png"}
    card = to_robot_message({"msgtype": "textcard", "textcard": {
        "title": "学习材料", "description": '<div class="gray">2026年1月</div>新思想 &amp; 新征程',
        "url": "https://x/r/abc", "btntxt": "阅读"}})
    assert card == {"msgtype": "markdown", "markdown": {
        "content": "**学习材料**\n2026年1月\n新思想 & 新征程\n[阅读](https://x/r/abc)"}}
    template = to_robot_message({"msgtype": "template_card", "template_card": {
        "card_type": "text_notice", "main_title": {"title": "通知", "desc": "冬训"},
        "sub_title_text": "请各支部书记参加", "card_action": {"type": 1, "url": "https://x/r/2"}}})
    assert template["markdown"]["content"] == (
        "**通知**\n冬训\n请各支部书记参加\n[查看详情](https://x/r/2)")
    with pytest.raises(UnsupportedPayload):
        to_robot_message({"msgtype": "image", "image": {"media_id": "m"}})


def test_converted_card_is_accepted_by_the_robot(app: Flask, sandbox: SandboxServer):
    """Does a textcard broadcast arrive in the group as markdown?"""
    payload = {"msgtype": "textcard", "textcard": {
        "title": "学习材料", "description": "新思想", "url": "https://x/r/abc"}}
    with app.app_context():
        broadcast = _broadcast([_robot("一支部群", KEY_A, sandbox)], payload)
        assert send_to_groups(broadcast).sent == 1
    [message] = sandbox.state.robots[KEY_A]
    assert message["msgtype"] == "markdown" and "(https://x/r/abc)" in message["content"]["content"]


def test_sandbox_webhook_checks(sandbox: SandboxServer):
    """Does the sandbox robot refuse unknown keys, bad types and oversized content?"""
    sandbox.state.reset()
    sandbox.state.add_robot(KEY_A)
    url = sandbox.base_url + "webhook/send"

    def post(key: str, body: dict[str, Any]) -> int:
        return requests.post(url, params={"key": key}, json=body, timeout=5).json()["errcode"]

    assert post(KEY_B, TEXT) == 93000
    assert post(KEY_A, {"msgtype": "textcard", "textcard": {}}) == 40008
    assert post(KEY_A, {"msgtype": "text", "text": {"content": "x" * 2049}}) == 45002
    assert post(KEY_A, {"msgtype": "markdown", "markdown": {"content": "x" * 4096}}) == 0
    assert post(KEY_A, {"msgtype": "news", "news": {"articles": []}}) == 45008
    assert [post(KEY_A, TEXT) for _ in range(20)].count(45009) == 1  # 21 in the minute
    assert len(sandbox.state.calls_to("webhook/send")) == 25


def test_cli_add_list_remove_audited(app: Flask):
    """Do `robots add|list|remove` work, refuse a duplicate and leave audit rows?"""
    runner = app.test_cli_runner()
    with app.app_context():
        ensure_organization("华芯微电子党支部")
        db.session.commit()
    result = runner.invoke(args=["robots", "add", "华芯支部群", KEY_A, "--org", "华芯微电子党支部"])
    assert result.exit_code == 0, result.output
    assert "registered" in result.output and KEY_A not in result.output
    again = runner.invoke(args=["robots", "add", "again", KEY_A])
    assert again.exit_code != 0 and "already registered" in again.output
    missing_org = runner.invoke(args=["robots", "add", "x", KEY_B, "--org", "无此支部"])
    assert missing_org.exit_code != 0 and "no organisation" in missing_org.output
    typo = runner.invoke(args=["robots", "add", "x", KEY_B, "--org", "华芯微电子支部"])
    assert typo.exit_code != 0
    assert "no organisation named '华芯微电子支部'; did you mean: 华芯微电子党支部?" in typo.output
    listed = runner.invoke(args=["robots", "list"])
    assert "华芯支部群\t华芯微电子党支部\t693a…5aaa" in listed.output
    with app.app_context():
        robot_id = db.session.scalars(select(GroupRobot.id)).one()
    assert runner.invoke(args=["robots", "remove", str(robot_id)]).exit_code == 0
    assert "no group robots registered" in runner.invoke(args=["robots", "list"]).output
    assert "removed" in runner.invoke(args=["robots", "list", "--all"]).output
    assert runner.invoke(args=["robots", "remove", str(robot_id)]).exit_code != 0
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
        assert actions == ["robot.add", "robot.remove"]
