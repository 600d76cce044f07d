"""Checks for fields of the YAML files in content/ (materials, topics): one message each."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

SLUG = re.compile(r"[a-z0-9-]{1,100}")


class Invalid(ValueError):
    """A field's value is wrong: the message says why (in English, for the files), the reason
    and its parameters let a form say it in Chinese."""

    def __init__(self, message: str, reason: str = "invalid", **params: Any) -> None:
        super().__init__(message)
        self.reason = reason
        self.params = params


def text(limit: int) -> Callable[[Any], str]:
    """A check for non-empty text of at most `limit` characters (returned stripped)."""
    def check(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise Invalid("must be non-empty text", "empty")
        if len(value.strip()) > limit:
            raise Invalid(f"is longer than {limit} characters", "too_long", limit=limit)
        return value.strip()
    return check


def slug(value: Any) -> str:
    """A slug: 1-100 of a-z, 0-9 and -."""
    if not isinstance(value, str) or not SLUG.fullmatch(value):
        raise Invalid(f"{value!r} is not a slug (1-100 of a-z, 0-9 and -)", "slug")
    return value


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a content file: the file, the line (when known) and what is wrong."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class ProblemsError(Exception):
    """A file (or folder) cannot be synced; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Kept:
    """A row a content-file sync left alone: the console edited it since its last import."""

    slug: str
    retire: bool  # the file would have retired it (it is no longer there)

    def __str__(self) -> str:
        would = "retire" if self.retire else "overwrite"
        return (f"kept {self.slug}: edited in the console since its last import; left as it "
                f"is (--force to {would} it)")


@dataclass
class SyncResult:
    """How many rows a content-file sync added, updated, left as they were, and deactivated."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0

    @property
    def changed(self) -> bool:
        """Whether the sync wrote anything."""
        return bool(self.added or self.updated or self.deactivated)

    def __str__(self) -> str:
        counts = ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(SyncResult))
        kept = getattr(self, "kept", None)  # console edits a sync left alone, when it has any
        return f"{counts}, conflicts {len(kept)}" if kept else counts
