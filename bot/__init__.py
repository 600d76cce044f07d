"""Pioneer's machinery: the WeCom callback, crypto, client, router and conversations, jobs,
logs and config — everything that knows no feature. Where the repository lives: ROOT."""

import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIGRATIONS_DIR = os.path.join(ROOT, "migrations")
