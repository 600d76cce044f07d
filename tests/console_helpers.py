"""Helpers for console tests: a small committee with every role, and ways to log in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from flask.testing import FlaskClient

from console.accounts import create_admin
from models import (
    LectureOrder,
    LecturerApplication,
    Member,
    MemberStatus,
    Question,
    Reflection,
    ReflectionStatus,
    Topic,
    TopicLecturer,
    db,
    utcnow,
)
from sandbox.server import SandboxServer
from tests.helpers import SHANGHAI

ADMIN_PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True)
class World:
    """Ids of the people and records the console tests use."""

    admin: str
    contact_here: str
    contact_other: str
    lecturer: str
    member: str
    left: str
    author_id: int
    lecturer_id: int
    reflection_id: int
    order_id: int
    org_here: int
    org_other: int
    application_id: int
    topic_id: int = 0
    question_id: int = 0


def at(days: int, hour: int) -> datetime:
    """A Shanghai wall-clock time `days` from today."""
    day = (utcnow().astimezone(SHANGHAI) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def build_world(app: Flask, make_member: Any, reflection_text: str = "学习体会：不忘初心。"
                ) -> World:
    """Two organisations, a contact of each, a lecturer, an admin, a plain and a left member;
    a submitted reflection, a pending order, the reflection's author's pending lecturer
    application (讲师报名, batch 2) and open question (问题箱) in the first organisation."""
    make_member("c-admin", "管理员甲", org="党委办公室", roles=("admin",))
    here = make_member("c-here", "联络员甲", org="华芯党支部", roles=("contact",))
    other = make_member("c-other", "联络员乙", org="远景党支部", roles=("contact",))
    lecturer = make_member("c-lect", "讲师丙", org="讲师团", roles=("lecturer",))
    author = make_member("c-author", "党员丁", org="华芯党支部")
    make_member("c-plain", "党员戊", org="远景党支部")
    left = make_member("c-left", "已离开己", org="华芯党支部", roles=("admin",))
    with app.app_context():
        db.session.get(Member, left.id).status = MemberStatus.LEFT
        now = utcnow()
        reflection = Reflection(member_id=author.id, subject_title="党史学习", text=reflection_text,
                                word_count=len(reflection_text), status=ReflectionStatus.SUBMITTED,
                                submitted_at=now, created_at=now, updated_at=now)
        topic = Topic(slug="console-topic", title="新时代的伟大变革", minutes=90,
                      modes=["offline"])
        topic.lecturers = [TopicLecturer(member_id=lecturer.id)]
        db.session.add_all([reflection, topic])
        db.session.flush()
        here_member = db.session.get(Member, here.id)
        order = LectureOrder(organization_id=here_member.main_organization.id,
                             contact_id=here.id, topic_id=topic.id, audience=40,
                             slots=[at(3, 15).astimezone(UTC).isoformat(),
                                    at(4, 9).astimezone(UTC).isoformat()],
                             address="张江路88号", created_at=now, updated_at=now)
        application = LecturerApplication(
            member_id=author.id, specialties="党史、理论", experience="在社区党校讲过三年党课。",
            sample_topic="新时代的红色精神", batch=2, status="pending", created_at=now)
        question = Question(member_id=author.id, organization_id=order.organization_id,
                            text="党费按什么基数交？", asked_at=now)
        db.session.add_all([order, application, question])
        db.session.commit()
        org_here = here_member.main_organization.id
        org_other = db.session.get(Member, other.id).main_organization.id
        return World("c-admin", "c-here", "c-other", "c-lect", "c-plain", "c-left", author.id,
                     lecturer.id, reflection.id, order.id, org_here, org_other, application.id,
                     topic.id, question.id)


def login_as(client: FlaskClient, sandbox: SandboxServer, userid: str) -> Any:
    """Log in through the WeCom web-login flow (the sandbox issues the code); the response."""
    start = client.get("/console/login/wecom")
    assert start.status_code == 302, start.status_code
    query = parse_qs(urlsplit(start.headers["Location"]).query)
    code = sandbox.state.issue_code(userid)
    return client.get(f"/console/login/wecom/return?code={code}&state={query['state'][0]}")


def make_account(app: Flask, username: str = "root-admin") -> None:
    """A local admin account with ADMIN_PASSWORD."""
    with app.app_context():
        create_admin(username, ADMIN_PASSWORD, "test")
        db.session.commit()


def csrf_of(client: FlaskClient) -> str:
    """The browser's CSRF token, read from a console page as a browser would."""
    page = client.get("/console/login").get_data(as_text=True)
    found = CSRF.search(page)
    assert found, "no CSRF field on the login page"
    return found.group(1)


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any
         ) -> Any:
    """POST a console form with the CSRF token."""
    return client.post(path, data={"csrf": csrf_of(client), **(data or {})}, **kwargs)


def local_login(client: FlaskClient, username: str = "root-admin",
                password: str = ADMIN_PASSWORD) -> Any:
    """Log in with a local account; the response."""
    return post(client, "/console/login", {"username": username, "password": password})
