"""Settings: read from the environment (and `.env`), checked once at start-up.

`load_env_file` is the one reader of `.env`: the app, gunicorn.conf.py and the RQ settings of
deploy/rq_settings.py (workers and `rq cron`) all call it, so they see the same values."""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dotenv import load_dotenv

import clock
from bot import ROOT

DEFAULT_API_BASE = "https://qyapi.weixin.qq.com/cgi-bin/"
DEFAULT_OAUTH_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
DEFAULT_WEB_LOGIN_URL = "https://login.work.weixin.qq.com/wwlogin/sso/login"  # console QR login
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"  # where members' browsers reach Pioneer
MAX_BODY_BYTES = 64 * 1024
ENV_FILE = os.path.join(ROOT, ".env")  # PIONEER_ENV_FILE names another
MAX_PROXY_HOPS = 5


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names it."""


@dataclass(frozen=True)
class Setting:
    """One environment setting: its name, whether production needs it, and a default."""

    name: str
    required: bool = True
    default: str | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("WECOM_CORP_ID"),
    Setting("WECOM_AGENT_ID"),
    Setting("WECOM_SECRET"),
    Setting("WECOM_TOKEN"),
    Setting("WECOM_AES_KEY"),
    Setting("WECOM_API_BASE", required=False, default=DEFAULT_API_BASE),
    Setting("WECOM_MAX_CLOCK_SKEW", required=False, default="300"),
    Setting("DATABASE_URL", required=False),
    Setting("REDIS_URL", required=False),
    Setting("SECRET_KEY"),
    Setting("PUBLIC_URL", required=False, default=DEFAULT_PUBLIC_URL),
    Setting("WECOM_OAUTH_URL", required=False, default=DEFAULT_OAUTH_URL),
    Setting("WECOM_WEB_LOGIN_URL", required=False, default=DEFAULT_WEB_LOGIN_URL),
    Setting("COMMITTEE_TIMEZONE", required=False, default=clock.DEFAULT_ZONE),
    # Reverse proxies in front of gunicorn whose X-Forwarded-For/-Proto are trusted (Werkzeug's
    # ProxyFix): 1 behind the shipped nginx, 0 (off) when clients reach gunicorn directly.
    Setting("PROXY_HOPS", required=False, default="0"),
)


def env_file_path(environ: Mapping[str, str] | None = None) -> str:
    """The `.env` file read: PIONEER_ENV_FILE when set, else `.env` in the repository root."""
    env = os.environ if environ is None else environ
    return (env.get("PIONEER_ENV_FILE") or "").strip() or ENV_FILE


def load_env_file() -> str:
    """Add the settings of the `.env` file to the environment (the environment wins); its path."""
    path = env_file_path()
    load_dotenv(path, override=False)
    return path


def check_aes_key(value: str) -> bytes:
    """Return the 32-byte AES key of a 43-character EncodingAESKey, or raise ConfigError."""
    if len(value) != 43:
        raise ConfigError("WECOM_AES_KEY must be the 43-character EncodingAESKey")
    try:
        key = base64.b64decode(value + "=", validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ConfigError("WECOM_AES_KEY is not valid base64") from exc
    if len(key) != 32:
        raise ConfigError("WECOM_AES_KEY does not decode to 32 bytes")
    return key


def _int_setting(name: str, value: str, minimum: int = 0) -> int:
    try:
        number = int(value)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {value!r}") from exc
    if number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {number}")
    return number


def load_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Read every setting from the environment, check it, and return Flask config values."""
    env = os.environ if environ is None else environ
    raw: dict[str, str | None] = {}
    for setting in SETTINGS:
        value = (env.get(setting.name) or "").strip() or setting.default
        if setting.required and not value:
            raise ConfigError(f"{setting.name} is not set")
        raw[setting.name] = value
    return normalise(raw)


def normalise(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check and convert raw setting values into typed Flask config values."""
    config: dict[str, Any] = dict(raw)
    check_aes_key(str(raw["WECOM_AES_KEY"]))
    config["WECOM_AGENT_ID"] = _int_setting("WECOM_AGENT_ID", str(raw["WECOM_AGENT_ID"]))
    config["WECOM_MAX_CLOCK_SKEW"] = _int_setting(
        "WECOM_MAX_CLOCK_SKEW", str(raw.get("WECOM_MAX_CLOCK_SKEW") or "300")
    )
    base = str(raw.get("WECOM_API_BASE") or DEFAULT_API_BASE)
    if not base.startswith(("http://", "https://")):
        raise ConfigError(f"WECOM_API_BASE must be an http(s) URL, got {base!r}")
    config["WECOM_API_BASE"] = base if base.endswith("/") else base + "/"
    for name, default in (("PUBLIC_URL", DEFAULT_PUBLIC_URL),
                          ("WECOM_OAUTH_URL", DEFAULT_OAUTH_URL),
                          ("WECOM_WEB_LOGIN_URL", DEFAULT_WEB_LOGIN_URL)):
        value = str(raw.get(name) or default)
        if not value.startswith(("http://", "https://")):
            raise ConfigError(f"{name} must be an http(s) URL, got {value!r}")
        config[name] = value.rstrip("/")
    zone = str(raw.get("COMMITTEE_TIMEZONE") or clock.DEFAULT_ZONE)
    try:
        clock.set_zone(zone)
    except ValueError as exc:
        raise ConfigError(f"COMMITTEE_TIMEZONE: {exc}") from exc
    config["COMMITTEE_TIMEZONE"] = zone
    config["PROXY_HOPS"] = _int_setting("PROXY_HOPS", str(raw.get("PROXY_HOPS") or "0"))
    if config["PROXY_HOPS"] > MAX_PROXY_HOPS:
        raise ConfigError(f"PROXY_HOPS must be at most {MAX_PROXY_HOPS} (the proxies in front "
                          f"of gunicorn, 1 behind nginx), got {config['PROXY_HOPS']}")
    url = raw.get("DATABASE_URL")
    if url and "://" not in str(url):
        raise ConfigError(f"DATABASE_URL is not a database URL: {url!r}")
    redis_url = raw.get("REDIS_URL")
    if redis_url and not str(redis_url).startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            f"REDIS_URL must start with redis://, rediss:// or unix://, got {redis_url!r}"
        )
    return config
