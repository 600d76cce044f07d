"""讲师报名 in the console: the list and its filter, 通过 (with the batch) and 不通过 (with a
reason) telling the applicant, one decision only, bad input, and who may do it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from console.views import local
from content import console_texts as t
from content import followup_texts
from models import AuditEntry, LecturerApplication, Member, MemberStatus, RoleGrant, db, utcnow
from tests.console_helpers import World, build_world, local_login, login_as, make_account, post
from tests.helpers import written

LIST = "/console/lecturers/applications"


def _approve(client: FlaskClient, application_id: int, **form: Any) -> Any:
    return post(client, f"{LIST}/{application_id}/approve", form)


def _decline(client: FlaskClient, application_id: int, **form: Any) -> Any:
    return post(client, f"{LIST}/{application_id}/decline", form)


def _shown(client: FlaskClient, answer: Any) -> str:
    """The page a form's redirect leads to (with its flash message)."""
    assert answer.status_code == 303, answer.status_code
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def _row(app: Flask, application_id: int) -> tuple[Any, ...]:
    with app.app_context():
        row = db.session.get(LecturerApplication, application_id)
        return (row.status, row.batch, row.decided_by, row.decided_at, row.decision_note)


def _lecturer_grants(app: Flask, member_id: int) -> list[tuple[int | None, str | None]]:
    with app.app_context():
        return [(g.batch, g.specialties) for g in db.session.scalars(select(RoleGrant).where(
            RoleGrant.member_id == member_id, RoleGrant.role == "lecturer"))]


def _inbox(sandbox: Any, userid: str) -> list[str]:
    return [m["content"]["content"] for m in sandbox.state.inbox_since(userid)
            if m["msgtype"] == "text"]


def _decided_elsewhere(app: Flask, world: World) -> tuple[int, int]:
    """An approved application of the lecturer and a declined one of the plain member."""
    with app.app_context():
        plain = db.session.scalars(select(Member).where(Member.userid == world.member)).one()
        now = utcnow()
        approved = LecturerApplication(
            member_id=world.lecturer_id, specialties="理论宣讲", experience="讲过十次。",
            sample_topic="红船精神", batch=1, status="approved", decided_by="cli:root",
            decided_at=now, created_at=now)
        declined = LecturerApplication(
            member_id=plain.id, specialties="法治", experience="刚入党一年。",
            sample_topic="宪法与我", batch=2, status="declined", decided_by="c-admin",
            decision_note="经历尚浅，下批再报", decided_at=now, created_at=now)
        db.session.add_all([approved, declined])
        db.session.commit()
        return approved.id, declined.id


@pytest.fixture
def world(app: Flask, make_member) -> World:
    return build_world(app, make_member)


@pytest.fixture
def admin(app: Flask, sandbox, world: World) -> FlaskClient:
    client = app.test_client()
    assert login_as(client, sandbox, world.admin).status_code == 303
    return client


def test_list_shows_pending_by_default_and_filters(app: Flask, world: World, admin):
    """Does the list show the pending application with what it holds, and do the filters show
    approved, declined (with the reason) and all; is an unknown filter taken as pending?"""
    _approved, declined = _decided_elsewhere(app, world)
    page = admin.get(LIST).get_data(as_text=True)
    for shown in ("党员丁", "c-author", "华芯党支部", "党史、理论", "新时代的红色精神",
                  "在社区党校讲过三年党课。", "待审核", f"{LIST}/{world.application_id}/approve",
                  f"{LIST}/{world.application_id}/decline", 'name="csrf"'):
        assert shown in page, shown
    assert "红船精神" not in page and "宪法与我" not in page
    page = admin.get(f"{LIST}?status=declined").get_data(as_text=True)
    assert "宪法与我" in page and "经历尚浅，下批再报" in page and "未通过" in page
    assert "新时代的红色精神" not in page and f"{LIST}/{declined}/approve" not in page
    page = admin.get(f"{LIST}?status=approved").get_data(as_text=True)
    assert "红船精神" in page and t.ACTOR_CLI.format(name="root") in page and "宪法与我" not in page
    page = admin.get(f"{LIST}?status=all").get_data(as_text=True)
    assert all(topic in page for topic in ("红船精神", "宪法与我", "新时代的红色精神"))
    assert "共 3 条" in page
    page = admin.get(f"{LIST}?status=<b>").get_data(as_text=True)
    assert "新时代的红色精神" in page and "宪法与我" not in page
    nav = f'<a href="{LIST}">{t.NAV_APPLICATIONS}'
    assert nav + t.NAV_WAITING.format(count=1) + "</a>" in admin.get("/console/").get_data(
        as_text=True)  # in the nav, with how many wait


