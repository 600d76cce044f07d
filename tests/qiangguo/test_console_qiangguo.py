"""学习强国 in the console: each organisation's reports for the chosen week (this week by
default on the committee's clock), those where nobody reported in red, an organisation's
members, bad weeks said beside the field, the reminder (how many, once a week each, never at
night, audited), and contacts limited to their own organisations."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from content import qiangguo_page_texts as qt
from models import AuditEntry, Member, Nudge, OutboundMessage, db
from qiangguo import qiangguo
from tests.console_helpers import World, build_world, login_as, post
from tests.helpers import written

PAGE = "/console/qiangguo"


@pytest.fixture
def world(app: Flask, make_member, travel) -> World:
    """build_world on Wednesday 25 Nov 2026, 10:00 in Shanghai (week of Monday 23 Nov): 党员丁
    reported 1234 this week, 党员戊 (远景党支部) 800 the week before."""
    travel("2026-11-18 20:00")
    built = build_world(app, make_member)
    with app.app_context():
        plain = db.session.scalars(select(Member).where(Member.userid == built.member)).one()
        qiangguo.report(plain, datetime.fromisoformat("2026-11-18T12:00:00+00:00"), score=800)
        db.session.commit()
    travel("2026-11-25 10:00")
    with app.app_context():
        author = db.session.get(Member, built.author_id)
        qiangguo.report(author, datetime.fromisoformat("2026-11-24T02:00:00+00:00"), score=1234)
        db.session.commit()
    return built


def _client(app: Flask, sandbox: Any, userid: str) -> FlaskClient:
    client = app.test_client()
    login_as(client, sandbox, userid)
    return client


def _row(page: str, org_id: int) -> str:
    found = re.search(rf'<tr id="qiangguo-org-{org_id}"[^>]*>.*?</tr>', page, re.S)
    assert found, f"no row of organisation {org_id}"
    return found.group(0)


def test_this_week_by_organisation(app: Flask, world: World, sandbox):
    """This week: 华芯党支部 1 of 2 (who left is not counted), 远景党支部 nobody, in red and
    named among the organisations that have not reported; the committee's total."""
    page = _client(app, sandbox, world.admin).get(PAGE).get_data(as_text=True)
    assert "本周（2026-11-23 至 2026-11-29）" in page
    here, other = _row(page, world.org_here), _row(page, world.org_other)
    assert "<td>1</td><td>2</td><td>1</td>" in here and 'class="behind"' not in here
    assert 'class="behind"' in other and qt.ORG_SILENT_MARK in other
    silent = re.search(r'<p class="behind" id="qiangguo-silent">([^<]*)</p>', page)
    assert silent and "远景党支部" in silent.group(1) and "华芯党支部" not in silent.group(1)
    assert re.search(r'id="qiangguo-total">1/6 人<', page)
    assert re.search(r'id="qiangguo-waiting">现在可提醒 5 人。<', page)


def test_a_chosen_week(app: Flask, world: World, sandbox):
    """Any day of an earlier week shows that week (the reminder is for this week only); a
    malformed day or one still to come shows this week with the reason beside the field."""
    admin = _client(app, sandbox, world.admin)
    page = admin.get(f"{PAGE}?week=2026-11-19").get_data(as_text=True)
    assert "11月16日—11月22日（2026-11-16 至 2026-11-22）" in page
    assert "<td>1</td><td>2</td><td>1</td>" in _row(page, world.org_other)
    assert 'class="behind"' in _row(page, world.org_here)
    assert qt.REMIND_THIS_WEEK_ONLY in page and 'id="qiangguo-remind-button"' not in page
    assert 'id="week-next"' in page
    for value, reason in (("2026-13-01", "bad_date"), ("next week", "bad_date"),
                          ("2026-12-02", "future")):
        page = admin.get(f"{PAGE}?week={value}").get_data(as_text=True)
        found = re.search(r'id="error-week">([^<]*)<', page)
        assert found and found.group(1) == qt.WEEK_ERRORS[reason], value
        assert "本周（2026-11-23 至 2026-11-29）" in page
    assert 'id="week-next"' not in admin.get(PAGE).get_data(as_text=True)


