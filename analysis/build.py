"""Building one analysis: read the period's texts and the period before's, count their words,
score the themes and their trend (overall, in questions, and per kind of enterprise), quote
them, draw up the lists, and match the texts against the watch list.

The result, stored as `Analysis.result`, holds: period and previous (labels, days), scope
(label, organisations), texts (reflections, questions, total; previous_total), themes (word,
texts, share, score, previous_share, change, trend, quotes), fallen, phrases,
question_themes, kinds (kind, name, texts, themes), unanswered, missed, materials, idle,
unreached, watch (new hits, open hits) and seconds (how long the build took).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from analysis import lists, quotes, themes, watch
from analysis.corpus import QUESTION, Text, main_orgs, org_kinds, texts
from analysis.scope import KINDS, PeriodSpec, org_ids, scope_label
from analysis.themes import Counts
from analysis.words import Words, keeps, normalise, words
from content import analysis_texts as t
from models import Analysis, WatchHit, db

THEMES = 20
QUOTED = 8
PHRASES = 15
QUESTION_THEMES = 10
KIND_THEMES = 8
Progress = Callable[[int, str], None]


def _count(items: Sequence[Text], kinds: dict[int, str], loaded: Words,
           keep_normals: bool) -> tuple[Counts, Counts, dict[str, Counts], list[str]]:
    """All texts' counts, the questions', each kind's, and (if asked) the normal forms."""
    every, asked = Counts(), Counts()
    per_kind = {kind: Counts() for kind in KINDS}
    normals: list[str] = []
    cutter, stop = loaded.cutter, loaded.stopwords
    for item in items:
        text = normalise(item.text)
        if keep_normals:
            normals.append(text)
        tokens = [token if keeps(token, stop) else None
                  for token in cutter.cut(text, True) if token.strip()]
        every.add(tokens)
        if item.kind == QUESTION:
            asked.add(tokens)
        kind = kinds.get(item.org_id or 0, "other")
        per_kind.setdefault(kind, Counts()).add(tokens)
    return every, asked, per_kind, normals


def build(row: Analysis, now: datetime, progress: Progress) -> dict[str, Any]:
    """The analysis's result (see the module's docstring); `progress(percent, stage)` is
    called as it goes."""
    began = time.perf_counter()
    spec = PeriodSpec(row.unit, row.year, row.number)
    period, before = spec.period(), spec.previous().period()
    orgs = org_ids(row.scope)
    progress(5, "load")
    loaded = words()
    mains, kinds = main_orgs(), org_kinds()
    now_texts = texts(period, orgs, mains)
    before_texts = texts(before, orgs, mains)
    progress(20, "count")
    every, asked, per_kind, normals = _count(now_texts, kinds, loaded, keep_normals=True)
    progress(45, "previous")
    was, was_asked, was_kind, _ = _count(before_texts, kinds, loaded, keep_normals=False)
    progress(60, "themes")
    top = themes.with_trend(themes.top_words(every, loaded, THEMES), was)
    picked = quotes.pick([theme["word"] for theme in top[:QUOTED]], now_texts, normals,
                         quotes.Anonymity.from_roster())
    for theme in top:
        theme["quotes"] = picked.get(theme["word"], [])
    by_kind = [{"kind": kind, "name": t.KIND_NAMES.get(kind, kind), "texts": counts.texts,
                "themes": themes.with_trend(themes.top_words(counts, loaded, KIND_THEMES),
                                            was_kind.get(kind, Counts()))}
               for kind, counts in per_kind.items() if counts.texts]
    progress(75, "lists")
    result: dict[str, Any] = {
        "period": {"label": spec.label, "first_day": period.first_day.isoformat(),
                   "last_day": period.last_day.isoformat()},
        "previous": {"label": spec.previous().label, "first_day": before.first_day.isoformat(),
                     "last_day": before.last_day.isoformat()},
        "scope": {"label": scope_label(row.scope),
                  "organizations": len(orgs) if orgs is not None else None},
        "texts": {"reflections": every.texts - asked.texts, "questions": asked.texts,
                  "total": every.texts, "previous_total": was.texts},
        "themes": top,
        "fallen": themes.fallen(every, was, loaded, QUESTION_THEMES),
        "phrases": themes.top_phrases(every, loaded, PHRASES),
        "question_themes": themes.with_trend(themes.top_words(asked, loaded, QUESTION_THEMES),
                                             was_asked),
        "kinds": by_kind,
        "unanswered": lists.unanswered(period, orgs),
        "missed": lists.missed(period, orgs),
        "materials": lists.rarely_completed(period, orgs),
        "idle": lists.idle(period, orgs, row.idle_weeks, now),
        "unreached": lists.unreached(period, orgs),
    }
    progress(90, "watch")
    new_hits = watch.scan(now_texts, now)
    open_hits = db.session.scalar(select(func.count(WatchHit.id))
                                  .where(WatchHit.reviewed_at.is_(None)))
    result["watch"] = {"new": new_hits, "open": int(open_hits or 0)}
    result["seconds"] = round(time.perf_counter() - began, 2)
    return result
