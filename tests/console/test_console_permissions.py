"""Who may open which console route: the role × route table (tests/console/route_table.py),
checked on the server.

Each cell is what the server answers: "ok" (the page or the action's redirect), 403, 404 (a
record outside the viewer's scope looks missing), or "login" (redirected to the login page).
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask import Flask
from PIL import Image

from console.views import bp
from tests.console.route_table import ROLES, TABLE
from tests.console_helpers import World, build_world, login_as, post

PUBLIC = {"login", "login_local", "login_wecom", "login_wecom_return", "logout", "static"}


def outcome(response: Any) -> Any:
    """What a response amounts to in the table."""
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303) and "/console/login" in location:
        return "login"
    if response.status_code in (403, 404, 422):  # 422: an empty form refused, nothing written
        return response.status_code
    assert response.status_code in (200, 303, 400), response.status_code
    return "ok"


def test_every_route_is_guarded_or_public(app: Flask):
    """Does every console view carry the guard (or is it one of the public login views), and
    does the table below cover every guarded one?"""
    guarded = set()
    for endpoint, view in app.view_functions.items():
        if not endpoint.startswith(f"{bp.name}."):
            continue
        name = endpoint.split(".", 1)[1]
        if name in PUBLIC:
            assert getattr(view, "console_public", False) or name == "static", name
            continue
        assert getattr(view, "console_roles", None), f"{endpoint} is not guarded"
        guarded.add(name)
    assert guarded == {row[2] for row in TABLE if "." not in row[2]}
    for endpoint in (row[2] for row in TABLE if "." in row[2]):  # other blueprints' routes
        assert not getattr(app.view_functions[endpoint], "console_roles", None), endpoint


def _logged_in(app: Flask, sandbox: Any, world: World, role: str) -> Any:
    """A client for the role: logged in through WeCom web login, or not at all (stranger).

    `member` is a contact whose role was revoked after logging in (plain members cannot log
    in); `left` is an admin who left after logging in (refused once, then logged out)."""
    from models import Member, MemberStatus, RoleGrant, db

    client = app.test_client()
    userid = {"contact_here": world.contact_here, "contact_other": world.contact_other,
              "lecturer": world.lecturer, "admin": world.admin, "member": world.contact_other,
              "left": world.admin}.get(role)
    if userid is None:
        return client
    assert login_as(client, sandbox, userid).status_code == 303
    with app.app_context():
        member = db.session.query(Member).filter(Member.userid == userid).one()
        if role == "member":
            db.session.query(RoleGrant).filter(RoleGrant.member_id == member.id).delete()
        if role == "left":
            member.status = MemberStatus.LEFT
        db.session.commit()
    if role == "left":
        assert client.get("/console/").status_code == 403
    return client


def _stored_image(app: Flask) -> str:
    """The key of a small PNG in the media store (for the public /media/<key> row)."""
    from media.images import store_image

    picture = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(picture, "PNG")
    with app.app_context():
        return store_image(picture.getvalue()).key


@pytest.mark.parametrize("role", ROLES)
def test_role_route_table(app: Flask, make_member, sandbox, role: str):
    """Does each role get exactly what the table says on every route?"""
    world = build_world(app, make_member)
    client = _logged_in(app, sandbox, world, role)
    media_key = _stored_image(app)
    for method, path, _endpoint, expected in TABLE:
        url = path.format(**vars(world), media_key=media_key)
        response = client.get(url) if method == "GET" else post(client, url)
        assert outcome(response) == expected[role], f"{role} {method} {url}"


def test_plain_and_left_members_cannot_log_in(app: Flask, make_member, sandbox):
    """Is the WeCom login refused (403) for a member without a console role, one who left,
    and someone outside the corp?"""
    world = build_world(app, make_member)
    for userid in (world.member, world.left, "sbx-outsider"):
        client = app.test_client()
        assert login_as(client, sandbox, userid).status_code == 403
        assert outcome(client.get("/console/")) == "login"


def test_revoked_viewer_loses_access_at_once(app: Flask, make_member, sandbox):
    """Is a logged-in contact refused on the very next request once the role is revoked?"""
    from models import RoleGrant, db

    world = build_world(app, make_member)
    contact = app.test_client()
    login_as(contact, sandbox, world.contact_here)
    assert contact.get("/console/reflections").status_code == 200
    with app.app_context():
        db.session.query(RoleGrant).filter(RoleGrant.role == "contact").delete()
        db.session.commit()
    assert contact.get("/console/reflections").status_code == 403
