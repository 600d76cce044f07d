"""The contact's home page (/console/): their organisations' members (count and link), this
month's participation rate, this quarter's 三会一课 held against what is required, the
check-ins open now and the reflections waiting for their review — and nothing of any other
organisation; the admin's front page stays as it was."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from content import home_page_texts as ht
from models import (
    Lecture,
    LectureOrder,
    Material,
    MaterialRead,
    MeetingKind,
    Member,
    OrderStatus,
    OrgMeeting,
    ParticipationKind,
    Reflection,
    ReflectionStatus,
    RoleGrant,
    db,
    utcnow,
)
from participation import ledger
from tests.console_helpers import World, build_world, login_as
from tests.helpers import SHANGHAI, written

HOME = "/console/"


def _at(text: str) -> datetime:
    """A Shanghai wall-clock time."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.fixture
def world(app: Flask, make_member, travel) -> World:
    """build_world on Wednesday 25 Nov 2026, 15:10 in Shanghai, with: 党员丁 (华芯党支部) took
    part this month; 华芯党支部 held a 支部党员大会 and a 支委会 this quarter and has a 党课
    on now with check-in (code 482913), and one yesterday; 远景党支部's contact ordered a
    lecture on now (code 771204, check-in open) and held a 党小组会."""
    travel("2026-11-25 15:10")
    built = build_world(app, make_member)
    with app.app_context():
        here, other = built.org_here, built.org_other
        ledger.record(built.author_id, ParticipationKind.MATERIAL_READ, "material:home", utcnow())
        recorder = db.session.scalars(db.select(Member).where(
            Member.userid == built.contact_here)).one()
        other_contact = db.session.scalars(db.select(Member).where(
            Member.userid == built.contact_other)).one()

        def meeting(org: int, kind: str, start: str, code: str | None, by: Member) -> None:
            starts = _at(start)
            db.session.add(OrgMeeting(organization_id=org, kind=kind, topic=f"{kind}会议",
                                      starts_at=starts, ends_at=starts + timedelta(hours=2),
                                      checkin_code=code, recorded_by_id=by.id))

        meeting(here, MeetingKind.ASSEMBLY, "2026-10-10 09:00", None, recorder)
        meeting(here, MeetingKind.COMMITTEE, "2026-11-02 09:00", None, recorder)
        meeting(here, MeetingKind.LESSON, "2026-11-25 15:00", "482913", recorder)
        meeting(here, MeetingKind.GROUP, "2026-11-24 15:00", "100200", recorder)
        meeting(other, MeetingKind.GROUP, "2026-11-03 09:00", None, other_contact)
        order = LectureOrder(organization_id=other, contact_id=other_contact.id,
                             topic_id=built.topic_id, status=OrderStatus.CONFIRMED,
                             created_at=utcnow(), updated_at=utcnow())
        db.session.add(order)
        db.session.flush()
        starts = _at("2026-11-25 14:30")
        db.session.add(Lecture(order_id=order.id, topic_id=built.topic_id,
                               lecturer_id=built.lecturer_id, starts_at=starts,
                               ends_at=starts + timedelta(hours=2), checkin_code="771204",
                               accepted_at=starts - timedelta(days=1)))
        db.session.commit()
    return built


def _client(app: Flask, sandbox: Any, userid: str) -> FlaskClient:
    client = app.test_client()
    login_as(client, sandbox, userid)
    return client


def _org_row(page: str, org_id: int) -> str:
    found = re.search(rf'<tr id="home-org-{org_id}">.*?</tr>', page, re.S)
    assert found, f"no row of organisation {org_id}"
    return found.group(0)


def test_contact_home(app: Flask, world: World, sandbox):
    """Members with a link to them, this month's rate, this quarter's meetings (those short
    in red), the 党课 check-in open now with its code and the reflection waiting."""
    page = _client(app, sandbox, world.contact_here).get(HOME).get_data(as_text=True)
    row = _org_row(page, world.org_here)
    assert f'href="/console/members?org={world.org_here}">2 人</a>' in row
    assert "50.0%（1/2）" in row
    assert '<span class="">支部党员大会 1/1</span>' in row
    assert '<span class="behind">支委会 1/3</span>' in row
    assert '<span class="behind">党小组会 1/3</span>' in row  # held yesterday: 1 of 3
    assert '<span class="">党课 1/1</span>' in row
    assert "2026年第4季度" in page
    checkins = page[page.index('id="home-checkins"'):page.index('id="home-reflections"')]
    assert "482913" in checkins and "党课" in checkins
    assert "100200" not in checkins  # yesterday's: closed
    assert "771204" not in checkins  # another organisation's lecture
    reflections = page[page.index('id="home-reflections"'):]
    assert ht.REFLECTIONS_COUNT.format(count=1) in reflections and "党员丁" in reflections