def test_an_organisations_members(app: Flask, world: World, sandbox):
    """One organisation: who reported what, who has not (in red)."""
    admin = _client(app, sandbox, world.admin)
    page = admin.get(f"{PAGE}/orgs/{world.org_here}").get_data(as_text=True)
    assert "<td>党员丁</td><td>1234</td>" in page
    missing = re.search(r'<p class="behind" id="qiangguo-missing">([^<]*)</p>', page)
    assert missing and missing.group(1) == "联络员甲"
    earlier = admin.get(f"{PAGE}/orgs/{world.org_other}?week=2026-11-16").get_data(as_text=True)
    assert "<td>党员戊</td><td>800</td>" in earlier
    assert admin.get(f"{PAGE}/orgs/99999").status_code == 404


def test_contact_sees_only_their_organisations(app: Flask, world: World, sandbox):
    """A contact of 华芯党支部 sees it alone (totals too); 远景党支部's page is 404 and the
    reminder 403, nothing written."""
    contact = _client(app, sandbox, world.contact_here)
    page = contact.get(PAGE).get_data(as_text=True)
    assert "华芯党支部" in page and "远景党支部" not in page and "党委办公室" not in page
    assert re.search(r'id="qiangguo-total">1/2 人<', page)
    assert 'id="qiangguo-remind"' not in page
    before = written(app)
    assert contact.get(f"{PAGE}/orgs/{world.org_other}").status_code == 404
    assert post(contact, f"{PAGE}/remind").status_code == 403
    assert written(app) == before
    other = _client(app, sandbox, world.contact_other)
    assert other.get(f"{PAGE}/orgs/{world.org_here}").status_code == 404
    assert "党员丁" not in other.get(PAGE).get_data(as_text=True)


def _nudges(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(Member.userid).join(
            Nudge, Nudge.member_id == Member.id).where(Nudge.kind == "qiangguo")))


def test_remind_now(app: Flask, world: World, sandbox):
    """发送提醒 on a Wednesday: the five active members who have not reported are reminded
    once (one message, audited); a second click reminds nobody; Friday's scheduled reminder
    skips them."""
    admin = _client(app, sandbox, world.admin)
    answer = post(admin, f"{PAGE}/remind")
    assert answer.status_code == 303
    assert qt.REMINDED.format(count=5) in admin.get(answer.headers["Location"]).get_data(
        as_text=True)
    assert _nudges(app) == ["c-admin", "c-here", "c-lect", "c-other", "c-plain"]
    with app.app_context():
        [message] = db.session.scalars(select(OutboundMessage)).all()
        assert sorted(message.touser.split("|")) == _nudges(app)
        assert "11月23日—11月29日" in message.payload["text"]["content"]
        [entry] = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "qiangguo.remind")).all()
        assert (entry.actor, entry.target, entry.detail["members"]) == ("c-admin", "2026-W48", 5)
    again = post(admin, f"{PAGE}/remind")
    assert qt.REMINDED_NOBODY in admin.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert len(db.session.scalars(select(OutboundMessage)).all()) == 1
        friday = datetime.fromisoformat("2026-11-27T02:30:00+00:00")
        assert qiangguo.send_reminders(friday).members == 0
    assert re.search(r'id="qiangguo-waiting">现在可提醒 0 人。<',
                     admin.get(PAGE).get_data(as_text=True))


def test_no_reminder_at_night(app: Flask, world: World, sandbox, travel):
    """At 22:00 the reminder is refused (the quiet hours), nothing written."""
    travel("2026-11-25 22:00")
    admin = _client(app, sandbox, world.admin)
    before = written(app)
    answer = post(admin, f"{PAGE}/remind")
    assert qt.REMIND_QUIET.format(start="21:00", end="08:00") in admin.get(
        answer.headers["Location"]).get_data(as_text=True)
    assert written(app) == before
    assert _nudges(app) == []


def test_week_starts_on_monday_in_shanghai(app: Flask, world: World, sandbox, travel):
    """Monday 00:30 in Shanghai (Sunday in UTC) is already the new week."""
    travel("2026-11-30 00:30")
    page = _client(app, sandbox, world.admin).get(PAGE).get_data(as_text=True)
    assert "本周（2026-11-30 至 2026-12-06）" in page
    assert re.search(r'id="qiangguo-total">0/6 人<', page)
    assert qiangguo.week_of(datetime.fromisoformat("2026-11-29T16:30:00+00:00")) == date(
        2026, 11, 30)
