"""The two halves of the app factory that know no feature; the composition
(`pioneer.create_app`) puts the features between them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from bot import MIGRATIONS_DIR, errors, logs, tuning, webhook
from bot.config import MAX_BODY_BYTES, load_env_file, load_settings, normalise
from bot.extensions import LazyCookieSessions, db, jobs, migrate, redis_store
from bot.feature import Settings
from content.titles import quoted


def _database_url(app: Flask) -> str:
    url = app.config.get("DATABASE_URL") or ""
    if not url:
        os.makedirs(app.instance_path, exist_ok=True)
        return "sqlite:///" + os.path.join(app.instance_path, "pioneer.db")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):  # the driver we ship is psycopg 3
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("postgresql"):
        # Fail fast when PostgreSQL is gone: WeCom must see 503 well inside its 5 s.
        # No pre-ping (a round trip per request): a connection PostgreSQL dropped fails its
        # request with 503, the pool discards it, and WeCom's retry gets a fresh one.
        return {"pool_recycle": 1800, "pool_timeout": 1, "connect_args": {"connect_timeout": 1}}
    return {"connect_args": {"timeout": 5}}


def new_app(import_name: str, config: dict[str, Any] | None,
            settings: Sequence[Settings]) -> Flask:
    """A Flask app with the settings read and checked for shape, and the machinery wired:
    database, migrations, Redis, the job queue, sessions. From the environment, or from
    `config` (tests) layered over the defaults; `settings` names the features' optional ones."""
    app = Flask(import_name, instance_relative_config=True)
    if config is None:
        load_env_file()  # the one reader of .env: gunicorn.conf.py and the RQ settings too
        app.config.update(load_settings())
        app.config.update(tuning.from_environment(os.environ, settings))
    else:
        app.config.update(normalise(config))
        app.config.update({k: v for k, v in config.items() if k not in app.config})
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    url = _database_url(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", _engine_options(url))

    app.add_template_filter(quoted, "quoted")  # a title in 《》 once, in every template
    app.session_interface = LazyCookieSessions()
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    redis_store.init_app(app)
    jobs.init_app(app)
    return app


def finish_app(app: Flask, config: dict[str, Any] | None, settings: Sequence[Settings]) -> Flask:
    """Wire the machinery that comes after the features (error pages, request logs, the
    WeCom callback) and check every feature's settings once."""
    errors.init_app(app)
    logs.init_app(app)
    webhook.init_app(app)
    tuning.check(app, settings)
    logs.configure(app, install=config is None)  # tests and the demo keep their own logging
    hops = app.config.get("PROXY_HOPS") or 0
    if hops:  # outermost: every layer sees the client's address and scheme, as nginx saw them
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    return app
