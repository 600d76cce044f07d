"""Structured logs: one JSON object per line with a request id per callback (or job), and
never a message body or a secret at INFO (handlers log kinds, ids and counts, not content)."""

from __future__ import annotations

import contextvars
import json
import logging
import secrets
import sys
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

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
