"""The RQ processes read REDIS_URL from `.env` (deploy/rq_settings.py), so no shell expands an
empty `--url $REDIS_URL`; the doctor sees the worker and the `rq cron` ticks; SIGTERM is a warm
shutdown. Needs a Redis server (PIONEER_TEST_REDIS_URL, as .ci/run sets)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import redis
from flask import Flask

from bot import doctor
from pioneer import create_app
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET
from tests.deploy.deploy_helpers import SETTING_NAMES, stop
from tests.helpers import AES_KEY, ROOT, TOKEN

REDIS = os.environ.get("PIONEER_TEST_REDIS_URL")
RQ = Path(sys.executable).with_name("rq")
NEEDS_REDIS = pytest.mark.skipif(not REDIS, reason="needs a Redis server: PIONEER_TEST_REDIS_URL")


def _redis_url() -> str:
    """A Redis db of its own (db 9), emptied."""
    assert REDIS is not None
    url = REDIS.rsplit("/", 1)[0] + "/9"
    redis.Redis.from_url(url).flushdb()
    return url


def _env(tmp_path: Path, url: str) -> dict[str, str]:
    """An environment without REDIS_URL, naming a `.env` file that has it."""
    env_file = tmp_path / "pioneer.env"
    env_file.write_text(f"REDIS_URL={url}\n")
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["PIONEER_ENV_FILE"] = str(env_file)
    return env


def _app(url: str) -> Flask:
    return create_app({"WECOM_CORP_ID": SANDBOX_CORP_ID, "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID),
                       "WECOM_SECRET": SANDBOX_SECRET, "WECOM_TOKEN": TOKEN,
                       "WECOM_AES_KEY": AES_KEY, "SECRET_KEY": "x", "REDIS_URL": url,
                       "DATABASE_URL": "sqlite://", "TESTING": True})


def _until(check: Callable[[], doctor.Check], app: Flask, timeout: float = 15) -> doctor.Check:
    deadline = time.monotonic() + timeout
    with app.app_context():
        while True:
            result = check(app)
            if result.status == "ok" or time.monotonic() > deadline:
                return result
            time.sleep(0.2)


@NEEDS_REDIS
def test_worker_and_cron_read_the_env_file_and_the_doctor_sees_them(tmp_path: Path) -> None:
    if not RQ.exists():
        pytest.skip(f"rq is not installed beside {sys.executable}")
    url = _redis_url()
    env = _env(tmp_path, url)
    app = _app(url)
    with app.app_context():
        assert doctor.check_ticks(app).status == "fail"
        assert "rq cron -c deploy.rq_settings pioneer/cron.py" in doctor.check_ticks(app).message
        assert "rq.worker.SimpleWorker" in doctor.check_workers(app).message
    logs = tmp_path / "rq.log"
    with logs.open("wb") as out:
        worker = subprocess.Popen(
            [str(RQ), "worker", "-c", "deploy.rq_settings", "--with-scheduler", "--worker-class",
             "rq.worker.SimpleWorker", "pioneer"], cwd=ROOT, env=env, stdout=out,
            stderr=subprocess.STDOUT, start_new_session=True)
        cron = subprocess.Popen([str(RQ), "cron", "-c", "deploy.rq_settings", "pioneer/cron.py"],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        ticks = _until(doctor.check_ticks, app)
        assert ticks.status == "ok", (ticks, logs.read_text()[-2000:])
        workers = _until(doctor.check_workers, app)
        assert workers.status == "ok", (workers, logs.read_text()[-2000:])
        os.killpg(worker.pid, signal.SIGTERM)  # warm shutdown: exits 0 once idle
        assert worker.wait(20) == 0, logs.read_text()[-2000:]
        os.killpg(cron.pid, signal.SIGTERM)
        cron.wait(20)
        assert _until(doctor.check_ticks, app, timeout=0).status == "fail"
    finally:
        stop(worker)
        stop(cron)


def test_no_redis_url_stops_with_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env["PIONEER_ENV_FILE"] = str(tmp_path / "empty.env")
    result = subprocess.run([sys.executable, "-c", "import deploy.rq_settings"], cwd=ROOT,
                            env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("REDIS_URL is not set (neither in the environment "
                                          f"nor in {tmp_path / 'empty.env'}); set it to redis://…")
