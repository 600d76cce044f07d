"""Tracked reading: /r/<token> through WeCom OAuth (sandbox), the read record and 读完了."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from models import (
    Material,
    MaterialKind,
    MaterialRead,
    MemberStatus,
    Participation,
    Push,
    PushDelivery,
    PushOccurrence,
    db,
    utcnow,
)
from sandbox.server import SandboxServer
from study import reading
from tests.study_helpers import sign_in, token_for

BODY = "# 第一章\n\n为中国人民谋**幸福**。"


@pytest.fixture
def material(app: Flask) -> Any:
    """Builder: material(body=..., source_url=..., active=...) -> material id."""

    def build(body: str = BODY, source_url: str | None = "https://example.org/a",
              active: bool = True, slug: str = "m1") -> int:
        with app.app_context():
            row = Material(slug=slug, title="初心使命", kind=MaterialKind.ARTICLE, body=body,
                           source_url=source_url, published_on=date(2024, 7, 1), minutes=8,
                           active=active, tags=[])
            db.session.add(row)
            db.session.commit()
            return row.id

    return build


def reads(app: Flask) -> list[MaterialRead]:
    """Every MaterialRead row."""
    with app.app_context():
        rows = list(db.session.scalars(select(MaterialRead)))
        db.session.expunge_all()
        return rows


def ledger_kinds(app: Flask) -> list[str]:
    """The kinds of every participation row, sorted."""
    with app.app_context():
        return sorted(db.session.scalars(select(Participation.kind)))


def done_form(page: TestResponse) -> dict[str, str]:
    """The hidden fields of the 读完了 form on a material page."""
    html = page.get_data(as_text=True)
    return dict(re.findall(r'name="(csrf|stamp)" value="([^"]+)"', html))


def test_own_link_records_one_read_and_counts_opens(app: Flask, client: FlaskClient,
                                                    sandbox: SandboxServer, make_member: Any,
                                                    material: Any) -> None:
    """Does opening one's own link twice keep one row with opens == 2?"""
    make_member("zhangsan")
    token = token_for(app, material(), "zhangsan")
    page = sign_in(client, sandbox, token, "zhangsan")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<strong>幸福</strong>" in html and "初心使命" in html and "读完了" in html
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    [row] = reads(app)
    assert row.opens == 1 and row.first_opened_at == row.last_opened_at
    assert client.get(f"/r/{token}").status_code == 200
    [row] = reads(app)
    assert row.opens == 2 and row.last_opened_at >= row.first_opened_at
    assert ledger_kinds(app) == []  # an open alone earns nothing (阅读 needs time on the page)


def test_session_cookie_is_httponly_and_lax(app: Flask, client: FlaskClient,
                                            sandbox: SandboxServer, make_member: Any,
                                            material: Any) -> None:
    """Is the login cookie HttpOnly and SameSite=Lax?"""
    make_member("zhangsan")
    token = token_for(app, material(), "zhangsan")
    first = client.get(f"/r/{token}")
    state = parse_qs(urlsplit(first.location).query)["state"][0]
    back = client.get("/r/oauth", query_string={"code": sandbox.state.issue_code("zhangsan"),
                                                "state": state})
    header = back.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_oauth_redirect_names_corp_agent_and_return_url(app: Flask, client: FlaskClient,
                                                        material: Any) -> None:
    """Does an unknown browser go to WeCom's authorize URL with the right parameters?"""
    first = client.get(f"/r/{token_for(app, material(), 'zhangsan')}")
    url = urlsplit(first.location)
    query = parse_qs(url.query)
    assert first.location.startswith(app.config["WECOM_OAUTH_URL"] + "?")
    assert url.fragment == "wechat_redirect"
    assert query["appid"] == [app.config["WECOM_CORP_ID"]]
    assert query["redirect_uri"] == [app.config["PUBLIC_URL"] + "/r/oauth"]
    assert query["scope"] == ["snsapi_base"] and query["response_type"] == ["code"]
    assert query["agentid"] == [str(app.config["WECOM_AGENT_ID"])]
    assert re.fullmatch(r"[A-Za-z0-9]{1,128}", query["state"][0])


