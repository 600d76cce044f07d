"""Short quotes for the top themes: members' own words, verbatim, without who wrote them.

A quote is one sentence of a text that uses the theme's word, exactly as written (cut to
QUOTE_CHARS characters around the word, with … where it was cut). It never carries the
writer's name or organisation (the quote stands alone), and a sentence that would point at
someone is passed over: one naming anyone in the roster, an organisation or its enterprise,
or holding a long number or an address (a phone number, a mail, a link). Each text gives at
most one quote per analysis.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import select

from analysis.corpus import Text
from analysis.words import normalise
from models import Member, Organization, db

QUOTE_CHARS = 60
QUOTES_PER_THEME = 2
CANDIDATES = 300  # texts looked at per theme, at most
SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")
POINTING = re.compile(r"\d{5,}|[０-９]{5,}|@|＠|https?://|www\.", re.IGNORECASE)
NAME_LENGTHS = (2, 3, 4)


class Anonymity:
    """What a quote may not hold: the roster's names, the organisations' names."""

    def __init__(self, names: Iterable[str], places: Iterable[str]) -> None:
        self.names = frozenset(n for n in names if len(n) >= min(NAME_LENGTHS))
        self.places = tuple(p for p in places if len(p) >= 2)

    @classmethod
    def from_roster(cls) -> Anonymity:
        """Every member's name; every organisation's and enterprise's name."""
        names = db.session.scalars(select(Member.name))
        places: list[str] = []
        for name, enterprise in db.session.execute(select(Organization.name,
                                                          Organization.enterprise_name)):
            places.extend(p for p in (name, enterprise) if p)
        return cls(names, places)

    def allows(self, sentence: str) -> bool:
        """May this sentence be quoted without pointing at anyone?"""
        if POINTING.search(sentence):
            return False
        for size in NAME_LENGTHS:
            for start in range(len(sentence) - size + 1):
                if sentence[start:start + size] in self.names:
                    return False
        return not any(place in sentence for place in self.places)


def excerpt(sentence: str, word: str) -> str:
    """The sentence, or QUOTE_CHARS characters of it around the word, marked … where cut."""
    sentence = sentence.strip()
    if len(sentence) <= QUOTE_CHARS:
        return sentence
    at = max(0, normalise(sentence).find(word))
    start = max(0, min(at - QUOTE_CHARS // 3, len(sentence) - QUOTE_CHARS))
    piece = sentence[start:start + QUOTE_CHARS]
    return ("…" if start else "") + piece + ("…" if start + QUOTE_CHARS < len(sentence) else "")


def sentence_with(text: str, word: str) -> str | None:
    """The first sentence of the text that uses the word (compared normalised), or None."""
    for found in SENTENCE.finditer(text):
        if word in normalise(found.group(0)):
            return found.group(0)
    return None


def pick(themes: Sequence[str], texts: Sequence[Text], normals: Sequence[str],
         anonymity: Anonymity) -> dict[str, list[dict[str, str]]]:
    """word → up to QUOTES_PER_THEME quotes (text, kind), from different texts."""
    used: set[int] = set()
    found: dict[str, list[dict[str, str]]] = {}
    for word in themes:
        quotes: list[dict[str, str]] = []
        looked = 0
        for index, normal in enumerate(normals):
            if len(quotes) >= QUOTES_PER_THEME or looked >= CANDIDATES:
                break
            if index in used or word not in normal:
                continue
            looked += 1
            sentence = sentence_with(texts[index].text, word)
            if sentence is None or not anonymity.allows(sentence):
                continue
            used.add(index)
            quotes.append({"text": excerpt(sentence, word), "kind": texts[index].kind})
        found[word] = quotes
    return found
