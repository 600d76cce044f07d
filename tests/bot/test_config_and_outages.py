"""Do bad settings stop start-up with one clear line, and outages answer 503 at once?"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from bot.config import SETTINGS, ConfigError, load_settings
from pioneer import create_app
from sandbox.simulator import FlaskTransport, MemberSimulator
from sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET
from tests.helpers import AES_KEY, ROOT, TOKEN

GOOD = {
    "WECOM_CORP_ID": SANDBOX_CORP_ID,
    "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID),
    "WECOM_SECRET": SANDBOX_SECRET,
    "WECOM_TOKEN": TOKEN,
    "WECOM_AES_KEY": AES_KEY,
    "SECRET_KEY": "k",
}


def test_good_settings_load():
    """Do the required settings plus defaults load, typed?"""
    config = load_settings(GOOD)
    assert config["WECOM_AGENT_ID"] == SANDBOX_AGENT_ID
    assert config["WECOM_MAX_CLOCK_SKEW"] == 300
    assert config["WECOM_API_BASE"] == "https://qyapi.weixin.qq.com/cgi-bin/"


@pytest.mark.parametrize("name", [s.name for s in SETTINGS if s.required])
def test_missing_setting_is_named(name):
    """Is each required setting, when missing, named in the error?"""
    with pytest.raises(ConfigError, match=name):
        load_settings({k: v for k, v in GOOD.items() if k != name})


@pytest.mark.parametrize(("name", "value"), [
    ("WECOM_AES_KEY", "short"),
    ("WECOM_AES_KEY", "!" * 43),
    ("WECOM_AGENT_ID", "abc"),
    ("WECOM_MAX_CLOCK_SKEW", "-5"),
    ("WECOM_API_BASE", "ftp://x"),
    ("DATABASE_URL", "not a url"),
    ("REDIS_URL", "localhost:6379"),
])
def test_malformed_setting_is_named(name, value):
    """Is a malformed setting named in the error?"""
    with pytest.raises(ConfigError, match=name):
        load_settings({**GOOD, name: value})


def test_wsgi_stops_with_one_line():
    """Does `import wsgi` without settings exit non-zero with one line naming the setting?"""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WECOM_", "SECRET_KEY"))}
    result = subprocess.run([sys.executable, "-c", "import wsgi"], env=env, capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert result.returncode != 0
    assert result.stderr.strip() == "Pioneer cannot start: WECOM_CORP_ID is not set"


def _outage_app(**config: str | None):
    app = create_app({**GOOD, "TESTING": True, "WECOM_API_BASE": "http://127.0.0.1:1/cgi-bin/",
                      **config})
    sim = MemberSimulator(FlaskTransport(app.test_client()), TOKEN, AES_KEY, SANDBOX_CORP_ID,
                          SANDBOX_AGENT_ID)
    return app, sim


def test_redis_down_is_503_fast(tmp_path):
    """With Redis unreachable, is a callback answered 503 within a second?"""
    _app, sim = _outage_app(DATABASE_URL=f"sqlite:///{tmp_path}/x.db",
                            REDIS_URL="redis://127.0.0.1:1/0")
    started = time.monotonic()
    delivery = sim.deliver(sim.inner("u1", "text", {"Content": "帮助", "MsgId": 1}), retries=0)
    assert delivery.statuses == [503]
    assert time.monotonic() - started < 1.5


def test_database_down_is_503_fast():
    """With PostgreSQL unreachable, is a callback answered 503 within a second?"""
    app, sim = _outage_app(DATABASE_URL="postgresql://postgres@127.0.0.1:1/test", REDIS_URL=None)
    started = time.monotonic()
    delivery = sim.deliver(sim.inner("u1", "text", {"Content": "帮助", "MsgId": 2}), retries=0)
    assert delivery.statuses == [503]
    assert time.monotonic() - started < 1.5
    with app.app_context():
        from bot.extensions import redis_store

        assert redis_store.client.get("pioneer:dedup:msg:2") is None  # claim released
