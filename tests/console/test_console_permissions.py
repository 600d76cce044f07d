"""Who may open which console route: the role × route table, checked on the server.

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
from tests.console_helpers import World, build_world, login_as, post

ROLES = ("stranger", "member", "contact_here", "contact_other", "lecturer", "admin", "left")
ADMIN_ONLY = {"stranger": "login", "member": 403, "contact_here": 403, "contact_other": 403,
              "lecturer": 403, "admin": "ok", "left": "login"}
STAFF = {**ADMIN_ONLY, "contact_here": "ok", "contact_other": "ok"}
IN_SCOPE = {**STAFF, "contact_other": 404}
EVERYONE = dict.fromkeys(ROLES, "ok")  # public routes outside the console blueprint
MISSING_TO_STAFF = {**STAFF, "admin": 404, "contact_here": 404, "contact_other": 404}

# (method, path with {placeholders} from World, endpoint, expected per role)
TABLE: list[tuple[str, str, str, dict[str, Any]]] = [
    ("GET", "/console/", "dashboard", {**STAFF, "lecturer": "ok"}),
    ("GET", "/console/audit", "audit_listing", ADMIN_ONLY),
    ("GET", "/console/orgs", "orgs_listing", STAFF),
    ("GET", "/console/members", "members_listing", STAFF),
    ("GET", "/console/members/{author_id}", "member_detail", IN_SCOPE),
    ("POST", "/console/members/{author_id}/roles", "member_roles", ADMIN_ONLY),
    ("GET", "/console/members/import", "roster_import_form", ADMIN_ONLY),
    ("POST", "/console/members/import", "roster_import", ADMIN_ONLY),
    ("GET", "/console/members/export.xlsx", "roster_export", ADMIN_ONLY),
    ("GET", "/console/reflections", "reflections_listing", STAFF),
    ("GET", "/console/reflections/{reflection_id}", "reflection_detail", IN_SCOPE),
    ("GET", "/console/reflections/{reflection_id}/photos/1", "reflection_photo",
     {**IN_SCOPE, "admin": 404, "contact_here": 404}),
    ("POST", "/console/reflections/review", "reflections_review", STAFF),
    ("GET", "/console/reflections/export.xlsx?org={org_here}", "reflections_export", STAFF),
    ("GET", "/console/orders", "orders_listing", STAFF),
    ("GET", "/console/orders/{order_id}", "order_detail", IN_SCOPE),
    ("POST", "/console/orders/{order_id}/dispatch", "order_dispatch", ADMIN_ONLY),
    ("POST", "/console/orders/{order_id}/reject", "order_reject", ADMIN_ONLY),
    ("GET", "/console/lecturers", "lecturers_listing", ADMIN_ONLY),
    ("GET", "/console/lecturers/{lecturer_id}", "lecturer_detail",
     {**ADMIN_ONLY, "lecturer": "ok"}),
    ("GET", "/console/topics", "topics_listing", ADMIN_ONLY),
    ("GET", "/console/topics/new", "topic_new", ADMIN_ONLY),
    ("POST", "/console/topics/new", "topic_create", ADMIN_ONLY),
    ("GET", "/console/topics/{topic_id}", "topic_detail", ADMIN_ONLY),
    ("POST", "/console/topics/{topic_id}", "topic_update", ADMIN_ONLY),
    ("POST", "/console/topics/{topic_id}/retire", "topic_retire", ADMIN_ONLY),
    ("POST", "/console/topics/{topic_id}/restore", "topic_restore", ADMIN_ONLY),
    ("GET", "/console/lecturers/applications", "applications_listing", ADMIN_ONLY),
    ("POST", "/console/lecturers/applications/{application_id}/approve", "application_approve",
     ADMIN_ONLY),
    ("POST", "/console/lecturers/applications/{application_id}/decline", "application_decline",
     ADMIN_ONLY),
    ("POST", "/console/lecturers/grant", "lecturer_grant", ADMIN_ONLY),
    ("POST", "/console/lecturers/{author_id}/revoke", "lecturer_revoke", ADMIN_ONLY),
    ("POST", "/console/lecturers/rounds/open", "round_open", ADMIN_ONLY),
    ("POST", "/console/lecturers/rounds/999/close", "round_close", {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/qiangguo", "qiangguo_week", STAFF),
    ("GET", "/console/qiangguo/orgs/{org_here}?week=2026-11-23", "qiangguo_org", IN_SCOPE),
    ("POST", "/console/qiangguo/remind", "qiangguo_remind", ADMIN_ONLY),
    ("GET", "/console/broadcasts", "broadcasts_listing", ADMIN_ONLY),
    ("GET", "/console/broadcasts/audience?audience_kind=all", "broadcast_audience", ADMIN_ONLY),
    ("POST", "/console/broadcasts/preview", "broadcast_preview", ADMIN_ONLY),
    ("POST", "/console/broadcasts/send", "broadcast_send", ADMIN_ONLY),
    ("POST", "/console/broadcasts/999/recall", "broadcast_recall",
     {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/broadcasts/999/cancel", "broadcast_cancel",
     {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/materials", "materials_listing", ADMIN_ONLY),
    ("GET", "/console/materials/999", "material_detail", {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/materials/new", "material_new", ADMIN_ONLY),
    ("POST", "/console/materials/new", "material_create", ADMIN_ONLY),
    ("POST", "/console/materials/preview", "material_preview", ADMIN_ONLY),
    ("GET", "/console/materials/retired", "materials_retired", ADMIN_ONLY),
    ("GET", "/console/materials/999/edit", "material_edit", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/materials/999/edit", "material_update", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/materials/999/retire", "material_retire", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/materials/999/reactivate", "material_reactivate",
     {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/materials/999/versions", "material_versions", {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/materials/999/versions/diff?a=1&b=2", "material_diff",
     {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/materials/999/versions/1/restore", "material_version_restore",
     {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/uploads/image", "upload_image", ADMIN_ONLY),
    ("POST", "/console/materials/import-docx", "import_docx_upload", ADMIN_ONLY),
    ("GET", "/media/{media_key}", "media.media_file", EVERYONE),  # images in reading pages
    ("GET", "/console/pushes", "pushes_listing", ADMIN_ONLY),
    ("GET", "/console/pushes/new", "push_new", ADMIN_ONLY),
    ("POST", "/console/pushes/new", "push_create", ADMIN_ONLY),
    ("GET", "/console/pushes/audience?audience_kind=all", "push_audience", ADMIN_ONLY),
    ("GET", "/console/pushes/999", "push_detail", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/pushes/999/pause", "push_pause", ADMIN_ONLY),
    ("POST", "/console/pushes/999/resume", "push_resume", ADMIN_ONLY),
    ("POST", "/console/pushes/999/cancel", "push_cancel", ADMIN_ONLY),
    ("GET", "/console/reports", "reports_listing", ADMIN_ONLY),
    ("GET", "/console/reports/annual-2000.xlsx", "report_annual", ADMIN_ONLY),
    ("GET", "/console/reports/campaigns/999", "campaign_report", {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/reports/campaigns/999.xlsx", "campaign_report_xlsx",
     {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/campaigns", "campaigns_listing", STAFF),
    ("GET", "/console/campaigns/new", "campaign_new", ADMIN_ONLY),
    ("POST", "/console/campaigns/new", "campaign_create", ADMIN_ONLY),
    ("GET", "/console/campaigns/999", "campaign_detail", MISSING_TO_STAFF),
    ("GET", "/console/campaigns/999/members", "campaign_members", MISSING_TO_STAFF),
    ("GET", "/console/campaigns/999/edit", "campaign_edit", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/campaigns/999/edit", "campaign_update", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/campaigns/999/items", "campaign_require", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/campaigns/999/items/1/remove", "campaign_unrequire",
     {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/campaigns/999/hours", "campaign_hours", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/campaigns/999/nudge", "campaign_nudge", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/campaigns/999/close", "campaign_close", {**ADMIN_ONLY, "admin": 404}),
    # 红色直播间: admins only; 群机器人: a contact their own organisations' robots
    # (tests/test_console_robots.py: another organisation's answers 404 or 403, nothing written)
    ("GET", "/console/live", "live_listing", ADMIN_ONLY),
    ("GET", "/console/live/import", "live_import_form", ADMIN_ONLY),
    ("POST", "/console/live/import", "live_check", ADMIN_ONLY),
    ("POST", "/console/live/import/confirm", "live_confirm", ADMIN_ONLY),
    ("GET", "/console/live/999", "live_session", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/live/999/lecture", "live_link", {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/robots", "robots_listing", STAFF),
    ("GET", "/console/robots/new", "robot_new", STAFF),
    ("POST", "/console/robots/new", "robot_create", STAFF),
    ("GET", "/console/robots/999", "robot_detail", MISSING_TO_STAFF),
    ("POST", "/console/robots/999/disable", "robot_disable", MISSING_TO_STAFF),
    # 签到: lectures are admins' (a contact gets 403), a meeting a contact's own organisation's
    # (tests/test_console_checkins.py: another organisation's answers 404, nothing written)
    ("GET", "/console/checkins", "checkins_listing", STAFF),
    ("GET", "/console/checkins/lecture/999", "checkin_detail", {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/checkins/meeting/999", "checkin_detail", MISSING_TO_STAFF),
    ("GET", "/console/checkins/lecture/999/live.json", "checkin_live",
     {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/checkins/meeting/999/live.json", "checkin_live", MISSING_TO_STAFF),
    ("GET", "/console/checkins/meeting/999/screen", "checkin_screen", MISSING_TO_STAFF),
    ("GET", "/console/checkins/lecture/999/qr.png", "checkin_qr_png",
     {**ADMIN_ONLY, "admin": 404}),
    ("GET", "/console/checkins/meeting/999/qr.png", "checkin_qr_png", MISSING_TO_STAFF),
    ("GET", "/console/checkins/meeting/999/qr.pdf", "checkin_qr_pdf", MISSING_TO_STAFF),
    ("POST", "/console/checkins/lecture/999/open", "checkin_open", {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/checkins/meeting/999/open", "checkin_open", MISSING_TO_STAFF),
    ("POST", "/console/checkins/lecture/999/close", "checkin_close",
     {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/checkins/meeting/999/close", "checkin_close", MISSING_TO_STAFF),
    ("POST", "/console/checkins/lecture/999/proxy", "checkin_proxy",
     {**ADMIN_ONLY, "admin": 404}),
    ("POST", "/console/checkins/meeting/999/proxy", "checkin_proxy", MISSING_TO_STAFF),
    ("POST", "/console/checkins/meeting/999/leave", "checkin_leave", MISSING_TO_STAFF),
    # 三会一课: admins every organisation, a contact their own (tests/test_console_meetings.py:
    # another organisation's meetings answer 404, nothing written)
    ("GET", "/console/meetings", "meetings_quarter", STAFF),
    ("POST", "/console/meetings/remind", "meetings_remind", ADMIN_ONLY),
    ("GET", "/console/orgs/{org_here}/meetings", "org_meetings", IN_SCOPE),
    ("GET", "/console/orgs/{org_here}/meetings/new", "meeting_new", IN_SCOPE),
    ("POST", "/console/orgs/{org_here}/meetings/new", "meeting_create", IN_SCOPE),
    ("GET", "/console/orgs/{org_here}/meetings/2026.docx", "meeting_ledger", IN_SCOPE),
    ("GET", "/console/meetings/999", "meeting_detail", MISSING_TO_STAFF),
    ("POST", "/console/meetings/999", "meeting_update", MISSING_TO_STAFF),
    ("GET", "/console/meetings/999/photos/1", "meeting_photo", MISSING_TO_STAFF),
]
PUBLIC = {"login", "login_local", "login_wecom", "login_wecom_return", "logout", "static"}


def outcome(response: Any) -> Any:
    """What a response amounts to in the table."""
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303) and "/console/login" in location:
        return "login"
    if response.status_code in (403, 404):
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
