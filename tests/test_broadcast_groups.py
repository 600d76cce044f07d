"""Does a broadcast reach the chosen branches' group chats too, once each?"""

from __future__ import annotations

from flask import Flask

from bot.sandbox.server import SandboxServer
from broadcasts.groups import register_robot
from models import db
from roster.demo import named_committee, seed_roster

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
