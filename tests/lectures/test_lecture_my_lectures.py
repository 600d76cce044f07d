"""我的宣讲: does a lecturer see their own lectures, with codes for the coming ones, and the
held figure of lectures.stats?"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from content import dispatch_texts as texts
from content.texts import local_day_time
from lectures.stats import for_lecturers
from models import Lecture, LectureOrder, Member, OrderStatus, Organization, Topic, db

pytestmark = pytest.mark.clock
HUAXIN = "华芯党支部"


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """A contact, two lecturers, a plain member."""
    return {
        "contact": make_member("lina", "李娜", org=HUAXIN, roles=("contact",)),
        "lecturer": make_member("wangli", "王立", roles=("lecturer",)),
        "other": make_member("zhaomin", "赵敏", roles=("lecturer",)),
        "member": make_member("zhangsan", "张三", org=HUAXIN),
    }


def make_lecture(app: Flask, people: dict[str, Member], starts_at: datetime, status: str,
                 title: str, lecturer: str = "lecturer", code: str = "482913") -> dict[str, Any]:
    """An order in `status` with its two-hour lecture; its number and start."""
    with app.app_context():
        topic = db.session.scalars(select(Topic).where(Topic.title == title)).first()
        if topic is None:
            topic = Topic(slug=f"topic-{len(title)}-{code}", title=title, modes=["offline"])
        organization = db.session.scalars(select(Organization).where(
            Organization.name == HUAXIN)).one()
        order = LectureOrder(organization_id=organization.id, contact_id=people["contact"].id,
                             topic=topic, audience=40, address="XX路8号", status=status)
        lecture = Lecture(order=order, topic=topic, lecturer_id=people[lecturer].id,
                          starts_at=starts_at, ends_at=starts_at + timedelta(hours=2),
                          place="XX路8号三楼会议室", expected_audience=40, checkin_code=code)
        db.session.add_all([order, lecture])
        db.session.commit()
        return {"number": order.number, "starts_at": starts_at}


def test_lecturer_sees_coming_and_recent_lectures(app: Flask, people, send_text, travel):
    """Number, topic, time, place, status; the code only for the coming ones; held from
    lectures.stats; another lecturer's lecture not listed."""
    now = travel("2026-12-07 09:00", tick=False)
    coming = make_lecture(app, people, now + timedelta(days=3), OrderStatus.CONFIRMED,
                          "《决定》学习辅导", code="111111")
    waiting = make_lecture(app, people, now + timedelta(days=5), OrderStatus.DISPATCHED,
                           "新时代的红色精神", code="222222")
    held = make_lecture(app, people, now - timedelta(days=4), OrderStatus.COMPLETED,
                        "从红船到复兴号", code="333333")
    make_lecture(app, people, now + timedelta(days=2), OrderStatus.CONFIRMED, "别人的宣讲",
                 lecturer="other", code="444444")
    reply = send_text("wangli", "我的宣讲").text
    for part in (coming["number"], "《决定》学习辅导", local_day_time(coming["starts_at"]),
                 "XX路8号三楼会议室", "已确认", "签到码 111111", waiting["number"], "已派单",
                 "签到码 222222", held["number"], "《从红船到复兴号》", "已完成",
                 texts.MY_LECTURES_ACCEPT):
        assert part in reply, part
    assert "《《" not in reply and "333333" not in reply  # a past lecture's code is not shown
    assert "别人的宣讲" not in reply and "444444" not in reply
    assert reply.index(coming["number"]) < reply.index(waiting["number"]) < \
        reply.index(held["number"])  # coming soonest first, then the recent ones
    with app.app_context():
        figures = for_lecturers([db.session.get(Member, people["lecturer"].id)])
    assert figures[people["lecturer"].id].lectures == 1  # one definition of held
    assert reply.startswith(texts.MY_LECTURES_FIGURES.format(
        held=1, audience=figures[people["lecturer"].id].audience, rating=""))


def test_a_lecturer_with_no_lectures_is_told_so(app: Flask, people, send_text):
    """No lecture yet: a short answer, not 没有听懂."""
    assert send_text("zhaomin", "我的宣讲").text == texts.MY_LECTURES_NONE


def test_only_lecturers_get_their_list(app: Flask, people, send_text, travel):
    """A member or a contact is refused (the matrix has the full table)."""
    now = travel("2026-12-07 09:00", tick=False)
    make_lecture(app, people, now + timedelta(days=3), OrderStatus.CONFIRMED, "新时代的红色精神")
    for userid in ("zhangsan", "lina"):
        reply = send_text(userid, "我的宣讲").text
        assert "482913" not in reply and "没有听懂" not in reply, userid


def test_help_of_a_lecturer_names_my_lectures(people, send_text):
    """帮助 lists 我的宣讲 for lecturers only."""
    assert texts.MY_LECTURES_SUMMARY in send_text("wangli", "帮助").text
    assert texts.MY_LECTURES_SUMMARY not in send_text("zhangsan", "帮助").text
