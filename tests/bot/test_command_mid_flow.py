"""A command in the middle of a conversation: asked once whether to leave, resumed with 继续 or
否, and everything around it (取消, a second command, garbage, roles, replays, timeouts)."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from bot import keys
from bot.context import Context
from bot.conversation import ConversationState, Flow
from bot.extensions import redis_store
from bot.replies import Reply, Text
from bot.router import Command, Commands
from content import lecture_texts, reflection_texts
from content import texts as common
from lectures.topics import sync_topics
from models import LectureOrder, Member, Reflection, db
from pioneer.features import FEATURES
from tests.lectures.lecture_helpers import typed, write_menu
from tests.study_helpers import make_library


def ask(flow: str, command: str, kept: str = "30分钟") -> str:
    """The leave question for that flow and command."""
    name = common.FLOW_NAMES[flow]
    return common.LEAVE_ASK.format(flow=name, command=command, kept=kept)


def left(flow: str, kept: str = "30分钟") -> str:
    """The note that the conversation was left and is kept."""
    return common.LEFT_KEPT.format(flow=common.FLOW_NAMES[flow], kept=kept)


def resumed(flow: str, prompt: str) -> str:
    """The answer to 否 / 继续: the flow's last question again."""
    return common.RESUMED.format(flow=common.FLOW_NAMES[flow], prompt=prompt)


def state(app: Flask, userid: str) -> ConversationState | None:
    """The member's conversation state in Redis."""
    with app.app_context():
        raw = redis_store.client.get(keys.conversation(userid))
    return ConversationState.loads(raw) if raw else None


