"""Sandbox routes for app messages (message/send, message/recall) and the app menu."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sandbox import errcodes
from sandbox.errcodes import error, ok
from sandbox.messaging import split_ids
from sandbox.routing import Answer, Params, Route, check_agentid, int_param, utf8_len
from sandbox.state import SandboxState

MAX_USERS = 1000
MAX_PARTIES = 100
MAX_TAGS = 100
MAX_CONTENT_BYTES = 2048
MAX_ARTICLES = 8
MAX_DUPLICATE_CHECK_INTERVAL = 4 * 3600
CARD_TYPES = frozenset({
    "text_notice", "news_notice", "button_interaction", "vote_interaction",
    "multiple_interaction",
})
INTERACTIVE_CARD_TYPES = frozenset({
    "button_interaction", "vote_interaction", "multiple_interaction",
})
TASK_ID = re.compile(r"[0-9A-Za-z_\-@]{1,128}")
MAX_CARD_BUTTONS = 6
MAX_VOTE_OPTIONS = 20
CARD_KEY_BYTES = 1024

MENU_TYPES = frozenset({
    "click", "view", "scancode_push", "scancode_waitmsg", "pic_sysphoto",
    "pic_photo_or_album", "pic_weixin", "location_select", "view_miniprogram",
})
MAX_TOP_BUTTONS = 3
MAX_SUB_BUTTONS = 5
TOP_NAME_BYTES = 16
SUB_NAME_BYTES = 40
MENU_KEY_BYTES = 128
MENU_URL_BYTES = 1024

Problem = dict[str, Any] | None
PayloadCheck = Callable[[SandboxState, dict[str, Any]], Problem]


# ------------------------------------------------------------ message/send
def send(state: SandboxState, params: Params, body: Any) -> Answer:
    """POST message/send: validate, resolve recipients, deliver, answer like WeCom."""
    if not isinstance(body, dict):
        return error(errcodes.DATA_FORMAT_ERROR)
    problem = _check_envelope(state, body)
    if problem:
        return problem
    recipients = _recipients(body)
    if isinstance(recipients, dict):
        return recipients
    problem = _check_payload(state, body)
    if problem:
        return problem
    outcome = state.send_message(body, *recipients)
    invalid = {
        "invaliduser": "|".join(outcome.invaliduser),
        "invalidparty": "|".join(outcome.invalidparty),
        "invalidtag": "|".join(outcome.invalidtag),
        "unlicenseduser": "",
    }
    if outcome.all_invalid:
        return {**error(errcodes.ALL_RECIPIENTS_INVALID), **invalid}
    answer = ok(**invalid, msgid=outcome.msgid)
    if outcome.response_code:
        answer["response_code"] = outcome.response_code
    return answer


def _check_envelope(state: SandboxState, body: dict[str, Any]) -> Problem:
    """Check agentid, msgtype and the 0/1 option fields."""
    problem = check_agentid(state, body.get("agentid"))
    if problem:
        return problem
    if body.get("msgtype") not in _PAYLOAD_CHECKS:
        return error(errcodes.INVALID_MSGTYPE)
    for flag in ("safe", "enable_id_trans", "enable_duplicate_check"):
        if flag in body and int_param(body[flag]) not in (0, 1):
            return error(errcodes.INVALID_PARAMETER, f"invalid {flag}")
    if "duplicate_check_interval" in body:
        interval = int_param(body["duplicate_check_interval"])
        if interval is None or not 0 < interval <= MAX_DUPLICATE_CHECK_INTERVAL:
            return error(errcodes.INVALID_PARAMETER, "invalid duplicate_check_interval")
    return None


def _recipients(body: dict[str, Any]) -> tuple[list[str], list[str], list[str]] | dict[str, Any]:
    """Split touser/toparty/totag and enforce the 1000/100/100 limits."""
    fields = []
    for name in ("touser", "toparty", "totag"):
        value = body.get(name)
        if value is not None and not isinstance(value, str | int):
            return error(errcodes.INVALID_PARAMETER, f"invalid {name}")
        fields.append(split_ids(None if value is None else str(value)))
    users, parties, tags = fields
    if "@all" in users:
        return ["@all"], [], []
    if not (users or parties or tags):
        return error(errcodes.INVALID_PARAMETER, "touser, toparty and totag are all empty")
    if len(users) > MAX_USERS:
        return error(errcodes.INVALID_USERID_LIST_SIZE)
    if len(parties) > MAX_PARTIES:
        return error(errcodes.INVALID_PARTY_LIST_SIZE)
    if len(tags) > MAX_TAGS:
        return error(errcodes.INVALID_TAG_LIST_SIZE)
    return users, parties, tags


def _check_payload(state: SandboxState, body: dict[str, Any]) -> Problem:
    """Run the msgtype-specific checks on body[msgtype]."""
    msgtype = body["msgtype"]
    payload = body.get(msgtype)
    if not isinstance(payload, dict):
        if msgtype == "text":
            return error(errcodes.EMPTY_TEXT_CONTENT)
        return error(errcodes.INVALID_PARAMETER, f"missing {msgtype}")
    return _PAYLOAD_CHECKS[msgtype](state, payload)


def _check_content(state: SandboxState, payload: dict[str, Any]) -> Problem:
    """text / markdown: non-empty content of at most 2048 UTF-8 bytes."""
    content = payload.get("content")
    if not isinstance(content, str) or not content:
        return error(errcodes.EMPTY_TEXT_CONTENT)
    if utf8_len(content) > MAX_CONTENT_BYTES:
        return error(errcodes.CONTENT_SIZE_OUT_OF_LIMIT)
    return None


def _check_media(state: SandboxState, payload: dict[str, Any]) -> Problem:
    """image / voice / video / file: a media_id the sandbox knows."""
    media_id = payload.get("media_id")
    if not media_id:
        return error(errcodes.MISSING_MEDIA_ID)
    if state.get_media(str(media_id)) is None:
        return error(errcodes.INVALID_MEDIA_ID)
    return None


def _check_textcard(state: SandboxState, payload: dict[str, Any]) -> Problem:
    """textcard: title <= 128 chars, description <= 512 chars, url <= 2048 bytes, btntxt <= 4."""
    title, description = payload.get("title"), payload.get("description")
    url, btntxt = payload.get("url"), payload.get("btntxt", "")
    if not title:
        return error(errcodes.MISSING_TITLE)
    if not description:
        return error(errcodes.MISSING_DESCRIPTION)
    if not url:
        return error(errcodes.MISSING_URL)
    too_long = (
        len(str(title)) > 128 or len(str(description)) > 512
        or utf8_len(str(url)) > 2048 or len(str(btntxt)) > 4
    )
    return error(errcodes.CONTENT_SIZE_OUT_OF_LIMIT) if too_long else None


def _check_articles(state: SandboxState, payload: dict[str, Any]) -> Problem:
    """news / mpnews: 1..8 articles, each with a title."""
    articles = payload.get("articles")
    if not isinstance(articles, list) or not 1 <= len(articles) <= MAX_ARTICLES:
        return error(errcodes.ARTICLE_COUNT_OUT_OF_LIMIT)
    for article in articles:
        if not isinstance(article, dict) or not article.get("title"):
            return error(errcodes.MISSING_TITLE)
    return None


def _check_miniprogram_notice(state: SandboxState, payload: dict[str, Any]) -> Problem:
    """miniprogram_notice: appid and title are required."""
    if not payload.get("appid") or not payload.get("title"):
        return error(errcodes.INVALID_PARAMETER, "miniprogram_notice needs appid and title")
    return None


def _check_template_card(state: SandboxState, payload: dict[str, Any]) -> Problem:
    """template_card: a known card_type; task_id well-formed (required when interactive)."""
    card_type = payload.get("card_type")
    if card_type not in CARD_TYPES:
        return error(errcodes.INVALID_PARAMETER, "invalid card_type")
    task_id = payload.get("task_id")
    if task_id is None and card_type in INTERACTIVE_CARD_TYPES:
        return error(errcodes.INVALID_PARAMETER, "task_id required for interactive cards")
    if task_id is not None and not TASK_ID.fullmatch(str(task_id)):
        return error(errcodes.INVALID_PARAMETER, "invalid task_id")
    if card_type == "button_interaction":
        return _check_buttons(payload.get("button_list"))
    if card_type == "vote_interaction":
        return _check_checkbox(payload.get("checkbox"), payload.get("submit_button"))
    return None


def _check_buttons(buttons: Any) -> Problem:
    """button_interaction: 1 to 6 buttons, each with a text and a key of at most 1024 bytes."""
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_CARD_BUTTONS:
        return error(errcodes.INVALID_PARAMETER, "button_list needs 1 to 6 buttons")
    for button in buttons:
        if not isinstance(button, dict) or not button.get("text") or not button.get("key") \
                or utf8_len(str(button["key"])) > CARD_KEY_BYTES:
            return error(errcodes.INVALID_PARAMETER, "a button needs a text and a key")
    return None


def _check_checkbox(checkbox: Any, submit: Any) -> Problem:
    """vote_interaction: a question_key, mode 0 or 1, 1 to 20 options with unique ids, and a
    submit button with a key."""
    if not isinstance(checkbox, dict) or not checkbox.get("question_key"):
        return error(errcodes.INVALID_PARAMETER, "checkbox needs a question_key")
    if checkbox.get("mode", 0) not in (0, 1):
        return error(errcodes.INVALID_PARAMETER, "checkbox mode is 0 or 1")
    options = checkbox.get("option_list")
    if not isinstance(options, list) or not 1 <= len(options) <= MAX_VOTE_OPTIONS:
        return error(errcodes.INVALID_PARAMETER, "option_list needs 1 to 20 options")
    ids = [o.get("id") for o in options if isinstance(o, dict) and o.get("text")]
    if len(ids) != len(options) or not all(ids) or len(set(ids)) != len(ids):
        return error(errcodes.INVALID_PARAMETER, "each option needs a unique id and a text")
    if not isinstance(submit, dict) or not submit.get("key") or not submit.get("text"):
        return error(errcodes.INVALID_PARAMETER, "submit_button needs a text and a key")
    return None


def _check_nothing(state: SandboxState, payload: dict[str, Any]) -> Problem:
    """Message types the sandbox accepts without deeper checks."""
    return None


_PAYLOAD_CHECKS: dict[str, PayloadCheck] = {
    "text": _check_content,
    "image": _check_media,
    "voice": _check_media,
    "video": _check_media,
    "file": _check_media,
    "textcard": _check_textcard,
    "news": _check_articles,
    "mpnews": _check_articles,
    "markdown": _check_content,
    "miniprogram_notice": _check_miniprogram_notice,
    "template_card": _check_template_card,
}
MSGTYPES = frozenset(_PAYLOAD_CHECKS)


# ---------------------------------------------------------- message/recall
def recall(state: SandboxState, params: Params, body: Any) -> Answer:
    """POST message/recall {msgid}: recall within 24 h."""
    if not isinstance(body, dict):
        return error(errcodes.DATA_FORMAT_ERROR)
    msgid = body.get("msgid")
    if not isinstance(msgid, str) or not msgid:
        return error(errcodes.INVALID_MSGID, "msgid missing")
    code = state.recall(msgid)
    if code == errcodes.INVALID_MSGID:
        return error(code, "invalid msgid")
    return error(code) if code else ok()


# -------------------------------------------------------------------- menu
def menu_create(state: SandboxState, params: Params, body: Any) -> Answer:
    """POST menu/create?agentid=: validate 1..3 buttons with 1..5 sub buttons, then store."""
    problem = check_agentid(state, params.get("agentid"))
    if problem:
        return problem
    if not isinstance(body, dict):
        return error(errcodes.DATA_FORMAT_ERROR)
    buttons = body.get("button")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= MAX_TOP_BUTTONS:
        return error(errcodes.INVALID_BUTTON_COUNT)
    for button in buttons:
        problem = _check_button(button, top=True)
        if problem:
            return problem
    state.set_menu(body)
    return ok()


def menu_get(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET menu/get?agentid=: the stored menu, or 46003 when none is set."""
    problem = check_agentid(state, params.get("agentid"))
    if problem:
        return problem
    if state.menu is None:
        return error(errcodes.MENU_NOT_SET)
    return ok(**state.menu)


