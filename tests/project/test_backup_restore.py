"""Backup and restore, tested once: pg_dump the database, restore it into an empty one, and the
restored copy passes the smoke checks (schema at head, same rows, the bot answers from it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from sqlalchemy import create_engine, text

from bot import doctor
from pioneer import create_app
from tests.helpers import written

pytestmark = pytest.mark.skipif(
    not os.environ.get("PIONEER_TEST_DATABASE_URL") or not shutil.which("pg_dump"),
    reason="needs PostgreSQL (PIONEER_TEST_DATABASE_URL) and pg_dump/pg_restore")


def _pg_env(url: str) -> tuple[dict[str, str], str]:
    parts = urlsplit(url)
    env = {**os.environ, "PGHOST": parts.hostname or "127.0.0.1",
           "PGPORT": str(parts.port or 5432), "PGUSER": parts.username or "postgres"}
    if parts.password:
        env["PGPASSWORD"] = parts.password
    return env, parts.path.lstrip("/")


def test_dump_and_restore_into_an_empty_database(app: Flask, make_member: Any, send_text: Any,
                                                 tmp_path: Path) -> None:
    if app.config["TEST_BACKEND"] != "services":
        pytest.skip("pg_dump needs the PostgreSQL backend")
    member = make_member("backup1", "张备份")
    assert "先锋学习助手" in send_text(member, "帮助").text
    send_text(member, "写心得")  # handled-message rows and a conversation ...
    send_text(member, "取消")  # ... ended before the dump
    before = written(app)
    url = app.config["DATABASE_URL"]
    env, source = _pg_env(url)
    dump = tmp_path / "pioneer.dump"
    target = f"pioneer_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), source], env=env, check=True)
    subprocess.run(["createdb", target], env=env, check=True)
    try:
        subprocess.run(["pg_restore", "--no-owner", "-d", target, str(dump)], env=env,
                       check=True)
        restored_url = url.rsplit("/", 1)[0] + "/" + target
        restored = create_app({**{k: app.config[k] for k in (
            "WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_SECRET", "WECOM_TOKEN", "WECOM_AES_KEY",
            "WECOM_API_BASE", "SECRET_KEY", "REDIS_URL")}, "TESTING": True, "RQ_INLINE": True,
            "DATABASE_URL": restored_url})
        with restored.app_context():
            assert doctor.check_database(restored).status == "ok"  # schema at head
            after = written(restored)
            assert {k: v for k, v in after.items() if k != "redis_keys"} == \
                {k: v for k, v in before.items() if k != "redis_keys"}
        from sandbox.simulator import FlaskTransport, MemberSimulator
        from tests.helpers import AES_KEY, TOKEN
        sim = MemberSimulator(FlaskTransport(restored.test_client()), TOKEN, AES_KEY,
                              app.config["WECOM_CORP_ID"], int(app.config["WECOM_AGENT_ID"]))
        assert "张备份" in sim.text("backup1", "我的信息").text
        with restored.app_context():
            from models import db
            db.session.remove()
            db.engine.dispose()
    finally:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"),
                               isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)'))
        engine.dispose()
