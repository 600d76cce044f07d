"""The callback endpoint: HTTP and crypto only; the pipeline does the rest.

It is a bare WSGI layer in front of Flask: `/wecom/callback` is answered inside an app context
(what the pipeline and handlers use: the database session, Redis, settings) without Flask's
request machinery (URL matching, session cookie, request object, before/after-request hooks),
which is a third of the CPU of a read-only answer such as 帮助. Every other path goes on to
Flask. Errors are answered as the app's own error handlers would (bot/errors.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote_plus

from flask import Flask
from werkzeug.http import HTTP_STATUS_CODES

from bot import errors, logs, services
from bot.config import MAX_BODY_BYTES
from bot.crypto import CallbackError, bad_request
from bot.inbound import UnknownMessage, parse_inbound

log = logging.getLogger(__name__)

PATH = "/wecom/callback"
QUERY = ("msg_signature", "timestamp", "nonce")
TEXT = errors.TEXT
XML = "application/xml; charset=utf-8"
Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]


class Answer(Exception):
    """A short plain-text answer with its status, raised from anywhere in the endpoint."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


def _query(environ: Environ, *names: str) -> list[str]:
    """The named query parameters, read as `dict(parse_qsl(..., keep_blank_values=True))`
    reads them (the last of a repeated name wins), 400 when one is missing or empty; WeCom's
    three are plain, so only a pair with % or + is decoded."""
    given: dict[str, str] = {}
    for pair in environ.get("QUERY_STRING", "").split("&"):
        name, _, value = pair.partition("=")
        if "%" in pair or "+" in pair:
            name, value = unquote_plus(name), unquote_plus(value)
        given[name] = value
    values = [given.get(name, "") for name in names]
    missing = [name for name, value in zip(names, values, strict=True) if not value]
    if missing:
        raise bad_request("missing " + ", ".join(missing))
    return values


def _body(environ: Environ) -> bytes:
    """The request body, at most MAX_BODY_BYTES (413 beyond)."""
    length = environ.get("CONTENT_LENGTH") or ""
    stream = environ["wsgi.input"]
    if length:
        if not length.isdecimal():
            raise bad_request("bad content length")
        if int(length) > MAX_BODY_BYTES:
            raise Answer(413, "body too large")
        return stream.read(int(length))
    if not environ.get("wsgi.input_terminated"):  # no length and no chunked end: no body
        return b""
    body = stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise Answer(413, "body too large")
    return body


def verify_url(environ: Environ) -> tuple[int, str, str]:
    """URL verification (GET): answer the decrypted echostr as the bare body."""
    signature, timestamp, nonce, echostr = _query(environ, *QUERY, "echostr")
    return 200, TEXT, services.crypto().verify_url(signature, timestamp, nonce, echostr)


def receive(environ: Environ) -> tuple[int, str, str]:
    """A message or event (POST): verify, decrypt, process once, answer the sealed reply."""
    signature, timestamp, nonce = _query(environ, *QUERY)
    body = _body(environ)
    crypto = services.crypto()
    message = parse_inbound(crypto.open_envelope(body, signature, timestamp, nonce))
    if isinstance(message, UnknownMessage):
        log.warning("unknown message type %r from %s", message.msg_type, message.from_user)
    result = services.pipeline().process(message)
    if result.reply is None:
        return 200, TEXT, ""
    return 200, XML, crypto.seal(result.reply)


ROUTES = {"GET": verify_url, "HEAD": verify_url, "POST": receive}


class CallbackEndpoint:
    """WSGI: /wecom/callback answered here in an app context; every other path by `inner`."""

    def __init__(self, app: Flask, inner: WsgiApp) -> None:
        self.app = app
        self.inner = inner

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        """Answer a callback, or hand the request on to Flask."""
        if environ.get("PATH_INFO") != PATH:
            return self.inner(environ, start_response)
        route = ROUTES.get(environ.get("REQUEST_METHOD", ""))
        request_id = logs.LazyRequestId(environ.get("HTTP_X_REQUEST_ID", ""))
        token = logs.REQUEST_ID.set(request_id)
        try:
            if route is None:
                status, mimetype, text = 405, TEXT, "method not allowed"
            else:
                with self.app.app_context():
                    status, mimetype, text = self._answer(route, environ)
        finally:
            logs.REQUEST_ID.reset(token)
        body = b"" if environ.get("REQUEST_METHOD") == "HEAD" else text.encode()
        headers = [("Content-Type", mimetype), ("Content-Length", str(len(body))),
                   (logs.HEADER, str(request_id))]  # the access log's id (gunicorn.conf.py)
        if route is None:
            headers.append(("Allow", ", ".join(ROUTES)))
        start_response(f"{status} {HTTP_STATUS_CODES[status]}", headers)
        return [body]

    @staticmethod
    def _answer(route: Callable[[Environ], tuple[int, str, str]],
                environ: Environ) -> tuple[int, str, str]:
        try:
            return route(environ)
        except CallbackError as error:
            log.info("callback refused: %s", error)
            return error.status, TEXT, error.reason
        except Answer as answer:
            return answer.status, TEXT, answer.text
        except errors.OUTAGES as error:
            return errors.outage(error)
        except Exception:
            return errors.failure()


def init_app(app: Flask) -> None:
    """Put the callback endpoint in front of the app's own WSGI handling."""
    app.wsgi_app = CallbackEndpoint(app, app.wsgi_app)  # type: ignore[method-assign]