def menu_delete(state: SandboxState, params: Params, body: Any) -> Answer:
    """GET menu/delete?agentid=: forget the stored menu."""
    problem = check_agentid(state, params.get("agentid"))
    if problem:
        return problem
    state.set_menu(None)
    return ok()


def _check_button(button: Any, top: bool) -> Problem:
    """Validate one menu button (top level or sub button)."""
    if not isinstance(button, dict):
        return error(errcodes.INVALID_BUTTON_TYPE if top else errcodes.INVALID_SUB_BUTTON_TYPE)
    name = button.get("name")
    limit = TOP_NAME_BYTES if top else SUB_NAME_BYTES
    if not isinstance(name, str) or not name or utf8_len(name) > limit:
        return error(errcodes.INVALID_BUTTON_NAME if top else errcodes.INVALID_SUB_BUTTON_NAME)
    subs = button.get("sub_button")
    if subs:
        if not top:
            return error(errcodes.INVALID_SUB_MENU_LEVEL)
        if not isinstance(subs, list) or len(subs) > MAX_SUB_BUTTONS:
            return error(errcodes.INVALID_SUB_BUTTON_COUNT)
        for sub in subs:
            problem = _check_button(sub, top=False)
            if problem:
                return problem
        return None
    return _check_leaf(button, top)


