"""WeCom sign-in for web pages: a one-time state before the redirect to WeCom, and on the way
back the state checked and the code exchanged for the member's userid.

Shared by the console's WeCom login and the tracked reading links. Each caller keeps its own
session and Redis keys, the WeCom page it sends the browser to, and the pages it shows.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import session

from bot.extensions import redis_store
from bot.services import wecom_client
from bot.wecom import INVALID_CODE, WeComError

STATE_TTL_S = 600  # a sign-in not finished within ten minutes has to start again
STATE_RE = re.compile(r"[A-Za-z0-9]{1,128}")
MAX_CODE_LEN = 512
PENDING_STATES = 5  # a few tabs may sign in at once
StateKey = Callable[[str], str]  # state -> its Redis key


class LoginExpired(Exception):
    """The state is unknown, used or from another browser, or the code is bad, used or old."""


class LoginUnavailable(Exception):
    """WeCom could not say whose the code is (anything but a bad code); `error` says why."""

    def __init__(self, error: WeComError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass(frozen=True)
class Login:
    """A finished sign-in: what begin_login remembered, and the userid (None outside the corp)."""

    value: str
    userid: str | None


def begin_login(session_key: str, state_key: StateKey, value: str = "1") -> str:
    """A fresh state for the redirect, remembered with `value` in Redis and in this session."""
    state = secrets.token_hex(16)
    redis_store.client.set(state_key(state), value, ex=STATE_TTL_S)
    pending = [s for s in session.get(session_key, []) if isinstance(s, str)]
    session[session_key] = [*pending[-(PENDING_STATES - 1):], state]
    return state


def _take_state(session_key: str, state_key: StateKey, state: str) -> str | None:
    """The value of a state this browser started; the state is used up (atomically) either way."""
    pending = session.get(session_key) or []
    if not STATE_RE.fullmatch(state) or state not in pending:
        return None
    session[session_key] = [s for s in pending if s != state]
    key = state_key(state)
    with redis_store.client.pipeline(transaction=True) as pipe:
        pipe.get(key)
        pipe.delete(key)
        value, deleted = pipe.execute()
    return value.decode() if value and deleted else None


def finish_login(session_key: str, state_key: StateKey, state: str, code: str) -> Login:
    """Check the returned state and exchange the code; raises LoginExpired or LoginUnavailable."""
    value = _take_state(session_key, state_key, state)
    if value is None or not code or len(code) > MAX_CODE_LEN:
        raise LoginExpired
    try:
        userid = wecom_client().user_for_code(code)
    except WeComError as exc:
        if exc.errcode == INVALID_CODE:
            raise LoginExpired from exc
        raise LoginUnavailable(exc) from exc
    return Login(value, userid)
