"""The ceiling: the smallest Flask + wechatpy app that verifies, decrypts and answers a callback.

Served by the same gunicorn settings as the bot, it is the most our stack (gunicorn, Flask,
wechatpy) can do per second on this machine; the bot's figures are read against it.
Settings come from the same environment as the bot: WECOM_TOKEN, WECOM_AES_KEY, WECOM_CORP_ID.
"""

from __future__ import annotations

import os

from flask import Flask, Response, request
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.exceptions import WeChatException

REPLY_TEXT = "ceiling: 收到"
crypto = WeChatCrypto(
    os.environ["WECOM_TOKEN"], os.environ["WECOM_AES_KEY"], os.environ["WECOM_CORP_ID"]
)
REPLY = (
    "<xml><ToUserName><![CDATA[member]]></ToUserName>"
    f"<FromUserName><![CDATA[{os.environ['WECOM_CORP_ID']}]]></FromUserName>"
    "<CreateTime>0</CreateTime><MsgType><![CDATA[text]]></MsgType>"
    f"<Content><![CDATA[{REPLY_TEXT}]]></Content></xml>"
)
app = Flask(__name__)


@app.post("/wecom/callback")
def callback() -> Response:
    """Verify the signature, decrypt the envelope, answer a fixed encrypted text reply."""
    args = request.args
    try:
        crypto.decrypt_message(
            request.get_data(), args["msg_signature"], args["timestamp"], args["nonce"]
        )
    except (KeyError, ValueError, WeChatException):
        return Response("refused", status=403, mimetype="text/plain")
    body = crypto.encrypt_message(REPLY, args["nonce"])
    return Response(body, mimetype="application/xml")
