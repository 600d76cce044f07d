"""Group chats (群机器人): register branch robots, send a broadcast to each once, 20 a minute.

Each (broadcast, robot) gets one GroupMessage row; only a pending row is sent, and it is
marked sent (committed) right after the robot accepts it, so a re-run skips it. One worker
sends a given broadcast at a time (a Redis claim). A robot's sends in the last minute are
kept in a Redis sorted set; past 20 the row stays pending and the caller's job retries.
The broadcast's summary waits until every group message is sent or failed; one still
pending an hour after the broadcast started is given up (failed).
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import redis
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from bot import keys
from bot.extensions import redis_store
from bot.robot import (
    LIMIT_PER_MINUTE,
    TEXT_BYTES,
    RobotClient,
    RobotError,
    RobotRateLimited,
    RobotUnavailable,
    UnsupportedPayload,
    clip,
    mask_key,
    robot_client,
    to_robot_message,
)
from content import broadcast_texts as texts
from models import Broadcast, GroupMessage, GroupRobot, Organization, audit, db, utcnow

log = logging.getLogger(__name__)

PENDING, SENT, FAILED = "pending", "sent", "failed"
WINDOW_S = 60.0
CLAIM_TTL_S = 600
GIVE_UP_AFTER = timedelta(hours=1)
GIVE_UP_ERROR = "not sent within an hour of the broadcast (robot rate-limited or unreachable)"
FAILED_NAMES_SHOWN = 10
KEY_PATTERN = re.compile(r"[0-9A-Za-z_\-]{8,200}")
NAME_MAX = 100
Clock = Callable[[], float]


class GroupRobotError(Exception):
    """A robot cannot be registered or found; the message says why, `reason` names it for
    the console ("name", "key", "taken" with `robot` the one holding the key, "missing")."""

    def __init__(self, message: str, reason: str = "", robot: GroupRobot | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.robot = robot


class GroupsPending(Exception):
    """Some group messages wait for a robot's rate window (or an outage): retry the job."""


@dataclass(frozen=True)
class GroupSendResult:
    """A broadcast's group messages by status, after a send run."""

    sent: int = 0
    pending: int = 0
    failed: int = 0


# ------------------------------------------------------------------ registration
def parse_key(raw: str) -> str:
    """The webhook key, given the key itself or the whole webhook URL (…/send?key=KEY)."""
    raw = raw.strip()
    if "key=" in raw:
        raw = (parse_qs(urlsplit(raw).query).get("key") or [""])[0]
    if not KEY_PATTERN.fullmatch(raw):
        raise GroupRobotError("not a group robot webhook key (or its webhook URL)", "key")
    return raw


@dataclass(frozen=True)
class RobotDraft:
    """A robot's name and key, checked; `previous` is the inactive robot the key reactivates."""

    name: str
    key: str
    previous: GroupRobot | None


