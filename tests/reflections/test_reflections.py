"""Can members write reflections in conversation, with nothing lost and nothing doubled?"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

import clock
from bot import keys
from bot.extensions import redis_store
from campaigns.campaigns import create_campaign
from content import reflection_texts as texts
from content.texts import CONVERSATION_EXPIRED_HINT, NOTHING_TO_CONFIRM
from models import (
    MaterialRead,
    Participation,
    ProcessedMessage,
    Reflection,
    ReflectionPart,
    ReflectionStatus,
    db,
    utcnow,
)
from tests.study_helpers import make_library

LONG = "学习了这篇材料，我深受教育，要在岗位上立足本职、发挥党员先锋模范作用。" * 2
N = len(LONG)  # 70 characters, no white space


@pytest.fixture
def world(app: Flask, make_member):
    """A member who read one material, a running campaign, and the library."""
    library = make_library(app)
    member = make_member("zhangsan", "张三")
    today = clock.today()
    with app.app_context():
        db.session.add(MaterialRead(member_id=member.id, material_id=library["shoudaoren"]))
        create_campaign("test", "2026年冬训", "winter_training", today - timedelta(days=1),
                        today + timedelta(days=30), {"kind": "all"})
        db.session.commit()
    return {"member": member, "library": library}


def reflections(app: Flask) -> list[Reflection]:
    """Every reflection, detached, with parts loaded."""
    with app.app_context():
        rows = db.session.scalars(select(Reflection).order_by(Reflection.id)).all()
        for row in rows:
            _ = row.parts
        db.session.expunge_all()
        return rows


def test_whole_conversation(app: Flask, world, send_text):
    """写心得 → 1 → two parts → 完成 → 确认: one submitted reflection with both parts."""
    listing = send_text("zhangsan", "写心得").text
    assert "1. 《守岛人》" in listing and "2. 2026年冬训（活动）" in listing
    assert "0. 自由主题" in listing
    assert "请直接发送心得内容" in send_text("zhangsan", "1").text
    assert "已记下" in send_text("zhangsan", LONG[:30]).text
    assert f"共{N}字" in send_text("zhangsan", LONG[30:]).text
    confirm = send_text("zhangsan", "完成").text
    assert f"共{N}字" in confirm and "学习了这篇材料" in confirm
    submitted = send_text("zhangsan", "确认").text
    [row] = reflections(app)
    assert submitted == texts.SUBMITTED.format(number=row.number)
    assert row.number.startswith("XD-") and row.status == ReflectionStatus.SUBMITTED
    assert row.text.replace("\n", "") == LONG and row.word_count == N
    assert row.subject_title == "《守岛人》" and row.material_id == world["library"]["shoudaoren"]
    assert row.consent_public is True and len(row.parts) == 2


def test_deviations_are_re_asked(app: Flask, world, send_text):
    """Text instead of a number, out-of-range numbers, 完成 too early, odd confirm answers."""
    send_text("zhangsan", "写心得")
    assert send_text("zhangsan", "第一个").text == texts.SUBJECT_ASK_AGAIN
    assert send_text("zhangsan", "9").text == texts.SUBJECT_OUT_OF_RANGE.format(number=9, count=2)
    assert "自由主题" in send_text("zhangsan", "0").text
    send_text("zhangsan", "很短")
    assert send_text("zhangsan", "完成").text == texts.TOO_SHORT.format(chars=2, missing=48)
    send_text("zhangsan", LONG)
    send_text("zhangsan", "完成")
    assert send_text("zhangsan", "好的").text == texts.CONFIRM_ASK_AGAIN
    assert f"现在共{N + 2}字" in send_text("zhangsan", "继续").text
    send_text("zhangsan", "补充一句。")
    send_text("zhangsan", "完成")
    send_text("zhangsan", "匿名提交")
    [row] = reflections(app)
    assert row.consent_public is False and row.word_count == N + 2 + 5


def test_photo_counts_as_a_handwritten_reflection(app: Flask, world, send_text, sim, sandbox):
    """Is a photo stored as a part, fetched from WeCom, and enough to submit?"""
    media_id = sandbox.state.add_media(b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png",
                                       filename="page.png")
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    assert "照片已收到" in sim.message("zhangsan", "image", PicUrl="http://x/p.png",
                                       MediaId=media_id).text
    assert sim.message("zhangsan", "voice", MediaId="v", Format="amr").text == \
        texts.ONLY_TEXT_OR_PHOTO
    assert "照片1张" in send_text("zhangsan", "完成").text
    send_text("zhangsan", "确认")
    [row] = reflections(app)
    assert row.image_count == 1 and row.status == ReflectionStatus.SUBMITTED
    with app.app_context():
        part = db.session.scalars(select(ReflectionPart)).one()
        assert part.kind == "image" and part.media_id == media_id


def test_retried_messages_and_double_confirm_make_one(app: Flask, world, client, sim, send_text):
    """Are a part delivered twice stored once, and a second 确认 harmless?"""
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    query, body = sim.envelope(sim.inner("zhangsan", "text", {"Content": LONG, "MsgId": 77}))
    for _ in range(3):
        assert client.post("/wecom/callback", query_string=query, data=body).status_code == 200
    send_text("zhangsan", "完成")
    confirm_q, confirm_b = sim.envelope(sim.inner("zhangsan", "text",
                                                  {"Content": "确认", "MsgId": 78}))
    first = client.post("/wecom/callback", query_string=confirm_q, data=confirm_b)
    again = client.post("/wecom/callback", query_string=confirm_q, data=confirm_b)
    assert sim.open_reply(first.data) == sim.open_reply(again.data)
    assert send_text("zhangsan", "确认").text == NOTHING_TO_CONFIRM
    [row] = reflections(app)
    assert len(row.parts) == 1 and row.word_count == N
    with app.app_context():  # one submission, one participation
        assert db.session.scalars(select(Participation.source)).all() == [f"reflection:{row.id}"]


def test_part_replayed_after_redis_forgot_is_stored_once(app: Flask, world, client, sim,
                                                         send_text):
    """If Redis lost the claim (a restart), is a part WeCom delivers again stored once, with
    one processed record, and the conversation kept? (On PostgreSQL the part, the draft's update and
    the processed record are one self-committing statement; elsewhere the message's transaction.)"""
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    query, body = sim.envelope(sim.inner("zhangsan", "text", {"Content": LONG, "MsgId": 79}))
    first = client.post("/wecom/callback", query_string=query, data=body)
    assert f"共{N}字" in sim.open_reply(first.data)["Content"]
    with app.app_context():
        for key in redis_store.client.scan_iter(f"{keys.PREFIX}:dedup:*"):
            redis_store.client.delete(key)
    again = client.post("/wecom/callback", query_string=query, data=body)
    assert again.status_code == 200
    [row] = reflections(app)
    assert len(row.parts) == 1 and row.word_count == N and row.text == LONG
    with app.app_context():
        [processed] = db.session.scalars(select(ProcessedMessage).where(
            ProcessedMessage.key == "msg:79")).all()
        assert processed.handler == "conversation:writing" and processed.userid == "zhangsan"
    assert f"共{N + 5}字" in send_text("zhangsan", "补充一句。").text  # still writing


def test_draft_survives_cancel_and_resumes(app: Flask, world, send_text):
    """After 取消, does 继续 pick the draft up again with what was written?"""
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    send_text("zhangsan", LONG)
    send_text("zhangsan", "取消")
    assert send_text("zhangsan", "继续").text == texts.RESUMED.format(subject="自由主题", chars=N)
    send_text("zhangsan", "完成")
    send_text("zhangsan", "确认")
    assert reflections(app)[0].status == ReflectionStatus.SUBMITTED


def test_draft_expires_after_24_hours(app: Flask, world, send_text):
    """After 24 silent hours, is the conversation over and the draft no longer resumable?"""
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    send_text("zhangsan", LONG)
    pipeline = app.extensions["pioneer_pipeline"]
    real = pipeline.clock
    pipeline.clock = pipeline.conversations.clock = lambda: real() + 25 * 3600
    assert send_text("zhangsan", "完成").text == CONVERSATION_EXPIRED_HINT
    with app.app_context():
        draft = db.session.scalars(select(Reflection)).one()
        draft.updated_at = utcnow() - timedelta(hours=25)
        db.session.commit()
    assert send_text("zhangsan", "继续").text == texts.NO_DRAFT
    assert reflections(app)[0].word_count == N  # nothing typed was lost


def test_too_long_is_cut_with_a_warning(app: Flask, world, send_text):
    """Is text past the maximum cut, with the member told how much?"""
    app.config["REFLECTION_MAX_CHARS"] = 100
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    assert send_text("zhangsan", "长" * 130).text == texts.PART_CUT.format(max_chars=100, cut=30)
    assert reflections(app)[0].word_count == 100


def test_write_for_a_given_material(app: Flask, world, send_text):
    """Does 写心得 <编号> start on that material, and an unknown number say so?"""
    material_id = world["library"]["dangshi-2"]
    assert "《星火燎原》" in send_text("zhangsan", f"写心得 {material_id}").text
    send_text("zhangsan", "取消")
    assert send_text("zhangsan", "写心得 9999").text == texts.UNKNOWN_MATERIAL.format(number=9999)


def test_mine_and_revise_returned(app: Flask, world, send_text):
    """Does 我的心得 show statuses, and 修改 reopen a returned one for a fresh text?"""
    assert send_text("zhangsan", "我的心得").text == texts.MINE_NONE
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    send_text("zhangsan", LONG)
    send_text("zhangsan", "完成")
    send_text("zhangsan", "确认")
    number = reflections(app)[0].number
    assert send_text("zhangsan", f"修改 {number}").text == \
        texts.REVISE_NOT_RETURNED.format(number=number)
    with app.app_context():
        row = db.session.scalars(select(Reflection)).one()
        row.status, row.review_comment = ReflectionStatus.RETURNED, "请结合本职工作"
        db.session.commit()
    assert "退回：请结合本职工作" in send_text("zhangsan", "我的心得").text
    assert "请重新发送" in send_text("zhangsan", f"修改 {number.lower()}").text
    send_text("zhangsan", "结合本职工作，" + LONG)
    send_text("zhangsan", "完成")
    send_text("zhangsan", "确认")
    [row] = reflections(app)
    assert row.status == ReflectionStatus.SUBMITTED and row.text.startswith("结合本职工作")
    assert len(row.parts) == 2 and row.parts[0].superseded
    assert send_text("zhangsan", "修改").text == texts.REVISE_USAGE
    assert send_text("zhangsan", "修改 XD-2026-999999").text == \
        texts.REVISE_NOT_FOUND.format(number="XD-2026-999999")


def test_xss_text_is_stored_as_is(app: Flask, world, send_text):
    """Is markup a member types kept verbatim (escaping happens wherever it is shown)?"""
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    text = "<script>alert(1)</script>" + LONG
    send_text("zhangsan", text)
    assert reflections(app)[0].text == text


def test_text_is_its_parts_joined_after_each_kind_of_part(app: Flask, world, send_text, sim):
    """Parts added one message at a time (parts never loaded) keep text = the parts joined."""
    app.config["REFLECTION_MAX_CHARS"] = 60
    send_text("zhangsan", "写心得")
    send_text("zhangsan", "0")
    send_text("zhangsan", "第一段 有空格")
    sim.message("zhangsan", "image", PicUrl="http://p/1.jpg", MediaId="m1")
    send_text("zhangsan", "第二段")
    assert "超出的" in send_text("zhangsan", "长" * 80).text
    assert "超出的" in send_text("zhangsan", "再写").text  # nothing left: an empty part
    [row] = reflections(app)
    texts_in_parts = [p.text for p in row.parts if p.kind == "text" and p.text]
    assert row.text == "\n".join(texts_in_parts) and row.text.startswith("第一段 有空格\n第二段\n")
    assert row.word_count == 60 and row.image_count == 1 and len(row.parts) == 5
