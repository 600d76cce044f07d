"""The watch list (关注词): terms the committee keeps in the console, and the reflections and
questions that hold one, put in a queue for a person to review. Pioneer never acts on a
member because of a match: a reviewer reads the text and records what was done.

Matching: the text and every term and variant are NFKC-normalised (full-width letters and
digits as ASCII), case folded, and stripped of spaces and zero-width characters, so ＡＢＣ,
abc and "a b c" are one; then a term matches wherever its normal form, or any listed
variant's, stands in the text (a substring: Chinese has no word gaps). Nothing else is
inferred: no synonyms, no pinyin, no near misses — a variant the committee wants matched is
listed.

Texts are matched when an analysis reads them (its period's texts), by the periodic tick
(texts written since the last scan), and when a term is added or changed (the last
BACKFILL_DAYS days). A text and term make one hit, however often they are scanned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

import clock
from analysis.corpus import QUESTION, REFLECTION, Text, main_orgs, texts
from models import WatchHit, WatchScanMark, WatchTerm, audit, db

EXCERPT_CHARS = 30  # either side of the match
MAX_TERM = 50
MAX_VARIANTS = 20
MAX_NOTE = 500
BACKFILL_DAYS = 90
TICK_MARK = "tick"
OVERLAP = timedelta(minutes=5)  # re-read before the mark: a text committed late is not lost
IGNORED = re.compile(r"[\s\u200b-\u200d\u2060\ufeff]+")


class WatchError(ValueError):
    """A term or review that cannot be saved; `reason` names why (texts.WATCH_ERRORS)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def normal(text: str) -> str:
    """The form a text and a term are compared in: NFKC, case folded, no spaces."""
    return IGNORED.sub("", unicodedata.normalize("NFKC", text).casefold())


def _mapped(text: str) -> tuple[str, list[int]]:
    """The normal form built character by character, with each character's place in the
    original text (for quoting the original words)."""
    chars: list[str] = []
    places: list[int] = []
    for index, char in enumerate(text):
        for piece in normal(char):
            chars.append(piece)
            places.append(index)
    return "".join(chars), places


@dataclass(frozen=True)
class Found:
    """One term found in a text: which, the original words that matched, an excerpt."""

    term_id: int
    term: str
    matched: str
    excerpt: str


class Matcher:
    """The active terms compiled into one pattern."""

    def __init__(self, terms: Sequence[WatchTerm]) -> None:
        self.owners: dict[str, list[tuple[int, str]]] = {}
        for term in terms:
            for form in {normal(v) for v in (term.term, *term.variants)} - {""}:
                self.owners.setdefault(form, []).append((term.id, term.term))
        forms = sorted(self.owners, key=lambda f: (-len(f), f))
        self.pattern = re.compile("|".join(map(re.escape, forms))) if forms else None

    def find(self, text: str) -> list[Found]:
        """Every term the text holds, once each, with the first place it stands."""
        if self.pattern is None or not self.pattern.search(normal(text)):
            return []
        mapped, places = _mapped(text)
        seen: dict[int, Found] = {}
        for form in self.owners:  # each form on its own: one may stand inside another
            at = mapped.find(form)
            if at < 0:
                continue
            start, end = places[at], places[at + len(form) - 1] + 1
            for term_id, term in self.owners[form]:
                if term_id not in seen:
                    seen[term_id] = Found(term_id, term, text[start:end][:100],
                                          _excerpt(text, start, end))
        return [seen[k] for k in sorted(seen)]


def _excerpt(text: str, start: int, end: int) -> str:
    """The match with EXCERPT_CHARS characters either side, … where cut."""
    first, last = max(0, start - EXCERPT_CHARS), min(len(text), end + EXCERPT_CHARS)
    piece = " ".join(text[first:last].split())
    return ("…" if first else "") + piece + ("…" if last < len(text) else "")


def matcher() -> Matcher:
    """The active watch list, compiled."""
    return Matcher(list(db.session.scalars(select(WatchTerm).where(WatchTerm.active))))


def _insert() -> object:
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(WatchHit)


def record(found: Iterable[tuple[Text, Found]], now: datetime) -> int:
    """Write the hits not yet in the queue; how many were new."""
    rows = [{"source_kind": t.kind, "source_id": t.id, "term_id": f.term_id, "term": f.term,
             "matched": f.matched, "excerpt": f.excerpt, "written_at": t.at, "found_at": now}
            for t, f in found]
    if not rows:
        return 0
    statement = _insert().on_conflict_do_nothing(  # type: ignore[attr-defined]
        index_elements=["source_kind", "source_id", "term_id"]).returning(WatchHit.id)
    return len(list(db.session.execute(statement, rows).scalars()))


