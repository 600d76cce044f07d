"""After acceptance: are reminders, completion, 人数, 评单 and the figures right, and once only?"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from content import followup_texts as texts
from content.texts import NO_PERMISSION
from content.texts import local_day_time as show
from lectures.followup import follow_up, remind, run_due
from lectures.jobs import lecture_tick
from lectures.stats import figures
from models import (
    AuditEntry,
    CheckIn,
    Lecture,
    LectureOrder,
    Member,
    OrderStatus,
    Organization,
    OutboundMessage,
    Rating,
    Topic,
    db,
    utcnow,
)
from sandbox.server import SandboxServer
from tests.helpers import written

NOW = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
HUAXIN, YUANJING = "华芯党支部", "远景党支部"


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """A contact of each of two organisations, two lecturers, a plain member."""
    return {
        "contact": make_member("lina", "李娜", org=HUAXIN, roles=("contact",)),
        "other_contact": make_member("chenjing", "陈静", org=YUANJING, roles=("contact",)),
        "lecturer": make_member("wangli", "王立", roles=("lecturer",)),
        "other_lecturer": make_member("zhaomin", "赵敏", roles=("lecturer",)),
        "member": make_member("zhangsan", "张三", org=HUAXIN),
    }


def make_lecture(app: Flask, people: dict[str, Member], starts_at: datetime,
                 status: OrderStatus = OrderStatus.CONFIRMED, org: str = HUAXIN,
                 lecturer: str = "lecturer", title: str = "新时代的红色精神",
                 attendance: int | None = None) -> dict[str, Any]:
    """An order in `status` with its lecture (two hours, from starts_at); ids and number."""
    with app.app_context():
        topic = db.session.scalars(select(Topic).where(Topic.title == title)).first()
        if topic is None:
            topic = Topic(slug=f"topic-{title}", title=title, modes=["offline"])
        organization = db.session.scalars(select(Organization).where(
            Organization.name == org)).one()
        contact = people["contact" if org == HUAXIN else "other_contact"]
        order = LectureOrder(organization_id=organization.id, contact_id=contact.id, topic=topic,
                             audience=40, address="XX路8号三楼会议室", status=status)
        lecture = Lecture(order=order, topic=topic, lecturer_id=people[lecturer].id,
                          starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
                          place="XX路8号三楼会议室", expected_audience=40, attendance=attendance,
                          checkin_code="482913")
        db.session.add_all([order, lecture])
        db.session.commit()
        return {"order": order.id, "lecture": lecture.id, "number": order.number}


def state(app: Flask, ids: dict[str, Any]) -> dict[str, Any]:
    """An order's status and its lecture's follow-up columns, read afresh."""
    with app.app_context():
        order = db.session.get(LectureOrder, ids["order"])
        lecture = db.session.get(Lecture, ids["lecture"])
        return {"status": order.status, "reminded": lecture.reminded_at,
                "followed_up": lecture.followed_up_at, "attendance": lecture.attendance}


def texts_to(app: Flask, userid: str) -> list[str]:
    """The text of every outbound message to this member."""
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id))
        return [r.payload["text"]["content"] for r in rows if userid in r.touser.split("|")]


def rows(app: Flask) -> dict[str, int]:
    """Row counts of every table (Redis keys left out: every message leaves a claim)."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts


def test_reminder_due_goes_to_both(app: Flask, people):
    """A lecture 20 hours away: are lecturer and contact reminded, with time, place and code?"""
    ids = make_lecture(app, people, NOW + timedelta(hours=20))
    with app.app_context():
        result = run_due(NOW)
        assert (result.reminded, result.completed, len(result.outbound_ids)) == (1, 0, 2)
    [lecturer] = texts_to(app, "wangli")
    [contact] = texts_to(app, "lina")
    when = show(NOW + timedelta(hours=20))
    assert when in lecturer and "XX路8号三楼会议室" in lecturer and "新时代的红色精神" in lecturer
    assert "李娜" in lecturer and "482913" not in lecturer
    assert when in contact and "签到码：482913" in contact and "王立" in contact
    assert state(app, ids)["reminded"] == NOW


