"""问答 in chat: 提问 <问题>, and any free text that no command or conversation step took.
The answer is one or two passages of the library quoted as written, each with its material's
title and the member's tracked link (opening it counts as reading); below the threshold, an
honest "not found" and the offer to send the question to the committee (问题箱).

    提问 问题 / free text ──▶ found: the quotes (read only, nothing written)
                         └──▶ not found ──▶ offer ──(是)──▶ questions.box.submit
                                              │ (否): not sent
                                              │ anything else: taken as a new question
    a near miss of a command (帮主, 我的积份) ──▶ the command suggested (handlers/help.py)
"""

from __future__ import annotations

from answers.index import Kind, Passage
from answers.search import MAX_QUESTION, Hit, Result, Status, search
from bot.context import Context
from bot.conversation import DEFAULT_TIMEOUT_S, Flow
from bot.inbound import TextMessage
from bot.replies import TEXT_LIMIT, Reply, Text
from bot.router import Command
from content import answer_texts as texts
from handlers import help
from questions import box
from study.links import read_url

FLOW = "answer_offer"
OFFER_TIMEOUT_S = DEFAULT_TIMEOUT_S  # the 30 minutes texts.CONVERSATION_EXPIRED names
SHOWN_QUESTION = 30  # characters of the question echoed in "not found"


def _source(passage: Passage) -> str:
    """Where a quote is from: the material's title and section, or the 问答库's question."""
    if passage.kind == Kind.ANSWER:
        day = box.day_text(passage.answered_at) if passage.answered_at else ""
        return texts.ANSWER_SOURCE.format(question=passage.title, by=passage.answered_by,
                                          day=day)
    heading = texts.SOURCE_HEADING.format(heading=passage.heading) if passage.heading else ""
    return texts.SOURCE.format(title=passage.title, heading=heading)


def _quote(hit: Hit, userid: str) -> str:
    """One passage as quoted: its words, where they are from, the member's link."""
    passage = hit.passage
    lines = [texts.QUOTE.format(text=passage.text), _source(passage)]
    if passage.kind == Kind.MATERIAL:
        lines.append(texts.READ_LINK.format(url=read_url(passage.source_id, userid=userid)))
    return "\n".join(lines)


def found_text(result: Result, userid: str) -> str:
    """The reply quoting the result's passages: the second only while the whole fits in one
    passive reply (TEXT_LIMIT bytes)."""
    parts = [texts.FOUND_HEAD]
    for hit in result.hits:
        quote = _quote(hit, userid)
        whole = "\n\n".join([*parts, quote, texts.FOUND_TAIL])
        if len(parts) > 1 and len(whole.encode()) > TEXT_LIMIT:
            break
        parts.append(quote)
    parts.append(texts.FOUND_TAIL)
    return "\n\n".join(parts)


def _shown(question: str) -> str:
    return question if len(question) <= SHOWN_QUESTION else question[:SHOWN_QUESTION] + "…"


def answer(ctx: Context, question: str, typed_ask: bool) -> Reply:
    """The answer to a question: quotes, or not found with the offer to send it on."""
    result = search(question)
    if result.status == Status.FOUND:
        return Text(found_text(result, ctx.message.from_user))
    if result.status == Status.TOO_LONG:
        return Text(texts.TOO_LONG.format(length=result.length, limit=MAX_QUESTION))
    if result.status == Status.NOT_FOUND:
        ctx.start(FLOW, "offer", question=question.strip())
        return Text(texts.NOT_FOUND.format(question=_shown(question.strip())))
    if result.status == Status.EMPTY and typed_ask:
        return Text(texts.ASK_EMPTY)
    return Text(texts.NO_WORDS) if typed_ask else help.fallback(ctx)


def _rest(text: str) -> str:
    """The text after 提问 (or 问答)."""
    words = text.split(maxsplit=1)
    if words and words[0] in texts.ASK_WORDS:
        return words[1] if len(words) > 1 else ""
    word = texts.ASK_WORDS[0]  # 提问党费怎么交, written without a space
    return text[len(word):] if text.startswith(word) else text


def ask(ctx: Context) -> Reply:
    """提问 <问题>: the library's answer to the question."""
    question = _rest(ctx.text).strip()
    if not question:
        return Text(texts.ASK_EMPTY)
    return answer(ctx, question, typed_ask=True)


def fallback(ctx: Context) -> Reply:
    """Free text that no other route took is a question; a greeting, a near miss of a
    command, a non-text message and an expired conversation get help's answer."""
    if ctx.expired_flow == FLOW:
        ctx.expired_flow = None  # an offer left unanswered is nothing to report
    if ctx.expired_flow or not ctx.text:
        return help.fallback(ctx)
    return (help.greeting(ctx) or help.suggestion(ctx)
            or answer(ctx, _rest(ctx.text), typed_ask=False))


def _send(ctx: Context, question: str) -> Reply:
    """Put the question into the committee's queue (the pipeline commits it with the reply)."""
    assert ctx.member is not None
    try:
        sent = box.submit(ctx.member, question, ctx.now)
    except box.QuestionError as exc:
        reason = (texts.SEND_TOO_LONG.format(length=exc.length, limit=exc.limit)
                  if exc.reason == "too_long" else texts.SEND_EMPTY)
        return Text(texts.SEND_FAILED.format(reason=reason))
    return Text(texts.SENT.format(number=sent.number))


def offer(ctx: Context) -> Reply:
    """The reply to "要把这个问题转给党委吗？": 是 sends it, 否 does not, any other text is a
    new question."""
    if not isinstance(ctx.message, TextMessage) or not ctx.text:
        ctx.stay()
        return Text(texts.OFFER_AGAIN)
    reply = ctx.text.strip().rstrip("。.!！").lower()
    question = str(ctx.data.get("question", ""))
    if reply in texts.YES_WORDS:
        ctx.finish()
        return _send(ctx, question)
    if reply in texts.NO_WORDS_REPLY:
        ctx.finish()
        return Text(texts.NOT_SENT)
    ctx.finish()
    return help.suggestion(ctx) or answer(ctx, ctx.text, typed_ask=False)


COMMANDS = [Command("ask", texts.ASK_WORDS, ask, texts.ASK_SUMMARY)]

# 确认 is a command's keyword too; in the offer it means 是. Any other command just ends the
# offer and runs (nothing is lost: the question was only offered).
FLOWS = [Flow(FLOW, {"offer": offer}, timeout_s=OFFER_TIMEOUT_S, answers={"offer": ("确认",)},
              ask_to_leave=False)]
