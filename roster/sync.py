"""`roster sync`: pull every department and user from WeCom and make the roster match.

One department/list call, then one user/list call per department (fetch_child=0), each
department applied and committed on its own. Progress lives in Redis, so a run cut short by a
rate limit or an outage resumes at the next department when it is run again. At the end,
members WeCom no longer lists are marked left (never deleted).
"""

from __future__ import annotations

import json
import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import redis

import clock
from bot import keys
from bot.wecom import WeComClient, WeComRateLimited, WeComUnavailable
from models import Member, MemberStatus, Organization, audit, db
from roster.members import (
    DepartmentRecord,
    MemberRecord,
    RosterChange,
    apply_department,
    apply_record,
    close_department,
    mark_left,
    members_by_userid,
    organizations_by_dept,
)

log = logging.getLogger(__name__)

PROGRESS_TTL_S = 24 * 3600
LOCK_TTL_S = 3600
MEMBER_OUTCOMES = ("added", "updated", "moved", "returned", "left", "unchanged")


class SyncError(RuntimeError):
    """The sync stopped; the message says why and whether running it again resumes."""


@dataclass
class SyncSummary:
    """What a sync changed."""

    members: Counter[str] = field(default_factory=Counter)
    organizations: Counter[str] = field(default_factory=Counter)
    api_calls: int = 0
    resumed: bool = False

    @property
    def changed(self) -> bool:
        """True if anything in the roster was written."""
        quiet = {"unchanged"}
        return any(n for k, n in self.members.items() if k not in quiet) or any(
            n for k, n in self.organizations.items() if k not in quiet
        )

    def as_dict(self) -> dict[str, Any]:
        """Plain numbers, for the audit trail and the CLI."""
        return {"members": dict(self.members), "organizations": dict(self.organizations),
                "api_calls": self.api_calls}