def scan(items: Iterable[Text], now: datetime, only: Matcher | None = None) -> int:
    """Match the texts against the watch list (or one matcher); how many hits were new."""
    using = only or matcher()
    if using.pattern is None:
        return 0
    return record(((t, f) for t in items for f in using.find(t.text)), now)


def scan_new(now: datetime) -> int:
    """The tick's work: texts written since the last scan (a little before, to be safe)."""
    mark = db.session.get(WatchScanMark, TICK_MARK)
    since = (mark.scanned_to - OVERLAP) if mark else now - timedelta(days=1)
    found = scan(texts(clock.Period(since, now), None), now)
    if mark is None:
        db.session.add(WatchScanMark(name=TICK_MARK, scanned_to=now))
    else:
        mark.scanned_to = now
    db.session.commit()
    return found


def backfill(term_id: int, now: datetime) -> int:
    """Match one term against the last BACKFILL_DAYS days of texts (a new or changed term)."""
    term = db.session.get(WatchTerm, term_id)
    if term is None or not term.active:
        return 0
    found = scan(texts(clock.Period(now - timedelta(days=BACKFILL_DAYS), now), None,
                       main_orgs()), now, Matcher([term]))
    db.session.commit()
    return found


def clean_term(term: str, variants_text: str, note: str) -> tuple[str, list[str], str]:
    """The term, its variants (one a line or separated by commas) and the note, checked."""
    term = " ".join(term.split())
    if not normal(term):
        raise WatchError("empty", "the term is empty")
    variants = [" ".join(v.split()) for v in re.split(r"[\n,，、;；]+", variants_text or "")]
    variants = list(dict.fromkeys(v for v in variants if normal(v) and normal(v) != normal(term)))
    if len(term) > MAX_TERM or any(len(v) > MAX_TERM for v in variants):
        raise WatchError("too_long", f"a term or variant is over {MAX_TERM} characters")
    if len(variants) > MAX_VARIANTS:
        raise WatchError("too_many", f"more than {MAX_VARIANTS} variants")
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise WatchError("note_too_long", f"the note is over {MAX_NOTE} characters")
    return term, variants, note


def save_term(term_id: int | None, term: str, variants_text: str, note: str, actor: str,
              now: datetime) -> WatchTerm:
    """Add a term, or change one (audited "watch.term_add" / "watch.term_edit"); the caller
    commits. WatchError("duplicate") when another term has the same normal form."""
    term, variants, note = clean_term(term, variants_text, note)
    key = normal(term)
    other = db.session.scalar(select(WatchTerm).where(WatchTerm.normal == key))
    row = db.session.get(WatchTerm, term_id) if term_id else None
    if term_id and row is None:
        raise WatchError("missing", f"no watch term {term_id}")
    if other is not None and (row is None or other.id != row.id):
        raise WatchError("duplicate", f"the term {term!r} is already listed")
    if row is None:
        row = WatchTerm(term=term, normal=key, variants=variants, note=note, active=True,
                        created_by=actor, created_at=now)
        db.session.add(row)
        db.session.flush()
        audit(actor, "watch.term_add", f"watch_term:{row.id}", term=term, variants=variants)
        return row
    row.term, row.normal, row.variants, row.note = term, key, variants, note
    row.updated_by, row.updated_at = actor, now
    audit(actor, "watch.term_edit", f"watch_term:{row.id}", term=term, variants=variants)
    return row


def set_active(row: WatchTerm, active: bool, actor: str, now: datetime) -> None:
    """Switch a term on or off (audited "watch.term_on" / "watch.term_off"); its hits stay."""
    row.active, row.updated_by, row.updated_at = active, actor, now
    audit(actor, "watch.term_on" if active else "watch.term_off", f"watch_term:{row.id}",
          term=row.term)


def review(hit: WatchHit, note: str, actor: str, now: datetime) -> bool:
    """Record what the reviewer did, once (audited "watch.review"); False when someone
    reviewed it first. The caller commits."""
    note = (note or "").strip()
    if not note:
        raise WatchError("note_empty", "say what was done")
    if len(note) > MAX_NOTE:
        raise WatchError("note_too_long", f"the note is over {MAX_NOTE} characters")
    done = db.session.execute(
        update(WatchHit).where(WatchHit.id == hit.id, WatchHit.reviewed_at.is_(None))
        .values(reviewed_by=actor, reviewed_at=now, action_note=note)).rowcount
    if done:
        audit(actor, "watch.review", f"watch_hit:{hit.id}", source=f"{hit.source_kind}:"
              f"{hit.source_id}", term=hit.term, note=note)
    return bool(done)


SOURCES = (REFLECTION, QUESTION)
