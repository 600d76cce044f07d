"""学习用书 in chat, for an organisation's contacts: the receipt card's 确认收到 button, 确认收书
(the unconfirmed books of their organisations; 确认收书 编号 confirms one), and 发放人数 (how
many members got a copy), asked for right after a confirmation as a one-step conversation.

    card 确认收到 (template_card_event, key book:<distribution>:confirm) ─┐
    确认收书 编号 ──────────────────────────────────────────────────────┴▶ confirmed once
        ▶ 请回复发到党员手中的人数 ▶ 30 ▶ recorded (at most the organisation's active members)
    发放人数 [编号] 人数 ▶ recorded or corrected later

A receipt confirmed before (a double tap, a second contact) is answered with when and by whom,
and recorded once (books.receipts). Card taps are answered by message/send: WeCom shows no
passive text reply to a card event.
"""

from __future__ import annotations

import re

import clock
from books import cards, receipts
from books.people import active_members, contact_org_ids
from books.records import BookError
from bot.context import Context
from bot.conversation import Flow
from bot.inbound import TemplateCardEvent
from bot.replies import Reply, Text
from bot.router import Command
from content import book_texts as texts
from models import BookDistribution, Role

FLOW = "book_given"
NUMBER = re.compile(r"(?:编号)?0*(\d{1,9})")
SHOWN_MAX = 20


def _values(distribution: BookDistribution) -> dict[str, object]:
    return {"org": distribution.organization.name, "number": distribution.id,
            "book": cards.book_name(distribution.book.title), "copies": distribution.copies,
            "date": cards.day_text(distribution.sent_on)}


def _at(distribution: BookDistribution) -> str:
    """When the receipt was confirmed, on the committee's clock: 3月5日 14:05."""
    if distribution.confirmed_at is None:
        return ""
    shown = clock.local(distribution.confirmed_at)
    return f"{cards.day_text(shown.date())} {shown:%H:%M}"


def _shown(typed: str) -> str:
    return typed if len(typed) <= SHOWN_MAX else typed[:SHOWN_MAX] + "…"


def _number(typed: str) -> int | None:
    found = NUMBER.fullmatch(typed.strip())
    return int(found.group(1)) if found else None


def _follow(ctx: Context, distribution: BookDistribution) -> bool:
    """Ask for the members given as this conversation (never over another feature's)."""
    if ctx.conversation is None or ctx.conversation.flow == FLOW:
        ctx.start(FLOW, "count", distribution=distribution.id)
        return True
    return False


def _confirm(ctx: Context, distribution: BookDistribution | None, typed: str) -> str:
    """Confirm the receipt for the contact, or say why not; the answer's text."""
    assert ctx.identity is not None
    if distribution is None:
        return texts.UNKNOWN.format(number=_shown(typed))
    if distribution.organization_id not in contact_org_ids(ctx.identity.id):
        return texts.NOT_YOURS.format(number=distribution.id)
    values = _values(distribution)
    if not receipts.confirm(distribution, ctx.identity.id, ctx.identity.userid, ctx.now):
        return texts.ALREADY_CONFIRMED.format(**values, at=_at(distribution),
                                              by=receipts.confirmer(distribution))
    done = texts.CONFIRMED.format(**values)
    if _follow(ctx, distribution):
        limit = active_members(distribution.organization_id)
        return done + "\n" + texts.ASK_GIVEN.format(limit=limit, number=distribution.id)
    return done + "\n" + texts.GIVEN_USAGE.format(number=distribution.id)


def confirm_books(ctx: Context) -> Reply:
    """确认收书 [编号]: the contact's unconfirmed books, or the receipt of one confirmed."""
    assert ctx.identity is not None
    words = ctx.text.split(maxsplit=1)
    if len(words) > 1:
        number = _number(words[1])
        found = receipts.find(number) if number is not None else None
        return Text(_confirm(ctx, found, words[1]))
    pending = receipts.of_organizations(contact_org_ids(ctx.identity.id), confirmed=False)
    if not pending:
        return Text(texts.NONE_PENDING)
    lines = [texts.PENDING_HEAD.format(count=len(pending))]
    lines += [texts.PENDING_LINE.format(**_values(d), days=cards.days_since(d, ctx.now))
              for d in pending]
    lines.append(texts.PENDING_HINT.format(number=pending[0].id))
    return Text("\n".join(lines))


