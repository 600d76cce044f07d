"""In-memory world behind the local WeCom sandbox: contacts, tokens, inboxes, faults.

Every public method takes the single `threading.Lock`; helpers whose names end in
`_locked` expect the caller to hold it already.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sandbox import errcodes

SANDBOX_CORP_ID = "ww-sandbox-corp"
SANDBOX_SECRET = "sandbox-secret"
SANDBOX_AGENT_ID = 1000002

ROOT_DEPARTMENT_ID = 1
TOKEN_TTL_SECONDS = 7200
CODE_TTL_SECONDS = 300
RECALL_WINDOW_SECONDS = 24 * 3600
DUPLICATE_CHECK_DEFAULT_SECONDS = 1800  # duplicate_check_interval when left out [90236]
MEMBER_LIMIT_PER_MINUTE = 30
MEMBER_LIMIT_PER_HOUR = 1000
ROBOT_KEY_INVALID = 93000  # invalid webhook key, or robot removed [90313]
ROBOT_FREQ_LIMIT = 45009  # past 20/min; UNCONFIRMED for robots, commonly reported
STATUS_ACTIVE = 1
# Fields new self-built apps no longer receive from user/get and user/list [90196].
PRIVATE_USER_FIELDS = (
    "avatar", "thumb_avatar", "gender", "mobile", "email", "biz_mail", "qr_code", "address",
)


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


@dataclass
class SentMessage:
    """A message accepted by message/send, kept for recall."""

    msgid: str
    body: dict[str, Any]
    recipients: list[str]
    at: float
    recalled: bool = False


@dataclass
class SendOutcome:
    """How message/send resolved its recipients and what happened to each."""

    invaliduser: list[str] = field(default_factory=list)
    invalidparty: list[str] = field(default_factory=list)
    invalidtag: list[str] = field(default_factory=list)
    delivered: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    msgid: str = ""
    response_code: str = ""
    all_invalid: bool = False


@dataclass
class _Recipients:
    """Users reached by a send plus the ids that did not resolve."""

    users: dict[str, None] = field(default_factory=dict)  # ordered set
    invaliduser: list[str] = field(default_factory=list)
    invalidparty: list[str] = field(default_factory=list)
    invalidtag: list[str] = field(default_factory=list)
    any_valid: bool = False


def split_ids(value: str | None) -> list[str]:
    """Split a '|'-separated id list, dropping empty parts."""
    return [part.strip() for part in (value or "").split("|") if part.strip()]


def duplicate_check(body: dict[str, Any]) -> tuple[str, int] | None:
    """(content key, interval) of a message/send with enable_duplicate_check=1, else None.

    The content is the agent, the msgtype and the message body (body[msgtype]); the recipient
    fields and the other options (safe, enable_id_trans) are not part of it.
    """
    if _parse_int(body.get("enable_duplicate_check")) != 1:
        return None
    interval = _parse_int(body.get("duplicate_check_interval"))
    msgtype = str(body.get("msgtype", ""))
    content = json.dumps([_parse_int(body.get("agentid")), msgtype, body.get(msgtype)],
                         sort_keys=True, ensure_ascii=False, default=str)
    key = hashlib.sha256(content.encode()).hexdigest()
    return key, interval or DUPLICATE_CHECK_DEFAULT_SECONDS


def _parse_int(value: Any) -> int | None:
    """Return value as int, or None when it is not an integer."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class SandboxState:
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
            self.departments: dict[int, dict[str, Any]] = {}
            self.users: dict[str, dict[str, Any]] = {}
            self.tags: dict[int, dict[str, Any]] = {}
            self.media: dict[str, tuple[bytes, str, str]] = {}
            self.menu: dict[str, Any] | None = None
            self.calls: list[Call] = []
            self.inbox: dict[str, list[dict[str, Any]]] = {}
            self.sent: dict[str, SentMessage] = {}
            self.dropped: list[dict[str, Any]] = []
            self.duplicates: list[dict[str, Any]] = []  # not delivered again (duplicate check)
            self._checked: dict[tuple[str, str], float] = {}  # (userid, content) -> delivered
            self.robots: dict[str, list[dict[str, Any]]] = {}  # webhook key -> accepted
            self._deliveries: dict[str, deque[float]] = {}
            self._tokens: dict[str, float] = {}
            self._revoked: set[str] = set()
            self._codes: dict[str, tuple[str, float, str]] = {}
            self._faults: dict[str, list[Fault]] = {}
            self._slow: dict[str, list[Fault]] = {}
            self._add_department_locked(ROOT_DEPARTMENT_ID, "Sandbox Corp", 0, 0)

    def now(self) -> float:
        """Current sandbox time: the injected clock plus any `advance()` offset."""
        return self.clock() + self.clock_offset

    def advance(self, seconds: float) -> None:
        """Move sandbox time forward (for rate-limit, code and recall windows)."""
        with self._lock:
            self.clock_offset += seconds

    # -------------------------------------------------------------- contacts
    def add_department(
        self,
        id: int,  # WeCom's own field name
        name: str,
        parentid: int = ROOT_DEPARTMENT_ID,
        order: int = 0,
        name_en: str = "",
        department_leader: list[str] | None = None,
    ) -> dict[str, Any]:
        """Add or replace a department and return a copy of its record."""
        with self._lock:
            dept = self._add_department_locked(int(id), name, int(parentid), int(order))
            dept["name_en"] = name_en
            dept["department_leader"] = list(department_leader or [])
            return copy.deepcopy(dept)

    def _add_department_locked(
        self, dept_id: int, name: str, parentid: int, order: int
    ) -> dict[str, Any]:
        """Store a department record (lock held)."""
        dept = {
            "id": dept_id, "name": name, "name_en": "", "department_leader": [],
            "parentid": parentid, "order": order,
        }
        self.departments[dept_id] = dept
        return dept

    def add_user(
        self,
        userid: str,
        name: str,
        department: list[int] | None = None,
        position: str = "",
        status: int = STATUS_ACTIVE,
        **extra: Any,
    ) -> dict[str, Any]:
        """Add or replace a member; extra WeCom fields (alias, mobile, ...) override defaults."""
        departments = [int(d) for d in (department or [ROOT_DEPARTMENT_ID])]
        user: dict[str, Any] = {
            "userid": userid, "name": name, "department": departments,
            "order": [0] * len(departments), "position": position, "mobile": "",
            "gender": "0", "email": "", "biz_mail": "",
            "is_leader_in_dept": [0] * len(departments), "direct_leader": [],
            "avatar": "", "thumb_avatar": "", "telephone": "", "alias": "", "address": "",
            "open_userid": "wo" + secrets.token_hex(8), "main_department": departments[0],
            "extattr": {"attrs": []}, "status": int(status), "qr_code": "",
            "external_position": "", "external_profile": {},
        }
        user.update(extra)
        with self._lock:
            self.users[userid] = user
            return copy.deepcopy(user)

    def add_tag(
        self,
        tagid: int,
        name: str,
        users: Iterable[str] = (),
        parties: Iterable[int] = (),
    ) -> dict[str, Any]:
        """Add or replace a tag holding the given users and departments."""
        tag = {
            "tagid": int(tagid), "tagname": name,
            "userlist": list(users), "partylist": [int(p) for p in parties],
        }
        with self._lock:
            self.tags[int(tagid)] = tag
            return copy.deepcopy(tag)

    def add_media(
        self,
        data: bytes,
        content_type: str = "application/octet-stream",
        filename: str = "file.bin",
        media_id: str | None = None,
    ) -> str:
        """Store a media file and return its media_id."""
        media_id = media_id or "sbx-media-" + secrets.token_urlsafe(12)
        with self._lock:
            self.media[media_id] = (bytes(data), content_type, filename)
        return media_id

    def get_media(self, media_id: str) -> tuple[bytes, str, str] | None:
        """Return (data, content_type, filename) for a media_id, or None."""
        with self._lock:
            return self.media.get(media_id)

    def get_user(self, userid: str) -> dict[str, Any] | None:
        """Return an API view of one member (case-insensitive id), or None."""
        with self._lock:
            user = self._find_user_locked(userid, self._user_index_locked())
            return self._user_view_locked(user) if user else None

    def users_in_department(self, dept_id: int, fetch_child: bool) -> list[dict[str, Any]] | None:
        """Return API views of members of a department (and its subtree), or None if unknown."""
        with self._lock:
            if dept_id not in self.departments:
                return None
            wanted = self._subtree_locked(dept_id) if fetch_child else {dept_id}
            return [
                self._user_view_locked(user)
                for user in self.users.values()
                if wanted.intersection(user["department"])
            ]

    def department_tree(self, dept_id: int | None) -> list[dict[str, Any]] | None:
        """Return a department and all its descendants (all when None), or None if unknown."""
        with self._lock:
            start = ROOT_DEPARTMENT_ID if dept_id is None else dept_id
            if start not in self.departments:
                return None
            ordered = self._walk_locked(start)
            if dept_id is None:
                seen = set(ordered)
                ordered += [d for d in sorted(self.departments) if d not in seen]
            return [copy.deepcopy(self.departments[d]) for d in ordered]

    def tag_members(self, tagid: int) -> dict[str, Any] | None:
        """Return tag/get's view of a tag, or None if unknown."""
        with self._lock:
            tag = self.tags.get(tagid)
            if tag is None:
                return None
            userlist = [
                {"userid": uid, "name": self.users[uid]["name"]}
                for uid in tag["userlist"]
                if uid in self.users
            ]
            return {
                "tagname": tag["tagname"], "userlist": userlist,
                "partylist": list(tag["partylist"]),
            }

    def _user_view_locked(self, user: dict[str, Any]) -> dict[str, Any]:
        """Copy a member record, hiding the fields new self-built apps cannot see."""
        view = copy.deepcopy(user)
        if self.privacy_restricted:
            for name in PRIVATE_USER_FIELDS:
                view.pop(name, None)
        return view

    def _user_index_locked(self) -> dict[str, str]:
        """Map lowercased userid -> stored userid."""
        return {uid.lower(): uid for uid in self.users}

    def _find_user_locked(self, userid: str, index: dict[str, str]) -> dict[str, Any] | None:
        """Find a member by exact or case-insensitive userid."""
        user = self.users.get(userid)
        if user is None and userid.lower() in index:
            user = self.users[index[userid.lower()]]
        return user

    def _children_locked(self, dept_id: int) -> list[int]:
        """Direct child department ids, WeCom order (higher `order` first)."""
        kids = [d for d in self.departments.values() if d["parentid"] == dept_id]
        kids = [d for d in kids if d["id"] != dept_id]
        kids.sort(key=lambda d: (-d["order"], d["id"]))
        return [d["id"] for d in kids]

    def _walk_locked(self, dept_id: int) -> list[int]:
        """Depth-first list of a department and its descendants."""
        ordered: list[int] = []
        pending = [dept_id]
        while pending:
            current = pending.pop()
            if current in ordered:
                continue
            ordered.append(current)
            pending.extend(reversed(self._children_locked(current)))
        return ordered

    def _subtree_locked(self, dept_id: int) -> set[int]:
        """A department id plus all its descendants' ids."""
        return set(self._walk_locked(dept_id))

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

    # -------------------------------------------------------------- messages
    def send_message(
        self, body: dict[str, Any], touser: list[str], toparty: list[str], totag: list[str]
    ) -> SendOutcome:
        """Resolve recipients and deliver a validated message subject to member rate limits."""
        with self._lock:
            found = self._resolve_locked(touser, toparty, totag)
            outcome = SendOutcome(
                invaliduser=found.invaliduser, invalidparty=found.invalidparty,
                invalidtag=found.invalidtag, all_invalid=not found.any_valid,
            )
            if outcome.all_invalid:
                return outcome
            outcome.msgid = "sbx-msg-" + secrets.token_urlsafe(18)
            if body.get("msgtype") == "template_card":
                outcome.response_code = "sbx-rc-" + secrets.token_urlsafe(18)
            now = self.now()
            check = duplicate_check(body)
            for userid in found.users:
                if check is not None and self._is_duplicate_locked(userid, check, outcome, now):
                    continue
                if self._deliver_locked(userid, body, outcome, now) and check is not None:
                    self._checked[(userid, check[0])] = now
            self.sent[outcome.msgid] = SentMessage(
                outcome.msgid, copy.deepcopy(body), list(outcome.delivered), now
            )
            return outcome

    def _resolve_locked(
        self, touser: list[str], toparty: list[str], totag: list[str]
    ) -> _Recipients:
        """Expand users, departments (with children) and tags into active members."""
        found = _Recipients()
        if "@all" in touser:
            found.any_valid = True
            for uid, user in self.users.items():
                self._add_active_locked(found, uid, user)
            return found
        index = self._user_index_locked()
        for raw in touser:
            user = self._find_user_locked(raw, index)
            if user is None or user["status"] != STATUS_ACTIVE:
                found.invaliduser.append(raw.lower())
            else:
                found.any_valid = True
                found.users[user["userid"]] = None
        for raw in toparty:
            dept_id = _parse_int(raw)
            if dept_id is None or dept_id not in self.departments:
                found.invalidparty.append(raw)
            else:
                found.any_valid = True
                self._add_departments_locked(found, [dept_id])
        for raw in totag:
            tagid = _parse_int(raw)
            tag = self.tags.get(tagid) if tagid is not None else None
            if tag is None:
                found.invalidtag.append(raw)
                continue
            found.any_valid = True
            for uid in tag["userlist"]:
                user = self._find_user_locked(uid, index)
                if user is not None:
                    self._add_active_locked(found, user["userid"], user)
            self._add_departments_locked(found, tag["partylist"])
        return found

    def _add_departments_locked(self, found: _Recipients, dept_ids: list[int]) -> None:
        """Add the active members of these departments and their children."""
        wanted: set[int] = set()
        for dept_id in dept_ids:
            if dept_id in self.departments:
                wanted |= self._subtree_locked(dept_id)
        for uid, user in self.users.items():
            if wanted.intersection(user["department"]):
                self._add_active_locked(found, uid, user)

    @staticmethod
    def _add_active_locked(found: _Recipients, userid: str, user: dict[str, Any]) -> None:
        """Add a member to the recipients if active (status 1)."""
        if user["status"] == STATUS_ACTIVE:
            found.users[userid] = None

    def _is_duplicate_locked(
        self, userid: str, check: tuple[str, int], outcome: SendOutcome, now: float
    ) -> bool:
        """enable_duplicate_check: did userid get this content within the interval through a
        send that also asked for the check? Then WeCom does not deliver it again (the call
        still answers errcode 0).

        WECOM.md is silent on the details; the sandbox chooses: the interval is the new send's;
        it runs from the last copy actually delivered (a suppressed or rate-dropped one does not
        count, nor restart it); a send without the flag neither checks nor counts; a recalled
        copy still counts (a recall hides a copy, it does not unsend it); and the check runs
        before the per-member rate limit, so a suppressed copy uses none of it.
        """
        key, interval = check
        last = self._checked.get((userid, key))
        if last is None or now - last >= interval:
            return False
        outcome.duplicates.append(userid)
        self.duplicates.append({"userid": userid, "msgid": outcome.msgid, "at": now,
                                "first_at": last})
        return True

    def _deliver_locked(
        self, userid: str, body: dict[str, Any], outcome: SendOutcome, now: float
    ) -> bool:
        """Put the message in one inbox (True), or silently drop it past 30/min or 1000/h."""
        history = self._deliveries.setdefault(userid, deque())
        while history and now - history[0] >= 3600:
            history.popleft()
        last_minute = sum(1 for at in history if now - at < 60)
        reason = ""
        if last_minute >= MEMBER_LIMIT_PER_MINUTE:
            reason = "per-minute limit (30/min)"
        elif len(history) >= MEMBER_LIMIT_PER_HOUR:
            reason = "per-hour limit (1000/h)"
        if reason:
            outcome.dropped.append(userid)
            self.dropped.append(
                {"userid": userid, "msgid": outcome.msgid, "at": now, "reason": reason}
            )
            return False
        history.append(now)
        msgtype = body.get("msgtype", "")
        self.inbox.setdefault(userid, []).append({
            "msgid": outcome.msgid, "msgtype": msgtype,
            "content": copy.deepcopy(body.get(msgtype)), "at": now, "recalled": False,
        })
        outcome.delivered.append(userid)
        return True

    def recall(self, msgid: str) -> int:
        """Mark a sent message recalled in every inbox; return the errcode to answer."""
        with self._lock:
            sent = self.sent.get(msgid)
            if sent is None or sent.recalled:
                return errcodes.INVALID_MSGID
            if self.now() - sent.at > RECALL_WINDOW_SECONDS:
                return errcodes.RECALL_EXPIRED
            sent.recalled = True
            for userid in sent.recipients:
                for message in self.inbox.get(userid, []):
                    if message["msgid"] == msgid:
                        message["recalled"] = True
            return errcodes.OK

    def inbox_since(self, userid: str, since: int = 0) -> list[dict[str, Any]]:
        """Copies of the messages delivered to userid from index `since` on."""
        with self._lock:
            return copy.deepcopy(self.inbox.get(userid, [])[max(since, 0):])

    def set_menu(self, menu: dict[str, Any] | None) -> None:
        """Store (or clear with None) the app menu."""
        with self._lock:
            self.menu = copy.deepcopy(menu)

    # ---------------------------------------------------------- group robots
    def add_robot(self, key: str) -> None:
        """Register a group robot webhook key (its group chat starts empty)."""
        with self._lock:
            self.robots.setdefault(key, [])

    def robot_post(self, key: str, body: dict[str, Any], per_minute: int) -> int:
        """Accept a validated robot message: 0, 93000 for an unknown key, 45009 past the limit."""
        with self._lock:
            messages = self.robots.get(key)
            if messages is None:
                return ROBOT_KEY_INVALID
            now = self.now()
            if sum(1 for m in messages if now - m["at"] < 60) >= per_minute:
                return ROBOT_FREQ_LIMIT
            msgtype = body.get("msgtype", "")
            messages.append({"msgtype": msgtype, "content": copy.deepcopy(body.get(msgtype)),
                             "at": now})
            return errcodes.OK

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
