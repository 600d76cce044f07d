"""讲师 in the console: adding a lecturer through the member picker and removing one (the rules
and audit rows of `roles grant/revoke`, nothing written on bad input), a lecturer's page with
topics, lectures given, hours and ratings, and the rounds of 讲师报名 opened and closed (one
at a time, a double submit opening one)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from content import lecturer_page_texts as lt
from models import (
    ApplicationRound,
    AuditEntry,
    Lecture,
    LectureOrder,
    Member,
    MemberStatus,
    OrderStatus,
    Rating,
    RoleGrant,
    db,
    utcnow,
)
from tests.console_helpers import World, build_world, login_as, post
from tests.helpers import written

LIST = "/console/lecturers"
APPLICATIONS = "/console/lecturers/applications"


@pytest.fixture
def world(app: Flask, make_member) -> World:
    """build_world's committee."""
    return build_world(app, make_member)


@pytest.fixture
def admin(app: Flask, world: World, sandbox) -> FlaskClient:
    """The admin, logged in."""
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    return client


def _grants(app: Flask, userid: str) -> list[tuple[int | None, str | None]]:
    with app.app_context():
        return [(g.batch, g.specialties) for g in db.session.scalars(
            select(RoleGrant).join(Member, Member.id == RoleGrant.member_id)
            .where(Member.userid == userid, RoleGrant.role == "lecturer"))]


def _audits(app: Flask, action: str) -> list[AuditEntry]:
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                       .order_by(AuditEntry.id)))
        db.session.expunge_all()
        return rows


def _shown(client: FlaskClient, answer: Any) -> str:
    assert answer.status_code == 303, answer.status_code
    return client.get(answer.headers["Location"]).get_data(as_text=True)


def _error(page: str, field: str) -> str:
    found = re.search(rf'id="{re.escape(field)}">([^<]*)<', page)
    assert found, f"no error beside {field}"
    return found.group(1)


def test_picker_offers_active_members_who_are_no_lecturers(admin: FlaskClient, world: World):
    """Does the search list matching active members, and leave out lecturers and the left?"""
    page = admin.get(f"{LIST}?q=c-").get_data(as_text=True)
    assert 'id="candidates"' in page
    assert "党员丁" in page and "联络员甲" in page
    picker = page[page.index('id="candidates"'):]
    assert "讲师丙" not in picker and "已离开己" not in picker
    assert lt.SEARCH_EMPTY in admin.get(f"{LIST}?q=nobody-here").get_data(as_text=True)


def test_grant_from_the_picker(app: Flask, admin: FlaskClient, world: World):
    """设为讲师 with batch and specialties: the role as `roles grant` gives it, audited with
    before and after; the lecturer's page follows."""
    answer = post(admin, f"{LIST}/grant", {"userid": "c-author", "batch": "4",
                                           "specialties": "党史、理论", "q": "c-"})
    assert answer.headers["Location"].endswith(f"{LIST}/{world.author_id}")
    page = _shown(admin, answer)
    assert lt.GRANTED.format(name="党员丁", batch="（第4批）") in page
    assert _grants(app, "c-author") == [(4, "党史、理论")]
    [entry] = _audits(app, "role.grant")
    assert (entry.actor, entry.target) == ("c-admin", "c-author")
    assert entry.detail["role"] == "lecturer" and entry.detail["batch"] == 4
    assert entry.detail["before"] is None
    assert entry.detail["after"] == {"batch": 4, "specialties": "党史、理论"}
    again = post(admin, f"{LIST}/grant", {"userid": "c-author", "batch": "4",
                                          "specialties": "党史、理论"})
    assert lt.UNCHANGED.format(name="党员丁") in _shown(admin, again)
    assert len(_audits(app, "role.grant")) == 1  # nothing changed, nothing audited


