"""Closest-name hints for a name that matches nothing: "; did you mean: 华芯党支部?".

Generic string matching (stdlib difflib), no feature knowledge: each finder passes the names
it knows, and appends the hint to its own "no … named …" message.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from difflib import SequenceMatcher, get_close_matches

CUTOFF = 0.4  # difflib's similarity ratio, 0–1: 华芯党之部 ~ 华芯微电子党支部 is 0.62
NEAR_BEST = 0.75  # and at least this share of the best one's: no 远景党支部 (0.4) beside it
LIMIT = 3


def close_names(name: str, candidates: Iterable[str] | Mapping[str, str],
                limit: int = LIMIT) -> list[str]:
    """The candidates closest to `name`, best first; for a mapping, the values of the closest
    keys (e.g. the userid of a close name), each once."""
    labels = candidates if isinstance(candidates, Mapping) else {c: c for c in candidates}
    keys = [key for key in labels if key]
    name = name.strip()
    if not keys or not name:
        return []
    place = {key: index for index, key in enumerate(keys)}
    scored = sorted(((SequenceMatcher(None, key, name).ratio(), key)  # as difflib scores
                     for key in get_close_matches(name, keys, n=len(keys), cutoff=CUTOFF)),
                    key=lambda pair: (-pair[0], place[pair[1]]))  # ties: the caller's order
    found: dict[str, None] = {}
    for score, key in scored:
        if score < scored[0][0] * NEAR_BEST:
            break
        found.setdefault(labels[key], None)
        if len(found) == limit:
            break
    return list(found)


def suggest(name: str, candidates: Iterable[str] | Mapping[str, str]) -> str:
    """"; did you mean: A, B?" naming the closest candidates, or "" when none is close."""
    names = close_names(name, candidates)
    return f"; did you mean: {', '.join(names)}?" if names else ""
