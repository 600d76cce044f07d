"""Does one lecture go the whole way: 点单 → 派单 → 接单 → the lecture → 评单?"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from lectures.jobs import lecture_tick
from models import Lecture, LectureOrder, OrderStatus, Rating, db, utcnow
from tests.lectures.lecture_helpers import inbox, typed


def order_status(app: Flask) -> str:
    """The one order's status."""
    with app.app_context():
        return db.session.scalars(select(LectureOrder)).one().status


def test_order_to_rating(app: Flask, menu, send_text, sandbox):
    """The contact orders, the admin dispatches, the lecturer accepts, the contact rates."""
    send_text("lina", "点单")
    send_text("lina", "1")
    send_text("lina", typed(10))
    send_text("lina", "40")
    send_text("lina", "线下，XX路XX号三楼会议室")
    submitted = send_text("lina", "确认").text
    assert "已提交点单 DD-" in submitted and order_status(app) == OrderStatus.PENDING
    number = submitted.split("已提交点单 ")[1].split("，")[0]

    assert number in send_text("chenjing", "待派单").text
    send_text("chenjing", "派 1")
    assert order_status(app) == OrderStatus.DISPATCHED
    assert number in inbox(sandbox, "liuyang")  # the card and the typed fallback

    send_text("liuyang", f"接单 {number}")
    assert order_status(app) == OrderStatus.CONFIRMED
    with app.app_context():
        lecture = db.session.scalars(select(Lecture)).one()
        code = lecture.checkin_code
        lecture.starts_at = utcnow() - timedelta(hours=3)  # the lecture has taken place
        lecture.ends_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    assert code in inbox(sandbox, "lina")

    with app.app_context():
        assert lecture_tick() >= 1  # the cron job: completes it, asks for rating and count
    assert order_status(app) == OrderStatus.COMPLETED
    assert "评单" in inbox(sandbox, "lina")

    send_text("liuyang", f"人数 {number} 38")
    send_text("lina", f"评单 {number} 5 讲得很好")
    assert order_status(app) == OrderStatus.RATED
    with app.app_context():
        rating = db.session.scalars(select(Rating)).one()
        assert (rating.score, rating.comment) == (5, "讲得很好")
        assert db.session.scalars(select(Lecture)).one().attendance == 38