def test_change_batch_and_specialties_on_the_page(app: Flask, admin: FlaskClient, world: World):
    """The lecturer's page changes the batch (empty specialties left as they are)."""
    post(admin, f"{LIST}/grant", {"userid": "c-author", "batch": "4", "specialties": "党史"})
    answer = post(admin, f"{LIST}/grant", {"userid": "c-author", "batch": "5",
                                           "specialties": "", "back": "page"})
    page = _shown(admin, answer)
    assert lt.UPDATED.format(name="党员丁", batch="（第5批）") in page
    assert _grants(app, "c-author") == [(5, "党史")]
    entry = _audits(app, "role.grant")[-1]
    assert entry.detail["before"] == {"batch": 4, "specialties": "党史"}
    assert entry.detail["after"] == {"batch": 5, "specialties": "党史"}


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"userid": ""}, "error-userid", lt.ERRORS["userid_required"]),
    ({"userid": "nobody"}, "error-userid", lt.ERRORS["unknown_member"].format(userid="nobody")),
    ({"userid": "c-left"}, "error-userid", lt.ERRORS["inactive"].format(name="已离开己")),
    ({"userid": "c-author", "batch": "第四批"}, "error-batch",
     lt.ERRORS["bad_batch"].format(limit=999)),
    ({"userid": "c-author", "batch": "0"}, "error-batch", lt.ERRORS["bad_batch"].format(limit=999)),
    ({"userid": "c-author", "batch": "1000"}, "error-batch",
     lt.ERRORS["bad_batch"].format(limit=999)),
    ({"userid": "c-author", "specialties": "党" * 201}, "error-specialties",
     lt.ERRORS["specialties_too_long"].format(limit=200)),
])
def test_bad_grant_writes_nothing(app: Flask, admin: FlaskClient, world: World,
                                  form: dict[str, str], field: str, message: str):
    """Is each problem said beside its field, with nothing written?"""
    before = written(app)
    answer = post(admin, f"{LIST}/grant", {**form, "q": "c-"})
    assert answer.status_code == 400
    assert _error(answer.get_data(as_text=True), field) == message
    assert written(app) == before
    assert _grants(app, "c-author") == []


def test_revoke(app: Flask, admin: FlaskClient, world: World):
    """撤销讲师: the role is gone as `roles revoke` takes it, audited with before and after;
    the topic still listing the lecturer is pointed out; a member who is no lecturer is
    refused with nothing written; a missing one is 404."""
    answer = post(admin, f"{LIST}/{world.lecturer_id}/revoke")
    assert lt.REVOKED_TOPICS.format(name="讲师丙", count=1) in _shown(admin, answer)
    assert _grants(app, "c-lect") == []
    [entry] = _audits(app, "role.revoke")
    assert (entry.actor, entry.target, entry.detail["role"]) == ("c-admin", "c-lect", "lecturer")
    assert entry.detail["before"] == {"batch": None, "specialties": None}
    assert entry.detail["after"] is None
    before = written(app)
    again = post(admin, f"{LIST}/{world.lecturer_id}/revoke")
    assert lt.NOT_LECTURER.format(name="讲师丙") in _shown(admin, again)
    assert written(app) == before
    assert post(admin, f"{LIST}/99999/revoke").status_code == 404
    assert admin.get(f"{LIST}/{world.lecturer_id}").status_code == 404  # no lecturer any more


def _lecture(app: Flask, world: World, days: int, hours: float, status: str,
             score: int | None = None, comment: str = "") -> None:
    """A lecture of the world's lecturer `days` ago lasting `hours`, its order in `status`."""
    with app.app_context():
        first = db.session.get(LectureOrder, world.order_id)
        order = LectureOrder(organization_id=first.organization_id, contact_id=first.contact_id,
                             topic_id=world.topic_id, status=status, created_at=utcnow(),
                             updated_at=utcnow())
        db.session.add(order)
        db.session.flush()
        starts = utcnow() - timedelta(days=days)
        db.session.add(Lecture(order_id=order.id, topic_id=world.topic_id,
                               lecturer_id=world.lecturer_id, starts_at=starts,
                               ends_at=starts + timedelta(hours=hours), place="张江路88号",
                               checkin_code=f"{days:06d}", accepted_at=starts))
        if score is not None:
            db.session.add(Rating(order_id=order.id, contact_id=first.contact_id, score=score,
                                  comment=comment))
        db.session.commit()


