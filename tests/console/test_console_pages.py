"""Console pages: login and sessions, CSRF, escaping, and each page's actions end to end."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta

import pytest
from docx import Document
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import func, select

import clock
from bot.extensions import redis_store
from console import auth
from models import (
    AuditEntry,
    Broadcast,
    Lecture,
    LectureOrder,
    OrderStatus,
    Reflection,
    ReflectionStatus,
    audit,
    db,
    utcnow,
)
from participation.ledger import record
from report import figures
from tests.console_helpers import (
    ADMIN_PASSWORD,
    at,
    build_world,
    csrf_of,
    local_login,
    login_as,
    make_account,
    post,
)
from tests.helpers import SHANGHAI

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")


def _reflection(app: Flask, reflection_id: int) -> tuple[str, str | None, bool]:
    with app.app_context():
        row = db.session.get(Reflection, reflection_id)
        return row.status, row.review_comment, row.featured


# -- login, sessions, CSRF, headers ------------------------------------------------------


def test_local_admin_login_rotates_the_session_and_sets_cookie_flags(app: Flask, client):
    """Does a local admin log in with the right password only, get a fresh session id and a
    HttpOnly, SameSite=Lax cookie, and lose it all at logout?"""
    make_account(app)
    assert client.get("/console/audit").status_code == 302
    assert local_login(client, password="wrong password!").status_code == 401
    with client.session_transaction() as session:
        session[auth.SESSION_SID] = "planted-by-an-attacker"
    answer = local_login(client)
    assert answer.status_code == 303
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    with client.session_transaction() as session:
        sid = session[auth.SESSION_SID]
    assert sid != "planted-by-an-attacker"
    with app.app_context():
        assert redis_store.client.ttl(auth.session_key(sid)) == auth.IDLE_TIMEOUT_S
    assert client.get("/console/audit").status_code == 200
    assert post(client, "/console/logout").status_code == 200
    assert client.get("/console/audit").status_code == 302
    with app.app_context():
        assert redis_store.client.get(auth.session_key(sid)) is None


def test_idle_session_ends(app: Flask, client):
    """When the idle timer runs out (the Redis key expires), is the next request sent to login?"""
    make_account(app)
    local_login(client)
    with client.session_transaction() as session:
        sid = session[auth.SESSION_SID]
    with app.app_context():
        redis_store.client.delete(auth.session_key(sid))  # what the TTL does after 30 min
    answer = client.get("/console/audit")
    assert answer.status_code == 302 and "/console/login" in answer.headers["Location"]


def test_login_attempts_are_rate_limited(app: Flask, client):
    """After five wrong passwords for a username, is even the right one refused for a while?"""
    make_account(app)
    for _ in range(auth.MAX_FAILS_PER_USER):
        assert local_login(client, password="nope nope nope").status_code == 401
    locked = local_login(client)
    assert locked.status_code == 429
    assert "登录尝试过多" in locked.get_data(as_text=True)
    with app.app_context():
        key = auth.login_fail_key("user", "root-admin")
        assert 0 < redis_store.client.ttl(key) <= auth.LOGIN_WINDOW_S


def test_wecom_login_refuses_a_foreign_state_and_a_used_code(app: Flask, make_member, sandbox):
    """Is a return with a state this browser never started, or a code used twice, refused?"""
    world = build_world(app, make_member)
    client = app.test_client()
    code = sandbox.state.issue_code(world.admin)
    assert client.get(f"/console/login/wecom/return?code={code}&state=abc").status_code == 400
    start = client.get("/console/login/wecom")
    state = re.search(r"state=([A-Za-z0-9]+)", start.headers["Location"]).group(1)
    assert "login_type=CorpApp" in start.headers["Location"]
    assert client.get(f"/console/login/wecom/return?code={code}&state={state}").status_code == 303
    again = app.test_client()
    start = again.get("/console/login/wecom")
    state = re.search(r"state=([A-Za-z0-9]+)", start.headers["Location"]).group(1)
    assert again.get(f"/console/login/wecom/return?code={code}&state={state}").status_code == 400


def test_sandbox_web_login_page_redirects_with_a_code(sandbox):
    """Does the sandbox's QR page check its parameters and, once "scanned", redirect back?"""
    import requests

    base = sandbox.root_url + "wwlogin/sso/login"
    params = {"login_type": "CorpApp", "appid": sandbox.state.corp_id,
              "agentid": str(sandbox.state.agent_id), "redirect_uri": "http://pioneer/back",
              "state": "abc123"}
    sandbox.state.add_user("scanner", "扫码人")
    chooser = requests.get(base, params=params, timeout=5)
    assert chooser.status_code == 200 and "scanner" in chooser.text
    done = requests.get(base, params={**params, "sandbox_user": "scanner"}, timeout=5,
                        allow_redirects=False)
    assert done.status_code == 302
    assert done.headers["Location"].startswith("http://pioneer/back?code=sbx-code-")
    assert requests.get(base, params={**params, "login_type": "x"}, timeout=5).status_code == 400