def _check_leaf(button: dict[str, Any], top: bool) -> Problem:
    """Validate a button without sub buttons: its type and key/url."""
    kind = button.get("type")
    if kind not in MENU_TYPES:
        return error(errcodes.INVALID_BUTTON_TYPE if top else errcodes.INVALID_SUB_BUTTON_TYPE)
    if kind == "view":
        url = button.get("url")
        if not isinstance(url, str) or not url or utf8_len(url) > MENU_URL_BYTES:
            return error(errcodes.INVALID_BUTTON_URL if top else errcodes.INVALID_SUB_BUTTON_URL)
    elif kind == "view_miniprogram":
        if not button.get("appid") or not button.get("pagepath"):
            return error(errcodes.INVALID_PARAMETER, "view_miniprogram needs appid and pagepath")
    else:
        key = button.get("key")
        if not isinstance(key, str) or not key or utf8_len(key) > MENU_KEY_BYTES:
            return error(errcodes.INVALID_BUTTON_KEY if top else errcodes.INVALID_SUB_BUTTON_KEY)
    return None


MESSAGE_ROUTES: dict[str, Route] = {
    "message/send": Route("POST", send),
    "message/recall": Route("POST", recall),
    "menu/create": Route("POST", menu_create),
    "menu/get": Route("GET", menu_get),
    "menu/delete": Route("GET", menu_delete),
}
