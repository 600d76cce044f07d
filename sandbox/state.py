"""In-memory world behind the local WeCom sandbox: one corp's credentials, clock, tokens,
OAuth codes, media, menu, call log and faults; its contacts (sandbox/directory.py) and its
messages (sandbox/messaging.py) are the parts `SandboxState` inherits.

Every public method takes the single `threading.Lock`; helpers whose names end in
`_locked` expect the caller to hold it already.
"""

from __future__ import annotations

import copy
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox import errcodes
from sandbox.messaging import MessagingState

SANDBOX_CORP_ID = "ww-sandbox-corp"
SANDBOX_SECRET = "sandbox-secret"
SANDBOX_AGENT_ID = 1000002

TOKEN_TTL_SECONDS = 7200
CODE_TTL_SECONDS = 300
MEDIA_TTL_S = 3 * 24 * 3600  # temporary media (media/upload, a member's image) expire


def normalize_path(path: str) -> str:
    """Turn '/cgi-bin/message/send', 'cgi-bin/message/send' or 'message/send' into the last."""
    clean = path.strip().strip("/")
    if clean.startswith("cgi-bin/"):
        clean = clean[len("cgi-bin/"):]
    return clean


@dataclass
class Call:
    """One recorded API call and the answer the sandbox gave."""

    path: str
    params: dict[str, Any]
    body: dict[str, Any] | None
    response: dict[str, Any]
    at: float


@dataclass
class Fault:
    """A queued misbehaviour for the next calls to one path."""

    kind: str  # "errcode", "http" or "slow"
    remaining: int
    errcode: int = 0
    errmsg: str = ""
    status: int = 500
    seconds: float = 0.0


