"""群机器人: the branch group robots broadcasts can reach (the `robots` CLI's), registering one
(checked by a test message sent through the robot client first: a key WeCom refuses is said
beside the field and nothing is stored), disabling it, and what was sent to its group.

Admins act on every robot, for any organisation or none. A contact acts on the robots of
their own organisations only (GroupRobot.organization_id): registering one for another
organisation answers 403, and another organisation's robot (or one of no organisation)
looks missing (404), as console/scope.py has it. Every change is audited (robot.add,
robot.remove, with before and after; the key masked).
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from sqlalchemy import false, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from bot import keys
from bot.extensions import redis_store
from bot.robot import (
    RobotError,
    RobotGone,
    RobotRateLimited,
    RobotUnavailable,
    UnsupportedPayload,
    mask_key,
    to_robot_message,
)
from broadcasts.groups import (
    SENT,
    GroupRobotError,
    RobotDraft,
    check_robot,
    deactivate_robot,
    parse_key,
    register_robot,
    send_test_message,
    take_slot,
)
from console import once
from console.auth import guard, viewer
from console.scope import org_scope
from console.views import bp, not_found, page, paginate
from content import robot_page_texts as rt
from models import Broadcast, GroupMessage, GroupRobot, Organization, Role, db

log = logging.getLogger(__name__)

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
CONTENT_SHOWN = 80


def _in_scope(robot_id: int) -> GroupRobot | None:
    """The robot if the viewer may see it: admins any, a contact their organisations'."""
    robot = db.session.get(GroupRobot, robot_id)
    scope = org_scope(viewer())
    if robot is None or (scope is not None and robot.organization_id not in scope):
        return None
    return robot


def _org_choices() -> list[Organization]:
    """The organisations the viewer may register a robot for: an admin every active one, a
    contact their own."""
    query = select(Organization).order_by(Organization.name, Organization.id)
    scope = org_scope(viewer())
    if scope is None:
        query = query.where(Organization.active)
    else:
        query = query.where(Organization.id.in_(scope)) if scope else query.where(false())
    return list(db.session.scalars(query))


def _page(template: str, code: int = 200, /, **context: Any) -> Response:
    return page(template, code, rt=rt, mask_key=mask_key, **context)


# the list and one robot


@bp.get("/robots")
@guard(Role.ADMIN, Role.CONTACT)
def robots_listing() -> Response:
    """The robots the viewer may see, those in use first: organisation, masked key, state,
    who registered it, how many messages it has sent."""
    query = (select(GroupRobot).options(selectinload(GroupRobot.organization))
             .order_by(GroupRobot.active.desc(), GroupRobot.id))
    scope = org_scope(viewer())
    if scope is not None:
        query = query.where(GroupRobot.organization_id.in_(scope)) if scope \
            else query.where(false())
    rows = paginate(query)
    ids = [robot.id for robot in rows.items]
    sent = dict(db.session.execute(
        select(GroupMessage.robot_id, func.count()).where(
            GroupMessage.robot_id.in_(ids), GroupMessage.status == SENT)
        .group_by(GroupMessage.robot_id)).all()) if ids else {}
    return _page("robots.html", rows=rows, sent=sent)


def content_text(broadcast: Broadcast | None) -> str:
    """What a broadcast showed in the group, in a few words (as the robot got it)."""
    if broadcast is None:
        return ""
    try:
        message = to_robot_message(broadcast.payload or {})
    except UnsupportedPayload:
        return broadcast.content_kind
    kind = message["msgtype"]
    if kind == "news":
        articles = message["news"]["articles"]
        text = str(articles[0].get("title", "")) if articles else ""
    else:
        text = str(message.get(kind, {}).get("content", ""))
    text = " ".join(text.replace("*", "").split())
    return text if len(text) <= CONTENT_SHOWN else text[:CONTENT_SHOWN] + "…"


def _detail(robot: GroupRobot) -> Response:
    sends = paginate(select(GroupMessage).where(GroupMessage.robot_id == robot.id)
                     .order_by(GroupMessage.id.desc()), per_page=20)
    ids = {row.broadcast_id for row in sends.items}
    broadcasts = {b.id: b for b in db.session.scalars(
        select(Broadcast).where(Broadcast.id.in_(ids)))} if ids else {}
    return _page("robot.html", robot=robot, sends=sends, broadcasts=broadcasts,
                 content_text=content_text)


@bp.get("/robots/<int:robot_id>")
@guard(Role.ADMIN, Role.CONTACT)
def robot_detail(robot_id: int) -> Response:
    """One robot: its organisation, masked key and state, and its recent sends (paginated)."""
    robot = _in_scope(robot_id)
    if robot is None:
        return not_found()
    return _detail(robot)


@bp.post("/robots/<int:robot_id>/disable")
@guard(Role.ADMIN, Role.CONTACT)
def robot_disable(robot_id: int) -> Response:
    """停用: broadcasts stop going to the robot's group (its history stays; audited)."""
    robot = _in_scope(robot_id)
    if robot is None:
        return not_found()
    if not robot.active:
        flash(rt.ALREADY_DISABLED, "error")
    else:
        try:
            deactivate_robot(robot.id, viewer().actor)
        except GroupRobotError:  # disabled by someone else in between
            db.session.rollback()
            flash(rt.ALREADY_DISABLED, "error")
        else:
            name = robot.name
            db.session.commit()
            flash(rt.DISABLED.format(name=name), "ok")
    return redirect(url_for(".robot_detail", robot_id=robot_id), 303)  # type: ignore


