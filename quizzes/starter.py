"""The demo's starter bank (content/quiz_starter.py) put into the question bank once."""

from __future__ import annotations

from content.quiz_starter import STARTER_BANK
from models import utcnow
from quizzes.answers import MAX_OPTIONS
from quizzes.bank import Lookups, QuestionInput, check_question, create_question, find_by_stem


def seed_starter_bank(actor: str = "demo") -> int:
    """Add the starter questions the bank does not hold yet (their materials must be in the
    library); how many were added. Runs in the caller's transaction."""
    lookups = Lookups.load()
    typed = [QuestionInput(kind=row[0], text=row[1], options=tuple(row[2:2 + MAX_OPTIONS]),
                           answer=row[8], explanation=row[9], material=row[10],
                           campaign=row[11]) for row in STARTER_BANK]
    drafts = [check_question(question, lookups) for question in typed]
    held = find_by_stem(draft.stem_key for draft in drafts)
    now = utcnow()
    added = [create_question(draft, actor, now) for draft in drafts
             if draft.stem_key not in held]
    return len(added)
