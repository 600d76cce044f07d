"""Mammoth's HTML as Markdown for Python-Markdown (what the reading pages render with).

Mammoth writes a small, closed HTML vocabulary: p, h1–h6, strong, em, ul/ol/li, table/tr/td/
th, a, img, br, sup/sub and s. This converter knows exactly that: headings become `#`
lines, bold `**…**`, italic `*…*`, lists `- ` / `1. ` (nested ones indented four spaces, as
Python-Markdown wants), tables pipe tables (first row the header), images `![alt](url)` and
links `[text](url)`. Anything else keeps its text.

Nothing from the document becomes markup: `<`, `>` and `&` are written as entities and every
character Markdown (with the "extra" extension) would read as syntax is escaped, so a Word
paragraph that says `<script>`, `# 1` or `**` reads as written. Links are kept only for
http(s) and mailto addresses, images only for the URLs the caller stored (`keep_image`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise

BLOCK_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table",
                        "thead", "tbody", "tfoot", "tr", "th", "td", "blockquote", "div",
                        "hr", "pre"})
HEADINGS = {f"h{level}": level for level in range(1, 7)}
VOID_TAGS = frozenset({"img", "br", "hr"})
STRONG, EMPHASIS = frozenset({"strong", "b"}), frozenset({"em", "i"})
LINK_SCHEMES = ("http://", "https://", "mailto:")
BREAK = "\x00"  # a line break inside a paragraph, until lines are laid out
SPACES = re.compile(r"[ \t\r\n\f]+")  # ASCII whitespace only: U+3000 indentation is kept
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]])")
ORDERED_START = re.compile(r"^(\d+)\.(?=\s|$)")
URL_ESCAPES = {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E"}


@dataclass
class Node:
    """One HTML element and what is inside it."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


@dataclass(frozen=True)
class Block:
    """A Markdown block; lists are told apart (inside a list item they join with no gap)."""

    text: str
    is_list: bool = False


