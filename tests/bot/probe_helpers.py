"""A probe route for the exactly-once and fault tests: put first in the app's routes, it counts
its runs and behaves as the test says (answers, sleeps or fails)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from flask import Flask

from bot.context import Context
from bot.replies import Reply
from bot.router import Route
from models import audit


class Probe(Route):
    """A route placed first that counts runs and can sleep or fail."""

    name = "probe"

    def __init__(self, behaviour: Callable[[Context, int], Reply], writes: bool = True) -> None:
        self.behaviour = behaviour
        self.writes = writes
        self.runs = 0
        self.lock = threading.Lock()

    def match(self, ctx: Context):
        """Take every message."""
        return self.handle

    def handle(self, ctx: Context) -> Reply:
        """Count the run, write an audit row (so a processed record is written) and behave."""
        with self.lock:
            self.runs += 1
            run = self.runs
        if self.writes:
            audit(ctx.message.from_user, "probe", f"run {run}")
        return self.behaviour(ctx, run)


def install(app: Flask, behaviour: Callable[[Context, int], Reply], writes: bool = True) -> Probe:
    """Put a probe at the head of the app's routes."""
    probe = Probe(behaviour, writes)
    app.extensions["pioneer_pipeline"].router.routes.insert(0, probe)
    return probe