@pytest.mark.parametrize(("hours", "status"), [
    (30, OrderStatus.CONFIRMED),  # more than a day away
    (-1, OrderStatus.CONFIRMED),  # started already: too late to remind
    (20, OrderStatus.DISPATCHED),  # not accepted yet
    (20, OrderStatus.CANCELLED),
])
def test_reminder_not_due(app: Flask, people, hours, status):
    """Too far ahead, started, or not confirmed: is nobody reminded?"""
    ids = make_lecture(app, people, NOW + timedelta(hours=hours), status=status)
    with app.app_context():
        assert run_due(NOW).reminded == 0
    assert state(app, ids)["reminded"] is None and texts_to(app, "lina") == []


def test_reminder_sent_once(app: Flask, people):
    """Ticks every five minutes, and a tick that selected the lecture late: one reminder?"""
    ids = make_lecture(app, people, NOW + timedelta(hours=20))
    with app.app_context():
        assert run_due(NOW).reminded == 1
        assert run_due(NOW + timedelta(minutes=5)).reminded == 0
        assert remind(ids["lecture"], NOW + timedelta(minutes=5)) is None  # an overlapping tick
    assert len(texts_to(app, "lina")) == 1 and len(texts_to(app, "wangli")) == 1
    assert state(app, ids)["reminded"] == NOW


def test_completion_asks_both_questions(app: Flask, people):
    """After the end: completed by the system, lecturer asked for 人数, contact for 评单, once."""
    ids = make_lecture(app, people, NOW - timedelta(hours=3))
    with app.app_context():
        result = run_due(NOW)
        assert (result.reminded, result.completed) == (0, 1)
        assert run_due(NOW + timedelta(minutes=5)).completed == 0
        assert follow_up(ids["lecture"], NOW) is None
        audit = db.session.scalars(select(AuditEntry)).one()
        assert (audit.actor, audit.action, audit.target) == ("system", "order.completed",
                                                              ids["number"])
    assert state(app, ids)["status"] == OrderStatus.COMPLETED
    assert state(app, ids)["followed_up"] == NOW
    [ask] = texts_to(app, "wangli")
    assert f"人数 {ids['number']} 40" in ask and "请回复：人数 订单号 数字" in ask
    [rating] = texts_to(app, "lina")
    assert f"请为本次宣讲评分：回复“评单 {ids['number']} 5 讲得很好”" in rating


def test_completion_skips_known_attendance(app: Flask, people):
    """When the attendance is already known, is only the contact asked?"""
    make_lecture(app, people, NOW - timedelta(hours=3), attendance=35)
    with app.app_context():
        assert run_due(NOW).completed == 1
    assert texts_to(app, "wangli") == [] and len(texts_to(app, "lina")) == 1


def test_not_ended_is_not_completed(app: Flask, people):
    """A lecture still running is left alone."""
    ids = make_lecture(app, people, NOW - timedelta(hours=1))
    with app.app_context():
        assert run_due(NOW).completed == 0
    assert state(app, ids)["status"] == OrderStatus.CONFIRMED


def test_tick_delivers_through_wecom(app: Flask, people, sandbox: SandboxServer):
    """Does the cron job send the reminders to WeCom?"""
    make_lecture(app, people, utcnow() + timedelta(hours=5))
    with app.app_context():
        assert lecture_tick() == 1
        assert lecture_tick() == 0
    assert "签到码" in sandbox.state.inbox_since("lina")[0]["content"]["content"]
    assert len(sandbox.state.inbox_since("wangli")) == 1


