"""Words for 研判: a member's text cut into the words a theme can be made of — jieba's
dictionary and algorithm (rjieba, the jieba-rs binding, for speed) with the committee's
dictionary (content/analysis_terms.txt) and stop words (content/analysis_stopwords.txt),
weighed by jieba's reference IDF table (jieba/analyse/idf.txt, the table
`jieba.analyse.extract_tags` uses).

A word counts when it has at least two characters, holds a Chinese character or a Latin
letter, is not a number and is not a stop word. Text is NFKC-normalised and case folded first
(full-width letters and digits as ASCII), so ＡＩ and ai are one word.
"""

from __future__ import annotations

import importlib.util
import statistics
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import rjieba

CONTENT = Path(__file__).resolve().parents[1] / "content"
TERMS_FILE = CONTENT / "analysis_terms.txt"
STOPWORDS_FILE = CONTENT / "analysis_stopwords.txt"
NUMERALS = frozenset("0123456789零〇一二两三四五六七八九十百千万亿.%")
MIN_CHARS = 2


@dataclass(frozen=True)
class Words:
    """The process's cutter, stop words, reference IDF and the committee's words."""

    cutter: rjieba.Jieba
    stopwords: frozenset[str]
    idf: dict[str, float]
    median_idf: float
    committee: frozenset[str]

    def weight(self, word: str) -> float:
        """A word's IDF: jieba's reference value, the median for a word it does not know;
        a committee word weighs at least the median (so a listed phrase is never outweighed
        by being common in jieba's reference corpus)."""
        value = self.idf.get(word, self.median_idf)
        return max(value, self.median_idf) if word in self.committee else value


_LOCK = threading.Lock()
_WORDS: Words | None = None


def lines(path: Path) -> list[str]:
    """A content list's lines without blanks and # notes."""
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def read_terms(path: Path = TERMS_FILE) -> list[tuple[str, int | None]]:
    """The committee's dictionary: each word and its frequency (None: kept whole)."""
    found: list[tuple[str, int | None]] = []
    for line in lines(path):
        word, _, freq = line.partition(" ")
        found.append((normalise(word), int(freq) if freq.strip().isdecimal() else None))
    return found


def idf_file() -> Path:
    """jieba's reference IDF table, found without importing jieba (which is slow to load)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("jieba is not installed (pip install -r requirements.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "analyse" / "idf.txt"


def _read_idf(path: Path) -> dict[str, float]:
    """word → IDF from jieba's table (one "word value" a line)."""
    table: dict[str, float] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.rstrip("\n").partition(" ")
            if value:
                table[word] = float(value)
    return table


def words() -> Words:
    """The process's words, loaded on first use (about half a second: the IDF table)."""
    global _WORDS
    if _WORDS is None:
        with _LOCK:
            if _WORDS is None:
                cutter = rjieba.Jieba()
                committee = read_terms()
                for word, freq in committee:
                    cutter.add_word(word, freq, None)
                idf = _read_idf(idf_file())
                _WORDS = Words(cutter, frozenset(normalise(w) for w in lines(STOPWORDS_FILE)),
                               idf, statistics.median(idf.values()),
                               frozenset(word for word, _ in committee))
    return _WORDS


def normalise(text: str) -> str:
    """Full-width letters and digits as ASCII (NFKC), case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def keeps(token: str, stopwords: frozenset[str]) -> bool:
    """Does this token count as a word of a theme?"""
    if len(token) < MIN_CHARS or token in stopwords:
        return False
    if all(c in NUMERALS for c in token):
        return False
    return any(_is_cjk(c) or (c.isascii() and c.isalpha()) for c in token)


def cut(text: str, loaded: Words | None = None) -> list[str | None]:
    """The text's tokens in order: a kept word, or None where something else stood (a stop
    word, a mark, a number), so that a phrase is only ever two words side by side."""
    source = loaded or words()
    stop = source.stopwords
    return [token if keeps(token, stop) else None
            for token in (t.strip() for t in source.cutter.cut(normalise(text), True)) if token]
