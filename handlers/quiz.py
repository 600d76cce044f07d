"""每日答题 and 专项答题 in chat, and 答题排行.

    答题 ──▶ question k of the day's set, as a card (and as text) ──▶ answer
                 │ tap a button (template_card_event, key quiz:<attempt>:<letters>)
                 │ or type A / AC / 对 / 错
                 ▼
             right or wrong, the explanation, the material's tracked link ──▶ k+1 … ──▶ the
             day's points and streak
    专项答题 [名称] ──▶ the same over a running campaign's questions
    答题排行 ──▶ this month's right answers in the member's organisation

A card or typed answer of an earlier committee day is expired; another member's card is
refused; a question answered before answers that it was, and scores nothing (quizzes.daily).
Card taps are answered by message/send: WeCom shows no passive text reply to a card event.
"""

from __future__ import annotations

import clock
from bot.context import Context
from bot.conversation import Flow
from bot.inbound import TemplateCardEvent
from bot.replies import Reply, Text
from bot.router import Command
from content import quiz_texts as texts
from content.titles import quoted
from models import Campaign, ParticipationKind, QuizAttempt
from participation.rules import rule_on
from quizzes import cards, daily
from quizzes.answers import AnswerError, letters_of, member_answer, shown
from quizzes.board import board as month_board
from study.links import read_url

FLOW = "quiz"
SHOWN_MAX = 20


def _day(attempt: QuizAttempt) -> str:
    return texts.DAY.format(month=attempt.day.month, day=attempt.day.day)


def _campaign_name(attempt: QuizAttempt, ctx: Context) -> str | None:
    if attempt.campaign_id is None:
        return None
    campaign = ctx.session.get(Campaign, attempt.campaign_id)
    return campaign.name if campaign is not None else None


def _follow(ctx: Context, attempt: QuizAttempt) -> None:
    """Point the quiz conversation at this question (never over another feature's)."""
    if ctx.conversation is None or ctx.conversation.flow == FLOW:
        ctx.start(FLOW, "answer", attempt=attempt.id)


def _end(ctx: Context) -> None:
    if ctx.conversation is not None and ctx.conversation.flow == FLOW:
        ctx.finish()


def _streak_text(ctx: Context) -> str:
    assert ctx.member is not None
    days = daily.streak(ctx.member.id, ctx.now)
    return texts.STREAK_FIRST if days <= 1 else texts.STREAK.format(days=days)


def _present(ctx: Context, attempt: QuizAttempt, total: int, card: bool = True) -> str:
    """Queue the question's card (when `card`), follow it, and return it as text."""
    assert ctx.member is not None
    campaign = _campaign_name(attempt, ctx)
    if card:
        ctx.outbox.send(cards.card(attempt, total, campaign), users=[ctx.member.userid])
    _follow(ctx, attempt)
    return cards.question_text(attempt, total, campaign)


def _done(ctx: Context, attempts: list[QuizAttempt]) -> str:
    """The end of a set: its figures (and, for the daily set, the streak)."""
    _end(ctx)
    tally = daily.tally(attempts)
    campaign = _campaign_name(attempts[0], ctx) if attempts else None
    if campaign:
        return texts.CAMPAIGN_DONE.format(campaign=campaign, total=tally.total,
                                          correct=tally.correct, points=tally.points)
    return texts.DAY_DONE.format(total=tally.total, correct=tally.correct,
                                 points=tally.points, streak=_streak_text(ctx))


def _next(ctx: Context, attempt: QuizAttempt, before: str, card: bool = True) -> str:
    """`before`, then the next question of the attempt's set as text, or the set's end; the
    next question's card is queued after the text when `card` (the text goes through the
    outbox, in front of the card, when the message was a card tap)."""
    assert ctx.member is not None
    attempts = daily.todays_set(attempt.member_id, attempt.day, attempt.campaign_id)
    following = daily.current(attempts)
    text = before + "\n\n" + (_done(ctx, attempts) if following is None
                              else _present(ctx, following, len(attempts), card=False))
    if isinstance(ctx.message, TemplateCardEvent):
        ctx.outbox.text([ctx.member.userid], text)
    if following is not None and card:
        ctx.outbox.send(cards.card(following, len(attempts), _campaign_name(following, ctx)),
                        users=[ctx.member.userid])
    return text


