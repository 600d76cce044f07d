"""The ceiling: the smallest Flask + wechatpy app that verifies, decrypts and answers a callback.

Served by the same gunicorn settings as the bot, it is the most our stack (gunicorn, Flask,
wechatpy) can do per second on this machine; the bot's figures are read against it.
Settings come from the same environment as the bot: WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable

import psycopg
from flask import Flask, Response, request
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import WeChatException

# CEILING_REPLY_TEXT: the text to answer; bench/webhook.py gives it the bot's own reply to the
# mode's callback, so both apps encrypt, sign and send replies of one size (帮助's is ~3.5x
# the short default's). Unset: the short fixed reply.
REPLY_TEXT = os.environ.get("CEILING_REPLY_TEXT") or "ceiling: 收到"
crypto = WeChatCrypto(
    os.environ["WECOM_TOKEN"], os.environ["WECOM_AES_KEY"], os.environ["WECOM_CORP_ID"]
)
REPLY = (
    "<xml><ToUserName><![CDATA[member]]></ToUserName>"
    f"<FromUserName><![CDATA[{os.environ['WECOM_CORP_ID']}]]></FromUserName>"
    "<CreateTime>0</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    f"<Content><![CDATA[{REPLY_TEXT.replace(']]>', ']]]]><![CDATA[>')}]]></Content></xml>"
)
app = Flask(__name__)


def _answer(then: Callable[[str], None] | None = None) -> Response:
    """Verify the signature, decrypt the envelope, run `then` on the inner XML, answer a fixed
    encrypted text reply."""
    args = request.args
    try:
        inner = crypto.decrypt_message(
            request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"]
        )
    except (KeyError, ValueError, WeChatException):
        return Response("refused", status=403, mimetype="text/plain")
    if then is not None:
        then(inner)
    body = crypto.encrypt_message(REPLY, args["nonce"])
    return Response(body, mimetype="application/xml")


@app.post("/wecom/callback")
def callback() -> Response:
    """The ceiling: verify, decrypt, answer."""
    return _answer()


# -- the floor of a durable write ----------------------------------------------------------
# The least any exactly-once write can cost: the ceiling plus ONE autocommitted INSERT of the
# message's key (unique) into processed_messages on PostgreSQL, over psycopg without an ORM.
# `bench/run --mode write --app floor` measures it against the ceiling, so the bot's write
# path can be read against what one durable round trip per message allows on this machine.
MSG_ID = re.compile(rb"<MsgId>(\d+)</MsgId>")
FLOOR_INSERT = ("INSERT INTO processed_messages (key, userid, kind, handled_at) "
                "VALUES (%s, 'floor', 'text', now())")
floor = Flask("floor")
_floor_db: list[psycopg.Connection] = []


def _floor_connection() -> psycopg.Connection:
    """This worker's own autocommit connection (made after gunicorn forks)."""
    if not _floor_db:
        url = os.environ["DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
        _floor_db.append(psycopg.connect(url, autocommit=True))
    return _floor_db[0]


def _record(inner: str) -> None:
    """INSERT the message key once (durable: autocommit)."""
    found = MSG_ID.search(inner.encode())
    if found:
        _floor_connection().execute(FLOOR_INSERT, (f"floor:{found[1].decode()}",))


@floor.post("/wecom/callback")
def floor_callback() -> Response:
    """The floor: verify, decrypt, INSERT the message key once, answer."""
    return _answer(_record)
