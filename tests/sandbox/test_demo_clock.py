"""The demo clock (`/clock` in `./dev demo`): it moves only when the demo allowed it, nothing
but the demo can allow it, and moved ahead it lets a member 签到 at a demo lecture, then
completes the lecture and asks for 评单."""

from __future__ import annotations

import ast
import io
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

import clock
from bot.demo_data import mark_demo
from models import Lecture, LectureOrder, OrderStatus, db
from pioneer import demo_clock
from pioneer.demo import seed_demo_year
from roster.demo import demo_committee, seed_demo
from sandbox.chat import Chat
from sandbox.seed import seed_directory
from sandbox.server import SandboxServer
from sandbox.simulator import MemberSimulator

ROOT = Path(__file__).resolve().parents[2]
MAY_MOVE = {"clock/__init__.py", "pioneer/demo_clock.py", "sandbox/chat.py"}


@pytest.fixture(autouse=True)
def real_time_after() -> Iterator[None]:
    """Whatever a test does, the clock is real (and locked) again afterwards."""
    yield
    clock.allow_offset(False)


def test_the_clock_moves_only_when_the_demo_allowed_it() -> None:
    """Is set_offset refused until allowed, and is allow_offset(False) real time for good?"""
    with pytest.raises(RuntimeError, match="only in the demo"):
        clock.set_offset(timedelta(hours=2))
    assert clock.offset() == timedelta(0)
    clock.allow_offset()
    clock.set_offset(timedelta(hours=2))
    ahead = clock.utcnow() - datetime.now(UTC)
    assert timedelta(hours=1, minutes=59) < ahead < timedelta(hours=2, minutes=1)
    assert 7190 < clock.timestamp() - datetime.now(UTC).timestamp() < 7210
    clock.allow_offset(False)
    assert clock.offset() == timedelta(0)
    with pytest.raises(RuntimeError):
        clock.set_offset(timedelta(hours=1))


def test_nothing_but_the_demo_moves_the_clock() -> None:
    """Does no module outside the demo clock and the sandbox chat call allow_offset or
    set_offset (so no deployment can run on a moved clock)?"""
    callers = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.split("/")[0] in {".venv", "tests", "node_modules"}:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name in {"allow_offset", "set_offset"}:
                    callers.add(relative)
    assert callers and callers <= MAY_MOVE, callers - MAY_MOVE


@pytest.mark.parametrize(("text", "hours"), [("+2h", 2), ("+1d", 24), ("+1d2h30m", 26.5),
                                             ("+45m", 0.75)])
def test_steps(text: str, hours: float) -> None:
    """Are steps read from the demo's present?"""
    now = datetime(2026, 12, 7, 2, tzinfo=UTC)
    assert demo_clock.target(text, now) == now + timedelta(hours=hours)


def test_times_and_refusals() -> None:
    """Is a wall time the committee's, "now" real time, and nonsense refused?"""
    now = datetime(2026, 12, 7, 2, tzinfo=UTC)
    assert demo_clock.target("2026-12-08 15:00", now) == datetime(2026, 12, 8, 7, tzinfo=UTC)
    assert demo_clock.target("now", now) is None
    with pytest.raises(demo_clock.ClockRefused):
        demo_clock.target("soon-ish", now)
    with pytest.raises(demo_clock.ClockRefused):
        demo_clock.target("2026-02-30", now)


def test_enable_refuses_a_database_not_the_demos(app: Flask) -> None:
    """Is the demo clock refused on a database the demo did not mark?"""
    with pytest.raises(RuntimeError, match="demo's own database"):
        demo_clock.enable(app)
    with pytest.raises(RuntimeError):
        clock.set_offset(timedelta(hours=1))


def test_clock_reaches_a_lecture_checkin_and_its_follow_up(
        app: Flask, travel: Any, send_text: Any, sim: MemberSimulator,
        sandbox: SandboxServer) -> None:
    """In the seeded demo, is tonight's lecture closed to 签到 now, open after /clock moves
    to its start, and completed with 评单 asked after /clock passes its end?"""
    travel("2026-12-07 10:00", tick=False)
    seed_directory(sandbox.state, demo_committee())  # the sandbox delivers to the demo's people
    with app.app_context():
        mark_demo()
        seed_demo()
        db.session.commit()
        seed_demo_year(clock.today())
        tonight = db.session.scalars(select(Lecture).where(
            Lecture.starts_at == clock.at(clock.today(), time(19)))).one()
        order_id, code = tonight.order_id, tonight.checkin_code
        assert tonight.order is not None and tonight.order.status == OrderStatus.CONFIRMED
        number, contact = tonight.order.number, tonight.order.contact.userid
        soon = clock.at(clock.today(), time(18, 55))
        within_a_day = db.session.scalar(select(func.count(Lecture.id)).join(LectureOrder).where(
            LectureOrder.status == OrderStatus.CONFIRMED, Lecture.starts_at > soon,
            Lecture.starts_at <= soon + timedelta(days=1)))
        assert within_a_day >= 2  # tonight's and 刘洋's at 李娜's tomorrow afternoon
    demo_clock.enable(app)
    refused = send_text("zhangwei", f"签到 {code}").text
    assert "签到成功" not in refused and "还未开始" in refused
    out = io.StringIO()
    chat = Chat(sim, sandbox.state, out, app, userid=contact)
    chat.handle("/help")
    assert "demo time / 演示时间: 2026-12-07 10:00 (real time)" in out.getvalue()
    chat.handle("/clock 2026-12-07 18:55")  # as the ordering contact: the reminder shows
    moved = out.getvalue().split("(real time)\n", 1)[1]
    assert moved.startswith("demo time / 演示时间: 2026-12-07 18:55 (0d 8h 55m ahead of real "
                            f"time)\nlecture tick: {within_a_day} reminded, 0 completed\n")
    assert "[pushed text] 【宣讲提醒】" in moved and code in moved
    assert "签到成功" in send_text("zhangwei", f"签到 {code}").text
    assert "not moved" in demo_clock.command(app, "2026-12-07 12:00")[0]
    assert "1 completed" in demo_clock.command(app, "+3h")[1]
    with app.app_context():
        assert db.session.get(LectureOrder, order_id).status == OrderStatus.COMPLETED
    asked = [m for m in sandbox.state.inbox_since(contact)
             if number in str(m.get("content")) and "评单" in str(m.get("content"))]
    assert asked
    rated = send_text(contact, f"评单 {number} 5 讲得很好").text
    assert rated.startswith(f"已评价 {number}：5分")
    with app.app_context():
        assert db.session.get(LectureOrder, order_id).status == OrderStatus.RATED
