"""Chinese words for 问答: text cut into search terms by jieba (rjieba, the jieba-rs binding),
loaded once per process with the committee's user dictionary (content/answer_terms.txt) and
the stopwords of questions (content/answer_stopwords.txt).

Passages and questions go through the same `terms`, so a word is matched only as the
dictionary cuts it in both. jieba's search mode also yields the shorter dictionary words
inside a long one (组织关系转接 → 组织, 关系, 转接, 组织关系转接).
"""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path

import rjieba

CONTENT = Path(__file__).resolve().parents[1] / "content"
TERMS_FILE = CONTENT / "answer_terms.txt"
STOPWORDS_FILE = CONTENT / "answer_stopwords.txt"
SYNONYMS_FILE = CONTENT / "answer_synonyms.txt"
NUMERALS = frozenset("0123456789零〇一二两三四五六七八九十百千万亿")
UNITS = frozenset("块元个年月日天次岁")

_LOCK = threading.Lock()
_CUTTER: rjieba.Jieba | None = None
_STOPWORDS: frozenset[str] = frozenset()
_SYNONYMS: dict[str, tuple[str, ...]] = {}


def _lines(path: Path) -> list[str]:
    """The file's lines without blanks and # notes."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def read_terms(path: Path = TERMS_FILE) -> list[tuple[str, int | None]]:
    """The user dictionary: each word and its frequency (None: as often as needed to stay whole)."""
    terms: list[tuple[str, int | None]] = []
    for line in _lines(path):
        word, _, freq = line.partition(" ")
        terms.append((word, int(freq) if freq.strip().isdecimal() else None))
    return terms


def read_synonyms(path: Path = SYNONYMS_FILE) -> dict[str, tuple[str, ...]]:
    """Each member's word and the library's words for it."""
    found: dict[str, tuple[str, ...]] = {}
    for line in _lines(path):
        word, *library = line.split()
        if library:
            found[normalise(word)] = tuple(library)
    return found


def _cutter() -> tuple[rjieba.Jieba, frozenset[str]]:
    """The process's jieba with the user dictionary, built on first use (about 0.1 s)."""
    global _CUTTER, _STOPWORDS, _SYNONYMS
    if _CUTTER is None:
        with _LOCK:
            if _CUTTER is None:
                cutter = rjieba.Jieba()
                synonyms = read_synonyms()
                for word, freq in read_terms():
                    cutter.add_word(word, freq, None)
                for word in synonyms:  # a member's word is cut whole, to be looked up
                    cutter.add_word(word, None, None)
                _STOPWORDS = frozenset(normalise(word) for word in _lines(STOPWORDS_FILE))
                _SYNONYMS = synonyms
                _CUTTER = cutter
    return _CUTTER, _STOPWORDS


def normalise(text: str) -> str:
    """Full-width letters and digits as ASCII (ＮＦＫＣ), lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def is_cjk(char: str) -> bool:
    """True for a Chinese character (CJK unified ideographs and extension A)."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def _is_word(token: str) -> bool:
    """A token that can carry meaning: some letter, digit or Chinese character."""
    return any(is_cjk(c) or (c.isascii() and c.isalnum()) for c in token)


def terms(text: str) -> list[str]:
    """The search terms of a text: jieba's search-mode words, stopwords and punctuation out."""
    cutter, stopwords = _cutter()
    return [token for token in (t.strip() for t in cutter.cut_for_search(normalise(text), True))
            if token and _is_word(token) and token not in stopwords]


def is_number(term: str) -> bool:
    """True for a number (8000, 三千, 三千块, 一年): specifics, seldom written the same way."""
    body = term[:-1] if len(term) > 1 and term[-1] in UNITS else term
    return bool(body) and all(c in NUMERALS for c in body)


def synonyms(term: str) -> tuple[str, ...]:
    """The library's terms for a member's word (支委会 → 支部, 委员, 委员会, 支部委员会), or ()."""
    _cutter()
    words = _SYNONYMS.get(term, ())
    return tuple(t for word in words for t in terms(word))


def warm() -> None:
    """Load the dictionary now (the first question would otherwise pay for it)."""
    _cutter()
