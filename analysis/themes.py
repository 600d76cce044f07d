"""Themes: the words and phrases that many of a period's texts share and that say something,
scored by TF-IDF over the period's texts, with their trend against the period before.

- A word's *texts* is how many of the period's texts use it at least once (a text that
  repeats a word counts once: one member cannot make a theme by insisting); its *share* is
  that count per 100 texts.
- Its *score* is share × IDF, the IDF being jieba's reference value (analysis/words.py): a
  word every text uses anyway (理解, 发现) weighs little, a specific one (乡村振兴) much.
- A theme needs MIN_TEXTS texts. A *phrase* is two words side by side in at least
  MIN_TEXTS texts, in at least PHRASE_COHESION of the texts of its rarer word (so that it is
  a phrase, not two words that meet by chance), scored the same way with its words' mean IDF.
- The trend compares the share now and in the period before: 上升 when it grew by at least
  RISE_SHARE of what it was and by MIN_CHANGE points, 下降 likewise, 新出现 when the period before
  had none, else 持平.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from analysis.words import Words

MIN_TEXTS = 2
PHRASE_COHESION = 0.3
RISE_SHARE = 0.2
MIN_CHANGE = 0.5  # percentage points


@dataclass
class Counts:
    """How many texts, and in how many of them each word and each phrase stands."""

    texts: int = 0
    words: Counter[str] = field(default_factory=Counter)
    pairs: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, tokens: Sequence[str | None]) -> None:
        """Count one text's tokens (each word and phrase once per text)."""
        self.texts += 1
        self.words.update({t for t in tokens if t is not None})
        self.pairs.update({(a, b) for a, b in pairwise(tokens)
                           if a is not None and b is not None and a != b})

    def share(self, count: int) -> float:
        """A count per 100 texts."""
        return 100.0 * count / self.texts if self.texts else 0.0


def top_words(counts: Counts, words: Words, limit: int) -> list[dict[str, Any]]:
    """The best-scored words: word, texts, share and score, best first (ties by word)."""
    scored = [(counts.share(n) * words.weight(word), word, n)
              for word, n in counts.words.items() if n >= MIN_TEXTS]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [{"word": word, "texts": n, "share": round(counts.share(n), 2),
             "score": round(score, 2)} for score, word, n in scored[:limit]]


def top_phrases(counts: Counts, words: Words, limit: int) -> list[dict[str, Any]]:
    """The best-scored phrases: phrase (the two words joined), texts, share, best first."""
    scored = []
    for (first, second), n in counts.pairs.items():
        rarer = min(counts.words[first], counts.words[second])
        if n < MIN_TEXTS or n < PHRASE_COHESION * rarer:
            continue
        weight = (words.weight(first) + words.weight(second)) / 2
        scored.append((counts.share(n) * weight, first + second, n))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [{"phrase": phrase, "texts": n, "share": round(counts.share(n), 2),
             "score": round(score, 2)} for score, phrase, n in scored[:limit]]


def direction(now: float, before: float, before_count: int) -> str:
    """上升 (up), 下降 (down), 新出现 (new) or 持平 (flat), by the rule above."""
    if before_count == 0:
        return "new" if now > 0 else "flat"
    change = now - before
    if change >= MIN_CHANGE and change >= RISE_SHARE * before:
        return "up"
    if -change >= MIN_CHANGE and -change >= RISE_SHARE * before:
        return "down"
    return "flat"


def with_trend(themes: Iterable[dict[str, Any]], before: Counts) -> list[dict[str, Any]]:
    """Each theme with its share in the period before, the change in points and the trend."""
    found = []
    for theme in themes:
        count = before.words.get(theme["word"], 0)
        share = round(before.share(count), 2)
        found.append({**theme, "previous_texts": count, "previous_share": share,
                      "change": round(theme["share"] - share, 2),
                      "trend": direction(theme["share"], share, count)})
    return found


def fallen(now: Counts, before: Counts, words: Words, limit: int) -> list[dict[str, Any]]:
    """The period before's top words whose share fell by the rule (what members stopped
    talking about), biggest fall first."""
    dropped = []
    for theme in top_words(before, words, limit * 2):
        count = now.words.get(theme["word"], 0)
        share = round(now.share(count), 2)
        if direction(share, theme["share"], theme["texts"]) == "down":
            dropped.append({"word": theme["word"], "texts": count, "share": share,
                            "previous_texts": theme["texts"],
                            "previous_share": theme["share"],
                            "change": round(share - theme["share"], 2), "trend": "down"})
    dropped.sort(key=lambda item: (item["change"], item["word"]))
    return dropped[:limit]
