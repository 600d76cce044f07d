"""Members cached in Redis, so a request that only reads (帮助, 我的信息) never waits on SQL.

A cached member is tagged with the roster version it was read at. Every commit that changes a
member, membership, role or organisation bumps the version, which makes every cached member
stale at once; roster changes are rare, reads are many. A cached member is attached to the
request's session with `merge(load=False)` (SQLAlchemy's caching recipe): it is an ordinary
persistent Member, its lazy relationships load on use, and handlers may change it.
"""

from __future__ import annotations

import json
import logging
import pickle
from dataclasses import dataclass
from typing import Any

import redis
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot import keys
from models import Member, Membership, MemberStatus, Organization, RoleGrant, db, find_member

log = logging.getLogger(__name__)

TTL_S = 24 * 3600
ROSTER_TYPES = (Member, Membership, RoleGrant, Organization)
CHANGED = "pioneer_roster_changed"


def read_keys(userid: str) -> tuple[str, str]:
    """The two keys `member_from` reads (roster version, cached member), in its order, for
    the caller to read in its own round trip."""
    return keys.roster_version(), keys.cached_member(userid)


@dataclass(frozen=True)
class MemberView:
    """What most requests need of a member, without the database: who, and in which roles."""

    id: int
    userid: str
    name: str
    status: str
    role_names: frozenset[str]

    @property
    def is_active(self) -> bool:
        """True while the member may use the bot."""
        return self.status == MemberStatus.ACTIVE

    def roles(self) -> set[str]:
        """Every role the member holds, always including plain 'member'."""
        return set(self.role_names)

    @classmethod
    def of(cls, member: Member) -> MemberView:
        """The view of a loaded member."""
        return cls(member.id, member.userid, member.name, member.status,
                   frozenset(member.roles()))

    def dumps(self) -> bytes:
        """JSON (one line) for the cache."""
        return json.dumps({"id": self.id, "userid": self.userid, "name": self.name,
                           "status": self.status, "roles": sorted(self.role_names)},
                          ensure_ascii=False).encode()

    @classmethod
    def loads(cls, raw: bytes) -> MemberView:
        """Back from the cache (a view read before is reused: the same bytes, the same
        immutable view, no JSON parsed)."""
        view = _VIEWS.get(raw)
        if view is None:
            data = json.loads(raw)
            view = cls(int(data["id"]), data["userid"], data["name"], data["status"],
                       frozenset(data["roles"]))
            if len(_VIEWS) >= VIEWS_KEPT:
                _VIEWS.clear()
            _VIEWS[raw] = view
        return view


VIEWS_KEPT = 8192  # views parsed per process, by their JSON (a committee has ~6,000 members)
_VIEWS: dict[bytes, MemberView] = {}


@dataclass
class CachedMember:
    """A member as the cache has it: the view at once, the ORM object only when asked for."""

    view: MemberView
    pickled: bytes | None = None
    loaded: Member | None = None

    def load(self) -> Member:
        """The ORM member attached to this request's session (no SQL when it was cached)."""
        if self.loaded is None:
            member = None
            if self.pickled is not None:
                try:
                    member = db.session.merge(pickle.loads(self.pickled), load=False)
                except Exception:  # an old pickle after a release: read it afresh
                    log.info("cached member %s unreadable; reloading", self.view.userid)
            self.loaded = member or find_member(self.view.userid)
        if self.loaded is None:
            raise LookupError(f"member {self.view.userid} vanished")
        return self.loaded


def member_from(redis_client: redis.Redis, userid: str, version: bytes | None,
                cached: bytes | None) -> CachedMember | None:
    """The member, from the cache when it is of the current version, else from the database.

    The cache holds `<roster version>:<view JSON>\n<pickled ORM member>`, or `<roster
    version>:-` for someone not in the roster (a stranger writing again costs no query; a
    roster change bumps the version, so someone just added is seen at once).
    """
    current = version or b"0"
    if cached:
        tag, _, rest = cached.partition(b":")
        view_json, _, payload = rest.partition(b"\n")
        if tag == current and rest == b"-":  # not in the roster at this version
            return None
        if tag == current and payload:
            try:
                return CachedMember(MemberView.loads(view_json), payload)
            except (ValueError, KeyError, TypeError):
                log.info("cached member %s unreadable; reloading", userid)
    member = find_member(userid)
    if member is None:
        redis_client.set(keys.cached_member(userid), current + b":-", ex=TTL_S)
        return None
    view = MemberView.of(member)
    redis_client.set(keys.cached_member(userid),
                     current + b":" + view.dumps() + b"\n" + pickle.dumps(member), ex=TTL_S)
    return CachedMember(view, loaded=member)


@event.listens_for(Session, "after_flush")
def _note_roster_change(session: Session, context: Any) -> None:
    if any(isinstance(obj, ROSTER_TYPES)
           for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[CHANGED] = True


@event.listens_for(Session, "after_commit")
def _bump_version(session: Session) -> None:
    if session.info.pop(CHANGED, False) and has_app_context():
        current_app.extensions["pioneer_redis"].incr(keys.roster_version())


@event.listens_for(Session, "after_rollback")
def _forget_change(session: Session) -> None:
    session.info.pop(CHANGED, None)