def test_csrf_token_is_required(app: Flask, make_member, sandbox):
    """Is a form posted without (or with a wrong) CSRF token refused, changing nothing?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    for data in ({}, {"csrf": "forged"}):
        answer = client.post("/console/reflections/review",
                             data={"ids": world.reflection_id, "verdict": "feature", **data})
        assert answer.status_code == 400
    assert _reflection(app, world.reflection_id)[0] == ReflectionStatus.SUBMITTED
    assert client.post("/console/login", data={"username": "x", "password": "y"}
                       ).status_code == 400


def test_security_headers_and_no_inline_script(app: Flask, make_member, sandbox):
    """Does every page carry the strict CSP and contain no inline script?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    for path in ("/console/login", "/console/", "/console/reflections", "/console/orders",
                 f"/console/orders/{world.order_id}", "/console/broadcasts", "/console/members"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        csp = answer.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert not INLINE_SCRIPT.search(answer.get_data(as_text=True)), path
        assert ' style="' not in answer.get_data(as_text=True), path


def test_static_assets_are_served_locally(client):
    """Are the stylesheet, the script and Chart.js served by Pioneer itself?"""
    for name in ("console.css", "console.js", "vendor/chartjs/chart.umd.min.js"):
        answer = client.get(f"/console/static/{name}")
        assert answer.status_code == 200 and len(answer.data) > 500, name


# -- reflections -------------------------------------------------------------------------


def test_script_in_a_reflection_renders_as_text(app: Flask, make_member, sandbox):
    """Does a stored reflection containing <script> show as text in the queue and the detail?"""
    world = build_world(app, make_member, reflection_text="<script>alert('x')</script>好")
    client = app.test_client()
    login_as(client, sandbox, world.contact_here)
    for path in ("/console/reflections", f"/console/reflections/{world.reflection_id}"):
        page = client.get(path).get_data(as_text=True)
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;好" in page
        assert "<script>alert" not in page


def test_contact_features_a_reflection_and_the_author_is_told(app: Flask, make_member, sandbox):
    """Can a contact feature a reflection of their organisation, audited, author notified?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.contact_here)
    answer = post(client, "/console/reflections/review",
                  {"ids": world.reflection_id, "verdict": "feature", "comment": "写得好"})
    assert answer.status_code == 303
    assert _reflection(app, world.reflection_id) == (ReflectionStatus.FEATURED, "写得好", True)
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "reflection.review")).one()
        assert entry.actor == world.contact_here and entry.detail["verdict"] == "feature"
    texts = [m["content"]["content"] for m in sandbox.state.inbox_since("c-author")]
    assert any("优秀" in text for text in texts)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "已处理 1 篇" in page


def test_out_of_scope_contact_changes_nothing(app: Flask, make_member, sandbox):
    """Does a contact of another organisation fail to review, even by posting the id?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.contact_other)
    post(client, "/console/reflections/review", {"ids": world.reflection_id, "verdict": "pass"})
    assert _reflection(app, world.reflection_id)[0] == ReflectionStatus.SUBMITTED


