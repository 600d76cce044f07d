"""The callback endpoint: HTTP and crypto only; the dispatcher does the rest."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from bot import services
from bot.config import MAX_BODY_BYTES
from bot.crypto import CallbackError, bad_request
from bot.inbound import UnknownMessage, parse_inbound

log = logging.getLogger(__name__)
bp = Blueprint("wecom", __name__)

QUERY = ("msg_signature", "timestamp", "nonce")


def _plain(text: str, status: int) -> Response:
    return Response(text, status=status, mimetype="text/plain")


def _query(*names: str) -> list[str]:
    values = [request.args.get(name, "") for name in names]
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise bad_request("missing " + ", ".join(missing))
    return values


@bp.errorhandler(CallbackError)
def refuse(error: CallbackError) -> Response:
    """A refused callback: its status and a short reason, never a stack trace."""
    log.info("callback refused: %s", error)
    return _plain(error.reason, error.status)


@bp.get("/wecom/callback")
def verify_url() -> Response:
    """URL verification: answer the decrypted echostr as the bare body."""
    signature, timestamp, nonce, echostr = _query(*QUERY, "echostr")
    return _plain(services.crypto().verify_url(signature, timestamp, nonce, echostr), 200)


@bp.post("/wecom/callback")
def receive() -> Response:
    """A message or event: verify, decrypt, dispatch once, answer with the encrypted reply."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _plain("body too large", 413)
    signature, timestamp, nonce = _query(*QUERY)
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge:
        return _plain("body too large", 413)
    crypto = services.crypto()
    message = parse_inbound(crypto.open_envelope(body, signature, timestamp, nonce))
    if isinstance(message, UnknownMessage):
        log.warning("unknown message type %r from %s", message.msg_type, message.from_user)
    outcome = services.dispatcher().process(message)
    if outcome.reply is None:
        return _plain("", 200)
    return Response(crypto.seal(outcome.reply), status=200, mimetype="application/xml")