class _TreeBuilder(HTMLParser):
    """HTML into a Node tree, forgiving about unclosed and stray end tags."""

    def __init__(self) -> None:
        """An empty tree."""
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an element (void elements close at once)."""
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID_TAGS:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        """Close the nearest open element of that name (and any left open inside it)."""
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        """Text."""
        self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """The HTML fragment as a tree under a "root" node."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def escape_text(text: str) -> str:
    """Document text as Markdown that shows exactly that text."""
    text = MARKDOWN_SPECIALS.sub(r"\\\1", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escape_line_start(line: str) -> str:
    """Escape what would start a heading, list, definition or setext line."""
    if not line:
        return line
    first = line[0]
    if first in "#+-":
        return "\\" + line
    if first == "=":
        return "&#61;" + line[1:]
    if first == ":":
        return "&#58;" + line[1:]
    return ORDERED_START.sub(r"\1\\.", line, count=1)


def _url(href: str) -> str:
    """A URL safe inside Markdown's parentheses."""
    return "".join(URL_ESCAPES.get(ch, ch) for ch in href)


def _plain(node: Node | str) -> str:
    """The text inside a node, whitespace collapsed (a heading's text for the title)."""
    if isinstance(node, str):
        return node
    return "".join(_plain(child) for child in node.children)


class Converter:
    """One conversion: which images to keep, and the first heading seen."""

    def __init__(self, keep_image: Callable[[str], bool] | None = None) -> None:
        """A converter keeping the images whose src `keep_image` accepts (default: none)."""
        self.keep_image = keep_image or (lambda _src: False)

    # inline content

    def _merged(self, children: list[Node | str]) -> list[Node | str]:
        """Adjacent bold (or italic) elements as one, so no `****` appears between them."""
        merged: list[Node | str] = []
        for child in children:
            last = merged[-1] if merged else None
            if (isinstance(child, Node) and isinstance(last, Node) and child.tag == last.tag
                    and child.tag in STRONG | EMPHASIS):
                merged[-1] = Node(last.tag, last.attrs, last.children + child.children)
            else:
                merged.append(child)
        return merged

    def inline(self, children: list[Node | str]) -> str:
        """Inline Markdown for `children` (line breaks still as BREAK)."""
        return "".join(self._inline(child) for child in self._merged(children))

    def _wrap(self, marker: str, node: Node) -> str:
        """`marker`text`marker`, with the text's outer spaces moved outside the markers."""
        inner = self.inline(node.children)
        core = inner.strip(" " + BREAK)
        if not core:
            return inner
        start = len(inner) - len(inner.lstrip(" " + BREAK))
        lead, trail = inner[:start], inner[start + len(core):]
        return f"{lead}{marker}{core}{marker}{trail}"

    def _inline(self, child: Node | str) -> str:
        if isinstance(child, str):
            return escape_text(SPACES.sub(" ", child))
        tag = child.tag
        if tag in STRONG:
            return self._wrap("**", child)
        if tag in EMPHASIS:
            return self._wrap("*", child)
        if tag == "br":
            return BREAK
        if tag == "img":
            src = child.attrs.get("src", "")
            if not self.keep_image(src):
                return ""
            return f"![{escape_text(SPACES.sub(' ', child.attrs.get('alt', '')))}]({_url(src)})"
        if tag == "a":
            text = self.inline(child.children)
            href = child.attrs.get("href", "").strip()
            if not href.lower().startswith(LINK_SCHEMES):
                return text  # an anchor (#footnote-1) or a scheme we do not link
            return f"[{text.strip(' ' + BREAK) or escape_text(href)}]({_url(href)})"
        if tag in BLOCK_TAGS:  # a paragraph in a table cell, say: its own line
            return BREAK + self.inline(child.children) + BREAK
        return self.inline(child.children)

    @staticmethod
    def _lines(text: str) -> list[str]:
        """The lines of inline text: outer ASCII spaces gone, empty ones at the ends dropped."""
        lines = [SPACES.sub(" ", line).strip(" ") for line in text.split(BREAK)]
        while lines and not lines[0]:
            lines.pop(0)
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def one_line(self, children: list[Node | str]) -> str:
        """Inline Markdown on one line (headings, table cells)."""
        return " ".join(line for line in self._lines(self.inline(children)) if line)

    def paragraph(self, children: list[Node | str]) -> str:
        """A paragraph: its lines, each escaped at its start, joined by hard breaks."""
        lines = self._lines(self.inline(children))
        return "  \n".join(_escape_line_start(line) for line in lines)

    # blocks

    def blocks(self, children: list[Node | str]) -> list[Block]:
        """Markdown blocks for a mix of inline and block children."""
        out: list[Block] = []
        run: list[Node | str] = []

        def flush() -> None:
            text = self.paragraph(run)
            run.clear()
            if text:
                out.append(Block(text))

        for child in children:
            if isinstance(child, Node) and child.tag in BLOCK_TAGS:
                flush()
                out.extend(self.block(child))
            else:
                run.append(child)
        flush()
        return out

    def block(self, node: Node) -> list[Block]:
        """Markdown blocks for one block element."""
        tag = node.tag
        if tag in HEADINGS:
            text = self.one_line(node.children)
            if text.endswith("#"):  # a closing hash would be dropped
                text = text[:-1] + "\\#"
            return [Block(f"{'#' * HEADINGS[tag]} {text}")] if text else []
        if tag in ("ul", "ol"):
            text = self.list(node)
            return [Block(text, is_list=True)] if text else []
        if tag == "table":
            text = self.table(node)
            return [Block(text)] if text else []
        if tag == "hr":
            return [Block("* * *")]
        return self.blocks(node.children)

    def list(self, node: Node) -> str:
        """A list; nested lists and further paragraphs indented four spaces."""
        items: list[str] = []
        for child in node.children:
            if isinstance(child, str):
                if child.strip():
                    child = Node("li", children=[child])
                else:
                    continue
            item = child if child.tag == "li" else Node("li", children=[child])
            marker = f"{len(items) + 1}. " if node.tag == "ol" else "- "
            items.append(self._item(marker, self.blocks(item.children)))
        return "\n".join(items)

    @staticmethod
    def _item(marker: str, blocks: list[Block]) -> str:
        """One list item: the marker, then its blocks indented under it."""
        if not blocks:
            return marker.rstrip()
        text = blocks[0].text
        for before, block in pairwise(blocks):
            gap = "\n" if block.is_list and not before.is_list else "\n\n"
            text += gap + block.text
        pad = " " * 4
        lines = text.split("\n")
        return "\n".join([marker + lines[0]] + [pad + line if line else line
                                                 for line in lines[1:]])

    def _rows(self, node: Node) -> list[Node]:
        """The table's rows, in order (not those of tables nested in its cells)."""
        rows: list[Node] = []
        for child in node.children:
            if isinstance(child, Node):
                if child.tag == "tr":
                    rows.append(child)
                elif child.tag in ("thead", "tbody", "tfoot"):
                    rows.extend(self._rows(child))
        return rows

    def table(self, node: Node) -> str:
        """A pipe table; the first row is its header."""
        grid: list[list[str]] = []
        for row in self._rows(node):
            cells: list[str] = []
            for cell in row.children:
                if isinstance(cell, Node) and cell.tag in ("td", "th"):
                    cells.append(self.one_line(cell.children).replace("|", "\\|"))
                    span = cell.attrs.get("colspan", "1")
                    cells.extend([""] * (int(span) - 1 if span.isdecimal() and
                                         0 < int(span) <= 50 else 0))
            if cells:
                grid.append(cells)
        if not grid:
            return ""
        width = max(len(cells) for cells in grid)
        lines = ["| " + " | ".join(cells + [""] * (width - len(cells))) + " |"
                 for cells in grid]
        lines.insert(1, "| " + " | ".join(["---"] * width) + " |")
        return "\n".join(lines)


def first_heading(root: Node) -> str | None:
    """The text of the first h1–h6 in document order, or None."""
    for child in root.children:
        if isinstance(child, Node):
            if child.tag in HEADINGS:
                text = SPACES.sub(" ", _plain(child)).strip()
                if text:
                    return text
            found = first_heading(child)
            if found:
                return found
    return None


def html_to_markdown(html: str, keep_image: Callable[[str], bool] | None = None
                     ) -> tuple[str, str | None]:
    """Mammoth's HTML as Markdown, and the first heading's text (None when there is none)."""
    root = parse(html)
    converter = Converter(keep_image)
    blocks = converter.blocks(root.children)
    markdown = "\n\n".join(block.text for block in blocks)
    return (markdown + "\n" if markdown else ""), first_heading(root)
