"""The /sandbox/ control API: lets another process (demo, benchmark) drive a running sandbox."""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, Response, jsonify, request

from sandbox.state import SandboxState


class ControlError(ValueError):
    """A malformed control request (answered with HTTP 400)."""


def create_control_blueprint(state: SandboxState) -> Blueprint:
    """Blueprint with the /sandbox/ routes bound to one state."""
    bp = Blueprint("sandbox_control", __name__, url_prefix="/sandbox")

    @bp.errorhandler(ValueError)
    @bp.errorhandler(TypeError)
    @bp.errorhandler(KeyError)
    def bad_request(exc: Exception) -> tuple[Response, int]:
        """Answer malformed control requests with HTTP 400."""
        return jsonify({"ok": False, "error": str(exc)}), 400

    @bp.post("/reset")
    def reset() -> Response:
        """Forget contacts, tokens, inboxes, calls and queued faults."""
        state.reset()
        return _ok()

    @bp.post("/expire_tokens")
    def expire_tokens() -> Response:
        """Make every issued token answer 42001."""
        state.expire_tokens()
        return _ok()

    @bp.post("/advance")
    def advance() -> Response:
        """Move sandbox time forward by {seconds}."""
        state.advance(float(_json()["seconds"]))
        return _ok(now=state.now())

    @bp.post("/fail")
    def fail() -> Response:
        """Queue errcode answers: {path, errcode, times?, errmsg?}."""
        data = _json()
        state.fail_next(
            data["path"], int(data["errcode"]), int(data.get("times", 1)), data.get("errmsg")
        )
        return _ok()

    @bp.post("/slow")
    def slow() -> Response:
        """Queue slow answers: {path, seconds, times?}."""
        data = _json()
        state.slow_next(data["path"], float(data["seconds"]), int(data.get("times", 1)))
        return _ok()

    @bp.post("/http_error")
    def http_error() -> Response:
        """Queue bare HTTP errors: {path, status?, times?}."""
        data = _json()
        state.http_error_next(data["path"], int(data.get("status", 500)), int(data.get("times", 1)))
        return _ok()

    @bp.get("/calls")
    def calls() -> Response:
        """Recorded API calls, optionally only those to ?path=."""
        path = request.args.get("path")
        found = state.calls_to(path) if path else list(state.calls)
        return jsonify({"calls": [dataclasses.asdict(call) for call in found]})

    @bp.get("/inbox/<userid>")
    def inbox(userid: str) -> Response:
        """Messages delivered to userid from index ?since= on, plus the next index."""
        since = int(request.args.get("since", 0))
        messages = state.inbox_since(userid, since)
        return jsonify({
            "userid": userid, "since": since, "next": since + len(messages),
            "messages": messages,
        })

    @bp.get("/dropped")
    def dropped() -> Response:
        """Messages silently dropped by the per-member rate limit."""
        return jsonify({"dropped": list(state.dropped)})

    @bp.get("/duplicates")
    def duplicates() -> Response:
        """Messages not delivered again because of enable_duplicate_check."""
        return jsonify({"duplicates": list(state.duplicates)})

    @bp.get("/menu")
    def menu() -> Response:
        """The menu last stored by menu/create (null when none)."""
        return jsonify({"menu": state.menu})

    @bp.post("/users")
    def users() -> Response:
        """Add members: a list of add_user() keyword dicts (or {"users": [...]})."""
        added = [state.add_user(**item) for item in _items("users")]
        return _ok(added=len(added))

    @bp.post("/departments")
    def departments() -> Response:
        """Add departments: a list of {id, name, parentid?, order?, ...}."""
        added = [state.add_department(**item) for item in _items("departments")]
        return _ok(added=len(added))

    @bp.post("/tags")
    def tags() -> Response:
        """Add tags: a list of {tagid, tagname|name, userlist|users?, partylist|parties?}."""
        added = [state.add_tag(**_tag_kwargs(item)) for item in _items("tags")]
        return _ok(added=len(added))

    @bp.post("/code/<userid>")
    def code(userid: str) -> Response:
        """Issue a single-use OAuth code for userid ({scope?} in the body)."""
        scope = (request.get_json(silent=True) or {}).get("scope", "snsapi_base")
        return jsonify({"code": state.issue_code(userid, scope)})

    return bp


def _ok(**fields: Any) -> Response:
    """A small JSON success answer."""
    return jsonify({"ok": True, **fields})


def _json() -> dict[str, Any]:
    """The request's JSON object body."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ControlError("expected a JSON object body")
    return data


def _items(key: str) -> list[dict[str, Any]]:
    """A JSON list body, or the list under `key` of an object body."""
    data = request.get_json(silent=True)
    if isinstance(data, dict):
        data = data.get(key)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ControlError(f"expected a JSON list of objects (or {{{key!r}: [...]}})")
    return data


def _tag_kwargs(item: dict[str, Any]) -> dict[str, Any]:
    """Accept both tag/get field names and add_tag() argument names."""
    return {
        "tagid": item["tagid"],
        "name": item["tagname"] if "tagname" in item else item["name"],
        "users": item.get("userlist", item.get("users", [])),
        "parties": item.get("partylist", item.get("parties", [])),
    }