def test_contact_of_another_organisation_sees_nothing_of_it(app: Flask, world: World, sandbox):
    """The contact of 远景党支部 sees their own organisation, their lecture's open check-in
    and nothing of 华芯党支部: no row, no code, no reflection, no member."""
    page = _client(app, sandbox, world.contact_other).get(HOME).get_data(as_text=True)
    home = page[page.index('id="home-orgs"'):page.index('class="cards"')]
    assert "远景党支部" in home and "华芯党支部" not in home
    assert f'id="home-org-{world.org_here}"' not in home
    assert "482913" not in page and "党员丁" not in page
    assert "771204" in home and "新时代的伟大变革" in home
    assert ht.REFLECTIONS_EMPTY in home
    row = _org_row(page, world.org_other)
    assert "0.0%（0/2）" in row and '<span class="behind">党小组会 1/3</span>' in row


def test_own_reflection_is_not_waiting_for_oneself(app: Flask, world: World, sandbox):
    """A contact's own submitted reflection is not among those waiting for their review."""
    with app.app_context():
        me = db.session.scalars(db.select(Member).where(
            Member.userid == world.contact_here)).one()
        now = utcnow()
        db.session.add(Reflection(member_id=me.id, subject_title="自己的心得", text="学习体会。",
                                  word_count=5, status=ReflectionStatus.SUBMITTED,
                                  submitted_at=now, created_at=now, updated_at=now))
        db.session.commit()
    page = _client(app, sandbox, world.contact_here).get(HOME).get_data(as_text=True)
    reflections = page[page.index('id="home-reflections"'):]
    assert ht.REFLECTIONS_COUNT.format(count=1) in reflections
    assert "自己的心得" not in reflections


def test_admin_front_page_unchanged(app: Flask, world: World, sandbox):
    """The admin's front page has no contact section; reading pages writes nothing."""
    admin = _client(app, sandbox, world.admin)
    before = written(app)
    page = admin.get(HOME).get_data(as_text=True)
    assert 'id="home-orgs"' not in page and 'class="cards"' in page
    assert written(app) == before


def test_contact_without_organisation(app: Flask, make_member, sandbox, travel):
    """A contact holding the role for no organisation still gets a page, saying so."""
    travel("2026-11-25 15:10")
    world = build_world(app, make_member)
    with app.app_context():
        member = db.session.scalars(db.select(Member).where(
            Member.userid == world.contact_here)).one()
        db.session.query(RoleGrant).filter(RoleGrant.member_id == member.id,
                                           RoleGrant.role == "contact").delete()
        db.session.add(RoleGrant(member_id=member.id, role="contact", organization_id=None))
        db.session.commit()
    page = _client(app, sandbox, world.contact_here).get(HOME)
    assert page.status_code == 200 and ht.NO_ORGS in page.get_data(as_text=True)


def test_the_reads_chart_is_labelled_by_title(app: Flask, world: World, sandbox):
    """材料阅读人数 labels each bar with the material's title, cut to what a phone shows
    (12 characters), never with its slug."""
    with app.app_context():
        long_title = "学习贯彻党的二十届三中全会精神专题辅导"
        material = Material(slug="long-title-slug", title=long_title, kind="article",
                            published_on=datetime(2026, 1, 1).date())
        db.session.add(material)
        db.session.flush()
        member_id = db.session.scalar(select(Member.id).where(Member.userid == world.member))
        db.session.add(MaterialRead(member_id=member_id, material_id=material.id))
        db.session.commit()
    page = _client(app, sandbox, world.admin).get(HOME).get_data(as_text=True)
    spec = json.loads(re.search(r'<script type="application/json" id="chart-reads">(.*?)</script>',
                                page, re.S).group(1))
    assert "学习贯彻党的二十届三中…" in spec["labels"]
    assert all(len(label) <= 12 and "slug" not in label for label in spec["labels"])
