"""The sandbox's stand-in for WeCom's in-client OAuth page: /connect/oauth2/authorize.

Real WeCom knows who is signed in to the client; the sandbox does not, so the user is named
by a `sandbox_user` query parameter or cookie, and otherwise chosen on a small page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from flask import Blueprint, Response, redirect, request
from markupsafe import escape

from sandbox.directory import ROOT_DEPARTMENT_ID
from sandbox.errcodes import ok
from sandbox.state import SandboxState

PATH = "connect/oauth2/authorize"
SCOPES = frozenset({"snsapi_base", "snsapi_privateinfo"})
USER_COOKIE = "sandbox_user"
OUTSIDER = "sbx-outsider"  # a userid the sandbox never knows: exchanging its code gives openid
MAX_STATE_BYTES = 128


def check_request(state: SandboxState, params: dict[str, str]) -> str:
    """Why the authorize request is malformed, or '' when it is fine."""
    if params.get("appid") != state.corp_id:
        return "appid is not this corp's id"
    if params.get("response_type") != "code":
        return "response_type must be code"
    scope = params.get("scope", "")
    if scope not in SCOPES:
        return "scope must be snsapi_base or snsapi_privateinfo"
    agentid = params.get("agentid", "")
    if scope == "snsapi_privateinfo" and not agentid:
        return "agentid is required for snsapi_privateinfo"
    if agentid and agentid != str(state.agent_id):
        return "agentid is not this app's"
    target = urlsplit(params.get("redirect_uri", ""))
    if target.scheme not in ("http", "https") or not target.netloc:
        return "redirect_uri must be an absolute http(s) URL"
    oauth_state = params.get("state", "")
    bad_chars = oauth_state and not (oauth_state.isascii() and oauth_state.isalnum())
    if bad_chars or len(oauth_state.encode()) > MAX_STATE_BYTES:
        return "state must be a-zA-Z0-9, at most 128 bytes"
    return ""


def with_query(url: str, **extra: str) -> str:
    """The URL with extra query parameters appended (its fragment dropped)."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, urlencode(extra)) if q)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def sign_in(state: SandboxState, path: str, params: dict[str, str], problem: str, scope: str,
            chooser: Callable[[], Response]) -> Response:
    """What both sign-in pages (OAuth and web login) do: refuse a malformed request, show the
    chooser when nobody is named, else issue a code for the named user (or the outsider) and
    redirect to redirect_uri?code&state, remembering a user named in the query in a cookie."""
    if problem:
        state.record(path, params, None, {"http_status": 400, "error": problem})
        return Response(f"sandbox: {problem}\n", status=400, mimetype="text/plain")
    chosen = request.args.get(USER_COOKIE) or request.cookies.get(USER_COOKIE, "")
    user = state.get_user(chosen) if chosen and chosen != OUTSIDER else None
    if user is None and chosen != OUTSIDER:
        state.record(path, params, None, ok(chooser=True))
        return chooser()
    userid = user["userid"] if user else OUTSIDER
    code = state.issue_code(userid, scope)
    state.record(path, params, None, ok(userid=userid, code=code))
    response = redirect(
        with_query(params["redirect_uri"], code=code, state=params.get("state", "")), 302)
    if request.args.get(USER_COOKIE):
        response.set_cookie(USER_COOKIE, userid, httponly=True, samesite="Lax")
    return response  # type: ignore[return-value]


def chooser_page(state: SandboxState, params: dict[str, Any], title: str, heading: str,
                 verb: str, limit: int | None = None) -> Response:
    """A tiny page with one link per sandbox user (up to `limit`), and one as an outsider."""
    users = state.users_in_department(ROOT_DEPARTMENT_ID, fetch_child=True) or []
    links = [(with_query(request.base_url, **params, **{USER_COOKIE: u["userid"]}),
              f"{verb} {u['name']} ({u['userid']})") for u in users[:limit]]
    links.append((with_query(request.base_url, **params, **{USER_COOKIE: OUTSIDER}),
                  f"{verb} someone outside the corp"))
    items = "".join(f'<li><a href="{escape(href)}">{escape(label)}</a></li>'
                    for href, label in links)
    page = ('<!doctype html><html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title></head><body>"
            f"<h1>{escape(heading)}</h1><ul>{items}</ul></body></html>")
    return Response(page, mimetype="text/html")


def create_oauth_blueprint(state: SandboxState) -> Blueprint:
    """Blueprint serving the OAuth authorize step for one sandbox state."""
    bp = Blueprint("sandbox_oauth", __name__)

    @bp.get("/connect/oauth2/authorize")
    def authorize() -> Response:
        """Issue a code for the chosen user and redirect, or ask who is signing in."""
        params = {k: v for k, v in request.args.items() if k != USER_COOKIE}
        return sign_in(state, PATH, params, check_request(state, params),
                       params.get("scope", ""),
                       lambda: chooser_page(state, params, "Sandbox sign-in",
                                            "WeCom sandbox: who is in the client?",
                                            "continue as"))

    return bp
