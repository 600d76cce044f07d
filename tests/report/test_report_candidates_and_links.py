"""The report's settings and its console: the candidate lists' lengths (REPORT_CANDIDATES,
checked at start-up), the .docx download, and the figures of the 报表 page and of an admin's
front page each linking to the rows behind it — no link to a page that does not exist yet."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

import clock
from bot.config import ConfigError
from bot.tuning import check
from console import reports
from models import Activity, AuditEntry, Member, Participation, Publication, db
from pioneer.features import FEATURES
from report import figures
from report.settings import ReportSettings, parse_candidates
from tests.console_helpers import build_world, login_as


def test_candidates_parse_with_defaults() -> None:
    """Does REPORT_CANDIDATES set the lengths it names and keep the default for the others?"""
    assert parse_candidates("") == ReportSettings()
    assert parse_candidates("study_star=4, study_model=170,advanced_collective=43,"
                            "excellent_branch=３") == ReportSettings(4, 170, 43, 3)
    assert parse_candidates("study_model=170").study_star == 10


@pytest.mark.parametrize("value", ["stars=4", "study_star=0", "study_star=-1", "study_star",
                                   "study_star=x", "study_star=10001"])
def test_a_malformed_candidates_setting_stops_the_app(app: Flask, value: str) -> None:
    """Is a wrong kind or length refused at start-up with one line naming the setting?"""
    with pytest.raises(ValueError, match="REPORT_CANDIDATES"):
        parse_candidates(value)
    app.config["REPORT_CANDIDATES"] = value
    with pytest.raises(ConfigError, match="REPORT_"):
        check(app, FEATURES.settings())


def test_the_lists_are_as_long_as_set(app: Flask, make_member: Any) -> None:
    """Are the candidate lists cut to the configured lengths (the public names unchanged)?"""
    for n in range(4):
        make_member(f"m{n}", f"党员{n}", org=f"{n}党支部")
    with app.app_context():
        for n, member_id in enumerate(db.session.scalars(select(Member.id).order_by(Member.id))):
            db.session.add(Participation(
                member_id=member_id, kind="material_read", source=f"material:{n}",
                occurred_at=clock.wall(date(2026, 3, 1), 10), points=n + 1))
        db.session.commit()
        now = clock.wall(date(2026, 12, 1), 10)
        assert len(figures.build(2026, now).top_learners) == 4
        app.config["REPORT_CANDIDATES"] = "study_star=2,advanced_collective=3,excellent_branch=1"
        built = figures.build(2026, now)
    assert [m.name for m in built.top_learners] == ["党员3", "党员2"]
    assert len(built.top_organizations) == 3 and len(built.excellent_branches) == 1


def test_the_reports_page_links_each_figure(app: Flask, make_member: Any, sandbox: Any,
                                            travel: Any) -> None:
    """Does the 报表 page show the year's figures with their definitions, each figure a link to
    its rows when that page exists (and plain when it does not), and the .docx download?"""
    travel("2026-12-20 10:00", tick=False)
    world = build_world(app, make_member)
    with app.app_context():
        db.session.add(Publication(title="一篇", platform="qiangguo_city", level="city",
                                   published_on=date(2026, 3, 1), created_by="test"))
        start = clock.wall(date(2026, 5, 1), 10)
        db.session.add(Activity(kind="screening", title="观看", starts_at=start,
                                ends_at=start + timedelta(hours=2), created_by="test"))
        db.session.commit()
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    page = client.get("/console/reports?year=2026").get_data(as_text=True)
    assert "2026年度理论武装和阵地建设工作数据" in page
    with app.test_request_context():
        members = reports.figure_link("counted_members", 2026)
        assert members == "/console/members"
        for key in ("pub_qiangguo_city", "screenings", "hall_visits", "book_unconfirmed"):
            endpoint, _ = reports.FIGURE_LINKS[key]
            link = reports.figure_link(key, 2026)
            if endpoint in app.view_functions:
                assert link is not None and "year=2026" in link and link in page.replace(
                    "&amp;", "&")
            else:
                assert link is None
    assert f'href="{members}"' in page
    assert 'id="annual-2026-docx"' in page
    assert client.get("/console/reports?year=1999").status_code == 404
    assert client.get("/console/reports?year=abc").status_code == 404


def test_the_docx_downloads_and_is_audited(app: Flask, make_member: Any, sandbox: Any) -> None:
    """Does an admin download this year's .docx, with an audit row?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    year = clock.year_of(clock.utcnow())
    answer = client.get(f"/console/reports/annual-{year}.docx")
    assert answer.status_code == 200 and answer.data[:2] == b"PK"
    assert answer.mimetype == reports.FORMATS["docx"]
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "report.annual")).one()
        assert entry.detail == {"format": "docx"}


def test_the_front_page_shows_the_year_so_far(app: Flask, make_member: Any,
                                              sandbox: Any) -> None:
    """Does an admin's front page show the year so far of the year's records (a contact's
    does not), each figure from report.figures and linked when its page exists?"""
    world = build_world(app, make_member)
    with app.app_context():
        db.session.add(Publication(title="一篇", platform="qiangguo_province", level="province",
                                   published_on=clock.today(), created_by="test"))
        db.session.commit()
        expected = figures.year_so_far(clock.year_of(clock.utcnow())).figures
    admin = app.test_client()
    login_as(admin, sandbox, world.admin)
    page = admin.get("/console/").get_data(as_text=True)
    assert 'id="year-records"' in page and 'id="year-pub_qiangguo_province"' in page
    card = page.split('id="year-pub_qiangguo_province"', 1)[1].split("</div>", 1)[0]
    assert f">{expected['pub_qiangguo_province']}<" in card and expected[
        "pub_qiangguo_province"] == 1
    assert ("/console/publications" in card) == ("console.publications" in app.view_functions)
    contact = app.test_client()
    login_as(contact, sandbox, world.contact_here)
    assert 'id="year-records"' not in contact.get("/console/").get_data(as_text=True)