class SandboxState(MessagingState):
    """Thread-safe in-memory WeCom corp: contacts, tokens, inboxes, call log and faults."""

    def __init__(
        self,
        corp_id: str = SANDBOX_CORP_ID,
        secret: str = SANDBOX_SECRET,
        agent_id: int = SANDBOX_AGENT_ID,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """Create an empty corp (root department only) with the given credentials."""
        self.corp_id = corp_id
        self.secret = secret
        self.agent_id = agent_id
        self.clock: Callable[[], float] = clock
        self.sleep: Callable[[float], None] = time.sleep
        self.privacy_restricted = True
        self._lock = threading.Lock()
        self.reset()

    # ----------------------------------------------------------------- world
    def reset(self) -> None:
        """Forget everything except credentials and clock; recreate the root department."""
        with self._lock:
            self.clock_offset = 0.0
            self._reset_directory_locked()
            self._reset_messaging_locked()
            self.media: dict[str, tuple[bytes, str, str, float]] = {}  # + when added
            self.menu: dict[str, Any] | None = None
            self.calls: list[Call] = []
            self._tokens: dict[str, float] = {}
            self._revoked: set[str] = set()
            self._codes: dict[str, tuple[str, float, str]] = {}
            self._faults: dict[str, list[Fault]] = {}
            self._slow: dict[str, list[Fault]] = {}

    def now(self) -> float:
        """Current sandbox time: the injected clock plus any `advance()` offset."""
        return self.clock() + self.clock_offset

    def advance(self, seconds: float) -> None:
        """Move sandbox time forward (for rate-limit, code and recall windows)."""
        with self._lock:
            self.clock_offset += seconds

    # ------------------------------------------------------------ media, menu
    def add_media(
        self,
        data: bytes,
        content_type: str = "application/octet-stream",
        filename: str = "file.bin",
        media_id: str | None = None,
    ) -> str:
        """Store a media file and return its media_id (temporary: it expires as WeCom's do)."""
        media_id = media_id or "sbx-media-" + secrets.token_urlsafe(12)
        with self._lock:
            self.media[media_id] = (bytes(data), content_type, filename, self.now())
        return media_id

    def get_media(self, media_id: str) -> tuple[bytes, str, str] | None:
        """Return (data, content_type, filename) for a media_id, or None (unknown, or older
        than MEDIA_TTL_S: WeCom's temporary media last 3 days)."""
        with self._lock:
            found = self.media.get(media_id)
            if found is None or self.now() - found[3] > MEDIA_TTL_S:
                return None
            return found[0], found[1], found[2]

    def set_menu(self, menu: dict[str, Any] | None) -> None:
        """Store (or clear with None) the app menu."""
        with self._lock:
            self.menu = copy.deepcopy(menu)

    # ---------------------------------------------------------------- tokens
    def issue_token(self) -> str:
        """Issue a new access_token valid for TOKEN_TTL_SECONDS."""
        token = "sbx-" + secrets.token_urlsafe(48)
        with self._lock:
            self._tokens[token] = self.now()
        return token

    def check_token(self, token: str | None) -> int:
        """Return 0 for a usable token, else 41001 / 40014 / 42001."""
        if not token:
            return errcodes.MISSING_ACCESS_TOKEN
        with self._lock:
            issued = self._tokens.get(token)
            if issued is None:
                return errcodes.INVALID_ACCESS_TOKEN
            if token in self._revoked or self.now() - issued >= TOKEN_TTL_SECONDS:
                return errcodes.ACCESS_TOKEN_EXPIRED
            return errcodes.OK

    def expire_tokens(self) -> None:
        """Make every token issued so far answer 42001."""
        with self._lock:
            self._revoked.update(self._tokens)

    # ----------------------------------------------------------------- OAuth
    def issue_code(self, userid: str, scope: str = "snsapi_base") -> str:
        """Issue a single-use OAuth code for userid, valid CODE_TTL_SECONDS."""
        code = "sbx-code-" + secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = (userid, self.now(), scope)
        return code

    def redeem_code(self, code: str) -> dict[str, Any] | None:
        """Consume a code: auth/getuserinfo fields, or None if unknown, used or expired."""
        with self._lock:
            entry = self._codes.pop(code, None)
            if entry is None:
                return None
            userid, issued, scope = entry
            if self.now() - issued > CODE_TTL_SECONDS:
                return None
            user = self._find_user_locked(userid, self._user_index_locked())
        if user is None:
            return {"openid": "sbx-openid-" + userid, "external_userid": "wm" + userid}
        fields: dict[str, Any] = {"userid": user["userid"]}
        if scope == "snsapi_privateinfo":
            fields["user_ticket"] = "sbx-ticket-" + secrets.token_urlsafe(24)
            fields["expires_in"] = 1800
        return fields

    # -------------------------------------------------------------- call log
    def record(
        self,
        path: str,
        params: dict[str, Any],
        body: dict[str, Any] | None,
        response: dict[str, Any],
    ) -> Call:
        """Append one API call to the log and return it."""
        call = Call(normalize_path(path), dict(params), body, response, self.now())
        with self._lock:
            self.calls.append(call)
        return call

    def calls_to(self, path: str) -> list[Call]:
        """Recorded calls to one API path (e.g. 'message/send')."""
        wanted = normalize_path(path)
        with self._lock:
            return [call for call in self.calls if call.path == wanted]

    # -------------------------------------------------------------- failures
    def fail_next(
        self, path: str, errcode: int, times: int = 1, errmsg: str | None = None
    ) -> None:
        """Make the next `times` calls to path answer this errcode."""
        fault = Fault("errcode", times, errcode=errcode, errmsg=errmsg or "")
        self._queue(self._faults, path, fault)

    def http_error_next(self, path: str, status: int = 500, times: int = 1) -> None:
        """Make the next `times` calls to path answer a bare HTTP error status."""
        self._queue(self._faults, path, Fault("http", times, status=status))

    def slow_next(self, path: str, seconds: float, times: int = 1) -> None:
        """Make the next `times` calls to path sleep `seconds` before answering."""
        self._queue(self._slow, path, Fault("slow", times, seconds=seconds))

    def _queue(self, table: dict[str, list[Fault]], path: str, fault: Fault) -> None:
        """Append a fault to a path's queue."""
        if fault.remaining < 1:
            return
        with self._lock:
            table.setdefault(normalize_path(path), []).append(fault)

    def take_fault(self, path: str) -> Fault | None:
        """Consume one use of the first errcode/HTTP fault queued for path."""
        return self._take(self._faults, path)

    def take_delay(self, path: str) -> float:
        """Consume one use of the first slow-down queued for path; 0.0 if none."""
        fault = self._take(self._slow, path)
        return fault.seconds if fault else 0.0

    def _take(self, table: dict[str, list[Fault]], path: str) -> Fault | None:
        """Pop one use off the head of a path's fault queue."""
        with self._lock:
            queue = table.get(normalize_path(path))
            if not queue:
                return None
            fault = queue[0]
            fault.remaining -= 1
            if fault.remaining <= 0:
                queue.pop(0)
            return fault