def test_approve_from_chat_to_console(app: Flask, make_member, sandbox, send_text):
    """The admin opens a round in the console; a member applies in chat; the admin's notice
    points to the console; 通过 with another batch grants the role with it and the
    specialties, tells the member, and is audited."""
    admin_member = make_member("admin1", "管理员", org="党委办公室", roles=("admin",))
    applicant = make_member("zhangsan", "张三", org="华芯党支部")
    client = app.test_client()
    login_as(client, sandbox, admin_member.userid)
    form = client.get(LIST).get_data(as_text=True)
    key = re.search(r'name="form_key" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    opened = post(client, "/console/lecturers/rounds/open",
                  {"form_key": key, "name": "第一批红色讲师报名", "batch": "1"})
    assert "已开放“第一批红色讲师报名”（第1批）" in _shown(client, opened)
    for text in ("讲师报名", "党史、理论", "在社区党校讲过三年党课，带过学习小组。",
                 "新时代的红色精神", "确认"):
        send_text(applicant, text)
    [notice] = _inbox(sandbox, admin_member.userid)
    assert "管理后台“讲师报名”页" in notice
    with app.app_context():
        application_id = db.session.scalars(select(LecturerApplication.id)).one()
    answer = _approve(client, application_id, batch="3", status="pending")
    assert answer.headers["Location"].endswith(f"{LIST}?status=pending")
    page = _shown(client, answer)
    assert t.APPLICATION_APPROVED.format(name="张三", batch=3) in page
    assert "新时代的红色精神" not in page  # no longer pending
    status, batch, by, at, _ = _row(app, application_id)
    assert (status, batch, by) == ("approved", 3, "admin1") and at is not None
    assert _lecturer_grants(app, applicant.id) == [(3, "党史、理论")]
    assert _inbox(sandbox, "zhangsan")[-1] == followup_texts.APPLY_APPROVED.format(
        batch=3, specialties="党史、理论")
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "lecturer_application.approve")).one()
        assert (entry.actor, entry.detail["batch"]) == ("admin1", 3)
    assert "张三" in client.get("/console/lecturers").get_data(as_text=True)


def test_approve_keeps_the_batch_applied_for(app: Flask, world: World, admin, sandbox):
    """Left as shown (or empty), the batch is the one applied for."""
    page = _shown(admin, _approve(admin, world.application_id, batch=""))
    assert t.APPLICATION_APPROVED.format(name="党员丁", batch=2) in page
    assert _lecturer_grants(app, world.author_id) == [(2, "党史、理论")]
    assert len(_inbox(sandbox, "c-author")) == 1


def test_decline_needs_a_reason_and_tells_it(app: Flask, world: World, admin, sandbox):
    """Is 不通过 refused without a reason (or with one too long), writing nothing; with one, is
    the application declined, the member told why, no role granted, and the reason listed?"""
    before, row = written(app), _row(app, world.application_id)
    for reason in ("", "   ", "长" * 501):
        page = _shown(admin, _decline(admin, world.application_id, reason=reason))
        expected = (t.APPLICATION_ERRORS["reason_too_long"].format(limit=500) if reason
                    and reason.strip() else t.APPLICATION_ERRORS["reason_required"])
        assert expected in page, reason
    assert (written(app), _row(app, world.application_id)) == (before, row)
    assert _inbox(sandbox, "c-author") == []
    page = _shown(admin, _decline(admin, world.application_id, reason="  本批名额已满  "))
    assert t.APPLICATION_DECLINED.format(name="党员丁") in page
    status, _, by, _, note = _row(app, world.application_id)
    assert (status, by, note) == ("declined", "c-admin", "本批名额已满")
    assert _inbox(sandbox, "c-author") == [followup_texts.APPLY_DECLINED.format(
        batch=2, reason="本批名额已满")]
    assert _lecturer_grants(app, world.author_id) == []
    declined = admin.get(f"{LIST}?status=declined").get_data(as_text=True)
    assert "本批名额已满" in declined and "管理员甲" in declined  # who decided, by name


