"""Per-app singletons built from config: the callback crypto, the WeCom client, the pipeline."""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Flask, current_app

from bot.conversation import FlowRegistry
from bot.crypto import CallbackCrypto
from bot.extensions import redis_store
from bot.pipeline import Pipeline
from bot.router import Handler, Router
from bot.wecom import WeComClient


def init_app(app: Flask, router: Router, flows: FlowRegistry, stranger: Handler,
             enqueue: Callable[[list[int]], None]) -> None:
    """Build the crypto, client and message pipeline once for the app, around the composed
    priority list (`router`), its conversations, the answer to strangers and how replies
    are queued for delivery."""
    init_clients(app)
    app.extensions["pioneer_pipeline"] = Pipeline(
        router, flows, app.extensions["pioneer_redis"], app.config["WECOM_CORP_ID"],
        enqueue, stranger=stranger,
    )


def init_clients(app: Flask) -> None:
    """Build the callback crypto and the outbound WeCom client from the app's config."""
    config = app.config
    client = app.extensions["pioneer_redis"]
    app.extensions["pioneer_crypto"] = CallbackCrypto(
        config["WECOM_TOKEN"], config["WECOM_AES_KEY"], config["WECOM_CORP_ID"],
        max_skew=config["WECOM_MAX_CLOCK_SKEW"],
    )
    app.extensions["pioneer_wecom"] = WeComClient(
        config["WECOM_API_BASE"], config["WECOM_CORP_ID"], config["WECOM_SECRET"],
        config["WECOM_AGENT_ID"], client,
        timeout=config.get("WECOM_TIMEOUT", 4.0),
        sleep=config.get("WECOM_SLEEP") or time.sleep,
    )


def crypto() -> CallbackCrypto:
    """The current app's callback crypto."""
    return current_app.extensions["pioneer_crypto"]


def wecom_client() -> WeComClient:
    """The current app's outbound WeCom client."""
    return current_app.extensions["pioneer_wecom"]


def pipeline() -> Pipeline:
    """The current app's message pipeline."""
    return current_app.extensions["pioneer_pipeline"]


__all__ = ["crypto", "init_app", "pipeline", "redis_store", "wecom_client"]
