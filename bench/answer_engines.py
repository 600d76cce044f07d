"""问答's choice, measured: tokenizers (jieba, rjieba) and BM25 engines (bm25s, rank-bm25,
tantivy, SQLite FTS5) on the same generated passages.

    .venv/bin/python -m bench.answer_engines [--passages 10000] [--queries 300]

Passages and queries are random words of the demo library's vocabulary (Zipf-like weights),
already cut, so the engines are timed on ranking alone: the index build, then the top 3 of
each query. The tokenizers are timed on the demo library's bodies repeated 30 times (about
226,000 characters) in jieba's search mode, after loading. Needs requirements-dev.txt (jieba,
rank-bm25, tantivy). It asserts nothing.
"""

from __future__ import annotations

import argparse
import logging
import random
import sqlite3
import statistics
import time
from collections import Counter
from collections.abc import Callable

import bm25s
import jieba
import numpy as np
import rjieba
import tantivy
from rank_bm25 import BM25Okapi

from answers.words import is_cjk
from bench.common import machine_line
from study.library import load_library


def _ms(timings: list[float]) -> str:
    ordered = sorted(timings)
    return (f"p50 {statistics.median(ordered) * 1000:.2f} ms, "
            f"p99 {ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000:.2f} ms")


def _timed(queries: list[list[str]], run: Callable[[list[str]], object]) -> list[float]:
    timings = []
    for query in queries:
        began = time.perf_counter()
        run(query)
        timings.append(time.perf_counter() - began)
    return timings


def tokenizers() -> list[str]:
    """Load time and throughput of jieba and rjieba (search mode)."""
    text = "".join(item.body for item in load_library()) * 30
    jieba.setLogLevel(logging.WARNING)
    began = time.perf_counter()
    jieba.initialize()
    jieba_load = time.perf_counter() - began
    began = time.perf_counter()
    jieba.lcut_for_search(text)
    jieba_cut = time.perf_counter() - began
    began = time.perf_counter()
    cutter = rjieba.Jieba()
    rjieba_load = time.perf_counter() - began
    began = time.perf_counter()
    cutter.cut_for_search(text, True)
    rjieba_cut = time.perf_counter() - began
    return [f"- jieba 0.42.1: load {jieba_load * 1000:.0f} ms (from its cache file), "
            f"{len(text):,} characters in {jieba_cut * 1000:.0f} ms",
            f"- rjieba 0.2.2: load {rjieba_load * 1000:.0f} ms, "
            f"{len(text):,} characters in {rjieba_cut * 1000:.0f} ms"]


def corpus(passages: int, queries: int) -> tuple[list[list[str]], list[list[str]]]:
    """Random passages (30–120 words) and queries (3–8 distinct words)."""
    cutter = rjieba.Jieba()
    words = [t for item in load_library() for t in cutter.cut(item.body, True)
             if any(is_cjk(c) for c in t)]
    vocabulary = [w for w, _ in Counter(words).most_common()]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    rnd = random.Random(1)
    docs = [rnd.choices(vocabulary, weights, k=rnd.randint(30, 120)) for _ in range(passages)]
    asked = [list(dict.fromkeys(rnd.choices(vocabulary, weights, k=rnd.randint(3, 8))))
             for _ in range(queries)]
    return docs, asked


def engines(docs: list[list[str]], queries: list[list[str]]) -> list[str]:
    """Build time and top-3 latency of each engine."""
    out = []
    began = time.perf_counter()
    model = bm25s.BM25(method="lucene")
    model.index(docs, show_progress=False)
    built = time.perf_counter() - began

    def bm25s_top(query: list[str]) -> object:
        ids = [model.vocab_dict[w] for w in query if w in model.vocab_dict]
        scores = model.get_scores(ids) if ids else np.zeros(len(docs))
        return np.argpartition(-scores, 3)[:3]

    out.append(f"- bm25s 0.3.16: build {built * 1000:.0f} ms, "
               f"query {_ms(_timed(queries, bm25s_top))}")
    began = time.perf_counter()
    okapi = BM25Okapi(docs)
    built = time.perf_counter() - began

    def okapi_top(query: list[str]) -> object:
        return np.argpartition(-okapi.get_scores(query), 3)[:3]

    out.append(f"- rank-bm25 0.2.2: build {built * 1000:.0f} ms, "
               f"query {_ms(_timed(queries[:100], okapi_top))} (100 queries)")
    began = time.perf_counter()
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("body", stored=False, tokenizer_name="whitespace")
    builder.add_integer_field("id", stored=True)
    schema = builder.build()
    index = tantivy.Index(schema)
    writer = index.writer(50_000_000, 1)
    for number, doc in enumerate(docs):
        writer.add_document(tantivy.Document(body=" ".join(doc), id=number))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    searcher = index.searcher()
    built = time.perf_counter() - began

    def tantivy_top(query: list[str]) -> object:
        return searcher.search(tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "body", w)) for w in query]),
            3).hits

    out.append(f"- tantivy 0.27.0 (in memory): build {built * 1000:.0f} ms, query "
               f"{_ms(_timed(queries, tantivy_top))}")
    began = time.perf_counter()
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE p USING fts5(body, tokenize='unicode61')")
    connection.executemany("INSERT INTO p(rowid, body) VALUES (?, ?)",
                           [(n, " ".join(d)) for n, d in enumerate(docs)])
    connection.commit()
    built = time.perf_counter() - began

    def fts_top(query: list[str]) -> object:
        match = " OR ".join('"' + w.replace('"', '""') + '"' for w in query)
        return connection.execute("SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25(p) "
                                  "LIMIT 3", (match,)).fetchall()

    out.append(f"- SQLite {sqlite3.sqlite_version} FTS5 bm25(): build {built * 1000:.0f} ms, "
               f"query {_ms(_timed(queries, fts_top))}")
    return out


def main(argv: list[str] | None = None) -> None:
    """Run and print a Markdown list."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    docs, queries = corpus(args.passages, args.queries)
    print(machine_line(f"问答 engines, {args.passages:,} passages"))
    print("\n".join(tokenizers() + engines(docs, queries)))


if __name__ == "__main__":
    main()
