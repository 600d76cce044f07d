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

OUTAGES = (redis.ConnectionError, redis.TimeoutError, OperationalError, PoolTimeout)


def _plain(text: str, status: int) -> Response:
    return Response(text, status=status, mimetype="text/plain")


def _rollback() -> None:
    try:
        db.session.rollback()
    except Exception:  # the database may be the thing that is down
        log.debug("rollback after an error failed", exc_info=True)


def service_unavailable(error: Exception) -> Response:
    """PostgreSQL or Redis unreachable: 503 at once, so WeCom retries once they are back."""
    log.error("service unavailable: %s: %s", error.__class__.__name__, error)
    _rollback()
    return _plain("service unavailable", 503)


def handler_failed(error: Exception) -> Response | HTTPException:
    """A handler raised: its work was rolled back and its claim released; WeCom will retry."""
    if isinstance(error, HTTPException):
        return error
    log.exception("request failed; answering 500 so WeCom retries")
    _rollback()
    return _plain("handler failed", 500)


def init_app(app: Flask) -> None:
    """Register the handlers; the most specific class wins, so outages are 503."""
    for error in OUTAGES:
        app.register_error_handler(error, service_unavailable)
    app.register_error_handler(Exception, handler_failed)
