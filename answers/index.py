"""The 问答 index: every active material's passages and every published question-box answer,
ranked with BM25 (bm25s), held once per web process and rebuilt when the library changes.

Freshness: a version stamp of the library (active materials: how many and the newest
`updated_at`; published answers: how many and their newest publish, answer and edit times)
is read from the database at most every ANSWERS_FRESH_S seconds (default 5). Each process
compares it with the stamp its index was built from and rebuilds when they differ, so every
web process follows the same database within those seconds, whoever made the change (a
`content sync`, a console save or retirement, a digest, a published answer). A rebuild
re-cuts only the texts it has not cut before (kept by their content), and costs a few
milliseconds for the demo library and well under a second for 10,000 passages
(bench/answers.py). See docs/answers.md.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import bm25s
import numpy as np
from flask import current_app
from sqlalchemy import func, select

from answers.passages import split_body
from answers.words import is_number, terms
from models import Material, Question, db

DEFAULT_FRESH_S = 5.0
EXTENSION = "pioneer_answers"
SOURCE_WEIGHT = 1.0  # how much the material's title, tags and summary add to a passage's score
K1, B = 1.2, 0.5  # BM25's term saturation and length normalisation (b 0.5: short paragraphs)


class Kind:
    """Where a passage comes from."""

    MATERIAL = "material"
    ANSWER = "answer"  # a question-box answer published to the 问答库


@dataclass(frozen=True)
class Passage:
    """One quotable text: a paragraph of a material, or a published answer."""

    kind: str
    source_id: int  # the material's id, or the question's
    title: str  # the material's title, or the question as asked
    heading: str  # the section the paragraph is in ('' for an answer)
    text: str  # the words quoted, exactly as written
    slug: str = ""
    answered_by: str = ""
    answered_at: datetime | None = None


@dataclass(frozen=True)
class Source:
    """What a passage sits in, searched besides the passage: a material's title, tags and
    summary, or a published question's own text."""

    text: str
    passages: tuple[Passage, ...]


Stamp = tuple[Any, ...]


def _key(*parts: object) -> str:
    return hashlib.blake2b("\x1f".join(str(p) for p in parts).encode(), digest_size=16).hexdigest()


class TermCache:
    """Texts already cut, by their content: a rebuild cuts only what changed."""

    def __init__(self) -> None:
        self.terms: dict[str, list[str]] = {}
        self.lock = threading.Lock()

    def cut(self, texts: Sequence[str]) -> list[list[str]]:
        """The terms of each text; the cache keeps only these texts afterwards."""
        with self.lock:
            fresh: dict[str, list[str]] = {}
            out = []
            for text in texts:
                key = _key(text)
                found = fresh.get(key) or self.terms.get(key)
                if found is None:
                    found = terms(text)
                fresh[key] = found
                out.append(found)
            self.terms = fresh
            return out


TERMS = TermCache()


def _lucene_idf(documents: int, frequency: int) -> float:
    return math.log(1 + (documents - frequency + 0.5) / (frequency + 0.5))


def _bm25(documents: list[list[str]]) -> bm25s.BM25:
    model = bm25s.BM25(method="lucene", k1=K1, b=B)
    model.index(documents, show_progress=False)
    return model


def _scores(model: bm25s.BM25, words: list[str], size: int) -> np.ndarray:
    """The model's BM25 score of every document for the words it knows (zeros for none)."""
    ids = [model.vocab_dict[w] for w in words if w and w in model.vocab_dict]
    if not ids:
        return np.zeros(size or model.scores["num_docs"], dtype=np.float32)
    return model.get_scores(ids)


@dataclass
class Index:
    """The passages, their terms and the two BM25 models (passages; their sources)."""

    stamp: Stamp
    passages: list[Passage]
    passage_terms: list[frozenset[str]]
    source_terms: list[frozenset[str]]
    source_of: np.ndarray  # the source row of each passage
    passage_model: bm25s.BM25 | None
    source_model: bm25s.BM25 | None
    idf: dict[str, float]
    max_idf: float
    built_ms: float = 0.0

    @property
    def size(self) -> int:
        """How many passages the index holds."""
        return len(self.passages)

    def scores(self, query: list[str]) -> np.ndarray:
        """Each passage's BM25 score for the query's known terms (its source's added in)."""
        known = [t for t in query if t in self.idf]
        if not known or self.passage_model is None or self.source_model is None:
            return np.zeros(len(self.passages), dtype=np.float32)
        return (_scores(self.passage_model, known, len(self.passages))
                + SOURCE_WEIGHT * _scores(self.source_model, known, 0)[self.source_of])

    def coverage(self, row: int, query: Iterable[str]) -> float:
        """The share of the question's weight (IDF) that this passage or its source holds;
        a term the library never uses weighs the most, so a question about something else
        covers little. Numbers are left out (8000 is answered by 5000元以上至10000元)."""
        words = {t for t in query if not is_number(t)}
        if not words:
            return 0.0
        found = self.passage_terms[row] | self.source_terms[int(self.source_of[row])]
        total = sum(self.idf.get(t, self.max_idf) for t in words)
        return sum(self.idf[t] for t in words if t in found) / total


