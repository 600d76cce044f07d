"""The webhook benchmark's state: its database, Redis db 14 and the apps' environment."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

import psycopg
import redis

from bot import keys
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET

REPO = Path(__file__).resolve().parent.parent

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DB_NAME = "pioneer_bench"  # owned by the benchmark: dropped and recreated every round
DB_URL = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = "redis://127.0.0.1:6379/14"  # owned by the benchmark: flushed every round
TOKEN = "pioneer-bench-token"
AES_KEY = base64.b64encode(b"pioneer-bench-aes-key-32-bytes!!").decode()[:43]
# Signatures and AES are checked in full; only the age limit is wide, so callbacks
# generated before the run stay valid for all of it (the check costs the same either way).
MAX_CLOCK_SKEW = 86400


def bench_env(api_base: str) -> dict[str, str]:
    """The environment both apps (and the flask commands) run with."""
    env = dict(os.environ)
    env.update({
        "WECOM_CORP_ID": SANDBOX_CORP_ID,
        "WECOM_SECRET": SANDBOX_SECRET,
        "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID),
        "WECOM_TOKEN": TOKEN,
        "WECOM_AES_KEY": AES_KEY,
        "WECOM_API_BASE": api_base,
        "WECOM_MAX_CLOCK_SKEW": str(MAX_CLOCK_SKEW),
        "DATABASE_URL": DB_URL,
        "REDIS_URL": REDIS_URL,
        "SECRET_KEY": "pioneer-bench-secret-key",
        "PYTHONWARNINGS": "ignore::DeprecationWarning",
    })
    env.pop("FLASK_APP", None)
    return env


def fresh_state(env: dict[str, str], log: Path) -> None:
    """Recreate the bench database, migrate and seed it, and flush Redis db 14."""
    with psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    redis.Redis.from_url(REDIS_URL, socket_timeout=3).flushdb()
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["db", "upgrade"], ["demo", "seed"]):
        with log.open("ab") as out:
            done = subprocess.run([*flask, *command], cwd=REPO, env=env, stdout=out,
                                  stderr=subprocess.STDOUT, check=False)
        if done.returncode:
            last = log.read_text(errors="replace").strip().splitlines()[-1:] or [""]
            raise RuntimeError(f"flask {' '.join(command)} failed: {last[0]} (log: {log})")


COUNT_DONE = """
local n = 0
for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
  local value = redis.call('GET', key)
  if value and string.sub(value, 1, 5) == 'done:' then n = n + 1 end
end
return n
"""


def settle() -> None:
    """VACUUM (ANALYZE) the bench database and CHECKPOINT, as on any database in use."""
    # The bot's round starts seconds after its tables were filled (the demo seed and the
    # opened conversations), before autovacuum's first look: without statistics the planner
    # may take `ix_reflections_status` over the primary key for `WHERE id = :draft AND status
    # = 'draft'` and read every draft per message, and autovacuum's first pass over the new
    # tables and the checkpoint writing the seed's dirty pages would otherwise run inside the
    # measured windows that follow.
    with psycopg.connect(DB_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute("VACUUM (ANALYZE)")
        conn.execute("CHECKPOINT")


def handled_messages() -> int:
    """How many messages the bot marked done (its dedup claims in Redis db 14)."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=30)
    return int(client.eval(COUNT_DONE, 0, f"{keys.PREFIX}:dedup:*"))


def processed_rows(floor: bool) -> int:
    """Rows in the bench database's processed_messages written by the floor (`floor`) or by
    everything else: the bot, its seed and the opened conversations."""
    match = "LIKE" if floor else "NOT LIKE"
    with psycopg.connect(DB_URL, connect_timeout=3) as conn:
        row = conn.execute(  # the floor's keys are "floor:<MsgId>" (bench/ceiling.py)
            f"SELECT count(*) FROM processed_messages WHERE key {match} 'floor:%'").fetchone()
    return int(row[0]) if row else 0


def empty_processed() -> None:
    """Empty processed_messages, so the floor alone (`--app floor`) INSERTs into an empty
    table every round."""
    with psycopg.connect(DB_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute("TRUNCATE processed_messages")
