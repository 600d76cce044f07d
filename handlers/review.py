"""Reviewing reflections in chat (admins and contacts): 待审心得, then 优秀 / 通过 / 退回 理由.

    待审心得 [编号] ──▶ verdict ──(优秀 | 通过 | 退回 理由)──▶ verdict (the next one) … ──▶ done
                          │ anything else, or 退回 without a reason: asked again
The author is told each verdict by message/send, after the commit.
"""

from __future__ import annotations

from bot.context import Context
from bot.conversation import Flow
from bot.replies import Reply, Text
from bot.router import Command
from content import review_texts as texts
from content.texts import local_time
from models import Member, Reflection, Role
from reflections import review

FLOW = "review"
SEPARATORS = " \t:：,，、;；.。"
WORDS = ((texts.FEATURE_WORD, "feature"), (texts.PASS_WORD, "pass"),
         (texts.RETURN_WORD, "return"))


def _refusal(exc: review.ReviewError, reflection: Reflection) -> str:
    """The member-facing text for a refused review."""
    return {
        "own": texts.OWN_REFLECTION,
        "out_of_scope": texts.OUT_OF_SCOPE.format(number=reflection.number),
        "already_reviewed": texts.ALREADY_REVIEWED,
    }.get(exc.reason, texts.NOT_SUBMITTED.format(number=reflection.number))


def _show(ctx: Context, reviewer: Member, reflection: Reflection, before: str = "") -> Reply:
    """Show one reflection and wait for the verdict on it."""
    author = reflection.member
    organization = author.main_organization
    photos = (texts.SHOW_PHOTOS.format(count=reflection.image_count)
              if reflection.image_count else "")
    ctx.start(FLOW, "verdict", reflection_id=reflection.id)
    return Text(before + texts.SHOW.format(
        number=reflection.number, waiting=max(review.waiting_count(reviewer) - 1, 0),
        author=author.name,
        organization=organization.name if organization else texts.NO_ORGANIZATION,
        subject=review.subject_of(reflection),
        submitted=local_time(reflection.submitted_at) if reflection.submitted_at else "-",
        chars=reflection.word_count, photos=photos, text=reflection.text or texts.NO_TEXT))


def _next(ctx: Context, reviewer: Member, before: str = "") -> Reply:
    """Show the next reflection in the reviewer's scope, or say there is none and finish."""
    reflection = review.next_for(reviewer)
    if reflection is None:
        if ctx.conversation is not None:
            ctx.finish()
        return Text(before + texts.NONE_LEFT)
    return _show(ctx, reviewer, reflection, before)


def pending(ctx: Context) -> Reply:
    """待审心得 [编号]: the next reflection to review (or the one named), for reviewers only."""
    reviewer = ctx.member
    if reviewer is None or not review.is_reviewer(reviewer):
        return Text(texts.ONLY_REVIEWERS)
    words = ctx.text.split()[1:]
    if not words:
        return _next(ctx, reviewer)
    reflection = review.find_by_number(words[0])
    if reflection is None:
        return Text(texts.NOT_FOUND.format(number=words[0]))
    try:
        review.check(reviewer, reflection)
    except review.ReviewError as exc:
        return Text(_refusal(exc, reflection))
    return _show(ctx, reviewer, reflection)


def parse_verdict(text: str) -> tuple[str, str] | None:
    """(verdict, comment) from 优秀 / 通过 [评语] or 退回 理由; None for anything else."""
    for word, verdict in WORDS:
        if not text.startswith(word):
            continue
        rest = text[len(word):]
        if verdict != "return" and rest and rest[0] not in SEPARATORS:
            return None  # e.g. 通过率: not a verdict
        return verdict, rest.strip(SEPARATORS)
    return None


def verdict(ctx: Context) -> Reply:
    """The reviewer's answer: record the verdict, tell the author, show the next one."""
    reviewer = ctx.member
    assert reviewer is not None
    parsed = parse_verdict(ctx.text)
    if parsed is None:
        ctx.stay()
        return Text(texts.ASK_VERDICT)
    kind, comment = parsed
    if kind == "return" and not comment:
        ctx.stay()
        return Text(texts.ASK_REASON)
    reflection_id = ctx.data.get("reflection_id")
    reflection = ctx.session.get(Reflection, reflection_id) if reflection_id else None
    if reflection is None:
        return _next(ctx, reviewer)
    try:
        review.review(reviewer.userid, reviewer, reflection, kind, comment, ctx.now)
    except review.ReviewError as exc:
        if exc.reason in ("own", "out_of_scope"):
            ctx.finish()
            return Text(_refusal(exc, reflection))
        return _next(ctx, reviewer, _refusal(exc, reflection) + "\n")
    review.notify_author(ctx.outbox, reflection)
    done = {"feature": texts.DONE_FEATURE, "pass": texts.DONE_PASS, "return": texts.DONE_RETURN}
    return _next(ctx, reviewer, done[kind].format(number=reflection.number) + "\n")


# No summary: 帮助 lists a command by its single role, and this one is for two roles.
COMMANDS = [Command("review_reflections", ("待审心得",), pending, texts.REVIEW_SUMMARY,
                    role=(Role.CONTACT, Role.ADMIN))]

FLOWS = [Flow(FLOW, {"verdict": verdict})]