def check_robot(name: str, key: str) -> RobotDraft:
    """The name and key checked as register_robot checks them (nothing written);
    GroupRobotError for a bad name or key, or a key an active robot already has."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise GroupRobotError(f"a robot needs a name of 1 to {NAME_MAX} characters", "name")
    key = parse_key(key)
    robot = db.session.scalars(select(GroupRobot).where(GroupRobot.webhook_key == key)).first()
    if robot is not None and robot.active:
        raise GroupRobotError(f"this webhook key is already registered as robot {robot.id} "
                              f"({robot.name})", "taken", robot)
    return RobotDraft(name, key, robot)


def _snapshot(robot: GroupRobot) -> dict[str, Any]:
    """What the audit keeps of a robot (its key masked)."""
    return {"name": robot.name, "org": robot.organization.name if robot.organization else None,
            "active": robot.active, "key": mask_key(robot.webhook_key)}


def register_robot(name: str, key: str, actor: str,
                   organization: Organization | None = None,
                   test_message: bool = False) -> GroupRobot:
    """Register (or reactivate) a branch's group robot; an active duplicate key is refused.
    `test_message`: the console sent one through the key first, and the robot took it."""
    draft = check_robot(name, key)
    robot = draft.previous
    reactivated = robot is not None
    before = _snapshot(robot) if robot is not None else None
    if robot is None:
        robot = GroupRobot(webhook_key=draft.key, created_by=actor)
        db.session.add(robot)
    robot.name, robot.organization, robot.active = draft.name, organization, True
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise GroupRobotError("this webhook key is already registered", "taken") from exc
    audit(actor, "robot.add", f"robot:{robot.id}", name=draft.name, key=mask_key(draft.key),
          org=organization.name if organization else None, reactivated=reactivated,
          test_message=test_message, before=before, after=_snapshot(robot))
    return robot


def send_test_message(key: str, content: str, client: RobotClient | None = None) -> None:
    """Send one text message through a webhook key before it is registered; RobotError
    (RobotGone for a key WeCom does not know) when the robot does not take it."""
    (client or robot_client()).send(key, {"msgtype": "text",
                                          "text": {"content": clip(content, TEXT_BYTES)}})


def list_robots(include_inactive: bool = False) -> list[GroupRobot]:
    """Registered robots, active ones only unless asked."""
    query = select(GroupRobot).order_by(GroupRobot.id)
    if not include_inactive:
        query = query.where(GroupRobot.active.is_(True))
    return list(db.session.scalars(query))


def deactivate_robot(robot_id: int, actor: str) -> GroupRobot:
    """Stop sending to a robot (its history stays); pending messages to it will fail."""
    robot = db.session.get(GroupRobot, robot_id)
    if robot is None or not robot.active:
        raise GroupRobotError(f"no active robot {robot_id}", "missing")
    before = _snapshot(robot)
    robot.active = False
    audit(actor, "robot.remove", f"robot:{robot.id}", name=robot.name,
          key=mask_key(robot.webhook_key), before=before, after=_snapshot(robot))
    return robot


# ------------------------------------------------------------------ rate window
def take_slot(client: redis.Redis, robot_id: int, stamp: float,
              limit: int = LIMIT_PER_MINUTE, window_s: float = WINDOW_S) -> bool:
    """Claim a send at `stamp` (Unix seconds) in the robot's sliding minute; False at `limit`."""
    key = keys.robot_window(robot_id)
    with client.pipeline() as pipe:
        for _ in range(20):
            try:
                pipe.watch(key)
                if pipe.zcount(key, f"({stamp - window_s}", "+inf") >= limit:
                    pipe.unwatch()
                    return False
                pipe.multi()
                pipe.zremrangebyscore(key, "-inf", stamp - window_s)
                pipe.zadd(key, {f"{stamp:.6f}:{secrets.token_hex(4)}": stamp})
                pipe.expire(key, int(window_s * 2))
                pipe.execute()
                return True
            except redis.WatchError:
                continue  # another sender used this robot meanwhile: count again
    return False


# ------------------------------------------------------------------ sending
def send_to_groups(broadcast: Broadcast, client: RobotClient | None = None,
                   clock: Clock = time.time) -> GroupSendResult:
    """Send the broadcast to each of its robots once; past 20/min a message stays pending."""
    store = redis_store.client
    claim = keys.group_send_claim(broadcast.id)
    if not store.set(claim, "1", nx=True, ex=CLAIM_TTL_S):
        log.info("broadcast %s is being sent to groups by another worker", broadcast.id)
        return tally(broadcast.id)
    try:
        client = client or robot_client()
        for row in _rows(broadcast):
            if row.status == PENDING:
                _send_one(client, store, broadcast, row, clock)
    finally:
        store.delete(claim)
    return tally(broadcast.id)


def _rows(broadcast: Broadcast) -> list[GroupMessage]:
    """The broadcast's GroupMessage rows, creating (and committing) the missing ones."""
    existing = {row.robot_id: row for row in db.session.scalars(
        select(GroupMessage).where(GroupMessage.broadcast_id == broadcast.id))}
    for robot_id in dict.fromkeys(broadcast.robot_ids or []):
        if robot_id in existing:
            continue
        if db.session.get(GroupRobot, robot_id) is None:
            log.warning("broadcast %s names unknown robot %s", broadcast.id, robot_id)
            continue
        existing[robot_id] = GroupMessage(broadcast_id=broadcast.id, robot_id=robot_id,
                                          status=PENDING)
        db.session.add(existing[robot_id])
    db.session.commit()
    return sorted(existing.values(), key=lambda row: row.id)


