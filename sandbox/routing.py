"""Shared plumbing for the sandbox's /cgi-bin/ route groups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Response

from sandbox import errcodes
from sandbox.state import SandboxState

Params = dict[str, str]
Answer = dict[str, Any] | Response
Handler = Callable[[SandboxState, Params, Any], Answer]


@dataclass(frozen=True)
class Route:
    """One WeCom API path: HTTP method, handler and whether it needs access_token."""

    method: str
    handler: Handler
    needs_token: bool = True
    json_body: bool = True


def int_param(value: Any) -> int | None:
    """Parse an integer parameter; None when absent or malformed."""
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def flag_param(value: Any) -> bool:
    """Interpret a WeCom 0/1 flag parameter."""
    return str(value).strip() == "1"


def utf8_len(text: str) -> int:
    """Length of text in UTF-8 bytes."""
    return len(text.encode("utf-8"))


def check_agentid(state: SandboxState, value: Any) -> dict[str, Any] | None:
    """Error answer unless value names this app's agentid (41011 missing, 40056 wrong)."""
    if value is None or value == "":
        return errcodes.error(errcodes.MISSING_AGENTID)
    if int_param(value) != state.agent_id:
        return errcodes.error(errcodes.INVALID_AGENTID)
    return None