# 登记群机器人


def _form(code: int = 200, shown: dict[str, str] | None = None,
          errors: dict[str, str] | None = None, key: str = "") -> Response:
    orgs = _org_choices()
    blank = {"name": "", "webhook": "", "org": str(orgs[0].id) if len(orgs) == 1 and
             org_scope(viewer()) is not None else ""}
    return _page("robot_form.html", code, form=shown or blank, errors=errors or {},
                 key=key or secrets.token_urlsafe(16), orgs=orgs,
                 admin=viewer().is_admin)


@bp.get("/robots/new")
@guard(Role.ADMIN, Role.CONTACT)
def robot_new() -> Response:
    """The form, with the one-time key that makes a double submit register one robot."""
    return _form()


def _already(key: str) -> Response | None:
    """Where a form already submitted goes: its robot (or the list while it is registered)."""
    value = once.made(keys.robot_form(key))
    if value is None:
        return None
    flash(rt.FORM_USED, "ok")
    target = (url_for(".robot_detail", robot_id=int(value)) if value.isdecimal()
              else url_for(".robots_listing"))
    return redirect(target, 303)  # type: ignore[return-value]


def _organization(value: str, errors: dict[str, str]) -> Organization | None:
    """The organisation chosen: for a contact one of theirs (another one: 403)."""
    org = db.session.get(Organization, int(value)) if value.isdecimal() else None
    scope = org_scope(viewer())
    if scope is None:
        if value and (org is None or not org.active):
            errors["org"] = rt.BAD_ORG
        return org
    if not scope:
        errors["org"] = rt.NO_ORGS
    elif org is None:
        errors["org"] = rt.BAD_ORG
    elif org.id not in scope:
        abort(403)  # registering for another organisation is not theirs to do
    return org


def _taken_text(robot: GroupRobot | None) -> str:
    """The key is another robot's: named when the viewer may see that robot."""
    scope = org_scope(viewer())
    if robot is not None and (scope is None or robot.organization_id in scope):
        return rt.KEY_TAKEN.format(name=robot.name)
    return rt.KEY_TAKEN_ELSEWHERE


def _check(name: str, webhook: str, errors: dict[str, str]) -> RobotDraft | None:
    """The name and key checked as broadcasts.groups checks them, each problem in Chinese."""
    try:
        return check_robot(name, webhook)
    except GroupRobotError as exc:
        if exc.reason == "name":
            errors["name"] = rt.NEED_NAME
            try:
                parse_key(webhook)
            except GroupRobotError:
                errors["key"] = rt.BAD_KEY
        elif exc.reason == "taken":
            errors["key"] = _taken_text(exc.robot)
        else:
            errors["key"] = rt.BAD_KEY
    return None


def _refusal(exc: RobotError) -> str:
    """Why the robot did not take the test message, in Chinese (never naming the key)."""
    if isinstance(exc, RobotGone):
        return rt.REFUSED_GONE.format(code=exc.errcode)
    if isinstance(exc, RobotRateLimited):
        return rt.REFUSED_BUSY
    if isinstance(exc, RobotUnavailable):
        return rt.REFUSED_DOWN
    return rt.REFUSED_OTHER.format(code=exc.errcode)


@bp.post("/robots/new")
@guard(Role.ADMIN, Role.CONTACT)
def robot_create() -> Response:
    """Register the robot once per form key: checked, then a test message sent through its
    key; only when the robot takes it is the robot stored (audited)."""
    shown = {name: request.form.get(name, "") for name in ("name", "webhook", "org")}
    key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(key):
        flash(rt.FORM_EXPIRED, "error")
        return _form(400, shown)
    repeated = _already(key)
    if repeated is not None:
        return repeated
    errors: dict[str, str] = {}
    org = _organization(shown["org"].strip(), errors)
    draft = _check(shown["name"], shown["webhook"], errors)
    if errors or draft is None:
        db.session.rollback()
        flash(rt.FORM_INVALID.format(count=len(errors)), "error")
        return _form(400, shown, errors, key)
    claim = keys.robot_form(key)
    if not once.claim(claim):
        return _already(key) or redirect(url_for(".robots_listing"), 303)  # type: ignore
    name, webhook, reactivated = draft.name, draft.key, draft.previous is not None
    try:
        send_test_message(webhook, rt.TEST_MESSAGE.format(name=name))
    except RobotError as exc:
        once.release(claim)
        log.info("robot registration refused by WeCom: %s", exc.errcode)
        errors["key"] = _refusal(exc)
        flash(rt.FORM_INVALID.format(count=1), "error")
        return _form(400, shown, errors, key)
    try:
        robot = register_robot(name, webhook, viewer().actor, org, test_message=True)
        made = robot.id
        db.session.commit()
    except (GroupRobotError, IntegrityError) as exc:  # the key was registered in between
        db.session.rollback()
        once.release(claim)
        errors["key"] = _taken_text(exc.robot if isinstance(exc, GroupRobotError) else None)
        flash(rt.FORM_INVALID.format(count=1), "error")
        return _form(400, shown, errors, key)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    take_slot(redis_store.client, made, time.time())  # the test message counts in its minute
    once.done(claim, made)
    flash((rt.REACTIVATED if reactivated else rt.REGISTERED).format(name=name), "ok")
    return redirect(url_for(".robot_detail", robot_id=made), 303)  # type: ignore