def test_attendance_recorded_and_corrected(app: Flask, people, send_text):
    """人数 N 38 by the lecturer after the start; a second 人数 corrects it, audited."""
    ids = make_lecture(app, people, utcnow() - timedelta(hours=3), OrderStatus.COMPLETED)
    number = ids["number"]
    reply = send_text("wangli", f"人数 {number} 38").text
    note = texts.ATTENDANCE_CHECKED_IN.format(present=0)  # nobody checked in
    assert reply == texts.ATTENDANCE_SAVED.format(number=number, count=38) + note
    assert send_text("wangli", f"人数 {number.lower()} 40人").text == \
        texts.ATTENDANCE_UPDATED.format(number=number, count=40, previous=38) + note
    assert state(app, ids)["attendance"] == 40
    with app.app_context():
        details = [a.detail for a in db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "lecture.attendance").order_by(AuditEntry.id))]
    assert details == [{"count": 38, "previous": None}, {"count": 40, "previous": 38}]


def test_attendance_refusals(app: Flask, people, send_text):
    """Wrong lecturer, before the start, absurd or wordy counts, unknown order: nothing written."""
    started = make_lecture(app, people, utcnow() - timedelta(hours=1))["number"]
    later = make_lecture(app, people, utcnow() + timedelta(days=2))["number"]
    before = rows(app)
    cases = [
        ("zhaomin", f"人数 {started} 38", texts.ERRORS["not_your_lecture"].format(number=started)),
        ("wangli", f"人数 {later} 38", f"订单 {later} 的宣讲尚未开始"),
        ("wangli", f"人数 {started} 0", texts.ERRORS["count_range"].format(limit=5000, value=0)),
        ("wangli", f"人数 {started} 99999", "1到5000"),
        ("wangli", f"人数 {started} 很多", texts.ERRORS["count_not_number"]),
        ("wangli", "人数 DD-2026-9999 38", "没有找到订单“DD-2026-9999”"),
        ("wangli", f"人数 {started}", texts.ATTENDANCE_USAGE),
        ("zhangsan", f"人数 {started} 38", NO_PERMISSION.format(role="红色讲师")),
    ]
    for userid, message, expected in cases:
        assert expected in send_text(userid, message).text, message
    assert rows(app) == before


def test_rating_one_line(app: Flask, people, send_text):
    """评单 N 5分 讲得很好: a Rating, the order rated, audited; a second 评单 is refused."""
    ids = make_lecture(app, people, utcnow() - timedelta(hours=3), OrderStatus.COMPLETED)
    number = ids["number"]
    reply = send_text("lina", f"评单 {number} 5分 讲得很好").text
    assert reply == texts.RATED.format(number=number, score=5,
                                       comment=texts.RATED_COMMENT.format(comment="讲得很好"))
    assert state(app, ids)["status"] == OrderStatus.RATED
    with app.app_context():
        rating = db.session.scalars(select(Rating)).one()
        assert (rating.score, rating.comment, rating.contact_id) == (5, "讲得很好",
                                                                    people["contact"].id)
        actions = [(a.actor, a.action) for a in db.session.scalars(select(AuditEntry))]
        assert actions == [("lina", "order.rated"), ("lina", "order.rating")]
    before = rows(app)
    assert "已评价过" in send_text("lina", f"评单 {number} 4").text
    assert rows(app) == before


def test_rating_in_steps(app: Flask, people, send_text):
    """评单 N → score (re-asked when wrong) → 无: rated without a comment."""
    ids = make_lecture(app, people, utcnow() - timedelta(hours=3), OrderStatus.COMPLETED)
    assert "请回复1到5" in send_text("lina", f"评单 {ids['number']}").text
    assert send_text("lina", "很好").text == texts.ERRORS["score_not_number"]
    assert send_text("lina", "4分").text == texts.ASK_COMMENT.format(score=4)
    assert send_text("lina", "无").text == texts.RATED.format(number=ids["number"], score=4,
                                                              comment="")
    with app.app_context():
        assert db.session.scalars(select(Rating.comment)).one() == ""


