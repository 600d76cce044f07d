"""Do admins dispatch lecture orders to free lecturers, and do lecturers accept or decline?"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from content import dispatch_texts as texts
from content.texts import local_day_time as show
from content.texts import local_time
from lectures import availability
from lectures.states import find_order
from models import (
    AuditEntry,
    Lecture,
    LectureOrder,
    Member,
    OrderStatus,
    Topic,
    TopicLecturer,
    db,
    utcnow,
)
from sandbox.server import SandboxServer
from tests.helpers import SHANGHAI
from tests.helpers import written as written_everywhere

HOUR = timedelta(hours=1)


def at(days: int, hour: int, minute: int = 0) -> datetime:
    """A Shanghai wall-clock time `days` from today."""
    day = (utcnow().astimezone(SHANGHAI) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def make_topic(app: Flask, *lecturers: Member, minutes: int = 90) -> int:
    """A topic offered by the lecturers given, in that order."""
    with app.app_context():
        topic = Topic(slug="xin-shidai", title="新时代的伟大变革", category="理论", minutes=minutes,
                      modes=["offline", "live"])
        topic.lecturers = [TopicLecturer(member_id=m.id) for m in lecturers]
        db.session.add(topic)
        db.session.commit()
        return topic.id


def make_order(app: Flask, topic_id: int, contact: Member, slots: list[datetime],
               minutes_ago: int = 60, **fields: Any) -> tuple[int, str]:
    """A pending order written straight into the database; returns its id and number."""
    with app.app_context():
        contact = db.session.get(Member, contact.id)
        created = utcnow() - timedelta(minutes=minutes_ago)
        values = {"audience": 40, "mode": "offline", "address": "张江路88号三楼会议室",
                  "note": "", **fields}
        order = LectureOrder(
            organization_id=contact.main_organization.id, contact_id=contact.id,
            topic_id=topic_id, slots=[s.astimezone(UTC).isoformat() for s in slots],
            created_at=created, updated_at=created, **values)
        db.session.add(order)
        db.session.commit()
        return order.id, order.number


def make_lecture(app: Flask, topic_id: int, lecturer: Member, start: datetime, end: datetime,
                 status: str | None = OrderStatus.CONFIRMED, contact: Member | None = None
                 ) -> int:
    """A lecture of the lecturer (with an order in `status`, or none when status is None)."""
    order_id = None
    if status is not None:
        assert contact is not None
        order_id, _ = make_order(app, topic_id, contact, [start], status=status)
    with app.app_context():
        lecture = Lecture(order_id=order_id, topic_id=topic_id, lecturer_id=lecturer.id,
                          starts_at=start, ends_at=end, checkin_code="111111")
        db.session.add(lecture)
        db.session.commit()
        return lecture.id


def written(app: Flask) -> dict[str, int]:
    """Row counts of every table (each message adds its own Redis dedup key, so not those)."""
    counts = written_everywhere(app)
    counts.pop("redis_keys")
    return counts


def load(app: Flask, order_id: int) -> dict[str, Any]:
    """The order's status and reason, and its lecture's columns, read afresh."""
    with app.app_context():
        order = db.session.get(LectureOrder, order_id)
        lecture = order.lecture
        return {"status": order.status, "reason": order.reason,
                "lecture": None if lecture is None else {
                    "lecturer": lecture.lecturer.userid, "starts_at": lecture.starts_at,
                    "ends_at": lecture.ends_at, "place": lecture.place,
                    "code": lecture.checkin_code, "accepted": lecture.accepted_at is not None,
                    "id": lecture.id}}


def audits(app: Flask) -> list[tuple[str, str, str]]:
    """Every audit row: actor, action, target."""
    with app.app_context():
        return [(a.actor, a.action, a.target)
                for a in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def inbox(sandbox: SandboxServer, userid: str) -> str:
    """Every text message/send delivered to the member, joined."""
    return "\n".join(m["content"]["content"] for m in sandbox.state.inbox_since(userid)
                     if m["msgtype"] == "text")


def cards(sandbox: SandboxServer, userid: str) -> list[dict[str, Any]]:
    """Every template card delivered to the member."""
    return [m["content"] for m in sandbox.state.inbox_since(userid)
            if m["msgtype"] == "template_card"]


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """An admin, a contact of 华芯党支部, two lecturers and a plain member."""
    return {
        "admin": make_member("admin1", "王管理", org="党委办公室", roles=("admin",)),
        "contact": make_member("lisi", "李四", org="华芯党支部", roles=("contact",)),
        "liu": make_member("liuyang", "刘洋", org="讲师团", roles=("lecturer",)),
        "wang": make_member("wangwu", "王五", org="讲师团", roles=("lecturer",)),
        "plain": make_member("zhaoliu", "赵六", org="华芯党支部"),
    }


@pytest.fixture
def dispatched(app: Flask, people, send_text) -> tuple[int, str]:
    """An order dispatched in chat to 刘洋 at its only time (10 days ahead, 14:00)."""
    topic = make_topic(app, people["liu"], people["wang"])
    order_id, number = make_order(app, topic, people["contact"], [at(10, 14)])
    send_text(people["admin"], "待派单")
    assert send_text(people["admin"], "派 1").text.startswith("已将")
    return order_id, number


def test_dispatch_happy_path(app: Flask, people, send_text, sandbox):
    """Does 待派单 show the order and free lecturers, and 派 1 2 create the lecture and card?"""
    topic = make_topic(app, people["liu"], people["wang"])
    first, second = at(10, 9), at(12, 14)
    order_id, number = make_order(app, topic, people["contact"], [first, second],
                                  note="请结合企业实际")
    shown = send_text(people["admin"], "待派单").text
    for part in (number, "华芯党支部", "李四", "《新时代的伟大变革》（90分钟）", "40人",
                 "张江路88号三楼会议室", "请结合企业实际", f"时间1：{show(first)}",
                 f"时间2：{show(second)}", "讲师1 刘洋（空闲）", "讲师2 王五（空闲）", "派 1 2"):
        assert part in shown
    reply = send_text(people["admin"], "派 1 2").text
    assert reply == (texts.DISPATCHED.format(number=number, name="刘洋", time=show(second))
                     + texts.NONE_PENDING)
    state = load(app, order_id)
    assert state["status"] == OrderStatus.DISPATCHED
    lecture = state["lecture"]
    assert (lecture["lecturer"], lecture["starts_at"], lecture["ends_at"], lecture["place"]) == (
        "liuyang", second, second + timedelta(minutes=90), "张江路88号三楼会议室")
    assert re.fullmatch(r"\d{6}", lecture["code"]) and not lecture["accepted"]
    assert audits(app) == [("admin1", "order.dispatched", number)]
    [card] = cards(sandbox, "liuyang")
    assert card["card_type"] == "button_interaction"
    assert re.fullmatch(r"[0-9A-Za-z_\-@]{1,128}", card["task_id"])
    assert card["task_id"].startswith(f"order-{order_id}-{lecture['id']}")
    assert [b["key"] for b in card["button_list"]] == [f"accept:{order_id}",
                                                       f"decline:{order_id}"]
    assert "新时代的伟大变革" in card["sub_title_text"]
    assert show(second) in [f["value"] for f in card["horizontal_content_list"]]
    assert f"回复“接单 {order_id}”接受" in inbox(sandbox, "liuyang")


def test_overlap_includes_travel_buffer(app: Flask, people, make_member):
    """Does a lecture ending 13:30 block a 14:00 start, and one ending 12:30 (or 13:00) not?"""
    other = make_member("zhouqi", "周七", org="讲师团", roles=("lecturer",))
    topic = make_topic(app, people["liu"], people["wang"], other)
    make_lecture(app, topic, people["liu"], at(5, 12), at(5, 13, 30), contact=people["contact"])
    make_lecture(app, topic, people["wang"], at(5, 11), at(5, 12, 30), status=None)
    make_lecture(app, topic, other, at(5, 12), at(5, 13), contact=people["contact"])
    start, end, buffer = at(5, 14), at(5, 15, 30), HOUR
    with app.app_context():
        assert not availability.is_free(people["liu"].id, start, end, buffer)
        assert availability.is_free(people["wang"].id, start, end, buffer)
        assert availability.is_free(other.id, start, end, buffer)
        assert not availability.is_free(other.id, start, end, buffer + timedelta(minutes=1))
        # the buffer also runs before: 刘洋's 12:00 lecture blocks one ending 11:30, not 10:30
        assert not availability.is_free(people["liu"].id, at(5, 10), at(5, 11, 30), buffer)
        assert availability.is_free(people["liu"].id, at(5, 9), at(5, 10, 30), buffer)
        found = availability.free_lecturers(db.session.get(Topic, topic), start, end, buffer)
        assert [(c.member.userid, c.free) for c in found] == [
            ("liuyang", False), ("wangwu", True), ("zhouqi", True)]


def test_cancelled_orders_do_not_block(app: Flask, people):
    """Is a lecture whose order was cancelled (or is pending again) ignored, one with no order
    counted?"""
    topic = make_topic(app, people["liu"])
    make_lecture(app, topic, people["liu"], at(5, 14), at(5, 15), status=OrderStatus.CANCELLED,
                 contact=people["contact"])
    with app.app_context():
        assert availability.is_free(people["liu"].id, at(5, 14), at(5, 15), HOUR)
    make_lecture(app, topic, people["liu"], at(5, 14), at(5, 15), status=None)
    with app.app_context():
        assert not availability.is_free(people["liu"].id, at(5, 14), at(5, 15), HOUR)


def test_dispatch_to_busy_lecturer_is_refused(app: Flask, people, send_text):
    """Is the conflict shown, and is 派 to the busy lecturer refused with nothing written?"""
    topic = make_topic(app, people["liu"], people["wang"])
    make_lecture(app, topic, people["wang"], at(10, 12), at(10, 13, 30), contact=people["contact"])
    order_id, _ = make_order(app, topic, people["contact"], [at(10, 14)], minutes_ago=5)
    shown = send_text(people["admin"], "待派单").text
    assert "讲师1 刘洋（空闲）" in shown
    assert f"讲师2 王五（时间冲突：{local_time(at(10, 12))} 已有宣讲）" in shown
    before = written(app)
    refused = send_text(people["admin"], "派 2").text
    assert refused == texts.BUSY_REFUSED.format(name="王五", index=1, time=local_time(at(10, 12)),
                                                topic="《新时代的伟大变革》", buffer=60)
    assert written(app) == before
    assert load(app, order_id)["status"] == OrderStatus.PENDING
    assert send_text(people["admin"], "派 3").text == texts.BAD_LECTURER.format(index=3, count=2)
    assert send_text(people["admin"], "派 1 2").text == texts.BAD_SLOT.format(index=2, count=1)
    assert send_text(people["admin"], "派 1").text.startswith("已将")
    assert load(app, order_id)["lecture"]["lecturer"] == "liuyang"


def test_reject_needs_a_reason_and_tells_the_contact(app: Flask, people, send_text, sandbox):
    """Is a bare 驳回 asked again, and 驳回 理由 recorded, audited and told to the contact?"""
    topic = make_topic(app, people["liu"])
    order_id, number = make_order(app, topic, people["contact"], [at(10, 14)])
    send_text(people["admin"], "待派单")
    before = written(app)
    assert send_text(people["admin"], "驳回").text == texts.ASK_REJECT_REASON
    assert written(app) == before
    reply = send_text(people["admin"], "驳回：该时段讲师均已排满").text
    assert reply == texts.REJECTED.format(number=number) + texts.NONE_PENDING
    assert load(app, order_id)["status"] == OrderStatus.REJECTED
    assert load(app, order_id)["reason"] == "该时段讲师均已排满"
    assert audits(app) == [("admin1", "order.rejected", number)]
    assert f"{number}（《新时代的伟大变革》）未能安排：该时段讲师均已排满" in inbox(sandbox, "lisi")


def test_skip_and_orders_gone_meanwhile(app: Flask, people, send_text):
    """Does 下一个 show the next order, and an order cancelled meanwhile get skipped?"""
    topic = make_topic(app, people["liu"])
    first, first_number = make_order(app, topic, people["contact"], [at(10, 14)], 90)
    _, second_number = make_order(app, topic, people["contact"], [at(11, 14)], 30)
    assert first_number in send_text(people["admin"], "待派单").text
    assert second_number in send_text(people["admin"], "下一个").text
    assert send_text(people["admin"], "下一个").text == texts.NONE_PENDING
    assert first_number in send_text(people["admin"], "待派单").text
    with app.app_context():
        db.session.get(LectureOrder, first).status = OrderStatus.CANCELLED
        db.session.commit()
    reply = send_text(people["admin"], "派 1").text
    assert reply.startswith(texts.GONE.format(number=first_number, status="已取消"))
    assert second_number in reply


def test_only_admins_dispatch(app: Flask, people, send_text):
    """Are contacts, lecturers and plain members refused 待派单?"""
    make_order(app, make_topic(app, people["liu"]), people["contact"], [at(10, 14)])
    for who in ("contact", "liu", "plain"):
        assert "管理员" in send_text(people[who], "待派单").text
    assert audits(app) == []


def test_accept_by_typed_command(app: Flask, people, send_text, sandbox, dispatched):
    """Does 接单 N confirm, tell the contact the check-in code, and a second 接单 do nothing?"""
    order_id, number = dispatched
    reply = send_text(people["liu"], f"接单 {number}").text
    state = load(app, order_id)
    code = state["lecture"]["code"]
    assert state["status"] == OrderStatus.CONFIRMED and state["lecture"]["accepted"]
    assert reply.startswith(f"已接单 {number}") and code in reply
    told = inbox(sandbox, "lisi")
    for part in (number, "新时代的伟大变革", show(at(10, 14)), "张江路88号三楼会议室", "刘洋",
                 f"签到码：{code}"):
        assert part in told
    before = written(app)
    assert send_text(people["liu"], f"接单 {order_id}").text == texts.ALREADY_ACCEPTED.format(
        number=number)
    assert written(app) == before
    assert [a[1] for a in audits(app)] == ["order.dispatched", "order.confirmed"]


def test_accept_by_card(app: Flask, people, sim, send_text, sandbox, dispatched):
    """Does tapping 接单 on the card confirm, and a typed 接单 afterwards say 您已接单?"""
    order_id, number = dispatched
    [card] = cards(sandbox, "liuyang")
    sim.event("liuyang", "template_card_event", f"accept:{order_id}",
              TaskId=card["task_id"], CardType="button_interaction")
    assert load(app, order_id)["status"] == OrderStatus.CONFIRMED
    assert f"已接单 {number}" in inbox(sandbox, "liuyang")
    assert "签到码" in inbox(sandbox, "lisi")
    assert send_text(people["liu"], f"接单 {order_id}").text == texts.ALREADY_ACCEPTED.format(
        number=number)
    assert len(sandbox.state.inbox_since("lisi")) == 1


def test_decline_with_reason_returns_to_queue(app: Flask, people, send_text, sandbox,
                                              dispatched):
    """Does 拒单 N 理由 put the order back, delete the lecture, tell admins, show the reason?"""
    order_id, number = dispatched
    reply = send_text(people["liu"], f"拒单 {order_id} 当天已有安排").text
    assert reply == texts.DECLINED.format(number=number)
    assert load(app, order_id) == {"status": OrderStatus.PENDING, "reason": "当天已有安排",
                                   "lecture": None}
    with app.app_context():
        assert db.session.scalars(select(Lecture)).all() == []
    assert f"讲师刘洋拒绝了点单 {number}" in inbox(sandbox, "admin1")
    assert "当天已有安排" in inbox(sandbox, "admin1")
    shown = send_text(people["admin"], "待派单").text
    assert "上次拒单理由：当天已有安排" in shown and "讲师1 刘洋（空闲）" in shown
    assert [a[1] for a in audits(app)] == ["order.dispatched", "order.pending"]


def test_decline_by_card_asks_for_reason(app: Flask, people, sim, send_text, sandbox,
                                         dispatched):
    """Does 拒单 on the card ask for a reason, and the reason then decline the order?"""
    order_id, number = dispatched
    [card] = cards(sandbox, "liuyang")
    sim.event("liuyang", "template_card_event", f"decline:{order_id}",
              TaskId=card["task_id"], CardType="button_interaction")
    assert texts.ASK_DECLINE_REASON.format(number=number) in inbox(sandbox, "liuyang")
    assert load(app, order_id)["status"] == OrderStatus.DISPATCHED
    assert send_text(people["liu"], "临时出差").text == texts.DECLINED.format(number=number)
    assert load(app, order_id)["reason"] == "临时出差"
    # dispatched again to 刘洋: the old card is stale, the new one works
    send_text(people["admin"], "待派单")
    send_text(people["admin"], "派 1")
    sim.event("liuyang", "template_card_event", f"accept:{order_id}",
              TaskId=card["task_id"], CardType="button_interaction")
    assert texts.STALE_CARD in inbox(sandbox, "liuyang")
    assert load(app, order_id)["status"] == OrderStatus.DISPATCHED
    new_card = cards(sandbox, "liuyang")[-1]
    assert new_card["task_id"] != card["task_id"]
    # a second later: an event's dedup key is sender, time, event and key (not the task id)
    sim.deliver(sim.inner("liuyang", "event", {
        "Event": "template_card_event", "EventKey": f"accept:{order_id}",
        "TaskId": new_card["task_id"], "CardType": "button_interaction"},
        create_time=int(time.time()) + 1))
    assert load(app, order_id)["status"] == OrderStatus.CONFIRMED


def test_wrong_lecturer_is_refused(app: Flask, people, sim, send_text, sandbox, dispatched):
    """Is another lecturer refused by command and by card, with nothing changed?"""
    order_id, _ = dispatched
    before = written(app)
    assert send_text(people["wang"], f"接单 {order_id}").text == texts.NOT_YOURS
    assert send_text(people["wang"], f"拒单 {order_id} 不想去").text == texts.NOT_YOURS
    assert written(app) == before
    sim.event("wangwu", "template_card_event", f"accept:{order_id}",
              TaskId=f"order-{order_id}-1", CardType="button_interaction")
    assert texts.NOT_YOURS in inbox(sandbox, "wangwu")
    assert load(app, order_id)["status"] == OrderStatus.DISPATCHED
    assert "红色讲师" in send_text(people["plain"], f"接单 {order_id}").text


def test_cancelled_order_cannot_be_accepted(app: Flask, people, send_text, dispatched):
    """Is accepting an order the contact cancelled refused clearly?"""
    order_id, number = dispatched
    with app.app_context():
        db.session.get(LectureOrder, order_id).status = OrderStatus.CANCELLED
        db.session.commit()
    assert send_text(people["liu"], f"接单 {order_id}").text == texts.CANCELLED_ORDER.format(
        number=number)
    assert send_text(people["liu"], "接单 9999").text == texts.NOT_FOUND.format(number="9999")
    assert load(app, order_id)["status"] == OrderStatus.CANCELLED


def test_retried_accept_counts_once(app: Flask, people, sim, sandbox, dispatched):
    """Does WeCom's retry of 接单 (same MsgId) confirm once and tell the contact once?"""
    order_id, _ = dispatched
    first = sim.text("liuyang", f"接单 {order_id}", msg_id=515151)
    again = sim.text("liuyang", f"接单 {order_id}", msg_id=515151)
    assert again.text == first.text
    assert [a[1] for a in audits(app)] == ["order.dispatched", "order.confirmed"]
    assert len(sandbox.state.inbox_since("lisi")) == 1


def test_find_order_by_number_or_digits(app: Flask, people):
    """Is an order found by DD-YYYY-NNNN or its id digits, and a wrong year not?"""
    topic = make_topic(app, people["liu"])
    order_id, number = make_order(app, topic, people["contact"], [at(10, 14)])
    year = int(number[3:7])
    with app.app_context():
        assert find_order(number.lower()).id == order_id
        assert find_order(str(order_id)).id == order_id
        assert find_order(f"{order_id:04d}").id == order_id
        assert find_order(number.replace(str(year), str(year - 1))) is None
        assert find_order("abc") is None
