"""评选 in the console: each honour's candidates with the rule and figures beside them,
deciding once (a double submit), undoing before publishing, publishing once by broadcast (the
sandbox records one send), the honour in 我的积分 only once published, admins only, and the
demo's published year."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

import clock
from awards.demo import seed_demo_year
from content import award_texts as at
from models import (
    AuditEntry,
    Award,
    Broadcast,
    MeetingKind,
    Member,
    OrgMeeting,
    Reflection,
    ReflectionStatus,
    db,
)
from participation.ledger import record
from roster.demo import seed_demo
from tests.console_helpers import World, build_world, login_as, post
from tests.helpers import written

# a quarter's meetings that meet the default requirements (meetings/settings.py)
QUARTER_MEETINGS = {MeetingKind.ASSEMBLY: 1, MeetingKind.LESSON: 1, MeetingKind.COMMITTEE: 3,
                    MeetingKind.GROUP: 3}


def last_year() -> int:
    """The committee year before the current one: every quarter of it has ended."""
    return clock.year_of(clock.utcnow()) - 1


@pytest.fixture
def world(app: Flask, make_member: Any) -> World:
    """build_world, with last year's records: 党员丁 (华芯) read three materials and had a
    featured reflection, 党员戊 (远景) read one; 华芯 held every 三会一课 of every quarter."""
    built = build_world(app, make_member)
    year = last_year()
    with app.app_context():
        for number in (1, 2, 3):
            record(built.author_id, "material_read", f"material:{number}",
                   clock.wall(date(year, 3, number), 10))
        plain = db.session.scalar(select(Member.id).where(Member.userid == built.member))
        record(plain, "material_read", "material:1", clock.wall(date(year, 4, 1), 10))
        moment = clock.wall(date(year, 5, 1), 10)
        db.session.add(Reflection(member_id=built.author_id, subject_title="党史学习",
                                  text="学习体会。", word_count=5,
                                  status=ReflectionStatus.FEATURED, featured=True,
                                  submitted_at=moment, created_at=moment, updated_at=moment))
        for quarter in (1, 2, 3, 4):
            start = clock.quarter(year, quarter).start + timedelta(days=3)
            for kind, count in QUARTER_MEETINGS.items():
                for index in range(count):
                    at_ = start + timedelta(days=7 * index, hours=2)
                    db.session.add(OrgMeeting(organization_id=built.org_here, kind=kind,
                                              topic="学习", starts_at=at_,
                                              ends_at=at_ + timedelta(hours=1),
                                              recorded_by_id=built.author_id))
        db.session.commit()
    return built


def client_of(app: Flask, sandbox: Any, userid: str) -> FlaskClient:
    """A console client logged in as the member."""
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def html(response: Any) -> str:
    """A response's page text."""
    return response.get_data(as_text=True)


def section(page: str, kind: str) -> str:
    """The part of the awards page about one honour."""
    start = page.index(f'id="awards-{kind}"')
    end = page.find('<section id="awards-', start + 1)
    return page[start:end if end > 0 else len(page)]


def rows(app: Flask) -> dict[str, int]:
    """Row counts without Redis (the console keeps sessions there)."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts


def awards(app: Flask) -> list[Award]:
    """Every stored award."""
    with app.app_context():
        found = list(db.session.scalars(select(Award).order_by(Award.id)))
        db.session.expunge_all()
        return found


def actions(app: Flask, action: str) -> int:
    """How many audit entries of one action there are."""
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(AuditEntry)
                                     .where(AuditEntry.action == action)) or 0)


def decide(client: FlaskClient, kind: str, *subjects: str, year: int | None = None) -> Any:
    """确定评定 of the ticked subjects of one honour."""
    return post(client, "/console/awards/decide",
                {"year": year or last_year(), "kind": kind, "subject": list(subjects)})


def test_candidates_are_shown_with_their_rules(app: Flask, sandbox: Any, world: World) -> None:
    """Does each honour list its candidates with the rule and the candidate's figures, 优秀党支部
    only the branch whose 三会一课 were complete?"""
    admin = client_of(app, sandbox, world.admin)
    page = html(admin.get(f"/console/awards?year={last_year()}"))
    branch = section(page, "excellent_branch")
    assert at.RULES["excellent_branch"] in branch
    assert "华芯党支部" in branch and "三会一课达标4/4个季度" in branch
    assert "远景党支部" not in branch
    collective = section(page, "advanced_collective")
    assert at.RULES["advanced_collective"] in collective
    assert "华芯党支部" in collective and "远景党支部" in collective
    stars = section(page, "study_star")
    assert at.RULES["study_star"] in stars
    assert stars.index("党员丁") < stars.index("党员戊")
    assert "优秀心得1篇" in stars
    model = section(page, "study_model")
    assert "党员丁" in model and "党员戊" not in model


def test_deciding_twice_keeps_one_row_and_undoing_is_audited(app: Flask, sandbox: Any,
                                                             world: World) -> None:
    """Does a double submit decide once (one row, one audit) with the rule and figure kept;
    is a subject that is no candidate refused with nothing written; is 撤销 audited?"""
    admin = client_of(app, sandbox, world.admin)
    subject = f"member:{world.author_id}"
    for _ in range(2):
        assert decide(admin, "study_model", subject).status_code == 303
    [award] = awards(app)
    assert (award.year, award.kind, award.subject, award.member_id, award.decided_by) == (
        last_year(), "study_model", subject, world.author_id, world.admin)
    assert award.rule == at.RULES["study_model"] and "优秀心得1篇" in award.figure
    assert actions(app, "award.decide") == 1
    page = html(admin.get(f"/console/awards?year={last_year()}"))
    assert at.DECIDED_MARK in section(page, "study_model")
    assert "管理员甲 · " in section(page, "study_model")  # 评定人 by name, not the userid
    assert f"{world.admin} · " not in page

    before = rows(app)
    plain = db_id(app, world.member)
    answer = decide(admin, "study_model", f"member:{plain}")
    assert answer.status_code == 303 and rows(app) == before
    follow = html(admin.get(answer.headers["Location"]))
    assert at.NOT_CANDIDATE.format(kind="学习标兵") in follow
    assert post(admin, f"/console/awards/{award.id}/undecide").status_code == 303
    assert awards(app) == [] and actions(app, "award.undecide") == 1


def db_id(app: Flask, userid: str) -> int:
    """A member's id."""
    with app.app_context():
        return int(db.session.scalar(select(Member.id).where(Member.userid == userid)))


