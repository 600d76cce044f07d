"""The session's cache of parsed URL rules (tests/conftest.py) gives every rule what werkzeug's
own parsing gives it."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest
from flask import Flask
from werkzeug.routing.rules import Rule


def _compiled(rule: Rule, parse: Any) -> tuple[Any, ...]:
    """An unbound copy of `rule` bound to its map with `parse`: what compiling recorded."""
    with patch.object(Rule, "_parse_rule", parse):
        copy = rule.empty()
        copy.bind(rule.map)
    converters = {name: (type(conv), {k: v for k, v in vars(conv).items() if k != "map"},
                         conv.map is rule.map)
                  for name, conv in copy._converters.items()}
    return copy._parts, copy._trace, converters, copy.arguments


def test_every_rule_compiles_as_werkzeug_compiles_it(app: Flask) -> None:
    cached = Rule._parse_rule
    own = getattr(cached, "__wrapped__", None)
    if own is None:
        pytest.skip("werkzeug's own parsing is in use (not 3.1): nothing is cached")
    rules = list(app.url_map.iter_rules())
    assert len(rules) > 100
    with_converters = 0
    for rule in rules:
        expected = _compiled(rule, own)
        assert _compiled(rule, cached) == expected, rule.rule  # parsed now or before
        assert _compiled(rule, cached) == expected, rule.rule  # from the cache
        with_converters += bool(expected[2])
    assert with_converters > 10  # the replayed converters were compared too
