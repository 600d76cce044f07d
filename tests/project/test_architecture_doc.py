"""docs/architecture.md against the code: its layer list (between the layers markers) is the
import contract of pyproject.toml, its graph (between the graph markers) is the features'
imports, and no file still cites the design notes that live outside the repository. No app,
no database."""

from __future__ import annotations

import ast
import os
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

from tests.helpers import ROOT

DOC = ROOT / "docs" / "architecture.md"
LAYER_ITEM = re.compile(r"^\d+\.\s+`([^`]+)`")
EDGE_ITEM = re.compile(r"^- `(\w+)` → `(\w+)`:")
# Spelled in two parts so that this file does not cite them itself.
OUTSIDE_NOTES = ("DESIGN" + ".md", "WECOM" + ".md")
# What git does not hold (.gitignore) and tools' caches: not the repository's files.
NOT_OURS = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
            ".import_linter_cache", "instance", "test-artifacts", "node_modules"}


def marked(text: str, name: str) -> list[str]:
    """The lines between <!-- name:start --> and <!-- name:end -->."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    assert text.count(start) == 1 and text.count(end) == 1, f"{DOC.name} needs one {name} block"
    return text.split(start, 1)[1].split(end, 1)[0].splitlines()


def normal(layer: str) -> str:
    """A layer written as `a | b`, whatever the spacing."""
    return " | ".join(part.strip() for part in layer.split("|"))


def contract_layers() -> list[str]:
    """The layers of the one layers contract in pyproject.toml, top to bottom."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = [c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers"]
    assert len(contracts) == 1, "expected one layers contract in pyproject.toml"
    return [normal(layer) for layer in contracts[0]["layers"]]


def feature_packages(layers: list[str]) -> list[str]:
    """The packages of the layers between the adapters (handlers) and the machinery (bot)."""
    index = {package: i for i, layer in enumerate(layers) for package in layer.split(" | ")}
    return [package for layer in layers[index["handlers"] + 1 : index["bot"]]
            for package in layer.split(" | ")]


def imported(package: str) -> set[str]:
    """Top-level packages one package imports: module level, in functions, under TYPE_CHECKING."""
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found


def repository_files() -> Iterator[Path]:
    """Every file of the checkout, without git's own, the virtualenv, caches and instance data."""
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in NOT_OURS]
        for name in files:
            if name != ".env" and not name.endswith(".pyc"):
                yield Path(folder) / name


def test_the_layer_list_is_the_import_contract() -> None:
    """Does docs/architecture.md list the contract's layers, each once, in the contract's order?"""
    listed = [normal(m.group(1)) for line in marked(DOC.read_text(encoding="utf-8"), "layers")
              if (m := LAYER_ITEM.match(line))]
    assert listed == contract_layers(), (
        "docs/architecture.md's layer list differs from [tool.importlinter] in pyproject.toml")


def test_the_feature_graph_is_the_features_imports() -> None:
    """Does the graph name every import of one feature package by another, and only those?"""
    features = feature_packages(contract_layers())
    actual = {(package, other) for package in features for other in imported(package)
              if other in features and other != package}
    listed = [(m.group(1), m.group(2)) for line in marked(DOC.read_text(encoding="utf-8"), "graph")
              if (m := EDGE_ITEM.match(line))]
    assert len(listed) == len(set(listed)), "an edge is listed twice in docs/architecture.md"
    missing = sorted(actual - set(listed))
    stale = sorted(set(listed) - actual)
    assert not missing and not stale, (
        f"docs/architecture.md's graph: add {missing} (with why), remove {stale}")


def test_nothing_cites_the_design_notes_outside_the_repository() -> None:
    """Does every file cite docs/architecture.md and docs/wecom.md instead of the notes that a
    maintainer who clones the repository never sees?"""
    citing = sorted(
        f"{path.relative_to(ROOT)}: {note}"
        for path in repository_files()
        for note in OUTSIDE_NOTES
        if note.encode() in path.read_bytes()
    )
    assert not citing, f"cite docs/architecture.md or docs/wecom.md instead: {citing}"


def product_modules() -> Iterator[Path]:
    """Every Python module of the product and its tools (tests and migrations left out)."""
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "root_packages"]
    for package in packages:
        yield from sorted((ROOT / package).rglob("*.py"))


def test_no_module_is_over_500_lines() -> None:
    """Is every module outside tests/ and migrations/ small enough to read (500 lines)?"""
    long = {str(p.relative_to(ROOT)): n for p in product_modules()
            if (n := len(p.read_text().splitlines())) > 500}
    assert long == {}


def test_no_import_of_pioneer_hides_inside_a_function() -> None:
    """Are Pioneer's own modules imported at the top of a module (where the layers contract
    and a reader see them), never inside a function to dodge a cycle?"""
    packages = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
        "root_packages"])
    hidden = []
    for path in product_modules():
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                names = ([node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level
                         else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                if any(name.split(".")[0] in packages for name in names):
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert hidden == []