def test_lecturer_page_figures(app: Flask, admin: FlaskClient, world: World, sandbox):
    """Topics, lectures given, hours (held lectures only) and ratings on the lecturer's page,
    which the lecturer sees too, without the admin's forms."""
    _lecture(app, world, 10, 2, OrderStatus.RATED, 5, "讲得生动")
    _lecture(app, world, 5, 1.5, OrderStatus.RATED, 4)
    _lecture(app, world, 3, 1, OrderStatus.COMPLETED)
    _lecture(app, world, -2, 3, OrderStatus.CONFIRMED)  # still to come: not held
    page = admin.get(f"{LIST}/{world.lecturer_id}").get_data(as_text=True)
    assert re.search(r'id="fig-lectures">3<', page)
    assert re.search(r'id="fig-hours">4.5<', page)
    assert re.search(r'id="fig-ratings">2<', page)
    assert re.search(r'id="fig-average">4.50<', page)
    topics = page[page.index('id="lecturer-topics"'):]
    assert "《新时代的伟大变革》" in topics[:300]
    ratings = page[page.index('id="lecturer-ratings"'):]
    assert "5 分" in ratings and "讲得生动" in ratings and "4 分" in ratings
    assert 'id="lecturer-revoke"' in page
    lecturer = app.test_client()
    login_as(lecturer, sandbox, world.lecturer)
    own = lecturer.get(f"{LIST}/{world.lecturer_id}").get_data(as_text=True)
    assert re.search(r'id="fig-hours">4.5<', own)
    assert 'id="lecturer-revoke"' not in own and 'id="lecturer-edit"' not in own
    assert lecturer.get(f"{LIST}/{world.author_id}").status_code == 403


def _round_key(client: FlaskClient) -> str:
    page = client.get(APPLICATIONS).get_data(as_text=True)
    found = re.search(r'name="form_key" value="([^"]+)"', page)
    assert found, "no round form on the page"
    return found.group(1)


def _rounds(app: Flask) -> list[tuple[str, int, bool | None]]:
    with app.app_context():
        return [(r.name, r.batch, r.is_open) for r in db.session.scalars(
            select(ApplicationRound).order_by(ApplicationRound.id))]


def test_open_and_close_a_round(app: Flask, admin: FlaskClient, world: World):
    """开放报名 with a name and batch (the form submitted twice opens one), then 结束报名;
    both audited with before and after, the page saying what is open."""
    page = admin.get(APPLICATIONS).get_data(as_text=True)
    assert lt.ROUND_NONE_OPEN in page
    assert 'value="第1批红色讲师报名"' in page  # the next batch's name, suggested
    key = _round_key(admin)
    form = {"form_key": key, "name": "第三批红色讲师报名", "batch": "3"}
    page = _shown(admin, post(admin, "/console/lecturers/rounds/open", form))
    assert lt.ROUND_OPENED.format(name="第三批红色讲师报名", batch=3) in page
    assert "正在报名：第三批红色讲师报名（第3批）" in page
    assert lt.ROUND_FORM_USED in _shown(admin, post(admin, "/console/lecturers/rounds/open",
                                                   form))
    assert _rounds(app) == [("第三批红色讲师报名", 3, True)]
    [opened] = _audits(app, "lecturer_round.open")
    assert opened.actor == "c-admin" and opened.detail["before"] is None
    assert opened.detail["after"]["name"] == "第三批红色讲师报名"
    with app.app_context():
        round_id = db.session.scalars(select(ApplicationRound.id)).one()
    page = _shown(admin, post(admin, f"/console/lecturers/rounds/{round_id}/close"))
    assert lt.ROUND_CLOSED.format(name="第三批红色讲师报名", count=0) in page
    assert lt.ROUND_NONE_OPEN in page and 'id="round-history"' in page
    assert _rounds(app) == [("第三批红色讲师报名", 3, None)]
    [closed] = _audits(app, "lecturer_round.close")
    assert closed.detail["before"]["open"] is True and closed.detail["after"]["open"] is False
    before = written(app)
    again = _shown(admin, post(admin, f"/console/lecturers/rounds/{round_id}/close"))
    assert lt.ROUND_ALREADY_CLOSED.format(name="第三批红色讲师报名") in again
    assert written(app) == before
    assert post(admin, "/console/lecturers/rounds/999/close").status_code == 404


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"name": "  ", "batch": "3"}, "round-error-name", lt.ROUND_ERRORS["name_required"]),
    ({"name": "第" * 101, "batch": "3"}, "round-error-name",
     lt.ROUND_ERRORS["name_too_long"].format(limit=100)),
    ({"name": "第三批", "batch": "三"}, "round-error-batch",
     lt.ROUND_ERRORS["bad_batch"].format(limit=999)),
    ({"name": "第三批", "batch": ""}, "round-error-batch",
     lt.ROUND_ERRORS["bad_batch"].format(limit=999)),
])
def test_bad_round_writes_nothing(app: Flask, admin: FlaskClient, world: World,
                                  form: dict[str, str], field: str, message: str):
    """Is each problem of the round form said beside its field, with nothing written?"""
    key = _round_key(admin)
    before = written(app)
    answer = post(admin, "/console/lecturers/rounds/open", {"form_key": key, **form})
    assert answer.status_code == 400
    assert _error(answer.get_data(as_text=True), field) == message
    assert written(app) == before


