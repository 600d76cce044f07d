"""gunicorn settings for Pioneer (the WeCom callback and the console).

    gunicorn -c gunicorn.conf.py wsgi:app

Sync workers, two per core: the work is CPU-bound, but each 帮助 waits twice on Redis
(the dedup claim, then the "done" mark) and gunicorn waits for the client to close after each
answer; a third and fourth worker per two cores fill those waits. Measured on the 2-core
bench machine (bench/README.md, "Why sync -w 4"): `sync -w 4` answered the most callbacks
with the lowest p99; gthread with keep-alive piles a client's connections onto one worker.
Sync workers belong behind a buffering reverse proxy (nginx): a slow client holds a worker.
Environment: WEB_CONCURRENCY (workers), PIONEER_BIND (default 127.0.0.1:8000, for the proxy).
Command-line flags override everything here (the benchmarks pass their own).
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("PIONEER_BIND", "127.0.0.1:8000")
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count())
backlog = 2048  # a burst after a broadcast: members tapping the same button at once
timeout = 30  # WeCom gives up after 5 s; a worker stuck this long is restarted
