"""Closest-name hints for a name that matches nothing: "; did you mean: 华芯党支部?".

Generic string matching (stdlib difflib), no feature knowledge: each finder passes the names
it knows, and appends the hint to its own "no … named …" message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import get_close_matches

CUTOFF = 0.4  # difflib's similarity ratio, 0–1; 0.4 still catches one wrong character in two
LIMIT = 3


def close_names(name: str, candidates: Iterable[str] | Mapping[str, str],
                limit: int = LIMIT) -> list[str]:
    """The candidates closest to `name`, best first; for a mapping, the values of the closest
    keys (e.g. the userid of a close name), each once."""
    labels = candidates if isinstance(candidates, Mapping) else {c: c for c in candidates}
    keys = [key for key in labels if key]
    if not keys:
        return []
    found: dict[str, None] = {}
    for key in get_close_matches(name.strip(), keys, n=len(keys), cutoff=CUTOFF):
        found.setdefault(labels[key], None)
        if len(found) == limit:
            break
    return list(found)


def suggest(name: str, candidates: Iterable[str] | Mapping[str, str]) -> str:
    """"; did you mean: A, B?" naming the closest candidates, or "" when none is close."""
    names = close_names(name, candidates)
    return f"; did you mean: {', '.join(names)}?" if names else ""
