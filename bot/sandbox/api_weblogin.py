"""The sandbox's stand-in for WeCom's web login (QR) page: /wwlogin/sso/login (WECOM.md §6).

Real WeCom shows a QR code that a member scans with the WeCom app; the sandbox cannot scan,
so it shows who may "scan" (the chooser, as the OAuth page does) or takes the `sandbox_user`
query parameter or cookie. Then it redirects to redirect_uri?code&state, and the code is
exchanged with auth/getuserinfo like any other.
"""

from __future__ import annotations

from flask import Blueprint, Response, redirect, request
from markupsafe import escape

from bot.sandbox.api_oauth import MAX_STATE_BYTES, OUTSIDER, USER_COOKIE, with_query
from bot.sandbox.errcodes import ok
from bot.sandbox.state import ROOT_DEPARTMENT_ID, SandboxState

PATH = "wwlogin/sso/login"
SHOWN_USERS = 100  # the demo corp has thousands; any other userid: add ?sandbox_user=USERID


def check_request(state: SandboxState, params: dict[str, str]) -> str:
    """Why the web login request is malformed, or '' when it is fine."""
    if params.get("login_type") != "CorpApp":
        return "login_type must be CorpApp"
    if params.get("appid") != state.corp_id:
        return "appid is not this corp's id"
    if params.get("agentid") != str(state.agent_id):
        return "agentid is not this app's"
    target = params.get("redirect_uri", "")
    if not target.startswith(("http://", "https://")):
        return "redirect_uri must be an absolute http(s) URL"
    login_state = params.get("state", "")
    bad_chars = login_state and not (login_state.isascii() and login_state.isalnum())
    if bad_chars or len(login_state.encode()) > MAX_STATE_BYTES:
        return "state must be a-zA-Z0-9, at most 128 bytes"
    if params.get("lang", "zh") not in ("zh", "en"):
        return "lang must be zh or en"
    return ""


def create_weblogin_blueprint(state: SandboxState) -> Blueprint:
    """Blueprint serving the web login page for one sandbox state."""
    bp = Blueprint("sandbox_weblogin", __name__)

    @bp.get("/wwlogin/sso/login")
    def web_login() -> Response:
        """Issue a code for the member who "scanned" and redirect, or show who may scan."""
        params = {k: v for k, v in request.args.items() if k != USER_COOKIE}
        problem = check_request(state, params)
        if problem:
            state.record(PATH, params, None, {"http_status": 400, "error": problem})
            return Response(f"sandbox: {problem}\n", status=400, mimetype="text/plain")
        chosen = request.args.get(USER_COOKIE) or request.cookies.get(USER_COOKIE, "")
        user = state.get_user(chosen) if chosen and chosen != OUTSIDER else None
        if user is None and chosen != OUTSIDER:
            state.record(PATH, params, None, ok(chooser=True))
            return _scan_page(state, params)
        userid = user["userid"] if user else OUTSIDER
        code = state.issue_code(userid, "snsapi_base")
        state.record(PATH, params, None, ok(userid=userid, code=code))
        response = redirect(
            with_query(params["redirect_uri"], code=code, state=params.get("state", "")), 302)
        if request.args.get(USER_COOKIE):
            response.set_cookie(USER_COOKIE, userid, httponly=True, samesite="Lax")
        return response  # type: ignore[return-value]

    return bp


def _scan_page(state: SandboxState, params: dict[str, str]) -> Response:
    """Stands in for the QR code: one link per member who could scan it."""
    users = state.users_in_department(ROOT_DEPARTMENT_ID, fetch_child=True) or []
    links = [(with_query(request.base_url, **params, **{USER_COOKIE: u["userid"]}),
              f"scan as {u['name']} ({u['userid']})") for u in users[:SHOWN_USERS]]
    links.append((with_query(request.base_url, **params, **{USER_COOKIE: OUTSIDER}),
                  "scan as someone outside the corp"))
    items = "".join(f'<li><a href="{escape(href)}">{escape(label)}</a></li>'
                    for href, label in links)
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Sandbox WeCom web login</title></head><body>"
            "<h1>WeCom sandbox: scan the login QR code as…</h1>"
            f"<ul>{items}</ul></body></html>")
    return Response(page, mimetype="text/html")
