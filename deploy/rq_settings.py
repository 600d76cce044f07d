"""RQ's settings for Pioneer's workers and `rq cron`, read as the app reads its own.

    rq worker -c deploy.rq_settings --with-scheduler --worker-class rq.worker.SimpleWorker pioneer
    rq cron -c deploy.rq_settings pioneer/cron.py

Run from the repository root (RQ imports this module from its default path, the current
directory). REDIS_URL comes from the environment or `.env` (bot.config.load_env_file, the one
reader of `.env`), so no `--url $REDIS_URL` is expanded by a shell that never read `.env`.
"""

import os
import sys

from bot.config import load_env_file

_path = load_env_file()
REDIS_URL = (os.environ.get("REDIS_URL") or "").strip()
if not REDIS_URL:
    sys.exit(f"Pioneer's RQ processes cannot start: REDIS_URL is not set (neither in the "
             f"environment nor in {_path}); set it to redis://…")
if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    sys.exit(f"Pioneer's RQ processes cannot start: REDIS_URL must start with redis://, "
             f"rediss:// or unix://, got {REDIS_URL!r}")