def _result(ctx: Context, outcome: daily.Outcome) -> str:
    """Right or wrong with the points, the explanation, the material's tracked link."""
    assert ctx.member is not None
    attempt = outcome.attempt
    question = attempt.question
    if outcome.correct:
        cap = rule_on(ParticipationKind.QUIZ, clock.today(ctx.now)).daily_points  # in force
        lines = [texts.RIGHT.format(points=outcome.points) if outcome.points else
                 texts.RIGHT_CAPPED.format(cap=cap) if outcome.capped else texts.RIGHT_NO_POINTS]
    else:
        lines = [texts.WRONG.format(choice=shown(attempt.choice or "", question.kind),
                                    answer=shown(question.answer, question.kind))]
    if question.explanation:
        lines.append(texts.EXPLANATION.format(text=question.explanation))
    material = question.material
    if material is not None and material.active:
        lines.append(texts.SOURCE.format(title=quoted(material.title),
                                         url=read_url(material.id, userid=ctx.member.userid)))
    return "\n".join(lines)


def _refusal(ctx: Context, attempt: QuizAttempt | None) -> str | None:
    """Why this question cannot be answered by this member now, or None."""
    assert ctx.member is not None
    if attempt is None:
        return texts.UNKNOWN_CARD
    if attempt.member_id != ctx.member.id:
        return texts.NOT_YOURS
    if daily.expired(attempt, ctx.now):
        return texts.EXPIRED.format(day=_day(attempt))
    closed = daily.closed_campaign(attempt, ctx.now)
    if closed is not None:
        return texts.CLOSED.format(campaign=closed.name, day=texts.DAY.format(
            month=closed.ends_on.month, day=closed.ends_on.day))
    return None


def _bad_answer(exc: AnswerError, attempt: QuizAttempt, typed: str) -> str:
    """A typed answer that cannot be taken, and how to answer."""
    question = attempt.question
    hint = cards.how(question.kind)
    if exc.reason == "one_only":
        return texts.ONE_ONLY
    if exc.reason == "not_option":
        return texts.NOT_AN_OPTION.format(letters=exc.letters, options="、".join(
            letters_of(len(question.options))))
    if exc.reason == "not_judge":
        return texts.NOT_JUDGE
    if exc.reason == "garbage":
        text = typed if len(typed) <= SHOWN_MAX else typed[:SHOWN_MAX] + "…"
        return texts.GARBAGE.format(text=text, how=hint)
    return texts.NO_ANSWER.format(how=hint)


def _answered(attempt: QuizAttempt) -> str:
    return texts.ALREADY_ANSWERED.format(choice=shown(attempt.choice or "",
                                                      attempt.question.kind))


# -- commands ---------------------------------------------------------------------------


def start_daily(ctx: Context) -> Reply:
    """答题: the day's set, drawn once; its first question not answered, or the day's end."""
    assert ctx.member is not None
    attempts = daily.draw(ctx.member, ctx.now)
    if not attempts:
        return Text(texts.EMPTY_BANK)
    attempt = daily.current(attempts)
    if attempt is None:
        tally = daily.tally(attempts)
        return Text(texts.ALREADY_DONE.format(total=tally.total, correct=tally.correct,
                                              points=tally.points, streak=_streak_text(ctx)))
    return Text(_present(ctx, attempt, len(attempts)))


def _campaign_line(campaign: Campaign, count: int) -> str:
    return texts.CAMPAIGN_LINE.format(name=campaign.name, starts=campaign.starts_on.isoformat(),
                                      ends=campaign.ends_on.isoformat(), count=count)


def start_campaign(ctx: Context) -> Reply:
    """专项答题 [名称]: the questions of a running campaign the member is in the audience of."""
    assert ctx.member is not None
    running = daily.open_campaigns(ctx.member, ctx.now)
    if not running:
        return Text(texts.NO_CAMPAIGN_QUIZ)
    words = ctx.text.split(maxsplit=1)
    name = words[1].strip() if len(words) > 1 else ""
    choices = "\n".join(_campaign_line(c, n) for c, n in running)
    if name:
        chosen = next((c for c, _ in running if c.name == name), None)
        if chosen is None:
            shown_name = name if len(name) <= SHOWN_MAX else name[:SHOWN_MAX] + "…"
            return Text(texts.CAMPAIGN_NOT_FOUND.format(
                name=shown_name, choices=texts.CAMPAIGN_CHOICES.format(names=choices)))
    elif len(running) > 1:
        return Text(texts.CAMPAIGN_CHOICES.format(names=choices))
    else:
        chosen = running[0][0]
    attempts = daily.draw(ctx.member, ctx.now, chosen.id)
    attempt = daily.current(attempts)
    if attempt is None:
        tally = daily.campaign_tally(ctx.member.id, chosen.id)
        return Text(texts.CAMPAIGN_ALL_DONE.format(campaign=chosen.name, total=tally.answered,
                                                   correct=tally.correct))
    return Text(_present(ctx, attempt, len(attempts)))


