"""Console security, swept over every route rather than one example each: CSRF on every POST
route, stored script in every user-written field on every page, session fixation through the
WeCom login, absolute expiry, brute force per address, open redirects and Host header
injection in the login flow, and the security headers on every response.

`tests/console/test_console_pages.py` has the single-route versions (local-login fixation,
idle expiry, per-username lockout, one CSRF form, one XSS field, local-login `next=`); this
file does not repeat them.
"""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask, url_for
from sqlalchemy import select

import clock
from bot.extensions import redis_store
from console import auth
from console.views import bp
from models import (
    Broadcast,
    Lecture,
    LectureOrder,
    LecturerApplication,
    Member,
    Question,
    Rating,
    Reflection,
    audit,
    db,
    utcnow,
)
from tests.console.route_table import TABLE
from tests.console_helpers import (
    ADMIN_PASSWORD,
    World,
    build_world,
    csrf_of,
    login_as,
    make_account,
    post,
)
from tests.helpers import written

XSS = '"><script>alert(1)</script>'
RAW = "<script>alert(1)"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def _ids(world: World) -> dict[str, Any]:
    """Values for the placeholders of console routes."""
    return {"author_id": world.author_id, "reflection_id": world.reflection_id,
            "order_id": world.order_id, "lecturer_id": world.lecturer_id,
            "org_here": world.org_here, "member_id": world.author_id,
            "application_id": world.application_id, "topic_id": world.topic_id, "n": 1,
            "question_id": world.question_id,
            "kind": "meeting"}  # the 签到 routes' /checkins/meeting/<target_id>


def _post_rules(app: Flask) -> list[Any]:
    """Every console URL rule that accepts POST."""
    return sorted((r for r in app.url_map.iter_rules()
                   if r.endpoint.startswith(f"{bp.name}.") and "POST" in (r.methods or ())),
                  key=lambda r: r.rule)


