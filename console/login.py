"""Logging in to the console: WeCom web login (QR) for members, a local admin account for when
WeCom is unreachable, and logging out."""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlencode, urlsplit

from flask import Response, redirect, request, session, url_for
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from bot import oauth
from console import auth
from console.views import bp, config_value, page
from content import console_texts as t
from models import ConsoleAccount, db, find_member, utcnow

log = logging.getLogger(__name__)

SESSION_STATES, SESSION_NEXT = "console_oauth_states", "console_next"
# Compared against when the username is unknown, so both answers take as long.
_DUMMY_HASH = generate_password_hash(secrets.token_hex(16))


def _safe_next(target: str | None) -> str:
    """Where to go after login: a path inside the console, never another site."""
    if target and target.startswith("/console") and not urlsplit(target).netloc \
            and "\\" not in target and not target.startswith("/console/login"):
        return target
    return url_for("console.dashboard")


def _login_page(error: str = "", status: int = 200) -> Response:
    return page("login.html", status, error=error, next=request.args.get("next", ""))


@bp.get("/login")
@auth.public
def login() -> Response:
    """The login page: WeCom QR login, or the local admin form."""
    return _login_page()


@bp.post("/login")
@auth.public
def login_local() -> Response:
    """Log in with a local admin account (rate-limited per username and per address)."""
    username = request.form.get("username", "").strip()[:64]
    password = request.form.get("password", "")
    if auth.login_locked(username):
        minutes = auth.LOGIN_WINDOW_S // 60
        return _login_page(t.LOGIN_LOCKED.format(minutes=minutes), 429)
    account = db.session.scalars(select(ConsoleAccount)
                                 .where(ConsoleAccount.username == username)).first()
    valid = check_password_hash(account.password_hash if account else _DUMMY_HASH, password)
    if account is None or not account.active or not valid or not password:
        auth.count_failure(username)
        return _login_page(t.LOGIN_FAILED, 401)
    auth.clear_failures(username)
    account.last_login_at = utcnow()
    db.session.commit()
    auth.start_session("account", account.id)
    return redirect(_safe_next(request.form.get("next")), 303)  # type: ignore[return-value]


@bp.get("/login/wecom")
@auth.public
def login_wecom() -> Response:
    """Send the browser to WeCom's web login (QR) page; it comes back with a code."""
    state = oauth.begin_login(SESSION_STATES, auth.oauth_state_key)
    session[SESSION_NEXT] = _safe_next(request.args.get("next"))
    query = urlencode({
        "login_type": "CorpApp",
        "appid": config_value("WECOM_CORP_ID"),
        "agentid": config_value("WECOM_AGENT_ID"),
        "redirect_uri": config_value("PUBLIC_URL") + url_for("console.login_wecom_return"),
        "state": state,
        "lang": "zh",
    })
    return redirect(f"{config_value('WECOM_WEB_LOGIN_URL')}?{query}", 302)  # type: ignore


@bp.get("/login/wecom/return")
@auth.public
def login_wecom_return() -> Response:
    """WeCom sends the browser back with a code: learn who it is and whether they may enter."""
    state, code = request.args.get("state", ""), request.args.get("code", "")
    try:
        userid = oauth.finish_login(SESSION_STATES, auth.oauth_state_key, state, code).userid
    except oauth.LoginExpired:
        return _login_page(t.LOGIN_EXPIRED, 400)
    except oauth.LoginUnavailable as exc:
        log.warning("console login: auth/getuserinfo failed: %s", exc.error)
        return _login_page(t.LOGIN_UNAVAILABLE, 503)
    member = find_member(userid) if userid else None
    if member is None:
        return _login_page(t.LOGIN_NOT_MEMBER, 403)
    if not member.is_active:
        return _login_page(t.LOGIN_INACTIVE, 403)
    if auth.member_viewer(member) is None:
        return _login_page(t.LOGIN_NO_ROLE, 403)
    target = _safe_next(session.get(SESSION_NEXT))
    auth.start_session("member", member.id)
    return redirect(target, 303)  # type: ignore[return-value]


@bp.post("/logout")
@auth.public
def logout() -> Response:
    """Log out (a form with the CSRF token, so no other site can log anyone out)."""
    auth.end_session()
    return _login_page(t.LOGGED_OUT)