def _ordered(departments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Departments with every parent before its children."""
    by_id = {int(d["id"]): d for d in departments}
    ordered: list[dict[str, Any]] = []
    placed: set[int] = set()

    def place(dept_id: int, trail: tuple[int, ...] = ()) -> None:
        if dept_id in placed or dept_id not in by_id or dept_id in trail:
            return
        parent = int(by_id[dept_id].get("parentid") or 0)
        place(parent, (*trail, dept_id))
        placed.add(dept_id)
        ordered.append(by_id[dept_id])

    for dept_id in sorted(by_id, key=lambda i: (int(by_id[i].get("order") or 0), i)):
        place(dept_id)
    return ordered


class RosterSync:
    """One sync of the roster from WeCom; construct, then call run()."""

    def __init__(
        self,
        client: WeComClient,
        redis_client: redis.Redis,
        actor: str = "system",
        on_progress: Callable[[int, int], None] | None = None,
        rate_wait_s: float = 60.0,
        max_waits: int = 5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client
        self.redis = redis_client
        self.actor = actor
        self.on_progress = on_progress or (lambda done, total: None)
        self.rate_wait_s = rate_wait_s
        self.max_waits = max_waits
        self.sleep = sleep
        self.summary = SyncSummary()

    # -- the run ---------------------------------------------------------------------

    def run(self) -> SyncSummary:
        """Sync everything (or resume an interrupted run) and return what changed."""
        if not self.redis.set(keys.roster_sync_lock(), "1", nx=True, ex=LOCK_TTL_S):
            raise SyncError("another roster sync is running; wait for it to finish")
        session = db.session()
        # Each department commits on its own; keep the loaded members instead of reloading
        # all of them after every commit (this run is their only writer).
        expire, session.expire_on_commit = session.expire_on_commit, False
        try:
            progress = self._load_progress() or self._start()
            today = clock.today()
            orgs = organizations_by_dept()
            seen = {v.decode() for v in self.redis.smembers(keys.roster_sync_seen())}
            pending = [d for d in progress["departments"] if d not in progress["done"]]
            total = len(progress["departments"])
            self.on_progress(total - len(pending), total)
            existing = members_by_userid()  # one query for everyone, not one per department
            for dept_id in pending:
                users = self._call(lambda api, d=dept_id: api.user.list(d, fetch_child=False))
                self._apply_users(users, orgs, existing, seen, today)
                progress["done"].append(dept_id)
                self._save_progress(progress)
                self.on_progress(len(progress["done"]), total)
            self._mark_missing_left(existing, seen, today)
            if self.summary.changed:
                audit(self.actor, "roster.sync", "roster", **self.summary.as_dict())
            db.session.commit()
            self._clear_progress()
            return self.summary
        finally:
            session.expire_on_commit = expire
            self.redis.delete(keys.roster_sync_lock())

    def _start(self) -> dict[str, Any]:
        """Fetch and apply the department tree; plan one user/list call per department."""
        self.redis.delete(keys.roster_sync_seen())
        departments = _ordered(self._call(lambda api: api.department.get()))
        orgs = organizations_by_dept()
        listed = set()
        for dept in departments:
            record = DepartmentRecord(int(dept["id"]), dept.get("name"),
                                      int(dept.get("parentid") or 0) or None,
                                      int(dept.get("order") or 0))
            listed.add(record.dept_id)
            self.summary.organizations[apply_department(record, orgs)] += 1
        for dept_id, org in orgs.items():
            if dept_id not in listed and close_department(org):
                self.summary.organizations["closed"] += 1
        db.session.commit()
        progress = {"departments": [int(d["id"]) for d in departments], "done": [],
                    "members": {}, "organizations": dict(self.summary.organizations),
                    "api_calls": self.summary.api_calls}
        self._save_progress(progress)
        return progress

    def _apply_users(self, users: list[dict[str, Any]], orgs: dict[int, Organization],
                     existing: dict[str, Member], seen: set[str], today: date) -> None:
        """Apply one department's users (those not already seen in this run) and commit."""
        fresh = [u for u in users if str(u["userid"]) not in seen]
        if not fresh:
            return
        for user in fresh:
            record = MemberRecord.from_wecom(user)
            member, outcome = apply_record(record, existing.get(record.userid), orgs, today)
            existing[record.userid] = member
            seen.add(record.userid)
            self.summary.members[outcome] += 1
        db.session.commit()
        self.redis.sadd(keys.roster_sync_seen(), *(str(u["userid"]) for u in fresh))
        self.redis.expire(keys.roster_sync_seen(), PROGRESS_TTL_S)

    def _mark_missing_left(self, existing: dict[str, Member], seen: set[str],
                           today: date) -> None:
        for userid, member in existing.items():
            if userid not in seen and member.status != MemberStatus.LEFT and mark_left(
                    member, today):
                self.summary.members[RosterChange.LEFT] += 1

    # -- WeCom calls with patience ---------------------------------------------------

    def _call(self, fn: Callable[[Any], Any]) -> Any:
        """One API call; on a rate limit or outage wait and try again, then give up cleanly."""
        for attempt in range(self.max_waits + 1):
            self.summary.api_calls += 1
            try:
                return self.client.call(fn)
            except (WeComRateLimited, WeComUnavailable) as exc:
                if attempt == self.max_waits:
                    raise SyncError(
                        f"WeCom kept refusing ({exc}); progress is saved, run "
                        "`roster sync` again to resume"
                    ) from exc
                log.warning("WeCom said %s; waiting %.0f s before trying again", exc,
                            self.rate_wait_s)
                self.sleep(self.rate_wait_s)
        raise AssertionError("unreachable")

    # -- progress in Redis ----------------------------------------------------------

    def _load_progress(self) -> dict[str, Any] | None:
        raw = self.redis.get(keys.roster_sync())
        if not raw:
            return None
        progress = json.loads(raw)
        self.summary.resumed = True
        self.summary.members.update(progress.get("members", {}))
        self.summary.organizations.update(progress.get("organizations", {}))
        self.summary.api_calls = int(progress.get("api_calls", 0))
        return progress

    def _save_progress(self, progress: dict[str, Any]) -> None:
        progress["members"] = dict(self.summary.members)
        progress["organizations"] = dict(self.summary.organizations)
        progress["api_calls"] = self.summary.api_calls
        self.redis.set(keys.roster_sync(), json.dumps(progress), ex=PROGRESS_TTL_S)

    def _clear_progress(self) -> None:
        self.redis.delete(keys.roster_sync(), keys.roster_sync_seen())
