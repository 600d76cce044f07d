"""Is "lectures held" one number wherever it is shown: the annual report, `lectures stats`,
the console's 讲师 page, 我的宣讲 and lectures.stats, by the one definition?"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from content import lecture_texts
from lectures.stats import by_lecturer, by_organization, for_lecturers, held, held_hours
from models import CheckIn, Lecture, LectureOrder, Member, OrderStatus, Rating, Topic, db
from report import figures as report_figures
from tests.console_helpers import login_as

pytestmark = pytest.mark.clock
NOW = "2026-06-15 10:00"  # Shanghai


@pytest.fixture
def built(app: Flask, make_member: Any, travel: Any) -> dict[str, Any]:
    """刘洋's lectures in every state: order-less started with check-ins (held), order-less
    started with nobody checked in and order-less to come (not held), completed and rated
    orders (held), cancelled and confirmed ones (not held); 王芳 has one completed order."""
    now = travel(NOW, tick=False)
    contact = make_member("lina", "李娜", org="华芯党支部", roles=("contact",))
    liuyang = make_member("liuyang", "刘洋", org="讲师团", roles=("lecturer",))
    wangfang = make_member("wangfang", "王芳", org="讲师团", roles=("lecturer",))
    members = [make_member(f"m{i}", f"党员{i}", org="华芯党支部") for i in range(4)]
    with app.app_context():
        topic = Topic(slug="red-boat", title="从红船到复兴号", modes=["offline"])
        db.session.add(topic)
        db.session.flush()
        org_id = db.session.get(Member, contact.id).main_organization.id

        def lecture(lecturer: Member, days: int, status: str | None, present: int = 0,
                    score: int | None = None, leave: int = 0) -> None:
            order = None
            if status is not None:
                order = LectureOrder(organization_id=org_id, contact_id=contact.id,
                                     topic_id=topic.id, audience=30, status=status)
                db.session.add(order)
                db.session.flush()
            start = now + timedelta(days=days)
            row = Lecture(order_id=order.id if order else None, topic_id=topic.id,
                          lecturer_id=lecturer.id, starts_at=start,
                          ends_at=start + timedelta(hours=2), checkin_code="123456")
            db.session.add(row)
            db.session.flush()
            db.session.add_all([CheckIn(member_id=m.id, lecture_id=row.id)
                                for m in members[:present]])
            db.session.add_all([CheckIn(member_id=m.id, lecture_id=row.id, status="leave")
                                for m in members[present:present + leave]])
            if score is not None and order is not None:
                db.session.add(Rating(order_id=order.id, contact_id=contact.id, score=score))

        lecture(liuyang, -30, None, present=3)  # the committee's, started, checked in: held
        lecture(liuyang, -20, None, leave=2)  # started, only leave: not held
        lecture(liuyang, 5, None)  # to come: not held
        lecture(liuyang, -10, OrderStatus.COMPLETED, present=2)  # held
        lecture(liuyang, -5, OrderStatus.RATED, present=1, score=4)  # held
        lecture(liuyang, -3, OrderStatus.CANCELLED, present=1)  # not held
        lecture(liuyang, 2, OrderStatus.CONFIRMED)  # not held yet
        lecture(wangfang, -8, OrderStatus.COMPLETED, present=4)  # held
        db.session.commit()
    return {"now": now, "liuyang": liuyang, "wangfang": wangfang}


def test_one_number_everywhere(app: Flask, built: dict[str, Any], sandbox: Any, send_text: Any):
    """刘洋 held 3 (the order-less one with check-ins, the completed, the rated), 王芳 1:
    the same in the report, `lectures stats`, the 讲师 page, 我的宣讲 and lectures.stats."""
    liuyang, wangfang = built["liuyang"], built["wangfang"]
    with app.app_context():
        figures = for_lecturers([db.session.get(Member, liuyang.id),
                                 db.session.get(Member, wangfang.id)])
        assert (figures[liuyang.id].lectures, figures[liuyang.id].audience) == (3, 6)
        assert figures[wangfang.id].lectures == 1
        assert {f.label: f.lectures for f in by_lecturer()} == {
            "刘洋（liuyang）": 3, "王芳（wangfang）": 1}
        # By organisation: the ordered ones only (the committee's lecture has no organisation).
        assert [(f.label, f.lectures) for f in by_organization()] == [("华芯党支部", 3)]
        assert held_hours(liuyang.id) == 6.0
        report = report_figures.build(2026, built["now"])
        lines = {line.name: line for line in report.lecturers}
        assert report.figures["lectures"] == 4
        assert report.figures["lecture_attendances"] == 3 + 2 + 1 + 4
        assert report.figures["ordered_lectures"] == 3
        assert (lines["刘洋"].lectures, lines["刘洋"].attendances) == (3, 6)
        assert lines["王芳"].lectures == 1
        assert report_figures.year_so_far(2026).figures["lectures"] == 4  # the dashboard's
        assert db.session.scalar(select(Lecture.id).where(held()).order_by(Lecture.id)
                                 .limit(1)) is not None
    cli = app.test_cli_runner().invoke(args=["lectures", "stats"]).output
    assert "刘洋（liuyang）\t3\t6\t" in cli and "王芳（wangfang）\t1\t4\t" in cli
    assert "held: " in cli
    client = app.test_client()
    assert login_as(client, sandbox, "liuyang").status_code == 303
    page = client.get(f"/console/lecturers/{liuyang.id}").get_data(as_text=True)
    assert re.search(r'id="fig-lectures">3<', page)
    assert lecture_texts.HELD_RULE in page
    reply = send_text("liuyang", "我的宣讲").text
    assert "已宣讲3场" in reply


def test_held_follows_the_order_and_the_check_ins(app: Flask, built: dict[str, Any],
                                                  travel: Any):
    """Once the confirmed order is completed, and once the order-less lecture to come has
    started with a check-in, both count: everywhere at once, by the one condition."""
    liuyang = built["liuyang"]
    with app.app_context():
        confirmed = db.session.scalars(select(LectureOrder).where(
            LectureOrder.status == OrderStatus.CONFIRMED)).one()
        confirmed.status = OrderStatus.COMPLETED
        coming = db.session.scalars(select(Lecture).where(
            Lecture.order_id.is_(None), Lecture.starts_at > built["now"])).one()
        db.session.add(CheckIn(member_id=liuyang.id, lecture_id=coming.id))
        db.session.commit()
        assert for_lecturers([db.session.get(Member, liuyang.id)])[liuyang.id].lectures == 4
    later = travel(built["now"] + timedelta(days=6), tick=False)
    with app.app_context():
        assert for_lecturers([db.session.get(Member, liuyang.id)])[liuyang.id].lectures == 5
        lines = {line.name: line for line in report_figures.build(2026, later).lecturers}
        assert lines["刘洋"].lectures == 5