def test_one_round_at_a_time(app: Flask, admin: FlaskClient, world: World):
    """A second round while one is open is refused (with a fresh form too), nothing written;
    a form without its key is refused."""
    post(admin, "/console/lecturers/rounds/open",
         {"form_key": _round_key(admin), "name": "第三批红色讲师报名", "batch": "3"})
    stale = "a" * 22  # a form opened before the round was
    before = written(app)
    answer = post(admin, "/console/lecturers/rounds/open",
                  {"form_key": stale, "name": "第四批红色讲师报名", "batch": "4"})
    assert answer.status_code == 400
    assert _error(answer.get_data(as_text=True), "round-error-form") == (
        lt.ROUND_ERRORS["open"].format(name="第三批红色讲师报名"))
    assert written(app) == before
    missing = post(admin, "/console/lecturers/rounds/open", {"name": "第四批", "batch": "4"})
    assert missing.status_code == 400 and lt.ROUND_FORM_EXPIRED in missing.get_data(as_text=True)
    assert _rounds(app) == [("第三批红色讲师报名", 3, True)]


def test_contacts_and_lecturers_cannot_grant_or_open(app: Flask, world: World, sandbox):
    """A contact or a lecturer posting the forms gets 403 with nothing written."""
    for userid in (world.contact_here, world.lecturer):
        client = app.test_client()
        login_as(client, sandbox, userid)
        before = written(app)
        assert post(client, f"{LIST}/grant", {"userid": "c-author"}).status_code == 403
        assert post(client, f"{LIST}/{world.lecturer_id}/revoke").status_code == 403
        assert post(client, "/console/lecturers/rounds/open",
                    {"form_key": "b" * 22, "name": "x", "batch": "1"}).status_code == 403
        assert written(app) == before
    assert _grants(app, "c-lect") == [(None, None)]


def test_left_member_loses_nothing_else(app: Flask, admin: FlaskClient, world: World):
    """A lecturer who left stays in the pool marked as left and can be removed."""
    with app.app_context():
        member = db.session.get(Member, world.lecturer_id)
        member.status = MemberStatus.LEFT
        db.session.commit()
    page = admin.get(LIST).get_data(as_text=True)
    assert "讲师丙" in page and "已离开" in page
    assert lt.REVOKED_TOPICS.format(name="讲师丙", count=1) in _shown(
        admin, post(admin, f"{LIST}/{world.lecturer_id}/revoke"))
