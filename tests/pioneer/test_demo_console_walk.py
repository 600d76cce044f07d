"""The demo's 管理后台 as a visitor finds it: logged in as the demo's admin (陈静) on the seeded
demo year, every page of the menu and the first record each list links to answers, and every
page that acts on something has the demo's own record to act on — an order waiting to be
dispatched with lecturers to choose, reflections to review, a question to answer, a book not
yet confirmed, a visit to confirm, a training with sessions, an activity open for 签到, award
candidates — and the visitor can carry out the dispatch."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import clock
from models import (
    Activity,
    BookDistribution,
    LectureOrder,
    OrderStatus,
    Question,
    QuestionStatus,
    Reflection,
    ReflectionStatus,
    Role,
    RoleGrant,
    Training,
    VisitBooking,
    VisitStatus,
    db,
)
from pioneer.demo import seed_demo_year
from roster.demo import seed_demo
from sandbox.server import SandboxServer
from tests.console_helpers import login_as, post

ADMIN = "chenjing"  # the demo's 党委专职副书记, an admin
MENU = re.compile(r'<nav id="console-nav".*?</nav>', re.S)
LINK = re.compile(r'href="(/console/[^"?#]*)"')


def _text(client: FlaskClient, path: str) -> str:
    answer = client.get(path)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.get_data(as_text=True)


def _menu(home: str) -> list[str]:
    found = MENU.search(home)
    assert found, "no console menu"
    return list(dict.fromkeys(p for p in LINK.findall(found.group(0))
                              if not p.endswith(("/logout", ".xlsx", ".csv", ".docx"))))


def _count(statement: Any) -> int:
    return int(db.session.scalar(statement) or 0)


def test_every_console_page_has_the_demos_own_data(app: Flask, client: FlaskClient,
                                                   sandbox: SandboxServer, travel: Any) -> None:
    """Every menu page and the first record it links to answer 200, the pages that act find
    a record to act on, and the waiting order can be dispatched to a demo lecturer."""
    travel("2026-12-07 10:00")
    with app.app_context():
        seed_demo()
        db.session.commit()
        seed_demo_year(clock.today())
        waiting = {
            "orders": _count(select(func.count(LectureOrder.id)).where(
                LectureOrder.status == OrderStatus.PENDING)),
            "reflections": _count(select(func.count(Reflection.id)).where(
                Reflection.status == ReflectionStatus.SUBMITTED)),
            "questions": _count(select(func.count(Question.id)).where(
                Question.status == QuestionStatus.OPEN)),
            "books": _count(select(func.count(BookDistribution.id)).where(
                BookDistribution.confirmed_at.is_(None))),
            "visits": _count(select(func.count(VisitBooking.id)).where(
                VisitBooking.status == VisitStatus.REQUESTED)),
            "trainings": _count(select(func.count(Training.id))),
            "activities": _count(select(func.count(Activity.id)).where(
                Activity.starts_at > clock.utcnow())),
            "lecturers": _count(select(func.count(RoleGrant.id)).where(
                RoleGrant.role == Role.LECTURER)),
        }
        pending = db.session.scalars(select(LectureOrder).where(
            LectureOrder.status == OrderStatus.PENDING).order_by(LectureOrder.id)).first()
        pending_id = pending.id if pending is not None else 0
    assert all(waiting.values()), waiting  # something of each kind to act on

    assert login_as(client, sandbox, ADMIN).status_code in (302, 303)
    menu = _menu(_text(client, "/console/"))
    assert len(menu) > 20, menu
    seen: set[str] = set()
    for path in menu:
        page = _text(client, path)
        seen.add(path)
        detail = re.compile(re.escape(path.rstrip("/")) + r"/\d+")
        first = next((p for p in LINK.findall(page) if detail.fullmatch(p)), None)
        if first is not None and first not in seen:
            _text(client, first)
            seen.add(first)
    assert len(seen) > len(menu) + 8, sorted(seen - set(menu))  # list pages link their records

    awards = _text(client, "/console/awards")
    assert "学习标兵" in awards or "学习达人" in awards
    order = _text(client, f"/console/orders/{pending_id}")
    choice = re.search(r'name="choice" value="([^"]+)"', order)
    assert choice, "the waiting order offers no lecturer to choose"
    sent = post(client, f"/console/orders/{pending_id}/dispatch", {"choice": choice.group(1)})
    assert sent.status_code in (302, 303), sent.status_code
    with app.app_context():
        assert db.session.get(LectureOrder, pending_id).status == OrderStatus.DISPATCHED
