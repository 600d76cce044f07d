"""Members cached in Redis, so a request that only reads (帮助, 我的信息) never waits on SQL.

A cached member is tagged with the roster version it was read at. Every commit that changes a
member, membership, role or organisation bumps the version, which makes every cached member
stale at once; roster changes are rare, reads are many. A cached member is attached to the
request's session with `merge(load=False)` (SQLAlchemy's caching recipe): it is an ordinary
persistent Member, its lazy relationships load on use, and handlers may change it.
"""

from __future__ import annotations

import logging
import pickle
from typing import Any

import redis
from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from bot import keys
from models import Member, Membership, Organization, RoleGrant, db, find_member

log = logging.getLogger(__name__)

TTL_S = 24 * 3600
ROSTER_TYPES = (Member, Membership, RoleGrant, Organization)
CHANGED = "pioneer_roster_changed"


def read_commands(pipe: redis.client.Pipeline, userid: str) -> None:
    """Queue the two reads (version, cached member) on a pipeline the caller executes."""
    pipe.get(keys.roster_version())
    pipe.get(keys.cached_member(userid))


def member_from(redis_client: redis.Redis, userid: str, version: bytes | None,
                cached: bytes | None) -> Member | None:
    """The member, from the cache when it is of the current version, else from the database."""
    current = version or b"0"
    if cached:
        tag, _, payload = cached.partition(b":")
        if tag == current:
            try:
                return db.session.merge(pickle.loads(payload), load=False)
            except Exception:  # an old pickle after a release: read it afresh
                log.info("cached member %s unreadable; reloading", userid)
    member = find_member(userid)
    if member is not None:
        redis_client.set(keys.cached_member(userid), current + b":" + pickle.dumps(member),
                         ex=TTL_S)
    return member


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
