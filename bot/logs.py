"""Structured logs: one JSON object per line with a request id per callback (or job), and
never a message body or a secret at INFO (handlers log kinds, ids and counts, not content).

Every answer also names its request id in the X-Request-Id header, and a console request its
viewer in the WSGI environ (USER_ENVIRON): gunicorn's access log (gunicorn.conf.py) prints
both, so an access line and the JSON lines of the same request share one id."""

from __future__ import annotations

import contextvars
import json
import logging
import secrets
import sys
from datetime import UTC, datetime
from urllib.parse import quote

from flask import Flask, Response, g, has_request_context, request

from bot.config import ConfigError


class LazyRequestId:
    """A callback's request id, made on first use (from the caller's X-Request-Id if plain)."""

    def __init__(self, given: str = "") -> None:
        self.given = given
        self.value = ""

    def __str__(self) -> str:
        if not self.value:
            self.value = plain_or_new(self.given)
        return self.value


REQUEST_ID: contextvars.ContextVar[str | LazyRequestId] = contextvars.ContextVar(
    "request_id", default="-")
HEADER = "X-Request-Id"
SAFE_ID = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
# The console viewer, for gunicorn's access log only (`%({pioneer.user}e)s`): an environ key,
# not a response header, so it never reaches the browser or a cache.
USER_ENVIRON = "pioneer.user"


def current_request_id() -> str:
    """The id of the request being handled (made on first use, so a request that logs
    nothing costs nothing), or of the job (REQUEST_ID), or "-"."""
    if has_request_context():
        if "request_id" not in g:
            g.request_id = new_request_id()
        return str(g.request_id)
    return str(REQUEST_ID.get())


class RequestIdFilter(logging.Filter):
    """Stamp every record with the request id of the callback (or job) being handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add `request_id` to the record; never drops it."""
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message (and exception)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "request_id": getattr(record, "request_id", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def new_request_id() -> str:
    """The request's X-Request-Id when it is short and plain, else a fresh random one."""
    return plain_or_new(request.headers.get(HEADER, ""))


def plain_or_new(given: str) -> str:
    """`given` when it is a short plain id, else a fresh random one."""
    if 0 < len(given) <= 64 and set(given) <= SAFE_ID:
        return given
    return secrets.token_hex(8)


def stamp_response(response: Response) -> Response:
    """Name the request id in the answer (X-Request-Id), for the client and the access log."""
    response.headers[HEADER] = current_request_id()
    return response


def note_user(actor: str) -> None:
    """Name this request's console user (audit form: userid or console:<name>) for the access
    log; percent-encoded, so a space or quote in a name cannot shift the line's fields."""
    request.environ[USER_ENVIRON] = quote(actor, safe="@:._-") or "-"


def init_app(app: Flask) -> None:
    """Every Flask answer carries its X-Request-Id (the callback endpoint sets its own)."""
    app.after_request(stamp_response)


def configure(app: Flask, install: bool = True) -> None:
    """Log JSON lines (LOG_FORMAT=json, the default; `text` for people) at
    LOG_LEVEL (INFO), each stamped with its request's id (the caller's X-Request-Id when
    given, as from a load balancer) or its job's."""
    level = str(app.config.get("LOG_LEVEL", "INFO")).upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {level!r}")
    log_format = str(app.config.get("LOG_FORMAT", "json")).lower()
    if log_format not in ("json", "text"):
        raise ConfigError(f"LOG_FORMAT must be json or text, got {log_format!r}")
    root = logging.getLogger()
    if install and not getattr(root, "_pioneer_configured", False):
        handler = logging.StreamHandler(sys.stderr)
        handler.addFilter(RequestIdFilter())
        if log_format == "text":
            handler.setFormatter(logging.Formatter(
                "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
        else:
            handler.setFormatter(JsonFormatter())
        root.handlers = [handler]
        root.setLevel(level)
        root._pioneer_configured = True  # type: ignore[attr-defined]
