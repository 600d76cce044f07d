"""Flask app standing in for the WeCom server API under /cgi-bin/ (plus /sandbox/ control).

Every /cgi-bin/ call goes through one function, `answer_call`, that applies injected slow-downs
and failures, checks the access_token, runs the route handler and records the call.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, Response, jsonify, request

from sandbox import errcodes
from sandbox.api_contacts import CONTACT_ROUTES
from sandbox.api_control import create_control_blueprint
from sandbox.api_messages import MESSAGE_ROUTES
from sandbox.api_oauth import create_oauth_blueprint
from sandbox.api_robot import ROBOT_ROUTES
from sandbox.api_weblogin import create_weblogin_blueprint
from sandbox.errcodes import error, ok
from sandbox.routing import Answer, Params, Route
from sandbox.state import TOKEN_TTL_SECONDS, SandboxState, normalize_path

_BAD_JSON = object()


def gettoken(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET gettoken?corpid=&corpsecret=: a fresh access_token valid 7200 s."""
    corpid, secret = params.get("corpid"), params.get("corpsecret")
    if not corpid:
        return error(errcodes.MISSING_CORPID)
    if not secret:
        return error(errcodes.MISSING_SECRET)
    if corpid != state.corp_id:
        return error(errcodes.INVALID_CORPID)
    if secret != state.secret:
        return error(errcodes.INVALID_SECRET)
    return ok(access_token=state.issue_token(), expires_in=TOKEN_TTL_SECONDS)


ROUTES: dict[str, Route] = {
    "gettoken": Route("GET", gettoken, needs_token=False),
    **MESSAGE_ROUTES,
    **CONTACT_ROUTES,
    **ROBOT_ROUTES,
}


def create_sandbox_app(state: SandboxState) -> Flask:
    """Build the sandbox Flask app serving /cgi-bin/<api> and /sandbox/<control>."""
    app = Flask("sandbox")
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.extensions["sandbox_state"] = state

    @app.route("/cgi-bin/<path:api>", methods=["GET", "POST"])
    def cgi_bin(api: str) -> Response:
        """Serve one WeCom API call."""
        return answer_call(state, normalize_path(api))

    app.register_blueprint(create_control_blueprint(state))
    app.register_blueprint(create_oauth_blueprint(state))
    app.register_blueprint(create_weblogin_blueprint(state))
    return app


def answer_call(state: SandboxState, path: str) -> Response:
    """Answer the current request for `path`, recording it in the call log."""
    params = request.args.to_dict()
    route = ROUTES.get(path)
    body = _read_body(route)
    recorded_body = None if body is _BAD_JSON else body
    delay = state.take_delay(path)
    if delay > 0:
        state.sleep(delay)
    fault = state.take_fault(path)
    if fault is not None and fault.kind == "http":
        state.record(path, params, recorded_body, {"http_status": fault.status})
        return Response("sandbox: injected HTTP error\n", status=fault.status)
    if fault is not None:
        answer: Answer = error(fault.errcode, fault.errmsg or None)
    else:
        answer = _answer(state, route, params, body)
    return _finish(state, path, params, recorded_body, answer, route)


def _answer(state: SandboxState, route: Route | None, params: Params, body: Any) -> Answer:
    """Run the checks every endpoint shares, then the route handler."""
    if route is None:
        return error(errcodes.UNKNOWN_API)
    if request.method != route.method:
        return error(errcodes.DATA_FORMAT_ERROR, f"use {route.method} for this api")
    if body is _BAD_JSON:
        return error(errcodes.DATA_FORMAT_ERROR, "invalid json body")
    if route.needs_token:
        code = state.check_token(params.get("access_token"))
        if code:
            return error(code)
    return route.handler(state, params, body)


def _read_body(route: Route | None) -> Any:
    """Parse a POST body as JSON (None when empty, _BAD_JSON when unparseable)."""
    if request.method != "POST" or (route is not None and not route.json_body):
        return None
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return _BAD_JSON


def _finish(
    state: SandboxState,
    path: str,
    params: Params,
    body: Any,
    answer: Answer,
    route: Route | None,
) -> Response:
    """Record the call and turn the answer into an HTTP response."""
    if isinstance(answer, Response):
        summary = ok(content_type=answer.content_type, length=answer.content_length)
        state.record(path, params, body, summary)
        return answer
    state.record(path, params, body, answer)
    response = jsonify(answer)
    if route is None and answer.get("errcode") == errcodes.UNKNOWN_API:
        response.status_code = 404
    return response