def test_a_second_decision_changes_nothing(app: Flask, world: World, admin, sandbox):
    """Once approved, does another 通过 or a 不通过 get a clear message and change nothing: no
    row, no audit entry, no message, the same decision?"""
    _shown(admin, _approve(admin, world.application_id))
    before, row = written(app), _row(app, world.application_id)
    sent = _inbox(sandbox, "c-author")
    already = t.APPLICATION_ALREADY.format(status="已通过", by="管理员甲", at=local(row[3]))
    assert already in _shown(admin, _approve(admin, world.application_id, batch="4"))
    assert already in _shown(admin, _decline(admin, world.application_id, reason="再议"))
    assert (written(app), _row(app, world.application_id)) == (before, row)
    assert _inbox(sandbox, "c-author") == sent
    assert _lecturer_grants(app, world.author_id) == [(2, "党史、理论")]


def test_bad_input_writes_nothing(app: Flask, world: World, admin, sandbox):
    """An unknown application gets a 404 saying so; a batch that is not 1..999 gets its
    message; nothing is written either way."""
    before, row = written(app), _row(app, world.application_id)
    for answer in (_approve(admin, 999), _decline(admin, 999, reason="不合适")):
        assert answer.status_code == 404  # a page, not a flash: nothing waits in the session
        assert t.APPLICATION_UNKNOWN.format(id=999) in answer.get_data(as_text=True)
    bad_batch = t.APPLICATION_ERRORS["bad_batch"].format(limit=999)
    for batch in ("abc", "0", "-1", "1000", "2.5", "２", "99999999999"):
        assert bad_batch in _shown(admin, _approve(admin, world.application_id, batch=batch)), batch
    assert (written(app), _row(app, world.application_id)) == (before, row)
    assert _inbox(sandbox, "c-author") == []


def test_an_applicant_who_left_cannot_be_approved(app: Flask, world: World, admin):
    """Is a member who left shown as such, and 通过 refused with a message, nothing written?"""
    with app.app_context():
        db.session.get(Member, world.author_id).status = MemberStatus.LEFT
        db.session.commit()
    assert "（已离开）" in admin.get(LIST).get_data(as_text=True)
    before = written(app)
    page = _shown(admin, _approve(admin, world.application_id))
    assert t.APPLICATION_ERRORS["inactive"] in page
    assert written(app) == before and _row(app, world.application_id)[0] == "pending"


@pytest.mark.parametrize("role", ["contact_here", "contact_other", "lecturer", "stranger"])
def test_only_admins_see_or_decide(app: Flask, world: World, sandbox, role: str):
    """Are contacts and lecturers refused (403) on the list and both forms, a stranger sent to
    log in, with nothing written and no 讲师报名 link in their navigation?"""
    client = app.test_client()
    if role != "stranger":
        login_as(client, sandbox, getattr(world, role))
    before = written(app)
    answers = [client.get(LIST), _approve(client, world.application_id),
               _decline(client, world.application_id, reason="不合适")]
    if role == "stranger":
        assert all(a.status_code == 302 and "/console/login" in a.headers["Location"]
                   for a in answers)
    else:
        assert [a.status_code for a in answers] == [403, 403, 403]
        assert t.NAV_APPLICATIONS not in client.get("/console/", follow_redirects=True
                                                    ).get_data(as_text=True)
    assert written(app) == before
    assert _row(app, world.application_id)[0] == "pending"


def test_a_local_admin_account_decides_as_itself(app: Flask, world: World, sandbox):
    """Does a local admin account (WeCom unreachable) decide, recorded as console:<name>?"""
    make_account(app)
    client = app.test_client()
    local_login(client)
    _shown(client, _decline(client, world.application_id, reason="下批再报"))
    assert _row(app, world.application_id)[2] == "console:root-admin"
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.actor == "console:root-admin",
            AuditEntry.action == "lecturer_application.decline")) == 1


def test_nav_counts_the_waiting_applications(app: Flask, world: World, admin):
    """Does the admin's nav say how many applications wait, and nothing once none does?"""
    nav = f'<a href="{LIST}">{t.NAV_APPLICATIONS}'
    assert nav + t.NAV_WAITING.format(count=1) + "</a>" in admin.get(LIST).get_data(as_text=True)
    assert _decline(admin, world.application_id, reason="下批再报").status_code == 303
    assert nav + "</a>" in admin.get("/console/").get_data(as_text=True)
