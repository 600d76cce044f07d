"""Who is looking at the console, and whether they may: sessions, the one `guard` decorator,
CSRF tokens, and login-attempt limits.

A login is a random session id kept in Redis (idle timeout, refreshed on each request) and
named in Flask's signed cookie; logging in always makes a new id, logging out deletes it.
The viewer's roles are re-read from the database on every request, so a revoked role or a
member who left loses access at once.
"""

from __future__ import annotations

import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bot import keys
from bot.extensions import redis_store
from bot.logs import note_user
from models import ConsoleAccount, Member, Role, db

CONSOLE_ROLES = (Role.ADMIN, Role.CONTACT, Role.LECTURER)
SESSION_SID, SESSION_CSRF = "console_sid", "console_csrf"
IDLE_TIMEOUT_S = 30 * 60
MAX_SESSION_S = 12 * 3600
LOGIN_WINDOW_S = 15 * 60
MAX_FAILS_PER_USER = 5
MAX_FAILS_PER_IP = 30

F = TypeVar("F", bound=Callable[..., Any])


def session_key(sid: str) -> str:
    """One console login (JSON: kind, id, at)."""
    return f"{keys.PREFIX}:console:session:{sid}"


def login_fail_key(scope: str, value: str) -> str:
    """Failed login attempts in the current window, per username or per client address."""
    return f"{keys.PREFIX}:console:login-fail:{scope}:{value}"


def oauth_state_key(state: str) -> str:
    """A pending WeCom web login started by this browser."""
    return f"{keys.PREFIX}:console:oauth:{state}"


@dataclass(frozen=True)
class Viewer:
    """The signed-in person: a member (WeCom login) or a local admin account."""

    actor: str  # as written in audit rows: the userid, or console:<username>
    name: str
    roles: frozenset[str]
    org_ids: frozenset[int]  # organisations a contact acts for
    member: Member | None = None

    @property
    def is_admin(self) -> bool:
        """True for admins (they see everything)."""
        return Role.ADMIN in self.roles

    @property
    def member_id(self) -> int | None:
        """The viewer's member id (None for a local account)."""
        return self.member.id if self.member is not None else None


def idle_timeout() -> int:
    """Seconds of inactivity after which a login ends (CONSOLE_IDLE_TIMEOUT_S overrides)."""
    return int(current_app.config.get("CONSOLE_IDLE_TIMEOUT_S") or IDLE_TIMEOUT_S)


def start_session(kind: str, subject_id: int) -> None:
    """Log in: drop whatever the browser had, then a fresh session id and CSRF token."""
    old = session.get(SESSION_SID)
    if isinstance(old, str):
        redis_store.client.delete(session_key(old))
    session.clear()
    sid = secrets.token_urlsafe(32)
    record = json.dumps({"kind": kind, "id": subject_id, "at": int(time.time())})
    redis_store.client.set(session_key(sid), record, ex=idle_timeout())
    session[SESSION_SID] = sid
    session[SESSION_CSRF] = secrets.token_urlsafe(32)


def end_session() -> None:
    """Log out: forget the session id here and in Redis."""
    sid = session.get(SESSION_SID)
    if isinstance(sid, str):
        redis_store.client.delete(session_key(sid))
    session.pop(SESSION_SID, None)
    session[SESSION_CSRF] = secrets.token_urlsafe(32)


def _login_record() -> dict[str, Any] | None:
    """The current login (and its idle timer refreshed), or None when there is none."""
    sid = session.get(SESSION_SID)
    if not isinstance(sid, str):
        return None
    key = session_key(sid)
    raw = redis_store.client.get(key)
    if raw is None:
        return None
    record = json.loads(raw)
    if time.time() - int(record.get("at", 0)) > MAX_SESSION_S:
        redis_store.client.delete(key)
        return None
    redis_store.client.expire(key, idle_timeout())
    return record if isinstance(record, dict) else None


def member_viewer(member: Member) -> Viewer | None:
    """The viewer for an active member with a console role, else None."""
    roles = frozenset(g_.role for g_ in member.grants if g_.role in CONSOLE_ROLES)
    if not member.is_active or not roles:
        return None
    orgs = frozenset(g_.organization_id for g_ in member.grants
                     if g_.role == Role.CONTACT and g_.organization_id is not None)
    return Viewer(member.userid, member.name, roles, orgs, member)


def load_viewer() -> Viewer | None:
    """The viewer of this request; None when not logged in; 403 (Forbidden raised) for a
    member who left, was disabled or holds no console role any more."""
    record = _login_record()
    if record is None:
        return None
    if record.get("kind") == "account":
        account = db.session.get(ConsoleAccount, int(record["id"]))
        if account is None or not account.active:
            end_session()
            return None
        return Viewer(f"console:{account.username}", account.username,
                      frozenset({Role.ADMIN}), frozenset())
    member = db.session.scalars(select(Member).options(joinedload(Member.grants))
                                .where(Member.id == int(record["id"]))).unique().first()
    if member is None or not member.is_active:  # left or disabled: the login ends here
        end_session()
        abort(403)
    viewer = member_viewer(member)
    if viewer is None:  # no console role (any more)
        abort(403)
    return viewer


def guard(*allowed: str) -> Callable[[F], F]:
    """Let a view run only for a logged-in viewer holding one of `allowed` roles.

    Not logged in: redirect to the login page. Logged in without the role: 403.
    """

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            viewer = load_viewer()
            if viewer is None:
                return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
            note_user(viewer.actor)  # the access log names who it was, even when refused
            if not viewer.roles & set(allowed):
                abort(403)  # the blueprint's handler renders the Chinese page
            g.viewer = viewer
            return view(*args, **kwargs)

        wrapper.console_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def public(view: F) -> F:
    """Mark a view as open to everyone (the login pages); the route test checks every view
    is either guarded or public."""
    view.console_public = True  # type: ignore[attr-defined]
    return view


def viewer() -> Viewer:
    """The viewer of a guarded request."""
    return g.viewer  # type: ignore[no-any-return]


def csrf_token() -> str:
    """This browser's CSRF token (made on first use)."""
    token = session.get(SESSION_CSRF)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[SESSION_CSRF] = token
    return token


def csrf_ok() -> bool:
    """True when the posted form carries this browser's CSRF token."""
    expected = session.get(SESSION_CSRF)
    given = request.form.get("csrf", "")
    return isinstance(expected, str) and hmac.compare_digest(expected.encode(), given.encode())


def client_address() -> str:
    """The client's address (the proxy's X-Forwarded-For is trusted only behind ProxyFix)."""
    return request.remote_addr or "unknown"


def login_locked(username: str) -> bool:
    """True when this username or this address failed too often in the current window."""
    client = redis_store.client
    user_fails = int(client.get(login_fail_key("user", username.lower())) or 0)
    ip_fails = int(client.get(login_fail_key("ip", client_address())) or 0)
    return user_fails >= MAX_FAILS_PER_USER or ip_fails >= MAX_FAILS_PER_IP


def count_failure(username: str) -> None:
    """Count one failed login against the username and the address."""
    with redis_store.client.pipeline(transaction=True) as pipe:
        for key in (login_fail_key("user", username.lower()),
                    login_fail_key("ip", client_address())):
            pipe.set(key, 0, nx=True, ex=LOGIN_WINDOW_S)  # the window starts at the first
            pipe.incr(key)
        pipe.execute()


def clear_failures(username: str) -> None:
    """A successful login forgets the username's failures."""
    redis_store.client.delete(login_fail_key("user", username.lower()))