def show_board(ctx: Context) -> Reply:
    """答题排行: this month's top of the member's organisation, and the member's own place."""
    assert ctx.member is not None
    found = month_board(ctx.member, ctx.now)
    if found.organization is None:
        return Text(texts.BOARD_NO_ORG)
    org = found.organization.name
    if not found.lines:
        return Text(texts.BOARD_EMPTY.format(org=org))
    lines = [texts.BOARD_HEAD.format(org=org, month=found.month)]
    lines += [texts.BOARD_LINE.format(rank=line.rank, name=line.name, correct=line.correct)
              for line in found.lines]
    if found.me is None:
        lines.append(texts.BOARD_ME_NONE)
    else:
        days = daily.streak(ctx.member.id, ctx.now)
        streak = texts.STREAK_SHORT.format(days=days) if days else texts.STREAK_NONE
        lines.append(texts.BOARD_ME.format(rank=found.me.rank, correct=found.me.correct,
                                           points=found.me.points, streak=streak))
    return Text("\n".join(lines))


# -- answers ----------------------------------------------------------------------------


def typed_answer(ctx: Context) -> Reply:
    """The quiz conversation's step: the letters (or 对 / 错) typed for the question shown."""
    assert ctx.member is not None
    if ctx.text in texts.DAILY_WORDS:  # 答题 again: today's daily question, card sent anew
        return start_daily(ctx)
    attempt_id = ctx.data.get("attempt")
    attempt = ctx.session.get(QuizAttempt, attempt_id) if isinstance(attempt_id, int) else None
    refusal = _refusal(ctx, attempt)
    if refusal is not None or attempt is None:
        ctx.finish()
        return Text(refusal or texts.UNKNOWN_CARD)
    if attempt.answered_at is not None:  # answered meanwhile, by a tap on its card
        return Text(_next(ctx, attempt, _answered(attempt), card=False))
    question = attempt.question
    try:
        choice = member_answer(ctx.text, question.kind, len(question.options))
    except AnswerError as exc:
        ctx.stay()
        return Text(_bad_answer(exc, attempt, ctx.text))
    outcome = daily.answer(attempt, choice, ctx.now)
    if not outcome.scored:
        return Text(_next(ctx, attempt, _answered(outcome.attempt), card=False))
    return Text(_next(ctx, attempt, _result(ctx, outcome)))


def on_card(ctx: Context) -> None:
    """template_card_event on a quiz card: a button (single choice, true/false) or the
    submit of the checkboxes (multiple choice). Answered by message/send."""
    message = ctx.message
    assert isinstance(message, TemplateCardEvent) and ctx.member is not None
    userid = ctx.member.userid
    tap = cards.parse_key(message.event_key)
    attempt = ctx.session.get(QuizAttempt, tap.attempt_id) if tap is not None else None
    refusal = _refusal(ctx, attempt)
    if refusal is not None or attempt is None or tap is None:
        ctx.outbox.text([userid], refusal or texts.UNKNOWN_CARD)
        return None
    if attempt.answered_at is not None:  # a double tap, or a card answered by typing
        ctx.outbox.text([userid], _answered(attempt))
        return None
    question = attempt.question
    typed = tap.letters if tap.letters is not None else "".join(
        message.selected.get(cards.QUESTION_KEY, []))
    try:
        choice = member_answer(typed, question.kind, len(question.options))
    except AnswerError as exc:
        ctx.outbox.text([userid], _bad_answer(exc, attempt, typed))
        return None
    outcome = daily.answer(attempt, choice, ctx.now)
    if not outcome.scored:
        ctx.outbox.text([userid], _answered(outcome.attempt))
        return None
    _next(ctx, attempt, _result(ctx, outcome))
    return None


COMMANDS = [
    Command("daily_quiz", texts.DAILY_WORDS, start_daily, texts.DAILY_SUMMARY),
    Command("campaign_quiz", texts.CAMPAIGN_WORDS, start_campaign, texts.CAMPAIGN_SUMMARY),
    Command("quiz_board", texts.BOARD_WORDS, show_board, texts.BOARD_SUMMARY),
]

# 答题 typed while answering is the step's (it shows today's question again), not a command
# to leave the quiz for
FLOWS = [Flow(FLOW, {"answer": typed_answer}, answers={"answer": texts.DAILY_WORDS})]

EVENTS = {f"template_card_event:{cards.PREFIX}": on_card}
