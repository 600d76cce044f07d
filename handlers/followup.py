"""After the lecture, in chat: 评单 (contacts), 人数 (lecturers), and 讲师报名 (any member).

    评单 N 分数 [评语] ──▶ rated at once
    评单 N ──▶ score ──(1–5)──▶ comment ──(评语 | 无)──▶ rated
    人数 N 数字 ──▶ attendance recorded (or corrected)
    讲师报名 ──▶ specialties ──▶ experience ──▶ sample_topic ──▶ confirm ──(确认)──▶ submitted
      (only while a round of applications is open: lectures.rounds, opened in the console)
Refusals (unknown order, not theirs, out of range, ...) write nothing and say why.
"""

from __future__ import annotations

from bot.context import Context
from bot.conversation import Flow
from bot.replies import Reply, Text
from bot.router import Command
from checkins import checkin
from content import followup_texts as texts
from content.titles import quoted
from lectures import applications
from lectures.followup import (
    FollowupError,
    order_to_rate,
    parse_comment,
    parse_count,
    parse_score,
    rate,
    record_attendance,
)

RATING_FLOW = "rating"
APPLY_FLOW = "lecturer_application"
CONFIRM_WORDS = ("确认", "确认提交", "提交")
MAX_SPECIALTIES = 100
MAX_TOPIC = 100
MAX_EXPERIENCE = 1000
MIN_EXPERIENCE = 10


def _rate(ctx: Context, number: str, score: int, comment: str) -> Reply:
    """Store the rating and say so; a refusal is said instead."""
    assert ctx.member is not None
    try:
        rate(ctx.member, number, score, comment, ctx.now)
    except FollowupError as exc:
        return Text(exc.text())
    shown = texts.RATED_COMMENT.format(comment=comment) if comment else ""
    return Text(texts.RATED.format(number=number, score=score, comment=shown))


def rate_order(ctx: Context) -> Reply:
    """评单 N 分数 [评语] rates at once; 评单 N asks for the score, then a comment."""
    assert ctx.member is not None
    words = ctx.text.split(maxsplit=2)
    if len(words) < 2:
        return Text(texts.RATE_USAGE)
    try:
        order = order_to_rate(ctx.member, words[1])
        if len(words) == 2:
            ctx.start(RATING_FLOW, "score", number=order.number)
            return Text(texts.ASK_SCORE.format(topic=quoted(order.topic.title),
                                                   number=order.number))
        score, comment = parse_score(words[2])
    except FollowupError as exc:
        return Text(exc.text())
    return _rate(ctx, order.number, score, comment)


def rating_score(ctx: Context) -> Reply:
    """The score (1–5), perhaps followed by the comment in the same message."""
    try:
        score, comment = parse_score(ctx.text)
    except FollowupError as exc:
        ctx.stay()
        return Text(exc.text())
    if comment:
        number = ctx.data["number"]
        ctx.finish()
        return _rate(ctx, number, score, comment)
    ctx.goto("comment", score=score)
    return Text(texts.ASK_COMMENT.format(score=score))


def rating_comment(ctx: Context) -> Reply:
    """An optional comment; 无 for none."""
    score, number = int(ctx.data["score"]), ctx.data["number"]
    if not ctx.text:
        ctx.stay()
        return Text(texts.ASK_COMMENT.format(score=score))
    try:
        comment = "" if ctx.text in texts.NO_COMMENT_WORDS else parse_comment(ctx.text)
    except FollowupError as exc:
        ctx.stay()
        return Text(exc.text())
    ctx.finish()
    return _rate(ctx, number, score, comment)


