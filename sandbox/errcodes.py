"""WeCom errcode values used by the sandbox, with the errmsg each one answers.

Codes come from the WeCom global error table [90313] (as quoted by SDKs such as
WxJava's WxCpErrorMsgEnum). Codes marked STAND-IN are not documented: the sandbox
needs some answer there and picked a distinct, documented-looking value.
"""

from __future__ import annotations

from typing import Any

OK = 0
SYSTEM_BUSY = -1
INVALID_SECRET = 40001
INVALID_USERID = 40003
INVALID_MEDIA_TYPE = 40004
INVALID_UPLOAD_TYPE = 40005
INVALID_MEDIA_ID = 40007
INVALID_MSGTYPE = 40008
INVALID_CORPID = 40013
INVALID_ACCESS_TOKEN = 40014
INVALID_BUTTON_COUNT = 40016
INVALID_BUTTON_TYPE = 40017
INVALID_BUTTON_NAME = 40018
INVALID_BUTTON_KEY = 40019
INVALID_BUTTON_URL = 40020
INVALID_SUB_MENU_LEVEL = 40022
INVALID_SUB_BUTTON_COUNT = 40023
INVALID_SUB_BUTTON_TYPE = 40024
INVALID_SUB_BUTTON_NAME = 40025
INVALID_SUB_BUTTON_KEY = 40026
INVALID_SUB_BUTTON_URL = 40027
INVALID_OAUTH_CODE = 40029
INVALID_USERID_LIST_SIZE = 40032
INVALID_AGENTID = 40056
INVALID_PARAMETER = 40058
INVALID_TAGID = 40068
MISSING_ACCESS_TOKEN = 41001
MISSING_CORPID = 41002
MISSING_SECRET = 41004
MISSING_MEDIA_ID = 41006
MISSING_OAUTH_CODE = 41008
MISSING_USERID = 41009
MISSING_URL = 41010
MISSING_AGENTID = 41011
MISSING_TITLE = 41016
MISSING_TAGID = 41017
MISSING_DEPARTMENT = 41019
MISSING_DESCRIPTION = 41033
ACCESS_TOKEN_EXPIRED = 42001
EMPTY_MEDIA = 44001
EMPTY_TEXT_CONTENT = 44004
CONTENT_SIZE_OUT_OF_LIMIT = 45002
ARTICLE_COUNT_OUT_OF_LIMIT = 45008
MENU_NOT_SET = 46003
DATA_FORMAT_ERROR = 47001
USERID_NOT_FOUND = 60111
INVALID_DEPARTMENT_ID = 60123
ALL_RECIPIENTS_INVALID = 81013
INVALID_PARTY_LIST_SIZE = 82002
INVALID_TAG_LIST_SIZE = 82003
# STAND-IN: the recall docs [94867] say "only within 24 h" but name no errcode.
RECALL_EXPIRED = 301053
# STAND-IN: no documented code for an unknown/already recalled msgid; use the
# generic "invalid parameter" code.
INVALID_MSGID = INVALID_PARAMETER
# Not a WeCom code: answered (with HTTP 404) for paths the sandbox does not serve.
UNKNOWN_API = 404

ERRMSG: dict[int, str] = {
    OK: "ok",
    SYSTEM_BUSY: "system busy",
    INVALID_SECRET: "invalid credential",
    INVALID_USERID: "invalid userid",
    INVALID_MEDIA_TYPE: "invalid media type",
    INVALID_UPLOAD_TYPE: "invalid type",
    INVALID_MEDIA_ID: "invalid media_id",
    INVALID_MSGTYPE: "invalid message type",
    INVALID_CORPID: "invalid corpid",
    INVALID_ACCESS_TOKEN: "invalid access_token",
    INVALID_BUTTON_COUNT: "invalid button size",
    INVALID_BUTTON_TYPE: "invalid button type",
    INVALID_BUTTON_NAME: "invalid button name size",
    INVALID_BUTTON_KEY: "invalid button key size",
    INVALID_BUTTON_URL: "invalid button url size",
    INVALID_SUB_MENU_LEVEL: "invalid sub button level",
    INVALID_SUB_BUTTON_COUNT: "invalid sub button size",
    INVALID_SUB_BUTTON_TYPE: "invalid sub button type",
    INVALID_SUB_BUTTON_NAME: "invalid sub button name size",
    INVALID_SUB_BUTTON_KEY: "invalid sub button key size",
    INVALID_SUB_BUTTON_URL: "invalid sub button url size",
    INVALID_OAUTH_CODE: "invalid code",
    INVALID_USERID_LIST_SIZE: "invalid userid list size",
    INVALID_AGENTID: "invalid agentid",
    INVALID_PARAMETER: "invalid parameter",
    INVALID_TAGID: "invalid tagid",
    MISSING_ACCESS_TOKEN: "access_token missing",
    MISSING_CORPID: "corpid missing",
    MISSING_SECRET: "corpsecret missing",
    MISSING_MEDIA_ID: "media_id missing",
    MISSING_OAUTH_CODE: "code missing",
    MISSING_USERID: "userid missing",
    MISSING_URL: "url missing",
    MISSING_AGENTID: "agentid missing",
    MISSING_TITLE: "title missing",
    MISSING_TAGID: "tagid missing",
    MISSING_DEPARTMENT: "department missing",
    MISSING_DESCRIPTION: "description missing",
    ACCESS_TOKEN_EXPIRED: "access_token expired",
    EMPTY_MEDIA: "empty media data",
    EMPTY_TEXT_CONTENT: "empty content",
    CONTENT_SIZE_OUT_OF_LIMIT: "content size out of limit",
    ARTICLE_COUNT_OUT_OF_LIMIT: "article size out of limit",
    MENU_NOT_SET: "menu no exist",
    DATA_FORMAT_ERROR: "data format error",
    USERID_NOT_FOUND: "userid not found",
    INVALID_DEPARTMENT_ID: "invalid party id",
    ALL_RECIPIENTS_INVALID: "no privilege to access/modify contact/party/agent",
    INVALID_PARTY_LIST_SIZE: "invalid partyid list size",
    INVALID_TAG_LIST_SIZE: "invalid tagid list size",
    RECALL_EXPIRED: "msg can not be recalled after 24 hours (sandbox stand-in)",
    UNKNOWN_API: "api not served by the sandbox",
}


def error(errcode: int, errmsg: str | None = None) -> dict[str, Any]:
    """Build a WeCom-shaped `{"errcode", "errmsg"}` answer."""
    return {"errcode": errcode, "errmsg": errmsg or ERRMSG.get(errcode, "error")}


def ok(**fields: Any) -> dict[str, Any]:
    """Build a successful answer with extra fields after errcode/errmsg."""
    return {"errcode": OK, "errmsg": "ok", **fields}
