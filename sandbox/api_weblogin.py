"""The sandbox's stand-in for WeCom's web login (QR) page: /wwlogin/sso/login.

Real WeCom shows a QR code that a member scans with the WeCom app; the sandbox cannot scan,
so it shows who may "scan" (the chooser, as the OAuth page does) or takes the `sandbox_user`
query parameter or cookie. Then it redirects to redirect_uri?code&state, and the code is
exchanged with auth/getuserinfo like any other. WeCom's side: docs/wecom.md, web login.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from sandbox.api_oauth import MAX_STATE_BYTES, USER_COOKIE, chooser_page, sign_in
from sandbox.state import SandboxState

PATH = "wwlogin/sso/login"
SHOWN_USERS = 100  # the demo corp has thousands; any other userid: add ?sandbox_user=USERID


def check_request(state: SandboxState, params: dict[str, str]) -> str:
    """Why the web login request is malformed, or '' when it is fine."""
    if params.get("login_type") != "CorpApp":
        return "login_type must be CorpApp"
    if params.get("appid") != state.corp_id:
        return "appid is not this corp's id"
    if params.get("agentid") != str(state.agent_id):
        return "agentid is not this app's"
    target = params.get("redirect_uri", "")
    if not target.startswith(("http://", "https://")):
        return "redirect_uri must be an absolute http(s) URL"
    login_state = params.get("state", "")
    bad_chars = login_state and not (login_state.isascii() and login_state.isalnum())
    if bad_chars or len(login_state.encode()) > MAX_STATE_BYTES:
        return "state must be a-zA-Z0-9, at most 128 bytes"
    if params.get("lang", "zh") not in ("zh", "en"):
        return "lang must be zh or en"
    return ""


def create_weblogin_blueprint(state: SandboxState) -> Blueprint:
    """Blueprint serving the web login page for one sandbox state."""
    bp = Blueprint("sandbox_weblogin", __name__)

    @bp.get("/wwlogin/sso/login")
    def web_login() -> Response:
        """Issue a code for the member who "scanned" and redirect, or show who may scan."""
        params = {k: v for k, v in request.args.items() if k != USER_COOKIE}
        return sign_in(state, PATH, params, check_request(state, params), "snsapi_base",
                       lambda: chooser_page(state, params, "Sandbox WeCom web login",
                                            "WeCom sandbox: scan the login QR code as…",
                                            "scan as", limit=SHOWN_USERS))

    return bp
