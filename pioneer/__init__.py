"""Pioneer composed: the machinery's app with every feature of `pioneer.features` plugged in.

The top layer: nothing in the product imports it (the worker finds `create_app` by name).
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from bot import cli, services
from bot.app import finish_app, new_app
from bot.jobs import enqueue_deliveries
from pioneer.features import FEATURES
from pioneer.routing import STRANGER, build_flows, build_router


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app from the environment, or from `config` (tests) layered over defaults."""
    settings = FEATURES.settings()
    app = new_app(__name__, config, settings)
    flows = build_flows()
    services.init_app(app, build_router(flows), flows, STRANGER, enqueue_deliveries)
    for blueprint in FEATURES.blueprints():
        app.register_blueprint(blueprint)
    cli.init_app(app, FEATURES.cli())
    return finish_app(app, config, settings)
