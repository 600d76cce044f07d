"""Forms that act once: a one-time key per form page, claimed in Redis when it is submitted.

A second submit of the same page (a double click, a reload, a second tab) finds the key
claimed: while the first is being written it says "pending" (for PENDING_TTL_S, so a worker
that died before committing frees the form again), afterwards it names the row the first
made, for DONE_TTL_S, and the page sends the second submit there."""

from __future__ import annotations

from bot.extensions import redis_store

PENDING_TTL_S = 60
DONE_TTL_S = 24 * 3600


def claim(key: str) -> bool:
    """Claim the form's key; False when another submit of it came first."""
    return bool(redis_store.client.set(key, "pending", nx=True, ex=PENDING_TTL_S))


def release(key: str) -> None:
    """Free the key again (the submit wrote nothing)."""
    redis_store.client.delete(key)


def done(key: str, made: int) -> None:
    """Name the row the submit made, for the submits that follow."""
    redis_store.client.set(key, str(made), ex=DONE_TTL_S)


def made(key: str) -> str | None:
    """What a used key names: the made row's id, "pending", or None for a fresh key."""
    found = redis_store.client.get(key)
    if found is None:
        return None
    return found.decode() if isinstance(found, bytes) else str(found)