def _url(app: Flask, rule: Any, world: World) -> str:
    """The rule's URL with its arguments filled from the world (1 for anything else)."""
    ids = _ids(world)
    values = {arg: ids.get(arg, world.order_id if "order" in arg else 1)
              for arg in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def test_every_post_route_needs_the_csrf_token(app: Flask, make_member, sandbox):
    """Is every console POST route (enumerated from the URL map) refused with 400 without the
    token or with a forged one, with nothing written, while the login stays valid?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    rules = _post_rules(app)
    assert len(rules) >= 10
    before = written(app)
    for rule in rules:
        url = _url(app, rule, world)
        for data in ({}, {"csrf": "forged"}, {"csrf": ""}):
            answer = client.post(url, data={"ids": world.reflection_id, "verdict": "feature",
                                            "text": "x", "username": "root-admin",
                                            "password": ADMIN_PASSWORD, **data})
            assert answer.status_code == 400, (rule.rule, data)
    assert written(app) == before
    assert client.get("/console/audit").status_code == 200  # logout without a token did nothing


@pytest.fixture
def poisoned(app: Flask, make_member) -> World:
    """build_world with a script in every user-written field the console shows: a member's
    and an organisation's name, a reflection's text and review comment, an order's note and
    address, a stored broadcast, an audit entry's detail, a lecturer application's fields and a
    declined one's reason, a question and its answer (a broadcast's text being composed is
    checked through the preview)."""
    world = build_world(app, make_member, reflection_text=XSS + "学习体会" * 20)
    make_member("x-evil", XSS, org=XSS + "党支部")
    with app.app_context():
        reflection = db.session.get(Reflection, world.reflection_id)
        reflection.review_comment = XSS
        order = db.session.get(LectureOrder, world.order_id)
        order.note, order.address, order.reason = XSS, XSS, XSS
        order.topic.summary, order.topic.category = XSS, XSS  # shown on the 宣讲菜单 pages
        starts = utcnow() - timedelta(days=2)
        db.session.add_all([
            Lecture(order=order, topic=order.topic, lecturer_id=world.lecturer_id,
                    starts_at=starts, ends_at=starts + timedelta(hours=2), place=XSS,
                    expected_audience=40, checkin_code="135790"),
            Rating(order_id=order.id, contact_id=order.contact_id, score=5, comment=XSS),
        ])
        for grant in db.session.get(Member, world.lecturer_id).grants:
            grant.specialties = XSS
        application = db.session.get(LecturerApplication, world.application_id)
        application.specialties = application.sample_topic = application.experience = XSS
        plain = db.session.scalars(select(Member).where(Member.userid == world.member)).one()
        db.session.add(LecturerApplication(
            member_id=plain.id, specialties=XSS, experience=XSS, sample_topic=XSS, batch=1,
            status="declined", decided_by=XSS, decision_note=XSS, decided_at=utcnow()))
        db.session.add(Broadcast(sender=world.admin, content_kind="text",
                                 payload={"msgtype": "text", "text": {"content": XSS}},
                                 audience={"kind": "all"}, send_at=utcnow()))
        audit(world.admin, "probe", XSS, note=XSS)
        question = db.session.get(Question, world.question_id)
        question.text, question.answer, question.answered_by = XSS, XSS, XSS
        question.status, question.answered_at = "answered", utcnow()
        db.session.commit()
    return world


def test_stored_script_is_escaped_on_every_page(app: Flask, sandbox, poisoned: World):
    """Does every console HTML page (every GET route of the permission table, plus the evil
    member's page) show the stored script as text, never as markup?"""
    client = app.test_client()
    login_as(client, sandbox, poisoned.admin)
    paths = [path.format(**_ids(poisoned)) for method, path, _, _ in TABLE
             if method == "GET" and path.startswith("/console/")]  # /media serves images
    shown = 0
    for path in paths:
        answer = client.get(path)
        if not answer.content_type.startswith("text/html"):
            continue
        page = answer.get_data(as_text=True)
        assert RAW not in page, path
        shown += ESCAPED in page
    assert shown >= 5  # the poisoned fields really are on the pages checked
    for path in ("/console/members", "/console/orgs", f"/console/orders/{poisoned.order_id}",
                 f"/console/questions/{poisoned.question_id}", "/console/questions?status=all",
                 f"/console/reflections/{poisoned.reflection_id}", "/console/audit",
                 "/console/lecturers", f"/console/lecturers/{poisoned.lecturer_id}",
                 "/console/lecturers/applications", "/console/lecturers/applications?status=all",
                 "/console/lecturers/applications?status=declined"):
        page = client.get(path).get_data(as_text=True)
        assert ESCAPED in page and RAW not in page, path
    preview = post(client, "/console/broadcasts/preview",  # a broadcast's text, as typed
                   {"content": XSS, "audience_kind": "all"}).get_data(as_text=True)
    assert ESCAPED in preview and RAW not in preview


def test_script_in_the_next_parameter_is_escaped(client):
    """Is a script in the login page's `next=` shown as text?"""
    page = client.get("/console/login?next=" + XSS).get_data(as_text=True)
    assert RAW not in page


def test_wecom_login_drops_a_planted_session(app: Flask, make_member, sandbox):
    """Session fixation through the WeCom login: a session id and CSRF token planted before
    login are not kept; the planted id opens nothing."""
    world = build_world(app, make_member)
    client = app.test_client()
    with client.session_transaction() as session:
        session[auth.SESSION_SID] = "planted-by-an-attacker"
        session[auth.SESSION_CSRF] = "planted-token"
    with app.app_context():
        redis_store.client.set(auth.session_key("planted-by-an-attacker"),
                               json.dumps({"kind": "member", "id": 1, "at": 0}))
    assert login_as(client, sandbox, world.admin).status_code == 303
    with client.session_transaction() as session:
        assert session[auth.SESSION_SID] != "planted-by-an-attacker"
        assert session[auth.SESSION_CSRF] != "planted-token"
    with app.app_context():
        assert redis_store.client.get(auth.session_key("planted-by-an-attacker")) is None


def test_login_ends_after_the_absolute_limit(app: Flask, make_member, sandbox):
    """A login kept busy past MAX_SESSION_S (12 h) ends anyway: the next page is the login."""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    with client.session_transaction() as session:
        sid = session[auth.SESSION_SID]
    with app.app_context():
        key = auth.session_key(sid)
        record = json.loads(redis_store.client.get(key))
        record["at"] -= auth.MAX_SESSION_S + 1
        redis_store.client.set(key, json.dumps(record), ex=auth.IDLE_TIMEOUT_S)
    answer = client.get("/console/audit")
    assert answer.status_code == 302 and "/console/login" in answer.headers["Location"]
    with app.app_context():
        assert redis_store.client.get(key) is None


def test_password_spraying_from_one_address_is_locked(app: Flask, client):
    """Many usernames tried from one address: after MAX_FAILS_PER_IP failures, even a right
    password from that address is refused (429) for the window."""
    make_account(app)
    for n in range(auth.MAX_FAILS_PER_IP):
        answer = post(client, "/console/login", {"username": f"guess{n}", "password": "wrong"})
        assert answer.status_code == 401, n
    locked = post(client, "/console/login", {"username": "root-admin",
                                             "password": ADMIN_PASSWORD})
    assert locked.status_code == 429
    with client.session_transaction() as session:
        assert auth.SESSION_SID not in session


@pytest.mark.parametrize("target", ["https://evil.example/console", "//evil.example/console",
                                    "/\\evil.example", "\\\\evil.example", "/console\\@evil",
                                    "javascript:alert(1)", "http:/console/", "/console/login",
                                    "%2F%2Fevil.example"])
def test_wecom_login_never_redirects_off_site(app: Flask, make_member, sandbox, target: str):
    """Open redirect through the WeCom login: a foreign `next=` ends on the dashboard."""
    world = build_world(app, make_member)
    client = app.test_client()
    start = client.get("/console/login/wecom", query_string={"next": target})
    state = re.search(r"state=([A-Za-z0-9]+)", start.headers["Location"]).group(1)
    code = sandbox.state.issue_code(world.admin)
    back = client.get(f"/console/login/wecom/return?code={code}&state={state}")
    assert back.status_code == 303
    assert back.headers["Location"] in ("/console/", "http://localhost/console/"), target


def test_wecom_login_ignores_the_host_header(client):
    """Host header injection: WeCom is told to return to PUBLIC_URL, not to the Host sent."""
    start = client.get("/console/login/wecom", headers={"Host": "evil.example"})
    assert start.status_code == 302
    assert "evil.example" not in start.headers["Location"]


def _assert_headers(answer: Any, what: str) -> None:
    headers = answer.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp, what
    assert "frame-ancestors 'none'" in csp or headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("Referrer-Policy") == "same-origin", what


def test_security_headers_on_every_response(app: Flask, make_member, sandbox):
    """Every console response carries the headers: every GET route of the permission table
    (as admin and as a plain contact, so 403/404 pages too), the public login pages, static
    files, a CSRF refusal, a missing page; pages are never cached."""
    world = build_world(app, make_member)
    anonymous = app.test_client()
    for path in ("/console/login", "/console/login/wecom", "/console/static/console.css",
                 "/console/no-such-page", "/console/audit"):
        _assert_headers(anonymous.get(path), path)
    _assert_headers(anonymous.post("/console/login", data={}), "csrf refusal")
    for userid in (world.admin, world.contact_other):
        client = app.test_client()
        login_as(client, sandbox, userid)
        for method, path, _, _ in TABLE:
            if method != "GET" or not path.startswith("/console/"):  # /media has its own
                continue
            url = path.format(**_ids(world))
            answer = client.get(url)
            _assert_headers(answer, f"{userid} {url}")
            assert answer.headers.get("Cache-Control") == "no-store", url
        assert csrf_of(client)


def test_console_downloads_keep_formula_shaped_names_as_text(app: Flask, make_member, sandbox):
    """Formula injection: with a member and an organisation named "=...", does every workbook
    the console hands out (roster, reflections, campaign, annual report) hold them as text?"""
    from datetime import date

    from openpyxl import load_workbook

    from models import Campaign, Member, Organization

    world = build_world(app, make_member)
    evil = '=HYPERLINK("http://evil.example","点此")'
    with app.app_context():
        db.session.get(Member, world.author_id).name = evil
        db.session.get(Organization, world.org_other).name = "=1+1党支部"
        campaign = Campaign(name="冬训", starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31),
                            audience={"kind": "all", "values": []}, created_by="test")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    for path in ("/console/members/export.xlsx",
                 f"/console/reflections/export.xlsx?org={world.org_here}",
                 f"/console/reports/campaigns/{campaign_id}.xlsx",
                 f"/console/reports/annual-{clock.year_of(utcnow())}.xlsx"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        book = load_workbook(io.BytesIO(answer.data))
        cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
                 if isinstance(cell.value, str) and cell.value.startswith("=")]
        assert cells, f"{path}: the names are not in the workbook"
        assert {cell.data_type for cell in cells} == {"s"}, path
