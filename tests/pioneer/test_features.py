"""The registration contract: every part a feature brings is declared once, in one Feature of
pioneer/features.py, and the app is built from that list alone."""

from __future__ import annotations

import ast
import importlib
import pkgutil

import click
import pytest
from flask import Flask

import console
import handlers
from bot.feature import Feature, Features, Settings, Tick, merge_events
from pioneer.features import FEATURES
from pioneer.routing import build_flows, build_router
from tests.helpers import ROOT

PRODUCT = [p for p in ROOT.iterdir() if (p / "__init__.py").exists()
           and p.name not in {"tests", "migrations", "bench", "fuzz", "sandbox"}]


def modules_of(package: object) -> list[str]:
    """The dotted names of a package's modules."""
    return [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]


def declared(kind: str) -> list[object]:
    """Every part of one kind over all features (duplicates kept)."""
    return [part for feature in FEATURES.all for part in getattr(feature, kind)]


def test_every_handler_module_belongs_to_exactly_one_feature() -> None:
    """Is each module of handlers/ the chat of one feature, and no other?"""
    chat = [module.__name__ for module in declared("chat")]
    assert sorted(chat) == sorted(modules_of(handlers))
    assert len(chat) == len(set(chat))


def test_every_console_page_module_belongs_to_exactly_one_feature() -> None:
    """Is each console module that adds routes named by one feature's pages (views.py is the
    blueprint itself)?"""
    routed = sorted(name for name in modules_of(console) if name != "console.views"
                    and "bp." in (ROOT / (name.replace(".", "/") + ".py")).read_text())
    pages = [module.__name__ for module in declared("pages")]
    assert sorted(pages) == routed
    assert len(pages) == len(set(pages))


def test_every_command_group_and_tick_is_declared() -> None:
    """Is every COMMAND_GROUPS of the product read, and every *_tick job a Tick?"""
    groups = {id(group) for group in FEATURES.cli()}
    ticks = {tick.job for tick in FEATURES.ticks()}
    for package in PRODUCT:
        for path in package.rglob("*.py"):
            tree = ast.parse(path.read_text())
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            names = {n.id for node in tree.body if isinstance(node, ast.Assign)
                     for n in node.targets if isinstance(n, ast.Name)}
            if "COMMAND_GROUPS" in names and module != "pioneer.features":
                loaded = importlib.import_module(module)
                assert all(id(g) in groups for g in loaded.COMMAND_GROUPS), module
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and node.name.endswith("_tick") \
                        and node.name != "run_tick":
                    job = getattr(importlib.import_module(module), node.name)
                    assert job in ticks, f"{module}.{node.name} is not in any feature's ticks"


def test_the_priority_list_reads_the_features_in_order() -> None:
    """Are the chat's commands the features' commands in the list's order, every flow and
    event registered, and does every CLI group and setting come from a feature?"""
    flows = build_flows()
    router = build_router(flows)
    assert [c.name for c in router.commands()] == [c.name for c in FEATURES.commands()]
    assert router.commands()[0].name == "help"
    assert sorted(flows.flows) == sorted(f.name for f in FEATURES.flows())
    assert all(isinstance(group, click.Command) for group in FEATURES.cli())
    assert all(isinstance(s, Settings) and s.prefixes for s in FEATURES.settings())


def test_a_feature_listed_twice_or_an_event_claimed_twice_is_refused() -> None:
    """Does the contract refuse a duplicate feature name and a doubly claimed event?"""
    with pytest.raises(ValueError, match="listed twice"):
        Features((Feature("study"), Feature("study")))
    with pytest.raises(ValueError, match="claimed twice"):
        merge_events([{"subscribe": print}, {"subscribe": print}])


def test_the_app_is_built_from_the_features(app: Flask) -> None:
    """Does the composed app carry every feature's blueprints, CLI groups and settings?"""
    assert {bp.name for bp in FEATURES.blueprints()} <= set(app.blueprints)
    assert {group.name for group in FEATURES.cli()} <= set(app.cli.commands)
    assert Tick in {type(tick) for tick in FEATURES.ticks()}
    assert [s.names for s in FEATURES.settings() if s.flags] == ["BROADCAST_*"]


def test_no_help_line_repeats_its_keyword() -> None:
    """帮助 prints "· keyword：summary", so a summary starting with its own keyword and a
    colon or a space ("参学率：参学率：…", "撤回：撤回 QF-编号：…") says the label twice."""
    doubled = [(c.name, c.summary) for c in FEATURES.commands() if c.summary and any(
        c.summary.startswith(keyword + mark) for keyword in c.keywords for mark in "： :")]
    assert doubled == []