def attendance(ctx: Context) -> Reply:
    """人数 N 数字: the lecturer reports (or corrects) how many attended."""
    assert ctx.member is not None
    words = ctx.text.split(maxsplit=2)
    if len(words) < 3:
        return Text(texts.ATTENDANCE_USAGE)
    try:
        count = parse_count(words[2])
        order, previous = record_attendance(ctx.member, words[1], count, ctx.now)
    except FollowupError as exc:
        return Text(exc.text())
    assert order.lecture is not None
    present, _ = checkin.counts(checkin.of_lecture(order.lecture))
    note = texts.ATTENDANCE_CHECKED_IN.format(present=present)
    if previous is None or previous == count:
        return Text(texts.ATTENDANCE_SAVED.format(number=order.number, count=count) + note)
    return Text(texts.ATTENDANCE_UPDATED.format(number=order.number, count=count,
                                                previous=previous) + note)


def apply(ctx: Context) -> Reply:
    """讲师报名: apply for the open round's batch of red lecturers (refused with no round open)."""
    assert ctx.member is not None
    try:
        found = applications.check_can_apply(ctx.member)
    except applications.ApplicationError as exc:
        return Text(applications.refusal_text(exc, ctx.member))
    ctx.start(APPLY_FLOW, "specialties")
    return Text(texts.ASK_SPECIALTIES.format(batch=found.batch))


def _problem(text: str, limit: int, min_chars: int = 1) -> str | None:
    """Why an answer cannot be taken, or None."""
    if not text:
        return texts.APPLY_EMPTY
    if len(text) > limit:
        return texts.APPLY_TOO_LONG.format(limit=limit)
    if len(text) < min_chars:
        return texts.APPLY_TOO_SHORT.format(min_chars=min_chars)
    return None


def apply_specialties(ctx: Context) -> Reply:
    """What the applicant lectures on."""
    problem = _problem(ctx.text, MAX_SPECIALTIES)
    if problem:
        ctx.stay()
        return Text(problem)
    ctx.goto("experience", specialties=ctx.text)
    return Text(texts.ASK_EXPERIENCE.format(min_chars=MIN_EXPERIENCE))


def apply_experience(ctx: Context) -> Reply:
    """The applicant's lecturing or teaching experience."""
    problem = _problem(ctx.text, MAX_EXPERIENCE, MIN_EXPERIENCE)
    if problem:
        ctx.stay()
        return Text(problem)
    ctx.goto("sample_topic", experience=ctx.text)
    return Text(texts.ASK_SAMPLE_TOPIC)


def apply_sample_topic(ctx: Context) -> Reply:
    """A sample topic; then the whole application is shown for confirmation."""
    problem = _problem(ctx.text, MAX_TOPIC)
    if problem:
        ctx.stay()
        return Text(problem)
    ctx.goto("confirm", sample_topic=ctx.text)
    return Text(texts.APPLY_CONFIRM.format(
        batch=applications.applying_batch(), specialties=ctx.data["specialties"],
        experience=ctx.data["experience"], topic=ctx.text))


def apply_confirm(ctx: Context) -> Reply:
    """确认 submits the application and tells the admins."""
    assert ctx.member is not None
    if ctx.text not in CONFIRM_WORDS:
        ctx.stay()
        return Text(texts.APPLY_CONFIRM_AGAIN)
    data = dict(ctx.data)
    ctx.finish()
    try:
        application = applications.submit(ctx.member, data["specialties"], data["experience"],
                                          data["sample_topic"], ctx.now, ctx.outbox)
    except applications.ApplicationError as exc:
        return Text(applications.refusal_text(exc, ctx.member))
    return Text(texts.APPLY_SUBMITTED.format(batch=application.batch))


COMMANDS = [
    Command("rate_lecture", ("评单",), rate_order, texts.RATE_SUMMARY, role="contact"),
    Command("lecture_attendance", ("人数",), attendance, texts.ATTENDANCE_SUMMARY,
            role="lecturer"),
    Command("lecturer_apply", ("讲师报名",), apply, texts.APPLY_SUMMARY),
]

FLOWS = [
    Flow(RATING_FLOW, {"score": rating_score, "comment": rating_comment}),
    Flow(APPLY_FLOW, {"specialties": apply_specialties, "experience": apply_experience,
                      "sample_topic": apply_sample_topic, "confirm": apply_confirm}),
]