def build(sources: Sequence[Source], stamp: Stamp = ()) -> Index:
    """An index over the sources' passages (heading and text) and the sources themselves."""
    began = time.perf_counter()
    passages = [p for source in sources for p in source.passages]
    source_of = np.array([row for row, source in enumerate(sources) for _ in source.passages],
                         dtype=np.int64)
    passage_docs = TERMS.cut([f"{p.heading}\n{p.text}" for p in passages] +
                             [source.text for source in sources])
    source_docs = passage_docs[len(passages):]
    passage_docs = passage_docs[:len(passages)]
    passage_terms = [frozenset(doc) for doc in passage_docs]
    source_terms = [frozenset(doc) for doc in source_docs]
    frequency: dict[str, int] = {}
    for row, words in enumerate(passage_terms):
        for word in words | source_terms[int(source_of[row])]:
            frequency[word] = frequency.get(word, 0) + 1
    count = max(1, len(passages))
    idf = {word: _lucene_idf(count, df) for word, df in frequency.items()}
    return Index(
        stamp=stamp, passages=passages, passage_terms=passage_terms, source_terms=source_terms,
        source_of=source_of,
        passage_model=_bm25(passage_docs) if passages else None,
        source_model=_bm25(source_docs) if passages else None,
        idf=idf, max_idf=_lucene_idf(count, 0),
        built_ms=(time.perf_counter() - began) * 1000)


def material_source(material: Material) -> Source:
    """A material's passages, and its title, tags and summary as their source."""
    passages = tuple(Passage(Kind.MATERIAL, material.id, material.title, block.heading,
                             block.text, slug=material.slug)
                     for block in split_body(material.body))
    return Source("\n".join([material.title, " ".join(material.tags or []), material.summary]),
                  passages)


def answer_source(question: Question) -> Source:
    """A published answer as one passage; its question is its source."""
    return Source(question.text, (Passage(
        Kind.ANSWER, question.id, question.text, "", (question.answer or "").strip(),
        answered_by=question.answered_by or "", answered_at=question.answered_at),))


def read_stamp() -> Stamp:
    """The library's version: one query, two counts and the newest change times."""
    active, published = Material.active, Question.published.is_(True)
    row = db.session.execute(select(
        select(func.count(Material.id)).where(active).scalar_subquery(),
        select(func.max(Material.updated_at)).where(active).scalar_subquery(),
        select(func.count(Question.id)).where(published).scalar_subquery(),
        select(func.max(Question.published_at)).where(published).scalar_subquery(),
        select(func.max(Question.answered_at)).where(published).scalar_subquery(),
        select(func.max(Question.edited_at)).where(published).scalar_subquery(),
    )).one()
    return tuple(str(value) for value in row)


def load_sources() -> list[Source]:
    """Every active material with a body, and every published answer, from the database."""
    sources = [material_source(m) for m in db.session.scalars(
        select(Material).where(Material.active).order_by(Material.id))]
    sources += [answer_source(q) for q in db.session.scalars(
        select(Question).where(Question.published.is_(True), Question.answer.is_not(None))
        .order_by(Question.id))]
    return [source for source in sources if source.passages and source.passages[0].text]


@dataclass
class Holder:
    """One app's index in this process, and when its stamp was last compared."""

    index: Index | None = None
    checked: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _holder() -> Holder:
    holder = current_app.extensions.get(EXTENSION)
    if holder is None:
        holder = current_app.extensions.setdefault(EXTENSION, Holder())
    return holder


def fresh_s() -> float:
    """ANSWERS_FRESH_S: seconds between two comparisons of the library's stamp."""
    return float(current_app.config.get("ANSWERS_FRESH_S", DEFAULT_FRESH_S))


def current_index() -> Index:
    """This process's index, rebuilt first when the library changed (checked every few s)."""
    holder = _holder()
    if holder.index is not None and time.monotonic() - holder.checked < fresh_s():
        return holder.index
    with holder.lock:
        if holder.index is None or time.monotonic() - holder.checked >= fresh_s():
            stamp = read_stamp()
            if holder.index is None or holder.index.stamp != stamp:
                holder.index = build(load_sources(), stamp)
            holder.checked = time.monotonic()
        return holder.index


def answers_settings() -> float:
    """ANSWERS_FRESH_S checked at start-up: a number of seconds, 0 or more."""
    value = fresh_s()
    if not value >= 0:
        raise ValueError(f"ANSWERS_FRESH_S must be 0 or more seconds, got {value}")
    return value
