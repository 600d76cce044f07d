"""The group robot (群机器人) webhook client: POST {base}webhook/send?key=KEY, no token.

Separate from bot.wecom: a robot is authenticated by its webhook key alone, answers only
{errcode, errmsg}, and takes at most 20 messages a minute. The key is a secret (anyone
holding it can post to the group), so it never appears in errors or logs.
"""

from __future__ import annotations

import html
import logging
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import requests
from flask import current_app

from bot.wecom import BUSY_BACKOFF_S, RATE_ERRORS, WeComError, wait_next

log = logging.getLogger(__name__)

LIMIT_PER_MINUTE = 20
TEXT_BYTES = 2048
MARKDOWN_BYTES = 4096
MAX_ARTICLES = 8
GONE = 93000  # invalid webhook key, or the robot was removed from the group


class RobotError(WeComError):
    """The robot webhook answered with a non-zero errcode (or not at all)."""


class RobotRateLimited(RobotError):
    """Past 20 messages a minute (45009): try again later."""


class RobotUnavailable(RobotError):
    """-1, HTTP errors or timeouts that outlasted the retries."""


class RobotGone(RobotError):
    """93000: the key is invalid or the robot was removed from its group; do not retry."""


class RobotClient:
    """Posts messages to group robots through the webhook endpoint."""

    def __init__(self, api_base: str, timeout: float = 4.0,
                 sleep: Callable[[float], None] = time.sleep,
                 session: requests.Session | None = None) -> None:
        self.url = api_base.rstrip("/") + "/webhook/send"
        self.timeout = timeout
        self.sleep = sleep
        self.http = session or requests.Session()

    def send(self, key: str, message: dict[str, Any]) -> dict[str, Any]:
        """Send one message ({msgtype, <msgtype>: {...}}) to the robot with this key."""
        busy: Iterator[int] = iter(BUSY_BACKOFF_S)
        while True:
            try:
                answer = self._post(key, message)
            except RobotUnavailable:
                if wait_next(busy, self.sleep):
                    continue
                raise
            code = answer.get("errcode", 0)
            if code == 0:
                return answer
            errmsg = str(answer.get("errmsg", ""))
            if code == -1 and wait_next(busy, self.sleep):
                continue
            if code == -1:
                raise RobotUnavailable(code, errmsg)
            if code in RATE_ERRORS:
                raise RobotRateLimited(code, errmsg)
            if code == GONE:
                raise RobotGone(code, errmsg)
            raise RobotError(code, errmsg)

    def _post(self, key: str, message: dict[str, Any]) -> dict[str, Any]:
        try:
            response = self.http.post(self.url, params={"key": key}, json=message,
                                      timeout=self.timeout)
            response.raise_for_status()
            answer = response.json()
        except requests.HTTPError as exc:  # the message names the status, never the URL
            raise RobotUnavailable(None, f"HTTP {exc.response.status_code}") from None
        except (requests.RequestException, ValueError) as exc:
            raise RobotUnavailable(None, type(exc).__name__) from None
        if not isinstance(answer, dict):
            raise RobotUnavailable(None, "answer is not a JSON object")
        return answer


class UnsupportedPayload(ValueError):
    """A message/send payload a group robot cannot show."""


def clip(text: str, limit: int) -> str:
    """Text cut to at most `limit` UTF-8 bytes (on a character boundary, marked with …)."""
    if len(text.encode()) <= limit:
        return text
    return text.encode()[: limit - 3].decode("utf-8", "ignore") + "…"


def _plain(text: Any) -> str:
    """Text without the HTML a textcard description may carry (<div class="gray">…)."""
    raw = re.sub(r"<br\s*/?>|</div>", "\n", str(text or ""))
    return html.unescape(re.sub(r"<[^>]+>", "", raw)).strip()


def card_markdown(title: str, description: str, url: str, button: str = "") -> dict[str, Any]:
    """A markdown message: bold title, description, then the link (within 4096 bytes)."""
    head = f"**{title.strip()}**" if title.strip() else ""
    link = f"[{button.strip() or '查看详情'}]({url})" if url else ""
    room = MARKDOWN_BYTES - len(f"{head}\n\n{link}".encode()) - 2
    body = clip(description.strip(), max(room, 0)) if description.strip() else ""
    content = "\n".join(part for part in (head, body, link) if part)
    return {"msgtype": "markdown", "markdown": {"content": clip(content, MARKDOWN_BYTES)}}


def _template_card(card: dict[str, Any]) -> dict[str, Any]:
    """A text_notice / news_notice card as markdown: title, description, the card's link."""
    main = card.get("main_title") or {}
    lines = [main.get("desc"), card.get("sub_title_text")]
    lines += [f"{item.get('keyname', '')}：{item.get('value', '')}"
              for item in card.get("horizontal_content_list") or []]
    url = (card.get("card_action") or {}).get("url") or next(
        (j.get("url") for j in card.get("jump_list") or [] if j.get("url")), "")
    title = main.get("title") or (card.get("source") or {}).get("desc") or ""
    return card_markdown(title, "\n".join(str(x) for x in lines if x), url)


def to_robot_message(payload: dict[str, Any]) -> dict[str, Any]:
    """A message/send payload as a robot message (textcard, template_card -> markdown)."""
    msgtype = payload.get("msgtype")
    body = payload.get(msgtype) if isinstance(msgtype, str) else None
    if not isinstance(body, dict):
        raise UnsupportedPayload("the broadcast has no message body")
    if msgtype in ("text", "markdown"):
        limit = TEXT_BYTES if msgtype == "text" else MARKDOWN_BYTES
        return {"msgtype": msgtype, msgtype: {"content": clip(str(body.get("content", "")),
                                                               limit)}}
    if msgtype == "news":
        articles = [{k: a[k] for k in ("title", "description", "url", "picurl") if a.get(k)}
                    for a in body.get("articles") or []][:MAX_ARTICLES]
        return {"msgtype": "news", "news": {"articles": articles}}
    if msgtype == "textcard":
        return card_markdown(str(body.get("title", "")), _plain(body.get("description")),
                             str(body.get("url", "")), str(body.get("btntxt", "")))
    if msgtype == "template_card":
        return _template_card(body)
    raise UnsupportedPayload(f"a group robot cannot show a {msgtype} message")


def robot_client() -> RobotClient:
    """The current app's robot client (same host as WECOM_API_BASE), built once."""
    client = current_app.extensions.get("pioneer_robot")
    if client is None:
        config = current_app.config
        client = RobotClient(config["WECOM_API_BASE"], timeout=config.get("WECOM_TIMEOUT", 4.0),
                             sleep=config.get("WECOM_SLEEP") or time.sleep)
        current_app.extensions["pioneer_robot"] = client
    return client


def mask_key(key: str) -> str:
    """A webhook key shown safely: its first and last four characters."""
    return f"{key[:4]}…{key[-4:]}" if len(key) > 12 else "…"