def test_rating_refusals(app: Flask, people, send_text):
    """Out of range, words, another organisation's contact, not completed: nothing written."""
    done = make_lecture(app, people, utcnow() - timedelta(hours=3), OrderStatus.COMPLETED)
    running = make_lecture(app, people, utcnow() - timedelta(hours=1))["number"]
    number = done["number"]
    before = rows(app)
    cases = [
        ("lina", f"评单 {number} 6", texts.ERRORS["score_range"].format(value="6")),
        ("lina", f"评单 {number} 0分", texts.ERRORS["score_range"].format(value="0")),
        ("lina", f"评单 {number} 很好", texts.ERRORS["score_not_number"]),
        ("chenjing", f"评单 {number} 5", texts.ERRORS["not_your_order"].format(number=number)),
        ("lina", f"评单 {running} 5", texts.ERRORS["not_completed"].format(
            number=running, status="已确认")),
        ("lina", "评单 DD-2026-9999 5", "没有找到订单"),
        ("lina", "评单", texts.RATE_USAGE),
        ("zhangsan", f"评单 {number} 5", NO_PERMISSION.format(role="党组织书记/联络员")),
    ]
    for userid, message, expected in cases:
        assert expected in send_text(userid, message).text, message
    assert rows(app) == before
    assert state(app, done)["status"] == OrderStatus.COMPLETED


def test_stats(app: Flask, people):
    """Per lecturer, topic and organisation: lectures held, audience checked in and reported,
    average rating."""
    first = make_lecture(app, people, NOW - timedelta(days=9), OrderStatus.RATED, attendance=38)
    make_lecture(app, people, NOW - timedelta(days=8), OrderStatus.RATED, attendance=22,
                 org=YUANJING, title="党史中的青年")
    make_lecture(app, people, NOW - timedelta(days=7), OrderStatus.COMPLETED)
    make_lecture(app, people, NOW + timedelta(days=7))  # confirmed, not held yet
    make_lecture(app, people, NOW - timedelta(days=7), OrderStatus.RATED, attendance=50,
                 lecturer="other_lecturer")
    with app.app_context():
        order_ids = list(db.session.scalars(select(LectureOrder.id).where(
            LectureOrder.status == OrderStatus.RATED).order_by(LectureOrder.id)))
        for order_id, score in zip(order_ids, (5, 4, 3), strict=True):
            db.session.add(Rating(order_id=order_id, contact_id=people["contact"].id,
                                  score=score))
        for who, status in (("member", "present"), ("contact", "present"),
                            ("other_contact", "leave")):
            db.session.add(CheckIn(member_id=people[who].id, lecture_id=first["lecture"],
                                   status=status))
        db.session.commit()
        by_lecturer = {f.label: f for f in figures("lecturer")}
        by_topic = {f.label: f for f in figures("topic")}
        by_org = {f.label: f for f in figures("organization")}
    wang = by_lecturer["王立（wangli）"]
    assert (wang.lectures, wang.audience, wang.reported, wang.ratings,
            wang.average_rating) == (3, 2, 60, 2, 4.5)
    assert by_lecturer["赵敏（zhaomin）"].average_rating == 3
    assert by_topic["《新时代的红色精神》"].lectures == 3
    assert (by_topic["《党史中的青年》"].audience, by_topic["《党史中的青年》"].reported) == (0, 22)
    assert (by_org[HUAXIN].lectures, by_org[HUAXIN].audience, by_org[HUAXIN].reported) == (3, 2, 88)
    assert by_org[YUANJING].average_rating == 4
    runner = app.test_cli_runner()
    output = runner.invoke(args=["lectures", "stats", "--by", "organization"]).output
    assert f"{HUAXIN}\t3\t2\t88\t2\t4.00" in output
    assert "王立（wangli）\t3\t2\t60\t2\t4.50" in runner.invoke(args=["lectures", "stats"]).output