def count(app: Flask, model: type) -> int:
    """How many rows the table has."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def lina(app: Flask, make_member, tmp_path: Path) -> Member:
    """A contact of 华芯 (the lecturers of the three-topic menu exist; the menu is synced)."""
    make_member("liuyang", "刘洋", org="新吴物流党支部", roles=("lecturer",))
    make_member("zhaolei", "赵磊", org="新吴物流党支部", roles=("lecturer",))
    contact = make_member("lina", "李娜", org="华芯微电子党支部", roles=("contact",))
    with app.app_context():
        sync_topics(write_menu(tmp_path))
        db.session.commit()
    return contact


@pytest.fixture
def zhang(make_member) -> Member:
    """A plain member."""
    return make_member("zhangsan", "张三")


def slots_prompt() -> str:
    """What 点单 asks after topic 1."""
    return lecture_texts.ASK_SLOTS.format(title="《从红船到复兴号》", example=typed(10))


def test_every_flow_has_a_name_for_members() -> None:
    """Is every registered flow named in Chinese for the leave question?"""
    assert {f.name for f in FEATURES.flows()} <= set(common.FLOW_NAMES)


def test_typed_command_in_order_asks_then_no_resumes(app: Flask, lina, send_text):
    """In 点单, is 我的点单 asked about (not taken as a time), and does 否 ask the time again?"""
    send_text(lina, "点单")
    assert send_text(lina, "1").text == slots_prompt()
    assert send_text(lina, "我的点单").text == ask("lecture_order", "我的点单")
    assert state(app, "lina").asking == "my_orders"
    assert send_text(lina, "否").text == resumed("lecture_order", slots_prompt())
    echoed = send_text(lina, typed(10)).text  # the step goes on where it was
    assert echoed.endswith(lecture_texts.ASK_AUDIENCE)


def test_yes_leaves_runs_the_command_and_continue_resumes(app: Flask, lina, send_text):
    """Does 是 run 我的点单 with the order kept, and 继续 bring the member back to the time?"""
    send_text(lina, "点单")
    send_text(lina, "1")
    send_text(lina, "我的点单")
    assert send_text(lina, "是").text == (left("lecture_order") + "\n"
                                         + lecture_texts.MINE_NONE)
    paused = state(app, "lina")
    assert paused is not None and paused.paused and paused.state == "slots"
    assert send_text(lina, "帮助").text.startswith("「先锋学习助手」")  # as outside the flow
    assert state(app, "lina").paused
    assert send_text(lina, "继续").text == resumed("lecture_order", slots_prompt())
    send_text(lina, typed(10))
    send_text(lina, "40")
    send_text(lina, "线下，XX路XX号三楼会议室")
    assert send_text(lina, "确认").text.startswith("已提交点单")  # 确认 still answers the step
    assert count(app, LectureOrder) == 1


def test_menu_click_in_reflection_asks_and_garbage_re_asks(app: Flask, zhang, send_text, sim):
    """In 写心得, does a menu click ask, garbage re-ask, and a second command leave for it?"""
    start = send_text(zhang, "写心得").text
    assert sim.click("zhangsan", "my_study").text == ask("reflection", "我的学习", kept="24小时")
    again = common.LEAVE_AGAIN.format(flow="写心得", command="我的学习")
    assert send_text(zhang, "嗯嗯").text == again
    assert send_text(zhang, "🙂🙂").text == again
    assert send_text(zhang, "(.*)'; DROP TABLE x;--").text == again
    assert sim.message("zhangsan", "image", PicUrl="http://x/1.jpg", MediaId="m1").text == again
    helped = send_text(zhang, "帮助").text  # a second command: leave for it
    assert helped.startswith(left("reflection", kept="24小时") + "\n「先锋学习助手」")
    assert send_text(zhang, "继续").text == resumed("reflection", start)
    saved = send_text(zhang, "学习 党章让我明白了初心使命").text  # a keyword first: still text
    assert saved == reflection_texts.PART_SAVED.format(chars=13)  # white space not counted
    with app.app_context():
        [draft] = db.session.scalars(select(Reflection)).all()
        assert [p.text for p in draft.parts] == ["学习 党章让我明白了初心使命"]


def test_continue_while_writing_is_no_part(app: Flask, zhang, send_text):
    """Is 继续 while already writing answered, not stored as a part of the reflection?"""
    send_text(zhang, "写心得")
    send_text(zhang, "第一段")
    assert send_text(zhang, "继续").text == reflection_texts.BACK_TO_WRITING.format(chars=3)
    with app.app_context():
        [draft] = db.session.scalars(select(Reflection)).all()
        assert [p.text for p in draft.parts] == ["第一段"]


def test_cancel_ends_at_once_even_while_asking(app: Flask, lina, send_text):
    """Does 取消 end the conversation while the leave question is open, and while it is paused?"""
    send_text(lina, "点单")
    send_text(lina, "我的点单")
    assert send_text(lina, "取消").text == common.CANCELLED
    assert state(app, "lina") is None
    send_text(lina, "点单")
    send_text(lina, "我的点单")
    send_text(lina, "是")
    assert send_text(lina, "退出").text == common.CANCELLED
    assert send_text(lina, "继续").text == reflection_texts.NO_DRAFT  # nothing paused now


def test_command_without_the_role_is_refused_and_the_flow_goes_on(app: Flask, zhang, send_text):
    """A plain member types 点单 while writing: refused, still writing, nothing asked?"""
    send_text(zhang, "写心得")
    refused = send_text(zhang, "点单").text
    assert refused.startswith(common.NO_PERMISSION.format(role="党组织书记/联络员"))
    assert common.STILL_IN.format(flow="写心得") in refused
    assert send_text(zhang, "第一段").text == reflection_texts.PART_SAVED.format(chars=3)


def test_leaving_for_a_flow_replaces_the_paused_one_once(app: Flask, lina, send_text, sim):
    """是 for 写心得 starts it (said so, no promise of 继续), once even when the 是 is replayed?"""
    send_text(lina, "点单")
    assert send_text(lina, "写心得").text == ask("lecture_order", "写心得")
    first = sim.text("lina", "是", msg_id=777001)
    assert first.text.startswith(common.LEFT.format(flow="点单") + "\n主题：")
    assert sim.text("lina", "是", msg_id=777001).text == first.text  # replayed from Redis
    with app.app_context():
        redis_store.client.delete(keys.dedup("msg:777001"))  # Redis forgot the claim
    assert sim.text("lina", "是", msg_id=777001).text == first.text  # the processed record
    assert count(app, Reflection) == 1
    current = state(app, "lina")
    assert current is not None and current.flow == "reflection" and not current.paused
    assert send_text(lina, "一段心得").text == reflection_texts.PART_SAVED.format(chars=4)


def test_new_flow_while_paused_says_the_old_one_ended(app: Flask, lina, send_text):
    """Left 点单, then 写心得: is the member told 点单 is no longer kept, and 继续 writes on?"""
    send_text(lina, "点单")
    send_text(lina, "我的点单")
    send_text(lina, "是")
    started = send_text(lina, "写心得").text
    assert started.startswith(common.LEFT.format(flow="点单") + "\n主题：")
    assert state(app, "lina").flow == "reflection"
    assert send_text(lina, "继续").text == reflection_texts.BACK_TO_WRITING.format(chars=0)


def test_leaving_for_news_sends_the_note_after(app: Flask, zhang, send_text, sandbox):
    """Leaving for 学习 (news): the articles as the reply, the note as a message after it?"""
    make_library(app)
    send_text(zhang, "写心得")
    assert send_text(zhang, "今日学习").text == ask("reflection", "今日学习", kept="24小时")
    delivery = send_text(zhang, "好的。")
    assert delivery.reply["MsgType"] == "news" and len(delivery.reply["Articles"]) == 5
    notes = [m["content"]["content"] for m in sandbox.state.inbox_since("zhangsan")
             if m["msgtype"] == "text"]
    assert notes == [left("reflection", kept="24小时")]


def test_paused_conversation_expires_without_a_word(app: Flask, lina, send_text):
    """Once a left conversation's timeout passes, is it gone quietly (继续 finds nothing)?"""
    send_text(lina, "点单")
    send_text(lina, "我的点单")
    send_text(lina, "是")
    pipeline = app.extensions["pioneer_pipeline"]
    real = pipeline.clock
    pipeline.clock = pipeline.conversations.clock = lambda: real() + 31 * 60
    assert send_text(lina, "继续").text == reflection_texts.NO_DRAFT
    assert state(app, "lina") is None


def offer_start(ctx: Context) -> Reply:
    """Entry of a yes/no offer with nothing to lose."""
    ctx.start("offer", "answer")
    return Text("要转交吗？")


@pytest.fixture
def offer(app: Flask) -> Flow:
    """A flow that does not ask to leave, and its 转交 command."""
    pipeline = app.extensions["pioneer_pipeline"]
    flow = pipeline.flows.add(Flow("offer", {"answer": lambda ctx: Text("答了")},
                                   ask_to_leave=False))
    pipeline.router.routes.insert(3, Commands([Command("offer", ("转交",), offer_start)]))
    return flow


def test_flow_that_does_not_ask_just_ends(app: Flask, offer, zhang, send_text):
    """A command in a flow with nothing to lose: the flow ends and the command runs at once?"""
    assert send_text(zhang, "转交").text == "要转交吗？"
    assert send_text(zhang, "帮助").text.startswith("「先锋学习助手」")
    assert state(app, "zhangsan") is None
