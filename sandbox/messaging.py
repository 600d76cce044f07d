"""The sandbox corp's messages: message/send delivery into inboxes, the members' quotas, the
duplicate check, recall, and the group robots' chats.

`MessagingState` is the messages part of `SandboxState`. Every public method takes the
state's single lock; helpers whose names end in `_locked` expect the caller to hold it.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox import errcodes
from sandbox.directory import STATUS_ACTIVE, DirectoryState

RECALL_WINDOW_SECONDS = 24 * 3600
DUPLICATE_CHECK_DEFAULT_SECONDS = 1800  # duplicate_check_interval when left out [90236]
MEMBER_LIMIT_PER_MINUTE = 30
MEMBER_LIMIT_PER_HOUR = 1000
ROBOT_KEY_INVALID = 93000  # invalid webhook key, or robot removed [90313]
ROBOT_FREQ_LIMIT = 45009  # past 20/min; UNCONFIRMED for robots, commonly reported


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


class MessagingState(DirectoryState):
    """Inboxes, sent messages, quotas and group robots (a part of `SandboxState`)."""

    now: Callable[[], float]  # sandbox time, SandboxState.now
    inbox: dict[str, list[dict[str, Any]]]
    sent: dict[str, SentMessage]
    dropped: list[dict[str, Any]]
    duplicates: list[dict[str, Any]]  # not delivered again (duplicate check)
    robots: dict[str, list[dict[str, Any]]]  # webhook key -> accepted
    _checked: dict[tuple[str, str], float]  # (userid, content) -> delivered
    _deliveries: dict[str, deque[float]]

    def _reset_messaging_locked(self) -> None:
        """Forget every message, quota and robot (lock held)."""
        self.inbox = {}
        self.sent = {}
        self.dropped = []
        self.duplicates = []
        self._checked = {}
        self.robots = {}
        self._deliveries = {}

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

        docs/wecom.md (message/send, duplicate check) is silent on the details; the sandbox
        chooses: the interval is the new send's; it runs from the last copy actually delivered
        (a suppressed or rate-dropped one does not count, nor restart it); a send without the
        flag neither checks nor counts; a recalled copy still counts (a recall hides a copy, it
        does not unsend it); and the check runs before the per-member rate limit, so a
        suppressed copy uses none of it.
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
            "response_code": outcome.response_code,  # a template card's, for its taps
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