def test_someone_elses_link_records_nothing(app: Flask, client: FlaskClient,
                                            sandbox: SandboxServer, make_member: Any,
                                            material: Any) -> None:
    """Can lisi use the link sent to zhangsan?"""
    make_member("zhangsan")
    make_member("lisi")
    page = sign_in(client, sandbox, token_for(app, material(), "zhangsan"), "lisi")
    assert page.status_code == 403
    assert "此链接是发给其他同志的" in page.get_data(as_text=True)
    assert reads(app) == []


def _delivered(app: Flask, material_id: int, userid: str | None) -> int:
    """A push occurrence of the material, delivered to userid (when given); its id."""
    from models import Member

    with app.app_context():
        push = Push(material_id=material_id, audience={"kind": "everyone", "values": []},
                    created_by="test")
        db.session.add(push)
        db.session.flush()
        occurrence = PushOccurrence(push_id=push.id, due_at=utcnow(), material_id=material_id)
        db.session.add(occurrence)
        db.session.flush()
        if userid:
            member_id = db.session.scalar(select(Member.id).where(Member.userid == userid))
            db.session.add(PushDelivery(occurrence_id=occurrence.id, member_id=member_id))
        db.session.commit()
        return occurrence.id


def test_push_link_needs_a_delivery(app: Flask, client: FlaskClient, sandbox: SandboxServer,
                                    make_member: Any, material: Any) -> None:
    """Is a push link honoured for a recipient, and refused for a member it did not reach?"""
    make_member("zhangsan")
    make_member("lisi")
    material_id = material()
    occurrence = _delivered(app, material_id, "zhangsan")
    token = token_for(app, material_id, occurrence_id=occurrence)
    assert sign_in(client, sandbox, token, "zhangsan").status_code == 200
    other = app.test_client()
    refused = sign_in(other, sandbox, token, "lisi")
    assert refused.status_code == 403 and "此链接是发给其他同志的" in refused.get_data(as_text=True)
    [row] = reads(app)
    assert row.opens == 1


def test_forged_token_is_400_and_records_nothing(app: Flask, client: FlaskClient,
                                                 material: Any) -> None:
    """Does a tampered token get 链接无效 without starting a login?"""
    from tests.helpers import written

    token = token_for(app, material(), "zhangsan")
    before = written(app)
    page = client.get(f"/r/{token[:-2]}xx")
    assert page.status_code == 400 and "链接无效" in page.get_data(as_text=True)
    assert written(app) == before


