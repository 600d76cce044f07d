"""Material files for the library and editor tests: a file's text from its fields, written
into a folder."""

from __future__ import annotations

from pathlib import Path

# Field order of a generated file; each field sits on line 2 + its index (line 1 is ---).
DEFAULTS = {"slug": None, "title": "标题", "kind": "article", "tags": "[党史]",
            "summary": "摘要", "published": "2024-05-01", "minutes": "5"}


def material_text(slug: str, body: str = "正文", **fields: str | None) -> str:
    """A material file: the default fields (None drops one, new ones go last), then the body."""
    values = {**DEFAULTS, "slug": slug, **fields}
    lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
    return "\n".join(["---", *lines, "---", body, ""])


def write(folder: Path, name: str, text: str) -> Path:
    """Write one file (creating sub-folders) and return its path."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
