"""App-wide error answers: 503 when PostgreSQL or Redis is gone, 500 for a failed handler.

Both are short plain-text answers with no stack trace; WeCom retries on anything but 200.
"""

from __future__ import annotations

import logging

import redis
from flask import Flask, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from models import db

log = logging.getLogger(__name__)

TEXT = "text/plain; charset=utf-8"
OUTAGES = (redis.ConnectionError, redis.TimeoutError, OperationalError, PoolTimeout)


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the database may be the thing that is down
        log.debug("rollback after an error failed", exc_info=True)


def outage(error: Exception) -> tuple[int, str, str]:
    """PostgreSQL or Redis unreachable: 503 at once, so WeCom retries once they are back."""
    log.error("service unavailable: %s: %s", error.__class__.__name__, error)
    _rollback()
    return 503, TEXT, "service unavailable"


def failure() -> tuple[int, str, str]:
    """A handler raised (call inside `except`): its work rolled back, its claim released; 500
    so WeCom retries."""
    log.exception("request failed; answering 500 so WeCom retries")
    _rollback()
    return 500, TEXT, "handler failed"


def service_unavailable(error: Exception) -> Response:
    """Flask's handler for an outage: `outage` as a response."""
    status, mimetype, text = outage(error)
    return Response(text, status=status, content_type=mimetype)


def handler_failed(error: Exception) -> Response | HTTPException:
    """Flask's handler for any other error: `failure` as a response (HTTP errors pass)."""
    if isinstance(error, HTTPException):
        return error
    status, mimetype, text = failure()
    return Response(text, status=status, content_type=mimetype)


def init_app(app: Flask) -> None:
    """Register the handlers; the most specific class wins, so outages are 503."""
    for error in OUTAGES:
        app.register_error_handler(error, service_unavailable)
    app.register_error_handler(Exception, handler_failed)
