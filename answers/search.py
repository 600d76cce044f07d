"""Search: a member's question against the index, the passages that answer it, or an honest
"not found" below the relevance threshold. Nothing here writes or makes up a word: a result
is a passage as the library has it, or nothing.

A passage answers when both hold (docs/answers.md, "The threshold"):
- its coverage, the share of the question's weight (each term's IDF; a term the library never
  uses weighs the most) found in the passage or its material's title, tags and summary, is at
  least MIN_COVERAGE, so a question about something the library does not speak of is not
  answered from the words it happens to share;
- its BM25 score (with its material's) is at least MIN_SCORE.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from answers.index import Index, Passage, current_index
from answers.words import is_cjk, is_number, synonyms, terms

MAX_QUESTION = 300  # characters; longer is a letter, not a question
MIN_COVERAGE = 0.25
MIN_SCORE = 3.0
SECOND_SHARE = 0.75  # a second passage is quoted only when it weighs this share of the first
CANDIDATES = 50  # the best-scored passages whose coverage is looked at


class Status:
    """What a search came to."""

    FOUND = "found"
    NOT_FOUND = "not_found"  # a question, but no passage clears the threshold
    NO_WORDS = "no_words"  # nothing to search for: emoji, marks, a greeting, a number
    EMPTY = "empty"
    TOO_LONG = "too_long"


@dataclass(frozen=True)
class Hit:
    """A passage that answers, with its score and coverage."""

    passage: Passage
    score: float
    coverage: float

    @property
    def weight(self) -> float:
        """What hits are ordered by: the BM25 score times the coverage."""
        return self.score * self.coverage


@dataclass(frozen=True)
class Result:
    """The search's outcome and the passages to quote, best first."""

    status: str
    hits: tuple[Hit, ...] = ()
    length: int = 0


def _searchable(words: list[str], index: Index) -> bool:
    """True when some term is Chinese or known to the library (not only ASCII marks or
    unknown latin words such as `OR`)."""
    return any(w in index.idf or any(is_cjk(c) for c in w) for w in words if not is_number(w))


def query_terms(question: str, index: Index) -> list[str]:
    """The question's terms, each once; a member's word the library does not use is replaced
    by the library's words for it (content/answer_synonyms.txt)."""
    words: list[str] = []
    for term in terms(question):
        library = synonyms(term) if term not in index.idf else ()
        words.extend(library or (term,))
    return list(dict.fromkeys(words))


def ranked(question: str, index: Index, limit: int = 3) -> list[Hit]:
    """The passages that clear the threshold for the question's terms, best first: the
    CANDIDATES best by BM25, ordered by score × coverage."""
    words = query_terms(question, index)
    if not words or index.size == 0:
        return []
    scores = index.scores(words)
    count = min(CANDIDATES, len(scores))
    hits = []
    for row in np.argpartition(-scores, count - 1)[:count].tolist():
        score = float(scores[row])
        coverage = index.coverage(row, words) if score >= MIN_SCORE else 0.0
        if coverage >= MIN_COVERAGE:
            hits.append(Hit(index.passages[row], score, coverage))
    hits.sort(key=lambda hit: -hit.weight)
    return hits[:limit]


def search(question: str, index: Index | None = None, limit: int = 2) -> Result:
    """The one or two passages that answer the question, or why there are none."""
    text = (question or "").strip()
    if not text:
        return Result(Status.EMPTY)
    if len(text) > MAX_QUESTION:
        return Result(Status.TOO_LONG, length=len(text))
    index = index if index is not None else current_index()
    words = terms(text)
    if not words or not _searchable(words, index):
        return Result(Status.NO_WORDS)
    hits = ranked(text, index, limit)
    if not hits:
        return Result(Status.NOT_FOUND)
    best = hits[0]
    kept = [best] + [h for h in hits[1:] if h.weight >= SECOND_SHARE * best.weight]
    return Result(Status.FOUND, tuple(kept))