def test_bulk_return_needs_a_reason(app: Flask, make_member, sandbox):
    """Bulk actions: is 退回 without a reason refused for every chosen one, and with a reason
    applied to all of them?"""
    world = build_world(app, make_member)
    with app.app_context():
        now = utcnow()
        second = Reflection(member_id=world.author_id, subject_title="二", text="第二篇",
                            status=ReflectionStatus.SUBMITTED, submitted_at=now)
        db.session.add(second)
        db.session.commit()
        second_id = second.id
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    ids = [world.reflection_id, second_id]
    answer = post(client, "/console/reflections/review", {"ids": ids, "verdict": "return"})
    assert "退回须填写理由" in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert _reflection(app, second_id)[0] == ReflectionStatus.SUBMITTED
    post(client, "/console/reflections/review",
         {"ids": ids, "verdict": "return", "comment": "请补充具体事例"})
    assert _reflection(app, world.reflection_id)[:2] == (ReflectionStatus.RETURNED,
                                                         "请补充具体事例")
    assert _reflection(app, second_id)[0] == ReflectionStatus.RETURNED


def test_reflection_exports_open(app: Flask, make_member, sandbox):
    """Do the .xlsx and .docx exports download and open, holding the reflection?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.contact_here)
    xlsx = client.get(f"/console/reflections/export.xlsx?org={world.org_here}")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert any("学习体会" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    docx = client.get(f"/console/reflections/export.docx?org={world.org_here}")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "学习体会：不忘初心。" in text
    refused = client.get(f"/console/reflections/export.xlsx?org={world.org_other}")
    assert refused.status_code == 303


# -- orders ------------------------------------------------------------------------------


def test_dispatch_shows_conflicts_and_dispatches(app: Flask, make_member, sandbox):
    """Does the order page mark a lecturer busy at a conflicting time, and does dispatching
    at a free time create the lecture and send the lecturer the card?"""
    world = build_world(app, make_member)
    with app.app_context():
        order = db.session.get(LectureOrder, world.order_id)
        busy_start = at(3, 15)
        db.session.add(Lecture(topic_id=order.topic_id, lecturer_id=world.lecturer_id,
                               starts_at=busy_start, ends_at=busy_start + timedelta(hours=2),
                               checkin_code="222222"))
        db.session.commit()
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    page = client.get(f"/console/orders/{world.order_id}").get_data(as_text=True)
    assert "冲突" in page
    assert f'value="1:{world.lecturer_id}"' not in page  # the busy time cannot be chosen
    assert f'value="2:{world.lecturer_id}"' in page
    busy = post(client, f"/console/orders/{world.order_id}/dispatch",
                {"choice": f"1:{world.lecturer_id}"})
    assert "冲突" in client.get(busy.headers["Location"]).get_data(as_text=True)
    post(client, f"/console/orders/{world.order_id}/dispatch",
         {"choice": f"2:{world.lecturer_id}"})
    with app.app_context():
        order = db.session.get(LectureOrder, world.order_id)
        assert order.status == OrderStatus.DISPATCHED
        assert order.lecture.lecturer_id == world.lecturer_id
    kinds = [m["msgtype"] for m in sandbox.state.inbox_since(world.lecturer)]
    assert "template_card" in kinds
    board = client.get("/console/orders").get_data(as_text=True)
    assert 'id="column-dispatched"' in board and "DD-" in board


def test_reject_needs_a_reason(app: Flask, make_member, sandbox):
    """Is 驳回 refused without a reason, and with one does the contact hear why?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    post(client, f"/console/orders/{world.order_id}/reject", {"reason": " "})
    with app.app_context():
        assert db.session.get(LectureOrder, world.order_id).status == OrderStatus.PENDING
    post(client, f"/console/orders/{world.order_id}/reject", {"reason": "时间已排满"})
    with app.app_context():
        assert db.session.get(LectureOrder, world.order_id).status == OrderStatus.REJECTED
    texts = [m["content"]["content"] for m in sandbox.state.inbox_since(world.contact_here)]
    assert any("时间已排满" in text for text in texts)
    history = client.get(f"/console/orders/{world.order_id}").get_data(as_text=True)
    assert 'id="order-history"' in history and "已驳回" in history and world.admin in history


