"""Passages: a material's Markdown body cut into the paragraphs that 问答 quotes.

A passage is one block of the body (the lines between blank lines) under its section heading,
its words exactly as written: only the Markdown marks are taken off (`**`, `#`, link
brackets, table rules), so what a member reads is what the material says. A paragraph that
ends with a colon leads into the list or table after it and is kept with it; a block longer
than MAX_CHARS is cut at line ends, else at sentence ends, so a quote fits in one WeCom reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 300  # a quote's length at most: two of them and their links fit in 2,048 bytes
HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
BULLET = re.compile(r"^(\s*)[-*+]\s+(\[[ xX]\]\s+)?")
QUOTE = re.compile(r"^\s*>\s?")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
LEADS_ON = ("：", ":")


@dataclass(frozen=True)
class Block:
    """One quotable passage of a body: its section heading and its text."""

    heading: str
    text: str


def _plain_line(line: str) -> str:
    """One Markdown line as read: bullets as •, checkboxes as □, table cells split by |."""
    line = QUOTE.sub("", line)
    bullet = BULLET.match(line)
    if bullet:
        mark = "□ " if bullet.group(2) else "• "
        line = mark + line[bullet.end():]
    line = IMAGE.sub("", line)
    line = LINK.sub(r"\1", line)
    line = EMPHASIS.sub("", line)
    stripped = line.strip()
    if stripped.startswith("|") or stripped.endswith("|"):
        cells = [cell.strip() for cell in stripped.strip("|").split("|")]
        stripped = " | ".join(cell for cell in cells if cell)
    return stripped


def _cut(text: str, limit: int = MAX_CHARS) -> list[str]:
    """A long text cut at line ends, then sentence ends, into pieces of at most `limit`."""
    if len(text) <= limit:
        return [text]
    units = text.split("\n")
    if len(units) == 1:
        units = [u for u in SENTENCE_END.split(text) if u]
    pieces: list[str] = []
    current = ""
    for unit in units:
        while len(unit) > limit:  # one sentence longer than a quote: cut where it must
            if current:
                pieces.append(current)
                current = ""
            pieces.append(unit[:limit])
            unit = unit[limit:]
        joiner = "\n" if "\n" in text else ""
        if current and len(current) + len(joiner) + len(unit) > limit:
            pieces.append(current)
            current = unit
        else:
            current = current + joiner + unit if current else unit
    if current:
        pieces.append(current)
    return [piece.strip() for piece in pieces if piece.strip()]


def _raw_blocks(body: str) -> list[tuple[str, list[str]]]:
    """(heading, lines) of each block, headings taken out, table rules dropped."""
    blocks: list[tuple[str, list[str]]] = []
    heading = ""
    current: list[str] = []
    for line in body.splitlines():
        match = HEADING.match(line)
        if match or not line.strip():
            if current:
                blocks.append((heading, current))
                current = []
            if match:
                heading = _plain_line(match.group(1))
            continue
        if TABLE_RULE.match(line) or line.strip() in ("---", "***", "___"):
            continue
        current.append(line)
    if current:
        blocks.append((heading, current))
    return blocks


def split_body(body: str) -> list[Block]:
    """The quotable passages of a Markdown body, in order."""
    merged: list[tuple[str, list[str]]] = []
    for heading, lines in _raw_blocks(body or ""):
        previous = merged[-1] if merged else None
        if (previous is not None and previous[0] == heading
                and previous[1][-1].rstrip().endswith(LEADS_ON)):
            previous[1].extend(lines)  # "…为计算基数：" belongs with the table after it
        else:
            merged.append((heading, list(lines)))
    blocks: list[Block] = []
    for heading, lines in merged:
        text = "\n".join(plain for plain in (_plain_line(line) for line in lines) if plain)
        blocks.extend(Block(heading, piece) for piece in _cut(text) if _has_words(piece))
    return blocks


def _has_words(text: str) -> bool:
    """True when the text has a letter, digit or Chinese character (not a lone rule or mark)."""
    return any(c.isalnum() for c in text)