def _send_one(client: RobotClient, store: redis.Redis, broadcast: Broadcast,
              row: GroupMessage, clock: Clock) -> None:
    """Send one pending group message, or leave it pending, or mark it failed."""
    robot = db.session.get(GroupRobot, row.robot_id)
    if robot is None or not robot.active:
        return _finish(row, FAILED, "robot deactivated")
    try:
        message = to_robot_message(broadcast.payload)
    except UnsupportedPayload as exc:
        return _finish(row, FAILED, str(exc))
    if not take_slot(store, robot.id, clock()):
        log.info("robot %s is at %s messages a minute; broadcast %s waits",
                 robot.id, LIMIT_PER_MINUTE, broadcast.id)
        return None
    try:
        client.send(robot.webhook_key, message)
    except (RobotRateLimited, RobotUnavailable) as exc:
        row.error = str(exc)  # stays pending: the job is retried
        db.session.commit()
        return None
    except RobotError as exc:  # 93000 (robot removed, key invalid), bad content: not retried
        log.warning("broadcast %s to robot %s failed: %s", broadcast.id, robot.id, exc)
        return _finish(row, FAILED, str(exc))
    return _finish(row, SENT, None)


def _finish(row: GroupMessage, status: str, error: str | None) -> None:
    row.status, row.error = status, error
    if status == SENT:
        row.sent_at = utcnow()
    db.session.commit()


def tally(broadcast_id: int) -> GroupSendResult:
    """Count a broadcast's group messages by status."""
    statuses = list(db.session.scalars(
        select(GroupMessage.status).where(GroupMessage.broadcast_id == broadcast_id)))
    return GroupSendResult(sent=statuses.count(SENT), pending=statuses.count(PENDING),
                           failed=statuses.count(FAILED))


def unsettled(broadcast: Broadcast) -> int:
    """How many of the broadcast's group chats are neither sent nor failed yet."""
    wanted = set(broadcast.robot_ids or [])
    if not wanted:
        return 0
    known = set(db.session.scalars(select(GroupRobot.id).where(GroupRobot.id.in_(wanted))))
    settled = set(db.session.scalars(select(GroupMessage.robot_id).where(
        GroupMessage.broadcast_id == broadcast.id, GroupMessage.status != PENDING)))
    return len(known - settled)


def outcome(broadcast: Broadcast) -> list[dict[str, Any]]:
    """What each group chat got, for the broadcast's summary: robot id, name, status, error."""
    rows = db.session.execute(
        select(GroupRobot.id, GroupRobot.name, GroupMessage.status, GroupMessage.error)
        .outerjoin(GroupMessage, (GroupMessage.robot_id == GroupRobot.id)
                   & (GroupMessage.broadcast_id == broadcast.id))
        .where(GroupRobot.id.in_(set(broadcast.robot_ids or []))).order_by(GroupRobot.id))
    return [{"robot_id": robot_id, "name": name, "status": status or PENDING, "error": error}
            for robot_id, name, status, error in rows]


def summary_text(groups: list[dict[str, Any]]) -> str:
    """The summary's line about group chats: how many sent and failed, and which failed."""
    failed = [g["name"] for g in groups if g["status"] != SENT]
    text = texts.SUMMARY_GROUPS.format(total=len(groups), sent=len(groups) - len(failed),
                                       failed=len(failed))
    if failed:
        names = "、".join(failed[:FAILED_NAMES_SHOWN])
        if len(failed) > FAILED_NAMES_SHOWN:
            names += texts.SUMMARY_GROUPS_MORE.format(count=len(failed))
        text += texts.SUMMARY_GROUPS_FAILED.format(names=names)
    return text


def give_up(broadcast: Broadcast, now: datetime) -> int:
    """Mark failed the group messages still pending an hour after the broadcast started
    (committed); how many. Nothing while another worker is sending them."""
    if now - broadcast.send_at < GIVE_UP_AFTER:
        return 0

    store = redis_store.client
    claim = keys.group_send_claim(broadcast.id)
    if not store.set(claim, "1", nx=True, ex=CLAIM_TTL_S):
        return 0
    try:
        pending = [row.id for row in _rows(broadcast) if row.status == PENDING]
        if pending:
            db.session.execute(update(GroupMessage).where(
                GroupMessage.id.in_(pending), GroupMessage.status == PENDING)
                .values(status=FAILED, error=GIVE_UP_ERROR))
            db.session.commit()
            log.warning("broadcast %s: gave up on %s group message(s)", broadcast.id,
                        len(pending))
        return len(pending)
    finally:
        store.delete(claim)


def pending_broadcast_ids() -> list[int]:
    """Broadcasts with group messages still pending (for a sweep to re-enqueue)."""
    return list(db.session.scalars(select(GroupMessage.broadcast_id).where(
        GroupMessage.status == PENDING).distinct().order_by(GroupMessage.broadcast_id)))


# ------------------------------------------------------------------ RQ job
