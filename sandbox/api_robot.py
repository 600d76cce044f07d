"""Sandbox route for group robots (群机器人): POST webhook/send?key=KEY, no access_token."""

from __future__ import annotations

from typing import Any

from sandbox import errcodes
from sandbox.errcodes import error, ok
from sandbox.messaging import ROBOT_FREQ_LIMIT, ROBOT_KEY_INVALID
from sandbox.routing import Answer, Params, Route, utf8_len
from sandbox.state import SandboxState

LIMIT_PER_MINUTE = 20
CONTENT_BYTES = {"text": 2048, "markdown": 4096, "markdown_v2": 4096}
MAX_ARTICLES = 8
MSGTYPES = frozenset({
    "text", "markdown", "markdown_v2", "image", "news", "file", "voice", "template_card",
})
ERRMSG = {
    ROBOT_KEY_INVALID: "invalid webhook url",
    ROBOT_FREQ_LIMIT: "api freq out of limit",
}

Problem = dict[str, Any] | None


def send(state: SandboxState, params: Params, body: Any) -> Answer:
    """POST webhook/send?key=: check the key and the message, then post it to the group."""
    key = params.get("key") or ""
    if key not in state.robots:
        return error(ROBOT_KEY_INVALID, ERRMSG[ROBOT_KEY_INVALID])
    if not isinstance(body, dict):
        return error(errcodes.DATA_FORMAT_ERROR)
    msgtype = body.get("msgtype")
    if msgtype not in MSGTYPES:
        return error(errcodes.INVALID_MSGTYPE)
    problem = check_message(msgtype, body.get(msgtype))
    if problem:
        return problem
    code = state.robot_post(key, body, LIMIT_PER_MINUTE)
    return error(code, ERRMSG.get(code)) if code else ok()


def check_message(msgtype: str, payload: Any) -> Problem:
    """The msgtype-specific checks: content byte limits, 1..8 news articles with titles."""
    if not isinstance(payload, dict):
        return error(errcodes.INVALID_PARAMETER, f"missing {msgtype}")
    if msgtype in CONTENT_BYTES:
        content = payload.get("content")
        if not isinstance(content, str) or not content:
            return error(errcodes.EMPTY_TEXT_CONTENT)
        if utf8_len(content) > CONTENT_BYTES[msgtype]:
            return error(errcodes.CONTENT_SIZE_OUT_OF_LIMIT)
    elif msgtype == "news":
        articles = payload.get("articles")
        if not isinstance(articles, list) or not 1 <= len(articles) <= MAX_ARTICLES:
            return error(errcodes.ARTICLE_COUNT_OUT_OF_LIMIT)
        for article in articles:
            if not isinstance(article, dict) or not article.get("title"):
                return error(errcodes.MISSING_TITLE)
            if not article.get("url"):
                return error(errcodes.MISSING_URL)
    return None


ROBOT_ROUTES: dict[str, Route] = {
    "webhook/send": Route("POST", send, needs_token=False),
}
