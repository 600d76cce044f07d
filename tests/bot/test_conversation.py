"""Do multi-step conversations step, cancel, time out and survive failures as promised?"""

from __future__ import annotations

import pytest
from flask import Flask

from bot.context import Context
from bot.conversation import Flow
from bot.extensions import redis_store
from bot.replies import Reply, Text
from bot.router import Command, Commands
from content import texts


def ask_topic(ctx: Context) -> Reply:
    """Entry: start the flow."""
    ctx.start("survey", "topic")
    return Text("写什么主题？")


def got_topic(ctx: Context) -> Reply:
    """Step 1: remember the topic, ask for confirmation."""
    if not ctx.text:
        ctx.stay()
        return Text("请发送文字，例如：党史")
    ctx.goto("confirm", topic=ctx.text)
    return Text(f"主题是“{ctx.text}”，回复“确认”")


def confirm(ctx: Context) -> Reply:
    """Step 2: finish on 确认, or fail on 崩溃 (to test rollback of state)."""
    if ctx.text == "崩溃":
        raise RuntimeError("boom")
    if ctx.text != "确认":
        ctx.stay()
        return Text("请回复“确认”")
    topic = ctx.data["topic"]
    ctx.finish()
    return Text(f"已记录：{topic}")


@pytest.fixture
def survey(app: Flask) -> Flow:
    """Register the survey flow and its 调查 command on the app."""
    pipeline = app.extensions["pioneer_pipeline"]
    flow = pipeline.flows.add(Flow("survey", {"topic": got_topic, "confirm": confirm}))
    pipeline.router.routes.insert(3, Commands([Command("survey", ("调查",), ask_topic)]))
    return flow


@pytest.fixture
def zhang(make_member):
    """A roster member."""
    return make_member("zhangsan", "张三")


def test_flow_runs_to_the_end(survey, zhang, send_text):
    """Does each message go to the step of the current state, with data kept between steps?"""
    assert send_text(zhang, "调查").text == "写什么主题？"
    assert "党史" in send_text(zhang, "党史").text
    assert send_text(zhang, "确认").text == "已记录：党史"
    assert send_text(zhang, "确认").text == texts.NOTHING_TO_CONFIRM  # the flow is over


def test_bare_command_in_a_conversation_asks_first(survey, zhang, send_text):
    """Inside a conversation, is a bare command word asked about (not taken as the answer), and
    is text that merely starts with one still the step's answer?"""
    send_text(zhang, "调查")
    name = texts.FLOW_NAME_DEFAULT  # the test flow has no name of its own
    assert send_text(zhang, "帮助").text == texts.LEAVE_ASK.format(flow=name, command="帮助",
                                                                 kept="30分钟")
    assert send_text(zhang, "否").text == texts.RESUMED.format(flow=name, prompt="写什么主题？")
    assert send_text(zhang, "帮助 文档").text == "主题是“帮助 文档”，回复“确认”"


def test_cancel_words_end_the_conversation(survey, zhang, send_text):
    """Do 取消 and 退出 end a conversation at any step?"""
    for word in texts.CANCEL_WORDS[:2]:
        send_text(zhang, "调查")
        assert send_text(zhang, word).text == texts.CANCELLED
        assert "主题是" not in send_text(zhang, "党史").text  # a question now, not the step's


def test_cancel_without_conversation(zhang, send_text):
    """Is 取消 outside a conversation answered kindly?"""
    assert send_text(zhang, "取消").text == texts.NOTHING_TO_CANCEL


def test_timeout_tells_the_member(app: Flask, survey, zhang, send_text):
    """After 30 silent minutes, is the member told the conversation expired?"""
    send_text(zhang, "调查")
    pipeline = app.extensions["pioneer_pipeline"]
    real = pipeline.clock
    pipeline.clock = pipeline.conversations.clock = lambda: real() + 31 * 60
    assert send_text(zhang, "党史").text == texts.CONVERSATION_EXPIRED_HINT
    reply = send_text(zhang, "帮助").text
    assert reply.startswith("「先锋学习助手」")  # the flow is gone, commands work again


def test_expired_notice_prefixes_a_command(app: Flask, survey, zhang, send_text):
    """Does a command typed after the timeout run, with the expiry said first?"""
    send_text(zhang, "调查")
    pipeline = app.extensions["pioneer_pipeline"]
    real = pipeline.clock
    pipeline.clock = pipeline.conversations.clock = lambda: real() + 31 * 60
    reply = send_text(zhang, "我的信息").text
    assert reply.startswith(texts.CONVERSATION_EXPIRED) and "张三" in reply


def test_failed_step_leaves_the_state_unchanged(app: Flask, survey, zhang, send_text):
    """When a step raises, is the member's conversation state exactly as before?"""
    send_text(zhang, "调查")
    send_text(zhang, "党史")
    with app.app_context():
        before = redis_store.client.get("pioneer:conv:zhangsan")
    assert send_text(zhang, "崩溃").statuses == [500, 500, 500, 500]
    with app.app_context():
        assert redis_store.client.get("pioneer:conv:zhangsan") == before
    assert send_text(zhang, "确认").text == "已记录：党史"


def test_state_of_an_unknown_flow_is_dropped(app: Flask, zhang, send_text):
    """Is a state left by a flow that no longer exists ended politely?"""
    with app.app_context():
        redis_store.client.set("pioneer:conv:zhangsan",
                               '{"flow": "gone", "state": "x", "data": {}, "touched": 9e9}')
    assert send_text(zhang, "你好").text == texts.CONVERSATION_LOST
    assert send_text(zhang, "你好").text == texts.GREETING.format(name=zhang.name)  # no flow now


def test_role_is_checked_for_commands(app: Flask, make_member, send_text):
    """Is a command for admins refused to a plain member and allowed to an admin?"""
    pipeline = app.extensions["pioneer_pipeline"]
    pipeline.router.routes.insert(3, Commands([
        Command("secret", ("机密",), lambda ctx: Text("ok"), role="admin")]))
    assert "管理员" in send_text(make_member("plain"), "机密").text
    assert send_text(make_member("boss", roles=("admin",)), "机密").text == "ok"
