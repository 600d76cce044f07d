"""Titles in book-title marks (《》), quoted once: the one helper every text and template uses.

A title is wrapped in 《》 unless it already carries marks of its own:

- already wrapped: 《习近平谈治国理政》 or “两学一做” or "两学一做" is kept as it is;
- marks inside: 《习近平谈治国理政》导读, 教育片《守岛人》, 《守岛人》观后感 are kept as they are
  (wrapping them again would nest 《》 in 《》, which reads as a mistake on a phone; the marks
  they carry already tell the reader where the work's name is);
- anything else is wrapped: 党的二十大精神 becomes 《党的二十大精神》.

Outer whitespace is stripped; an empty title stays empty (no bare 《》).
"""

from __future__ import annotations

OPEN, CLOSE = "《", "》"
QUOTE_PAIRS = (("“", "”"), ('"', '"'), ("「", "」"))


def quoted(title: str | None) -> str:
    """The title in 《》 once: kept as it is when it already has 《》 or is already quoted."""
    text = (title or "").strip()
    if not text:
        return ""
    if OPEN in text or CLOSE in text:
        return text
    for opening, closing in QUOTE_PAIRS:
        if len(text) >= 2 and text.startswith(opening) and text.endswith(closing):
            return text
    return f"{OPEN}{text}{CLOSE}"
