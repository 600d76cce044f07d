"""The registration contract: what one feature brings to the app, declared once as a `Feature`.

The machinery knows this shape and nothing about any feature; the composition on top
(`pioneer/features.py`) holds the one ordered list of them and reads it for the chat's
priority list, the CLI, the cron table, the settings checks, the blueprints and the
console's pages. See docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType

import click
from flask import Blueprint

from bot.conversation import Flow
from bot.router import Command, Handler


@dataclass(frozen=True)
class Tick:
    """A periodic job: RQ's cron enqueues `job` every `every_s` seconds."""

    job: Callable[[], object]
    every_s: int


@dataclass(frozen=True)
class Settings:
    """A feature's optional settings: the environment prefixes they are read from, the
    true/false ones among them, and the function that builds (and so checks) them."""

    prefixes: tuple[str, ...]
    build: Callable[[], object] | None = None
    flags: tuple[str, ...] = ()

    @property
    def names(self) -> str:
        """The settings' names as an admin reads them in an error: `LECTURE_*, ...`."""
        return ", ".join(prefix + "*" for prefix in self.prefixes)


@dataclass(frozen=True)
class Feature:
    """Everything one feature hands to the app.

    `chat` are handler modules: each may define COMMANDS (a list of Command), FLOWS (a list
    of Flow) and EVENTS (event name to handler; "event:prefix" claims the events whose key
    starts with "prefix:", e.g. one feature's card buttons). `pages` are console page modules:
    importing one adds its routes to the console's blueprint.
    """

    name: str
    chat: Sequence[ModuleType] = ()
    cli: Sequence[click.Command] = ()
    ticks: Sequence[Tick] = ()
    settings: Sequence[Settings] = ()
    blueprints: Sequence[Blueprint] = ()
    pages: Sequence[ModuleType] = ()

    @property
    def commands(self) -> list[Command]:
        """The feature's chat commands, in its modules' order."""
        return [c for module in self.chat for c in getattr(module, "COMMANDS", ())]

    @property
    def flows(self) -> list[Flow]:
        """The feature's multi-step conversations."""
        return [f for module in self.chat for f in getattr(module, "FLOWS", ())]

    @property
    def events(self) -> dict[str, Handler]:
        """The feature's event handlers by event name."""
        return merge_events(getattr(module, "EVENTS", {}) for module in self.chat)


def merge_events(tables: Iterable[Mapping[str, Handler]]) -> dict[str, Handler]:
    """One table of event handlers; an event claimed twice is a mistake, not an override."""
    merged: dict[str, Handler] = {}
    for table in tables:
        for name, handler in table.items():
            if name in merged:
                raise ValueError(f"event {name!r} claimed twice")
            merged[name] = handler
    return merged


@dataclass(frozen=True)
class Features:
    """The ordered list of features, read the same way by every part of the app."""

    all: Sequence[Feature] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        names = [feature.name for feature in self.all]
        if len(names) != len(set(names)):
            raise ValueError(f"a feature is listed twice: {names}")

    def commands(self) -> list[Command]:
        """Every chat command, in the list's order (the order of 帮助)."""
        return [c for feature in self.all for c in feature.commands]

    def flows(self) -> list[Flow]:
        """Every multi-step conversation."""
        return [f for feature in self.all for f in feature.flows]

    def events(self) -> dict[str, Handler]:
        """Every event handler by event name."""
        return merge_events(feature.events for feature in self.all)

    def cli(self) -> list[click.Command]:
        """Every command group of the CLI."""
        return [group for feature in self.all for group in feature.cli]

    def ticks(self) -> list[Tick]:
        """Every periodic job."""
        return [tick for feature in self.all for tick in feature.ticks]

    def settings(self) -> list[Settings]:
        """Every feature's optional settings."""
        return [s for feature in self.all for s in feature.settings]

    def blueprints(self) -> list[Blueprint]:
        """Every blueprint (besides the console's own)."""
        return [bp for feature in self.all for bp in feature.blueprints]

    def pages(self) -> list[ModuleType]:
        """Every console page module."""
        return [page for feature in self.all for page in feature.pages]