def test_publish_once_by_broadcast_and_honours_in_my_points(
        app: Flask, sandbox: Any, world: World, send_text: Any) -> None:
    """Is the honour missing from 我的积分 until published; does publishing twice send one
    broadcast to everyone (recorded by the sandbox) and close the year?"""
    admin = client_of(app, sandbox, world.admin)
    year = last_year()
    decide(admin, "study_model", f"member:{world.author_id}")
    decide(admin, "excellent_branch", f"org:{world.org_here}")
    honour = at.HONOURS.format(items=at.HONOUR_ITEM.format(year=year, kind="学习标兵"))
    assert "荣誉" not in send_text("c-author", "我的积分").text

    for _ in range(2):
        assert post(admin, "/console/awards/publish", {"year": year}).status_code == 303
    with app.app_context():
        [broadcast] = db.session.scalars(select(Broadcast)).all()
        assert broadcast.audience == {"kind": "all", "values": []}
        number = broadcast.number
    stored = awards(app)
    assert all(a.published_at is not None and a.broadcast_id == broadcast.id for a in stored)
    assert actions(app, "award.publish") == 1
    announced = [m["content"]["content"] for m in sandbox.state.inbox_since("c-plain")
                 if m.get("msgtype") == "text"]
    assert len([text for text in announced if at.ANNOUNCEMENT_HEAD.format(year=year) in text]) == 1
    assert "学习标兵：党员丁" in announced[-1] and "优秀党支部：华芯党支部" in announced[-1]
    page = html(admin.get(f"/console/awards?year={year}"))
    assert number in page and at.PUBLISH not in page
    picked = section(page, "study_model")  # no pick column left empty once published
    assert f"<th>{at.COL_RESULT}</th>" in picked and f"<th>{at.COL_PICK}</th>" not in picked
    assert 'type="checkbox"' not in picked and at.NOT_DECIDED_MARK in page

    assert honour in send_text("c-author", "我的积分").text
    assert "荣誉" not in send_text("c-plain", "我的积分").text
    before = rows(app)
    decide(admin, "study_star", f"member:{world.author_id}")
    post(admin, f"/console/awards/{stored[0].id}/undecide")
    assert rows(app) == before


def test_publishing_nothing_is_refused(app: Flask, sandbox: Any, world: World) -> None:
    """Is publishing a year with no decided honour refused, nothing sent?"""
    admin = client_of(app, sandbox, world.admin)
    before = rows(app)
    answer = post(admin, "/console/awards/publish", {"year": last_year()})
    assert answer.status_code == 303 and rows(app) == before
    assert at.NOTHING_TO_PUBLISH.format(year=last_year()) in html(
        admin.get(answer.headers["Location"]))


def test_contacts_cannot_reach_the_pages(app: Flask, sandbox: Any, world: World) -> None:
    """Is the awards page and every action refused (403) to a contact, nothing written?"""
    contact = client_of(app, sandbox, world.contact_here)
    assert contact.get("/console/awards").status_code == 403
    before = rows(app)
    assert decide(contact, "study_model", f"member:{world.author_id}").status_code == 403
    assert post(contact, "/console/awards/publish", {"year": last_year()}).status_code == 403
    assert rows(app) == before


def test_demo_year(app: Flask) -> None:
    """Does the demo decide and publish last year's honours: 3 优秀党支部 and some of each?"""
    with app.app_context():
        seed_demo()
        count = seed_demo_year(date(2026, 12, 6))
        db.session.commit()
        kinds = dict(db.session.execute(
            select(Award.kind, func.count()).group_by(Award.kind)).all())
        published = db.session.scalar(select(func.count()).select_from(Award).where(
            Award.year == 2025, Award.published_at.is_not(None)))
    assert count == sum(kinds.values()) == published
    assert kinds["excellent_branch"] == 3
    assert kinds["study_star"] >= 2 and kinds["study_model"] >= 1
    assert kinds["advanced_collective"] >= 1