def _record(ctx: Context, distribution: BookDistribution, typed: str) -> str:
    """Record the members given (BookError for a bad count); the answer's text."""
    assert ctx.identity is not None
    values = _values(distribution)
    before = receipts.set_members_given(distribution, typed, ctx.identity.userid, ctx.now)
    count = distribution.members_given
    if before is None:
        return texts.GIVEN_SAVED.format(**values, count=count)
    if before == count:
        return texts.GIVEN_SAME.format(**values, count=count)
    return texts.GIVEN_CHANGED.format(**values, count=count, before=before)


def _refusal(exc: BookError, distribution: BookDistribution) -> str:
    """A count that cannot be taken, in Chinese."""
    if exc.reason == "not_confirmed":
        return texts.GIVEN_NOT_CONFIRMED.format(**_values(distribution))
    return texts.GIVEN_ERRORS.get(exc.reason, texts.GIVEN_ERRORS["not_number"]).format(
        **_values(distribution), typed=_shown(str(exc.details.get("typed", ""))),
        limit=exc.details.get("limit", 0))


def _choices(confirmed: list[BookDistribution]) -> str:
    lines = [texts.GIVEN_CHOOSE_HEAD.format(number=confirmed[-1].id)]
    for d in confirmed:
        given = (texts.GIVEN_NOT_YET if d.members_given is None
                 else texts.GIVEN_SHOWN.format(count=d.members_given))
        lines.append(texts.GIVEN_CHOOSE_LINE.format(**_values(d), given=given))
    return "\n".join(lines)


def report_given(ctx: Context) -> Reply:
    """发放人数 [编号] 人数: how many members got a copy of a confirmed book."""
    assert ctx.identity is not None
    args = ctx.text.split()[1:]
    orgs = contact_org_ids(ctx.identity.id)
    if len(args) == 2:
        number = _number(args[0])
        found = receipts.find(number) if number is not None else None
        if found is None:
            return Text(texts.UNKNOWN.format(number=_shown(args[0])))
        if found.organization_id not in orgs:
            return Text(texts.NOT_YOURS.format(number=found.id))
        return Text(_answer(ctx, found, args[1]))
    confirmed = receipts.of_organizations(orgs, confirmed=True)
    if not confirmed:
        return Text(texts.GIVEN_NONE)
    if len(args) != 1:
        return Text(_choices(confirmed))
    unreported = [d for d in confirmed if d.members_given is None]
    chosen = (unreported if unreported else confirmed)
    if len(chosen) != 1:
        return Text(_choices(confirmed))
    return Text(_answer(ctx, chosen[0], args[0]))


def _answer(ctx: Context, distribution: BookDistribution, typed: str) -> str:
    try:
        return _record(ctx, distribution, typed)
    except BookError as exc:
        return _refusal(exc, distribution)


def given_step(ctx: Context) -> Reply:
    """The conversation's step: the members given, typed after a confirmation (or 跳过)."""
    assert ctx.identity is not None
    distribution_id = ctx.data.get("distribution")
    found = receipts.find(distribution_id) if isinstance(distribution_id, int) else None
    if found is None or found.organization_id not in contact_org_ids(ctx.identity.id):
        ctx.finish()
        return Text(texts.UNKNOWN_CARD)
    if ctx.text in texts.SKIP_WORDS:
        ctx.finish()
        return Text(texts.GIVEN_SKIPPED.format(number=found.id))
    try:
        answer = _record(ctx, found, ctx.text)
    except BookError as exc:
        ctx.stay()
        return Text(_refusal(exc, found) + "\n" + texts.GIVEN_SKIPPED.format(number=found.id))
    ctx.finish()
    return Text(answer)


def on_card(ctx: Context) -> None:
    """template_card_event on a receipt card: 确认收到. Answered by message/send."""
    message = ctx.message
    assert isinstance(message, TemplateCardEvent) and ctx.identity is not None
    number = cards.parse_key(message.event_key)
    found = receipts.find(number) if number is not None else None
    text = texts.UNKNOWN_CARD if found is None else _confirm(ctx, found, str(number))
    ctx.outbox.text([ctx.identity.userid], text)
    return None


COMMANDS = [
    Command("confirm_books", texts.CONFIRM_WORDS, confirm_books, texts.CONFIRM_SUMMARY,
            role=Role.CONTACT),
    Command("books_given", texts.GIVEN_WORDS, report_given, texts.GIVEN_SUMMARY,
            role=Role.CONTACT),
]

FLOWS = [Flow(FLOW, {"count": given_step}, ask_to_leave=False)]

EVENTS = {f"template_card_event:{cards.PREFIX}": on_card}
