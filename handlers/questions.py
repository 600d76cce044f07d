"""我的提问 in chat: the member's latest questions to the committee with their answers, and one
question in full (我的提问 TW-000012, or just its number).

The question is sent by 问答 (handlers of the answers feature) through questions.box.submit;
this module only shows what the member asked and what the committee answered.
"""

from __future__ import annotations

import re

from bot.context import Context
from bot.replies import Reply, Text
from bot.router import Command
from content import questions_texts as texts
from models import Question
from questions import box

SHOWN = 5  # questions listed; older ones are counted
QUESTION_CHARS = 40  # of a question in the list
ANSWER_CHARS = 120  # of an answer in the list; the full one is one command away
NUMBER = re.compile(r"(?:TW-?)?0*(\d{1,9})", re.IGNORECASE)


def short(text: str, limit: int) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[:limit - 1] + texts.ELLIPSIS


def _line(question: Question, limit: int | None = None) -> str:
    """One question with its answer (or 待答复)."""
    question_text = question.text if limit is None else short(question.text, QUESTION_CHARS)
    lines = [texts.MINE_LINE.format(number=question.number, date=box.day_text(question.asked_at),
                                    question=question_text)]
    if question.is_open or question.answer is None:
        lines.append(texts.MINE_OPEN)
    else:
        answer = question.answer if limit is None else short(question.answer, limit)
        when = question.edited_at or question.answered_at or question.asked_at
        lines.append(texts.MINE_ANSWER.format(answer=answer, by=question.answered_by or "",
                                              date=box.day_text(when)))
    return "\n".join(lines)


def _one(member_id: int, typed: str) -> Reply:
    """One of the member's own questions in full (another member's looks missing)."""
    match = NUMBER.fullmatch(typed.replace(" ", ""))
    question = box.find(int(match.group(1))) if match else None
    if question is None or question.member_id != member_id:
        return Text(texts.MINE_UNKNOWN.format(number=short(typed, QUESTION_CHARS)))
    return Text(_line(question))


def mine(ctx: Context) -> Reply:
    """我的提问 [编号]: the member's latest questions and answers, or one of them in full."""
    assert ctx.identity is not None
    words = ctx.text.split(maxsplit=1)
    if len(words) > 1:
        return _one(ctx.identity.id, words[1])
    rows, total = box.mine(ctx.identity.id, SHOWN)
    if not rows:
        return Text(texts.MINE_EMPTY)
    parts = [texts.MINE_HEADER.format(count=len(rows))]
    parts += [_line(question, ANSWER_CHARS) for question in rows]
    if total > len(rows):
        parts.append(texts.MINE_MORE.format(more=total - len(rows)))
    parts.append(texts.MINE_HINT)
    return Text("\n".join(parts))


COMMANDS = [
    Command("questions_mine", texts.MINE_WORDS, mine, texts.MINE_SUMMARY),
]
