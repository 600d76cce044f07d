"""What the in-process benchmarks share: a fresh PostgreSQL database and an app on it."""

from __future__ import annotations

import base64
import os
import platform
import time
from typing import Any

import psycopg
from flask import Flask
from flask_migrate import upgrade

from pioneer import create_app
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
AES_KEY = base64.b64encode(b"pioneer-bench-aes-key-32-bytes!!").decode()[:43]


def recreate_database(name: str) -> str:
    """Drop and create a benchmark database; return its URL."""
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def bench_app(api_base: str, database_url: str, redis_url: str, **extra: Any) -> Flask:
    """The app on the benchmark database, Redis db and sandbox, schema migrated."""
    app = create_app({
        "WECOM_CORP_ID": SANDBOX_CORP_ID, "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID),
        "WECOM_SECRET": SANDBOX_SECRET, "WECOM_TOKEN": "bench", "WECOM_AES_KEY": AES_KEY,
        "WECOM_API_BASE": api_base, "SECRET_KEY": "bench", "DATABASE_URL": database_url,
        "REDIS_URL": redis_url, **extra,
    })
    with app.app_context():
        upgrade()
    return app


def machine_line(title: str) -> str:
    """A heading line naming the benchmark, the machine and the time."""
    return (f"{title} — {platform.node()} ({os.cpu_count()} cores), "
            + time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