def test_lecturer_sees_own_page(app: Flask, make_member, sandbox):
    """Does a lecturer land on their own page with their figures?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.lecturer)
    answer = client.get("/console/", follow_redirects=True)
    assert answer.status_code == 200 and "讲师丙" in answer.get_data(as_text=True)


# -- broadcasts --------------------------------------------------------------------------


def test_broadcast_preview_send_and_history(app: Flask, make_member, sandbox):
    """Compose → preview (with the count) → confirm: is it sent once to the audience, recorded
    by the sandbox, shown in the history; does a repeated confirm send nothing more?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    count = client.get("/console/broadcasts/audience", query_string={
        "audience_kind": "orgs", "audience_value": "华芯党支部"}).get_json()
    assert count["count"] == 2  # the contact and the author (the left member is not counted)
    form = {"kind": "text", "content": "今晚七点<b>组织生活会</b>", "audience_kind": "orgs",
            "audience_value": "华芯党支部"}
    preview = post(client, "/console/broadcasts/preview", form).get_data(as_text=True)
    assert "将发送给 2 人" in preview and "&lt;b&gt;组织生活会" in preview
    key = re.search(r'name="confirm_key" value="([^"]+)"', preview).group(1)
    for _ in range(2):
        answer = post(client, "/console/broadcasts/send", {**form, "confirm_key": key})
        assert answer.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Broadcast)) == 1
    texts = [m["content"]["content"] for m in sandbox.state.inbox_since("c-author")]
    assert texts == ["今晚七点<b>组织生活会</b>"]
    history = client.get("/console/broadcasts").get_data(as_text=True)
    assert "QF-" in history and "已发送" in history and "党组织 华芯党支部" in history


