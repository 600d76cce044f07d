"""Sandbox routes for contacts (user, department, tag), OAuth code exchange and media."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response, request

from sandbox import errcodes
from sandbox.errcodes import error, ok
from sandbox.routing import Answer, Params, Route, flag_param, int_param
from sandbox.state import SandboxState

MEDIA_TYPES = frozenset({"image", "voice", "video", "file"})
SIMPLE_USER_FIELDS = ("userid", "name", "department", "open_userid")


def user_get(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET user/get?userid=: one member's record, 60111 when unknown."""
    userid = params.get("userid")
    if not userid:
        return error(errcodes.MISSING_USERID)
    user = state.get_user(userid)
    if user is None:
        return error(errcodes.USERID_NOT_FOUND)
    return ok(**user)


def user_simplelist(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET user/simplelist?department_id=&fetch_child=: userid, name, department, open_userid."""
    users = _department_users(state, params)
    if isinstance(users, dict):
        return users
    return ok(userlist=[{k: user.get(k) for k in SIMPLE_USER_FIELDS} for user in users])


def user_list(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET user/list?department_id=&fetch_child=: full member records."""
    users = _department_users(state, params)
    if isinstance(users, dict):
        return users
    return ok(userlist=users)


def _department_users(
    state: SandboxState, params: Params
) -> list[dict[str, Any]] | dict[str, Any]:
    """Members of department_id (with children when fetch_child=1), or an error answer."""
    raw = params.get("department_id")
    if not raw:
        return error(errcodes.MISSING_DEPARTMENT)
    dept_id = int_param(raw)
    users = None if dept_id is None else state.users_in_department(
        dept_id, flag_param(params.get("fetch_child"))
    )
    if users is None:
        return error(errcodes.INVALID_DEPARTMENT_ID)
    return users


def department_list(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET department/list?id=: the department and its descendants (every one without id)."""
    raw = params.get("id")
    dept_id = int_param(raw) if raw else None
    if raw and dept_id is None:
        return error(errcodes.INVALID_DEPARTMENT_ID)
    departments = state.department_tree(dept_id)
    if departments is None:
        return error(errcodes.INVALID_DEPARTMENT_ID)
    return ok(department=departments)


def tag_get(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET tag/get?tagid=: tagname, userlist[{userid, name}], partylist."""
    raw = params.get("tagid")
    if not raw:
        return error(errcodes.MISSING_TAGID)
    tagid = int_param(raw)
    tag = None if tagid is None else state.tag_members(tagid)
    if tag is None:
        return error(errcodes.INVALID_TAGID)
    return ok(**tag)


def auth_getuserinfo(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET auth/getuserinfo?code=: exchange a single-use code (40029 when bad or used)."""
    code = params.get("code")
    if not code:
        return error(errcodes.MISSING_OAUTH_CODE)
    fields = state.redeem_code(code)
    if fields is None:
        return error(errcodes.INVALID_OAUTH_CODE)
    return ok(**fields)


def media_get(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET media/get?media_id=: the raw bytes, or a JSON 40007 when unknown."""
    media_id = params.get("media_id")
    if not media_id:
        return error(errcodes.MISSING_MEDIA_ID)
    media = state.get_media(media_id)
    if media is None:
        return error(errcodes.INVALID_MEDIA_ID)
    data, content_type, filename = media
    return Response(
        data,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition(filename)},
    )


def media_upload(state: SandboxState, params: Params, body: Any) -> Answer:
    """POST media/upload?type=: store the multipart field `media`, answer its media_id."""
    kind = params.get("type", "")
    if kind not in MEDIA_TYPES:
        return error(errcodes.INVALID_UPLOAD_TYPE)
    upload = request.files.get("media")
    data = upload.read() if upload else b""
    if not upload or not data:
        return error(errcodes.EMPTY_MEDIA)
    media_id = state.add_media(
        data, upload.mimetype or "application/octet-stream", upload.filename or "media"
    )
    return ok(type=kind, media_id=media_id, created_at=str(int(state.now())))


def content_disposition(filename: str) -> str:
    """Content-Disposition header value for a download, UTF-8 safe."""
    if filename.isascii() and '"' not in filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename*=UTF-8''{quote(filename)}"


CONTACT_ROUTES: dict[str, Route] = {
    "user/get": Route("GET", user_get),
    "user/simplelist": Route("GET", user_simplelist),
    "user/list": Route("GET", user_list),
    "department/list": Route("GET", department_list),
    "tag/get": Route("GET", tag_get),
    "auth/getuserinfo": Route("GET", auth_getuserinfo),
    "media/get": Route("GET", media_get),
    "media/upload": Route("POST", media_upload, json_body=False),
}