def test_expired_token_is_410(app: Flask, client: FlaskClient, material: Any,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Does a link older than READ_LINK_MAX_AGE_S get 链接已过期?"""
    from tests.helpers import written

    material_id = material()
    app.config["READ_LINK_MAX_AGE_S"] = 60
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - 3600)
    token = token_for(app, material_id, "zhangsan")
    monkeypatch.setattr(time, "time", real)
    before = written(app)
    page = client.get(f"/r/{token}")
    assert page.status_code == 410 and "链接已过期" in page.get_data(as_text=True)
    assert written(app) == before


def test_bad_or_used_state_and_bad_code_are_400(app: Flask, client: FlaskClient,
                                                sandbox: SandboxServer, make_member: Any,
                                                material: Any) -> None:
    """Are an unknown state, a reused state and a bad code all refused?"""
    make_member("zhangsan")
    token = token_for(app, material(), "zhangsan")
    code = sandbox.state.issue_code("zhangsan")
    assert client.get("/r/oauth", query_string={"code": code, "state": "nope"}).status_code == 400
    first = client.get(f"/r/{token}")
    state = parse_qs(urlsplit(first.location).query)["state"][0]
    bad = client.get("/r/oauth", query_string={"code": "sbx-code-bogus", "state": state})
    assert bad.status_code == 400 and "登录已失效，请从消息中重新打开" in bad.get_data(as_text=True)
    again = client.get("/r/oauth", query_string={"code": code, "state": state})
    assert again.status_code == 400
    assert reads(app) == []


def test_state_from_another_browser_is_refused(app: Flask, client: FlaskClient,
                                               sandbox: SandboxServer, make_member: Any,
                                               material: Any) -> None:
    """Can a login started in one browser be finished in another (login CSRF)?"""
    make_member("zhangsan")
    first = client.get(f"/r/{token_for(app, material(), 'zhangsan')}")
    state = parse_qs(urlsplit(first.location).query)["state"][0]
    other = app.test_client()
    page = other.get("/r/oauth", query_string={"code": sandbox.state.issue_code("zhangsan"),
                                               "state": state})
    assert page.status_code == 400


def test_non_member_and_inactive_member_get_a_notice(app: Flask, client: FlaskClient,
                                                     sandbox: SandboxServer, make_member: Any,
                                                     material: Any) -> None:
    """Does someone outside the roster, or who has left, get a notice and record nothing?"""
    from models import Member

    material_id = material()
    sandbox.state.add_user("wangwu", "王五")  # in WeCom, not in the roster
    page = sign_in(app.test_client(), sandbox, token_for(app, material_id), "wangwu")
    assert page.status_code == 403 and "仅限本单位成员" in page.get_data(as_text=True)
    make_member("zhaoliu")
    with app.app_context():
        db.session.scalars(select(Member).where(Member.userid == "zhaoliu")).one().status = (
            MemberStatus.LEFT)
        db.session.commit()
    assert sign_in(app.test_client(), sandbox, token_for(app, material_id),
                   "zhaoliu").status_code == 403
    assert reads(app) == []


def test_openid_answer_is_members_only(app: Flask, client: FlaskClient,
                                       sandbox: SandboxServer, material: Any) -> None:
    """Does an auth/getuserinfo answer without userid (a non-member) get 仅限本单位成员?"""
    first = client.get(f"/r/{token_for(app, material())}")
    state = parse_qs(urlsplit(first.location).query)["state"][0]
    page = client.get("/r/oauth", query_string={"code": sandbox.state.issue_code("stranger"),
                                                "state": state})
    assert page.status_code == 403 and "仅限本单位成员" in page.get_data(as_text=True)


def test_inactive_material_is_404(app: Flask, client: FlaskClient, sandbox: SandboxServer,
                                  make_member: Any, material: Any) -> None:
    """Does a withdrawn material show a 404 page and record nothing?"""
    make_member("zhangsan")
    page = sign_in(client, sandbox, token_for(app, material(active=False), "zhangsan"),
                   "zhangsan")
    assert page.status_code == 404 and reads(app) == []


def test_done_records_completion_and_time_once(app: Flask, client: FlaskClient,
                                               sandbox: SandboxServer, make_member: Any,
                                               material: Any,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Does 读完了, after the page's beats reach the minimum, set completed_at once and keep
    the time the beats counted, and a repeated POST add nothing?"""
    make_member("zhangsan")
    token = token_for(app, material(), "zhangsan")
    start = utcnow()
    now = [start]
    monkeypatch.setattr(reading, "utcnow", lambda: now[0])
    form = done_form(sign_in(client, sandbox, token, "zhangsan"))
    for seq in range(1, 42):  # 40 beats 15 s apart after the first: 10 minutes in view
        now[0] = start + timedelta(seconds=15 * (seq - 1))
        assert client.post(f"/r/{token}/beat", data={**form, "seq": str(seq)}).status_code == 200
    page = client.post(f"/r/{token}/done", data=form)
    assert page.status_code == 200
    assert "已记录，学习时长 10 分钟" in page.get_data(as_text=True)
    [row] = reads(app)
    assert f"写心得 {row.material_id}" in page.get_data(as_text=True)  # the way to write one
    assert row.completed_at is not None and row.seconds_spent == 600
    first_done = row.completed_at
    again = client.post(f"/r/{token}/done", data=form)
    assert again.status_code == 200
    [row] = reads(app)
    assert row.seconds_spent == 600 and row.completed_at == first_done
    assert ledger_kinds(app) == ["material_completed", "material_read"]  # once each


def test_done_does_not_count_time_the_page_was_merely_open(
        app: Flask, client: FlaskClient, sandbox: SandboxServer, make_member: Any,
        material: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Is a page left open for hours without beats counted as nothing (no completion)?"""
    make_member("zhangsan")
    token = token_for(app, material(), "zhangsan")
    form = done_form(sign_in(client, sandbox, token, "zhangsan"))
    real = time.time
    monkeypatch.setattr(reading, "_now", lambda: real() + 20 * 3600)
    monkeypatch.setattr(reading, "LOGIN_MAX_AGE_S", 10**9)
    page = client.post(f"/r/{token}/done", data=form)
    assert page.status_code == 200 and "还没有读完" in page.get_data(as_text=True)
    [row] = reads(app)
    assert row.seconds_spent == 0 and row.completed_at is None
    assert ledger_kinds(app) == []


def test_done_with_bad_csrf_or_stamp_is_400(app: Flask, client: FlaskClient,
                                            sandbox: SandboxServer, make_member: Any,
                                            material: Any) -> None:
    """Is a 读完了 POST without the session's CSRF token, or with a forged stamp, refused?"""
    make_member("zhangsan")
    token = token_for(app, material(), "zhangsan")
    form = done_form(sign_in(client, sandbox, token, "zhangsan"))
    assert client.post(f"/r/{token}/done", data={**form, "csrf": "x"}).status_code == 400
    assert client.post(f"/r/{token}/done", data={"stamp": form["stamp"]}).status_code == 400
    assert client.post(f"/r/{token}/done", data={**form, "stamp": "x.y.z"}).status_code == 400
    assert app.test_client().post(f"/r/{token}/done", data=form).status_code == 400
    [row] = reads(app)
    assert row.completed_at is None and row.seconds_spent == 0


def test_bodyless_material_redirects_to_source_after_recording(
        app: Flask, client: FlaskClient, sandbox: SandboxServer, make_member: Any,
        material: Any) -> None:
    """Does a material without a body record the read and redirect to its source?"""
    make_member("zhangsan")
    page = sign_in(client, sandbox, token_for(app, material(body=""), "zhangsan"), "zhangsan")
    assert page.status_code == 302 and page.location == "https://example.org/a"
    [row] = reads(app)
    assert row.opens == 1


def test_concurrent_first_open_keeps_one_row(app: Flask, make_member: Any, material: Any,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """If another request inserts the read between our update and insert, is ours added on?"""
    from models import Member

    make_member("zhangsan")
    material_id = material()
    real_bump = reading._bump_open
    calls: list[int] = []

    def racing_bump(member_id: int, mat_id: int) -> int:
        calls.append(1)
        if len(calls) == 1:  # the other request wins the insert right after our update
            db.session.add(MaterialRead(member_id=member_id, material_id=mat_id))
            db.session.commit()
            return 0
        return real_bump(member_id, mat_id)

    monkeypatch.setattr(reading, "_bump_open", racing_bump)
    with app.app_context():
        member_id = db.session.scalar(select(Member.id).where(Member.userid == "zhangsan"))
        reading.record_open(member_id, material_id)
    [row] = reads(app)
    assert row.opens == 2


def test_sandbox_authorize_issues_a_code_and_redirects(app: Flask, client: FlaskClient,
                                                       sandbox: SandboxServer,
                                                       make_member: Any,
                                                       material: Any) -> None:
    """Does the whole flow work through the sandbox's authorize page?"""
    make_member("zhangsan", name="张三")
    app.config["WECOM_OAUTH_URL"] = sandbox.root_url + "connect/oauth2/authorize"
    token = token_for(app, material(), "zhangsan")
    first = client.get(f"/r/{token}")
    authorize = first.location.split("#")[0]
    chooser = requests.get(authorize, timeout=5)
    assert chooser.status_code == 200 and "张三" in chooser.text
    answer = requests.get(authorize + "&sandbox_user=zhangsan", allow_redirects=False, timeout=5)
    assert answer.status_code == 302 and "sandbox_user=zhangsan" in answer.headers["Set-Cookie"]
    back = urlsplit(answer.headers["Location"])
    assert back.path == "/r/oauth" and parse_qs(back.query)["code"]
    page = client.get(urlsplit(client.get(f"{back.path}?{back.query}").location).path)
    assert page.status_code == 200
    assert [c.path for c in sandbox.state.calls].count("connect/oauth2/authorize") == 2
    assert len(reads(app)) == 1


def test_sandbox_authorize_checks_its_parameters(sandbox: SandboxServer) -> None:
    """Does the sandbox refuse a wrong appid, response_type or scope?"""
    url = sandbox.root_url + "connect/oauth2/authorize"
    good = {"appid": sandbox.state.corp_id, "redirect_uri": "http://x.test/r/oauth",
            "response_type": "code", "scope": "snsapi_base", "state": "abc",
            "sandbox_user": "nobody-known"}
    assert requests.get(url, params=good, timeout=5).status_code == 200
    for bad in ({"appid": "other"}, {"response_type": "token"}, {"scope": "snsapi_userinfo"},
                {"state": "a-b"}):
        assert requests.get(url, params={**good, **bad}, timeout=5).status_code == 400
