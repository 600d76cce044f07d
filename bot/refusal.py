"""A refusal of a member's input that carries its own Chinese answer."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar


class Refusal(ValueError):
    """Refused input: `reason` keys the subclass's ERRORS texts, `values` fill one in."""

    ERRORS: ClassVar[Mapping[str, str]] = {}

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values

    def text(self) -> str:
        """The Chinese message for the member."""
        return self.ERRORS[self.reason].format(**self.values)
