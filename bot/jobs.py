"""RQ jobs. Each runs inside the Flask app (the current one inline, a cached one in a worker)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, current_app, has_app_context
from rq import Retry

from bot import delivery, keys
from bot.delivery import stale_pending
from bot.extensions import jobs, redis_store
from bot.logs import REQUEST_ID
from bot.services import wecom_client

log = logging.getLogger(__name__)

RETRY = Retry(max=5, interval=[10, 30, 60, 120, 300])
_worker_app: Flask | None = None
WORKER_APP = "pioneer:create_app"  # docs/architecture.md: the one name of the top layer here


def worker_app_factory() -> Callable[[], Flask]:
    """The composed app's factory, found by name (as gunicorn finds `wsgi:app`): a worker
    runs jobs of every feature, and the machinery may not import what composes them."""
    module, _, attribute = WORKER_APP.partition(":")
    return getattr(importlib.import_module(module), attribute)


@contextmanager
def app_context() -> Iterator[Flask]:
    """The current app when there is one (inline jobs), else one app per worker process."""
    global _worker_app
    if has_app_context():
        yield current_app._get_current_object()  # type: ignore[attr-defined]
        return
    if _worker_app is None:
        _worker_app = worker_app_factory()()
    from rq import get_current_job

    job = get_current_job()
    token = REQUEST_ID.set(f"job-{job.id[:12]}" if job else "-")
    try:
        with _worker_app.app_context():
            yield _worker_app
    finally:
        REQUEST_ID.reset(token)


def deliver_outbound(outbound_id: int) -> str:
    """Send one outbound message (see bot.delivery.deliver)."""
    with app_context():
        row = delivery.deliver(wecom_client(), outbound_id)
        return row.status if row else "missing"


def enqueue_deliveries(ids: list[int]) -> None:
    """Queue a delivery job for each outbound message."""
    for outbound_id in ids:
        run_or_enqueue(jobs.queue.enqueue, deliver_outbound, outbound_id)


def run_or_enqueue(enqueue: Callable[..., Any], func: Callable[..., Any], *args: Any) -> None:
    """Enqueue with retries; an inline job that fails is logged, never raised to the caller."""
    try:
        enqueue(func, *args, retry=RETRY)
    except Exception:
        log.exception("job %s%s failed", func.__name__, args)


def run_tick(name: str, lock_s: int, work: Callable[[], int]) -> int:
    """Run a cron tick's work inside the app, unless a tick of that name is still running."""
    with app_context():
        lock = keys.cron_lock(name)
        if not redis_store.client.set(lock, "1", nx=True, ex=lock_s):
            log.info("%s already running; this tick does nothing", name)
            return 0
        try:
            return work()
        finally:
            redis_store.client.delete(lock)


def sweep_outbound() -> int:
    """Cron tick: re-enqueue pending outbound messages whose job died; one tick at a time."""
    def work() -> int:
        ids = stale_pending()
        enqueue_deliveries(ids)
        return len(ids)

    return run_tick("sweep_outbound", 55, work)
