"""宣传成果 in the console: registering once per form key, editing and deleting (each audited),
the 学习强国 platforms' implied level, bad input refused with nothing written, the year filter
at the committee's year edge, admins only, and the demo year."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from content import publicity_texts as pt
from models import AuditEntry, Publication, db
from publicity.demo import seed_demo_year
from roster.demo import seed_demo
from tests.console_helpers import World, build_world, login_as, post
from tests.helpers import written

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
GOOD = {"title": "华芯党支部：党员先锋岗助力技术攻关", "media": "article",
        "platform": "newspaper", "level": "city", "outlet": "无锡日报",
        "published_on": "2026-05-20", "url": "https://www.wxrb.com/a/1", "member": "c-author"}


@pytest.fixture
def world(app: Flask, make_member: Any) -> World:
    """build_world's committee."""
    return build_world(app, make_member)


def client_of(app: Flask, sandbox: Any, userid: str) -> FlaskClient:
    """A console client logged in as the member."""
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def html(response: Any) -> str:
    """A response's page text."""
    return response.get_data(as_text=True)


def new_key(client: FlaskClient) -> str:
    """The one-time key of a fresh 登记 form."""
    found = FORM_KEY.search(html(client.get("/console/publications/new")))
    assert found
    return found.group(1)


def rows(app: Flask) -> dict[str, int]:
    """Row counts without Redis (the console keeps sessions there)."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts


def audits(app: Flask, action: str) -> list[AuditEntry]:
    """The audit entries of one action, oldest first."""
    with app.app_context():
        found = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                        .order_by(AuditEntry.id)))
        db.session.expunge_all()
        return found


def publications(app: Flask) -> list[Publication]:
    """Every stored publication."""
    with app.app_context():
        found = list(db.session.scalars(select(Publication).order_by(Publication.id)))
        db.session.expunge_all()
        return found


def test_create_once_edit_and_delete_are_audited(app: Flask, sandbox: Any, world: World,
                                                 travel: Any) -> None:
    """Does a double submit register one record, audited once; is an edit audited with before
    and after (and an unchanged save not at all); is a delete audited with what it held?"""
    travel("2026-06-01 10:00")
    admin = client_of(app, sandbox, world.admin)
    key = new_key(admin)
    for _ in range(2):
        answer = post(admin, "/console/publications/new", {**GOOD, "form_key": key})
        assert answer.status_code == 303 and "year=2026" in answer.headers["Location"]
    [row] = publications(app)
    assert (row.platform, row.level, row.outlet, row.created_by) == (
        "newspaper", "city", "无锡日报", world.admin)
    assert row.member_id == world.author_id
    [created] = audits(app, "publication.create")
    assert created.actor == world.admin and created.target == f"publication:{row.id}"
    listing = html(admin.get("/console/publications?year=2026"))
    assert GOOD["title"] in listing and "无锡日报" in listing and "党员丁" in listing
    assert pt.SHOWN.format(count=1) in listing

    edited = {**GOOD, "title": "党员先锋岗助力技术攻关（修订）", "level": "province"}
    assert post(admin, f"/console/publications/{row.id}", edited).status_code == 303
    assert post(admin, f"/console/publications/{row.id}", edited).status_code == 303
    [update] = audits(app, "publication.update")
    assert update.detail["before"]["title"] == GOOD["title"]
    assert update.detail["after"]["title"] == edited["title"]
    assert update.detail["after"]["level"] == "province"

    assert post(admin, f"/console/publications/{row.id}/delete").status_code == 303
    assert publications(app) == []
    [deleted] = audits(app, "publication.delete")
    assert deleted.detail["before"]["title"] == edited["title"]
    assert post(admin, f"/console/publications/{row.id}/delete").status_code == 404


def test_qiangguo_platforms_carry_their_level(app: Flask, sandbox: Any, world: World,
                                               travel: Any) -> None:
    """Is a 学习强国 city-platform record stored as city level with 学习强国 as its outlet, and
    is a contradicting level refused?"""
    travel("2026-06-01 10:00")
    admin = client_of(app, sandbox, world.admin)
    typed = {"title": "冬训课堂开进园区", "platform": "qiangguo_city", "level": "",
             "published_on": "2026-03-02"}
    assert post(admin, "/console/publications/new",
                {**typed, "form_key": new_key(admin)}).status_code == 303
    [row] = publications(app)
    assert (row.level, row.outlet, row.url) == ("city", "学习强国", "")
    refused = post(admin, "/console/publications/new",
                   {**typed, "level": "province", "form_key": new_key(admin)})
    assert refused.status_code == 400
    assert pt.LEVEL_IMPLIED.format(platform="学习强国市级平台", level="市级") in html(refused)
    assert len(publications(app)) == 1


@pytest.mark.parametrize(("field", "value", "message"), [
    ("url", "javascript:alert(1)", pt.URL_BAD),
    ("url", "ftp://example.org/a", pt.URL_BAD),
    ("url", "https://", pt.URL_BAD),
    ("url", "https://exa mple.org", pt.URL_BAD),
    ("platform", "radio", pt.PLATFORM_UNKNOWN.format(value="radio")),
    ("platform", "", pt.PLATFORM_MISSING),
    ("level", "galaxy", pt.LEVEL_UNKNOWN.format(value="galaxy")),
    ("level", "", pt.LEVEL_MISSING),
    ("published_on", "2026-06-02", pt.DATE_FUTURE.format(today="2026-06-01")),
    ("published_on", "2026-13-01", pt.DATE_BAD.format(value="2026-13-01")),
    ("title", " ", pt.TITLE_MISSING),
    ("member", "没有这个人", pt.MEMBER_UNKNOWN.format(value="没有这个人")),
    ("organization", "999", pt.ORG_UNKNOWN),
    ("media", "podcast", pt.MEDIA_UNKNOWN),
])
def test_bad_input_is_refused_and_nothing_written(app: Flask, sandbox: Any, world: World,
                                                  travel: Any, field: str, value: str,
                                                  message: str) -> None:
    """Is each bad field answered beside it in Chinese (400), with nothing written?"""
    travel("2026-06-01 10:00")
    admin = client_of(app, sandbox, world.admin)
    key = new_key(admin)
    before = rows(app)
    answer = post(admin, "/console/publications/new", {**GOOD, field: value, "form_key": key})
    assert answer.status_code == 400
    page = html(answer)
    assert pt.FORM_INVALID.format(count=1) in page
    assert f'<span class="field-error" id="error-{field}">{message}</span>' in page
    assert rows(app) == before


def test_a_bad_edit_leaves_the_record(app: Flask, sandbox: Any, world: World,
                                      travel: Any) -> None:
    """Is an edit with a bad link refused, the record and the audit log as they were?"""
    travel("2026-06-01 10:00")
    admin = client_of(app, sandbox, world.admin)
    post(admin, "/console/publications/new", {**GOOD, "form_key": new_key(admin)})
    [row] = publications(app)
    before = rows(app)
    answer = post(admin, f"/console/publications/{row.id}",
                  {**GOOD, "title": "新标题", "url": "javascript:alert(1)"})
    assert answer.status_code == 400 and pt.URL_BAD in html(answer)
    assert rows(app) == before and publications(app)[0].title == GOOD["title"]


def test_year_filter_and_today_at_the_year_edge(app: Flask, sandbox: Any, world: World,
                                                 travel: Any) -> None:
    """At 00:30 on 1 January in Shanghai (still 31 December in UTC): is a record published
    today accepted and counted in the new year, tomorrow refused, and 31 December listed under
    the old year only; do the platform and level filters narrow the list?"""
    travel("2027-01-01 00:30", tick=False)
    admin = client_of(app, sandbox, world.admin)
    for day, platform in (("2026-12-31", "qiangguo_province"), ("2027-01-01", "website")):
        answer = post(admin, "/console/publications/new",
                      {**GOOD, "title": f"报道{day}", "platform": platform, "level": "national",
                       "published_on": day, "form_key": new_key(admin)}
                      if platform == "website" else
                      {**GOOD, "title": f"报道{day}", "platform": platform, "level": "",
                       "published_on": day, "form_key": new_key(admin)})
        assert answer.status_code == 303, html(answer)
    tomorrow = post(admin, "/console/publications/new",
                    {**GOOD, "published_on": "2027-01-02", "form_key": new_key(admin)})
    assert tomorrow.status_code == 400
    assert pt.DATE_FUTURE.format(today="2027-01-01") in html(tomorrow)
    current = html(admin.get("/console/publications"))
    assert "报道2027-01-01" in current and "报道2026-12-31" not in current
    last = html(admin.get("/console/publications?year=2026"))
    assert "报道2026-12-31" in last and "报道2027-01-01" not in last
    narrowed = html(admin.get("/console/publications?year=2026&platform=website"))
    assert "报道2026-12-31" not in narrowed and pt.SHOWN.format(count=0) in narrowed
    by_level = html(admin.get("/console/publications?year=2026&level=province"))
    assert "报道2026-12-31" in by_level


def test_contacts_cannot_reach_the_pages(app: Flask, sandbox: Any, world: World) -> None:
    """Is every 宣传成果 page refused (403) to a contact, and a create writes nothing?"""
    contact = client_of(app, sandbox, world.contact_here)
    assert contact.get("/console/publications").status_code == 403
    assert contact.get("/console/publications/new").status_code == 403
    before = rows(app)
    answer = post(contact, "/console/publications/new", {**GOOD, "form_key": "k" * 20})
    assert answer.status_code == 403 and rows(app) == before


def test_demo_year(app: Flask) -> None:
    """Does the demo write its 4 provincial and 14 city 学习强国 records plus a few others,
    each dated in the year up to today?"""
    with app.app_context():
        seed_demo()
        today = date(2026, 11, 30)
        count = seed_demo_year(today)
        db.session.commit()
        by_platform = dict(db.session.execute(select(Publication.platform, func.count())
                                              .group_by(Publication.platform)).all())
        days = list(db.session.scalars(select(Publication.published_on)))
    assert count == sum(by_platform.values()) >= 20
    assert by_platform["qiangguo_province"] == 4 and by_platform["qiangguo_city"] == 14
    assert by_platform["newspaper"] >= 1 and by_platform["website"] >= 1
    assert all(day.year == 2026 and day <= today for day in days)
