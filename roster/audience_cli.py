"""The audience options shared by every command that sends to members (push, broadcast,
digest, campaign): --all, --org, --tag, --role, and the one audience they name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def chosen_audience(everyone: bool, orgs: tuple[str, ...], tags: tuple[int, ...],
                    roles: tuple[str, ...], campaigns: tuple[str, ...] = ()) -> dict:
    """The one audience the options name."""
    chosen = [(kind, list(values)) for kind, values in
              (("orgs", orgs), ("tags", tags), ("roles", roles), ("campaign", campaigns))
              if values]
    if everyone + len(chosen) != 1:
        raise click.UsageError("choose exactly one audience (--all, --org, --tag, --role, "
                               "--campaign)")
    return {"kind": "all"} if everyone else {"kind": chosen[0][0], "values": chosen[0][1]}


def audience_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The --all / --org / --tag / --role options of an audience."""
    for option in reversed((
        click.option("--all", "everyone", is_flag=True, help="Everyone in the roster."),
        click.option("--org", "orgs", multiple=True,
                     help="An organisation (with its sub-organisations)."),
        click.option("--tag", "tags", multiple=True, type=int, help="A WeCom tag id."),
        click.option("--role", "roles", multiple=True, help="contact, lecturer or admin."),
    )):
        command = option(command)
    return command