def test_broadcast_errors_are_shown(app: Flask, make_member, sandbox):
    """Are an unknown organisation and a past time refused with a clear message, nothing sent?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    unknown = post(client, "/console/broadcasts/preview",
                   {"kind": "text", "content": "x", "audience_kind": "orgs",
                    "audience_value": "没有这个支部"})
    assert unknown.status_code == 400 and "没有这个支部" in unknown.get_data(as_text=True)
    past = post(client, "/console/broadcasts/preview",
                {"kind": "text", "content": "x", "audience_kind": "all",
                 "send_at": "2001-01-01T10:00"})
    assert past.status_code == 400 and "2026-12-05 15:00" in past.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Broadcast)) == 0


# -- roster, audit, dashboard, reports, CLI ----------------------------------------------


def _roster_csv(rows: list[str]) -> bytes:
    return ("姓名,企业微信账号,所在党组织,党组织类型,角色\n" + "\n".join(rows)).encode("utf-8-sig")


def test_roster_import_check_then_apply(app: Flask, make_member, sandbox):
    """Does 仅检查 report without writing, 导入 apply, and a bad file list its problems by row?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    good = _roster_csv(["新党员,xin001,华芯党支部,外企,党员"])
    check = post(client, "/console/members/import",
                 {"mode": "check", "file": (io.BytesIO(good), "roster.csv")},
                 content_type="multipart/form-data")
    assert check.status_code == 200 and "xin001" in check.get_data(as_text=True)
    assert "共 0 条" in client.get("/console/members?q=xin001").get_data(as_text=True)
    post(client, "/console/members/import",
         {"mode": "apply", "file": (io.BytesIO(good), "roster.csv")},
         content_type="multipart/form-data")
    assert "新党员" in client.get("/console/members?q=xin001").get_data(as_text=True)
    bad = _roster_csv(["没有账号,,华芯党支部,外企,党员"])
    refused = post(client, "/console/members/import",
                   {"mode": "apply", "file": (io.BytesIO(bad), "roster.csv")},
                   content_type="multipart/form-data")
    assert refused.status_code == 422 and "第2行" in refused.get_data(as_text=True)
    export = client.get("/console/members/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.data)).active
    assert "xin001" in [row[1] for row in sheet.iter_rows(values_only=True)]


def test_grant_and_revoke_roles(app: Flask, make_member, sandbox):
    """Can an admin make a member a contact of an organisation and take it back, audited?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    post(client, f"/console/members/{world.author_id}/roles",
         {"action": "grant", "role": "contact", "org": world.org_here})
    assert "联络员" in client.get(f"/console/members/{world.author_id}").get_data(as_text=True)
    refused = post(client, f"/console/members/{world.author_id}/roles",
                   {"action": "grant", "role": "contact"})
    assert "联络员须指定组织" in client.get(refused.headers["Location"]).get_data(as_text=True)
    post(client, f"/console/members/{world.author_id}/roles",
         {"action": "revoke", "role": "contact", "org": world.org_here})
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEntry.action).where(
            AuditEntry.target == "c-author").order_by(AuditEntry.id)))
    assert actions == ["role.grant", "role.revoke"]


def test_audit_filter_and_pages(app: Flask, make_member, sandbox):
    """Is the audit log filtered by action and paginated 30 to a page?"""
    world = build_world(app, make_member)
    with app.app_context():
        for number in range(35):
            audit("cli:test", "demo.thing", f"target-{number:02d}")
        audit("cli:test", "other.thing", "elsewhere")
        db.session.commit()
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    first = client.get("/console/audit?action=demo.thing").get_data(as_text=True)
    assert "第 1 / 2 页，共 35 条" in first and "elsewhere" not in first
    second = client.get("/console/audit?action=demo.thing&page=2").get_data(as_text=True)
    assert second.count("target-") == 5


def test_dashboard_charts(app: Flask, make_member, sandbox):
    """Does the dashboard show the cards and chart data (scoped for a contact)?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    page = client.get("/console/").get_data(as_text=True)
    assert 'id="chart-months"' in page and 'id="chart-kinds"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    contact = app.test_client()
    login_as(contact, sandbox, world.contact_here)
    scoped = contact.get("/console/").get_data(as_text=True)
    assert 'id="chart-orgs"' in scoped and "远景党支部" not in scoped


def test_annual_report_download(app: Flask, make_member, sandbox):
    """Does the annual report download as a workbook that opens?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    year = clock.year_of(utcnow())
    answer = client.get(f"/console/reports/annual-{year}.xlsx")
    assert answer.status_code == 200
    assert load_workbook(io.BytesIO(answer.data)).sheetnames
    assert client.get(f"/console/reports/annual-{year + 1}.xlsx").status_code == 404


def test_cli_create_admin_prompts_for_the_password(app: Flask):
    """Does `console create-admin` read the password from the prompt and hash it?"""
    runner = app.test_cli_runner()
    result = runner.invoke(args=["console", "create-admin", "ops"],
                           input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    from models import ConsoleAccount

    with app.app_context():
        account = db.session.scalars(select(ConsoleAccount)).one()
        assert account.username == "ops" and ADMIN_PASSWORD not in account.password_hash
    short = runner.invoke(args=["console", "create-admin", "ops2"], input="short\nshort\n")
    assert short.exit_code != 0 and "at least 12" in short.output
    client = app.test_client()
    assert local_login(client, "ops").status_code == 303
    assert csrf_of(client)


def test_session_cookie_is_secure_outside_development(tmp_path):
    """Is the session cookie Secure when Pioneer runs anywhere but this machine?"""
    from pioneer import create_app
    from tests.helpers import AES_KEY

    base = {"WECOM_CORP_ID": "ww1", "WECOM_AGENT_ID": "1", "WECOM_SECRET": "s",
            "WECOM_TOKEN": "t", "WECOM_AES_KEY": AES_KEY, "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"}
    production = create_app({**base, "PUBLIC_URL": "https://dangwei.example.cn"})
    assert production.config["SESSION_COOKIE_SECURE"] is True
    assert production.config["SESSION_COOKIE_HTTPONLY"] is True
    assert production.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    development = create_app({**base, "PUBLIC_URL": "http://127.0.0.1:5000"})
    assert not development.config.get("SESSION_COOKIE_SECURE")


def test_campaign_report(app: Flask, make_member, sandbox):
    """Is a campaign's progress shown per organisation and downloadable, with its total?"""
    from datetime import date

    from models import Campaign

    world = build_world(app, make_member)
    with app.app_context():
        campaign = Campaign(name="2026年冬训", starts_on=date(2026, 11, 1),
                            ends_on=date(2027, 2, 28), audience={"kind": "all", "values": []},
                            created_by="test")
        db.session.add(campaign)
        db.session.commit()
        campaign_id = campaign.id
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    assert "2026年冬训" in client.get("/console/reports").get_data(as_text=True)
    page = client.get(f"/console/reports/campaigns/{campaign_id}").get_data(as_text=True)
    assert "华芯党支部" in page and "远景党支部" in page
    workbook = client.get(f"/console/reports/campaigns/{campaign_id}.xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "党组织" and rows[-1][0] == "合计"
    assert rows[-1][1] == 6  # every active member is in the audience


def test_materials_figures_and_push_cancel(app: Flask, make_member, sandbox):
    """Are materials listed with their figures, and can an active push be cancelled once?"""
    from models import Material, Push, PushStatus
    from study.pushes import create_push
    from tests.study_helpers import make_library

    world = build_world(app, make_member)
    ids = make_library(app)
    with app.app_context():
        push = create_push("test", {"kind": "all", "values": []}, at(2, 9),
                           material=db.session.get(Material, ids["dangshi-1"]))
        db.session.commit()
        push_id = push.id
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    materials = client.get("/console/materials").get_data(as_text=True)
    assert "开天辟地" in materials and "守岛人" in materials
    assert client.get(f"/console/materials/{ids['dangshi-1']}").status_code == 200
    assert "取消推送" in client.get("/console/pushes").get_data(as_text=True)
    done = post(client, f"/console/pushes/{push_id}/cancel")
    assert "已取消" in client.get(done.headers["Location"]).get_data(as_text=True)
    again = post(client, f"/console/pushes/{push_id}/cancel")
    assert "该推送已不在进行中" in client.get(again.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Push, push_id).status == PushStatus.CANCELLED


def test_login_returns_to_the_page_asked_for(app: Flask, make_member, sandbox):
    """After logging in, is the viewer sent back to the page they asked for, and never to
    another site?"""
    world = build_world(app, make_member)
    client = app.test_client()
    asked = client.get(f"/console/orders/{world.order_id}")
    assert asked.status_code == 302
    login_page = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert f"next=/console/orders/{world.order_id}" in login_page
    start = client.get(f"/console/login/wecom?next=/console/orders/{world.order_id}")
    state = re.search(r"state=([A-Za-z0-9]+)", start.headers["Location"]).group(1)
    code = sandbox.state.issue_code(world.admin)
    back = client.get(f"/console/login/wecom/return?code={code}&state={state}")
    assert back.headers["Location"].endswith(f"/console/orders/{world.order_id}")
    make_account(app)
    other = app.test_client()
    answer = post(other, "/console/login", {"username": "root-admin", "password": ADMIN_PASSWORD,
                                           "next": "https://evil.example/console"})
    assert answer.headers["Location"].endswith("/console/")


def test_contact_broadcasts_only_when_allowed_and_only_to_own_orgs(app: Flask, make_member,
                                                                    sandbox):
    """With BROADCAST_CONTACTS on, may a contact broadcast to their own organisation only, and
    see only their own broadcasts? With it off, is 群发 closed to them?"""
    world = build_world(app, make_member)
    contact = app.test_client()
    login_as(contact, sandbox, world.contact_here)
    assert contact.get("/console/broadcasts").status_code == 403
    app.config["BROADCAST_CONTACTS"] = True
    page = contact.get("/console/broadcasts").get_data(as_text=True)
    assert 'value="all"' not in page and 'value="orgs"' in page
    form = {"kind": "text", "content": "支部通知", "audience_kind": "orgs"}
    other = post(contact, "/console/broadcasts/preview", {**form, "audience_value": "远景党支部"})
    assert other.status_code == 400 and "本人负责的党组织" in other.get_data(as_text=True)
    everyone = post(contact, "/console/broadcasts/preview", {**form, "audience_kind": "all"})
    assert everyone.status_code == 400
    preview = post(contact, "/console/broadcasts/preview",
                   {**form, "audience_value": "华芯党支部"}).get_data(as_text=True)
    key = re.search(r'name="confirm_key" value="([^"]+)"', preview).group(1)
    post(contact, "/console/broadcasts/send",
         {**form, "audience_value": "华芯党支部", "confirm_key": key})
    assert [m["content"]["content"] for m in sandbox.state.inbox_since("c-author")] == ["支部通知"]
    admin = app.test_client()
    login_as(admin, sandbox, world.admin)
    assert "QF-" in admin.get("/console/broadcasts").get_data(as_text=True)
    other_contact = app.test_client()
    login_as(other_contact, sandbox, world.contact_other)
    assert "QF-" not in other_contact.get("/console/broadcasts").get_data(as_text=True)
    with app.app_context():
        broadcast_id = db.session.scalar(select(Broadcast.id))
    assert post(other_contact, f"/console/broadcasts/{broadcast_id}/recall").status_code == 404


def test_large_roster_upload_is_accepted(app: Flask, make_member, sandbox):
    """Is a roster file larger than the webhook's 64 KB body cap accepted by the import?"""
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    rows = [f"党员{n},bulk{n:05d},华芯党支部,外企,党员" for n in range(3000)]
    data = _roster_csv(rows)
    assert len(data) > 100_000
    answer = post(client, "/console/members/import",
                  {"mode": "check", "file": (io.BytesIO(data), "roster.csv")},
                  content_type="multipart/form-data")
    assert answer.status_code == 200 and "bulk00000" in answer.get_data(as_text=True)


@pytest.mark.parametrize("now", ["2027-01-01 00:01", "2027-01-01 07:59"])
def test_reflection_export_holds_this_mornings_reflections(app: Flask, make_member, sandbox,
                                                           travel, now: str):
    """Before 08:00 in Shanghai (still yesterday in UTC), does the export's default period
    end on the committee's today, so a reflection submitted a minute ago is in the 台账?"""
    travel(now)
    world = build_world(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, world.contact_here)
    listing = client.get("/console/reflections").get_data(as_text=True)
    assert 'value="2027-01-01"' in listing
    docx = client.get(f"/console/reflections/export.docx?org={world.org_here}")
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.data)).paragraphs)
    assert "学习体会：不忘初心。" in text and "2027-01-01" in text


def test_the_annual_report_is_the_committees_year(app: Flask, make_member, sandbox, travel):
    """At 02:30 on 1 January in Shanghai (31 December in UTC), is this year's report 2027's,
    holding a reading at 00:30 that night and not one at 23:30 the evening before?"""
    travel("2027-01-01 02:30")
    world = build_world(app, make_member)
    owl = make_member("nightowl", "夜读")
    with app.app_context():
        record(owl.id, "material_read", "material:1",
               datetime(2027, 1, 1, 0, 30, tzinfo=SHANGHAI))
        record(owl.id, "material_read", "material:2",
               datetime(2026, 12, 31, 23, 30, tzinfo=SHANGHAI))
        db.session.commit()
        lines = {year: {m.member_id: m.participations for m in figures.build(year).members}
                 for year in (2026, 2027)}
    assert lines[2027][owl.id] == 1 and lines[2026][owl.id] == 1
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    assert client.get("/console/reports/annual-2027.xlsx").status_code == 200
    assert client.get("/console/reports/annual-2028.xlsx").status_code == 404
