"""After acceptance: the day-before reminders, completion with its two questions, 人数, 评单.

Each lecture is claimed by a conditional UPDATE (`reminded_at` / `followed_up_at` still NULL)
in its own transaction, so overlapping ticks, or a tick re-run after a crash, send each
reminder and each follow-up exactly once. Messages go through an Outbox in that transaction;
the job enqueues their delivery after the commit.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from bot.outbox import Outbox
from bot.refusal import Refusal
from content import followup_texts as texts
from content.texts import local_day_time
from content.titles import quoted
from lectures.states import STATUS_NAMES, find_order, transition
from models import (
    Lecture,
    LectureMode,
    LectureOrder,
    Member,
    OrderStatus,
    Rating,
    Role,
    audit,
    db,
    utcnow,
)

log = logging.getLogger(__name__)

REMIND_AHEAD = timedelta(hours=24)
MAX_ATTENDANCE = 5000
HELD_OR_CONFIRMED = (OrderStatus.CONFIRMED, OrderStatus.COMPLETED, OrderStatus.RATED)
MAX_COMMENT = 500
SCORE = re.compile(r"(-?\d+|[一二两三四五六七八九十])\s*分?\s*(.*)", re.DOTALL)
COUNT = re.compile(r"(-?\d+)\s*人?")
CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
                  "八": 8, "九": 9, "十": 10}


class FollowupError(Refusal):
    """Refused input; `reason` keys content.followup_texts.ERRORS, `values` fill it in."""

    ERRORS = texts.ERRORS


@dataclass(frozen=True)
class TickResult:
    """What one tick did."""

    reminded: int = 0
    completed: int = 0
    outbound_ids: tuple[int, ...] = ()


def _place(lecture: Lecture) -> str:
    template = texts.PLACE_LIVE if lecture.mode == LectureMode.LIVE else texts.PLACE_OFFLINE
    return template.format(place=lecture.place or "-")


def _claim(column: InstrumentedAttribute[datetime | None], lecture_id: int,
           now: datetime) -> Lecture | None:
    """Set the column on a lecture whose order is still confirmed, if no one did; else None."""
    claimed = db.session.execute(
        update(Lecture).where(Lecture.id == lecture_id, column.is_(None)).values({column: now})
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        return None
    lecture = db.session.get(Lecture, lecture_id, populate_existing=True)
    if lecture is None or lecture.order is None or lecture.order.status != OrderStatus.CONFIRMED:
        return None
    return lecture


def remind(lecture_id: int, now: datetime) -> list[int] | None:
    """Claim and send one lecture's reminders (committed); None if another tick did."""
    lecture = _claim(Lecture.reminded_at, lecture_id, now)
    if lecture is None:
        db.session.rollback()
        return None
    order = lecture.order
    assert order is not None
    outbox = Outbox(db.session, source_key=f"lecture:{lecture.id}:remind")
    common = {"topic": quoted(lecture.topic.title), "number": order.number,
              "time": local_day_time(lecture.starts_at), "place": _place(lecture)}
    outbox.text([lecture.lecturer.userid], texts.REMIND_LECTURER.format(
        **common, organization=order.organization.name, contact=order.contact.name), once=True)
    outbox.text([order.contact.userid], texts.REMIND_CONTACT.format(
        **common, lecturer=lecture.lecturer.name, code=lecture.checkin_code), once=True)
    db.session.commit()
    return outbox.pending_ids()


def follow_up(lecture_id: int, now: datetime) -> list[int] | None:
    """Complete one ended lecture and ask its two questions (committed); None if done before."""
    lecture = _claim(Lecture.followed_up_at, lecture_id, now)
    if lecture is None:
        db.session.rollback()
        return None
    order = lecture.order
    assert order is not None
    transition(order, OrderStatus.COMPLETED, "system", "system", now)
    outbox = Outbox(db.session, source_key=f"lecture:{lecture.id}:follow-up")
    common = {"topic": quoted(lecture.topic.title), "number": order.number}
    if lecture.attendance is None:
        example = lecture.expected_audience or order.audience or 30
        outbox.text([lecture.lecturer.userid],
                    texts.ASK_ATTENDANCE.format(**common, example=example), once=True)
    outbox.text([order.contact.userid], texts.ASK_RATING.format(**common), once=True)
    db.session.commit()
    return outbox.pending_ids()


def _due(*conditions: ColumnElement[bool]) -> list[int]:
    """Lectures of confirmed orders that meet the conditions, soonest first."""
    return list(db.session.scalars(
        select(Lecture.id).join(LectureOrder, LectureOrder.id == Lecture.order_id)
        .where(LectureOrder.status == OrderStatus.CONFIRMED, *conditions)
        .order_by(Lecture.starts_at)))


def run_due(now: datetime | None = None) -> TickResult:
    """Send every reminder and follow-up due by `now`, each lecture in its own transaction."""
    now = now or utcnow()
    reminders = _due(Lecture.reminded_at.is_(None), Lecture.starts_at > now,
                     Lecture.starts_at <= now + REMIND_AHEAD)
    endings = _due(Lecture.followed_up_at.is_(None), Lecture.ends_at <= now)
    db.session.rollback()
    outbound: list[int] = []
    reminded = _each(reminders, remind, now, outbound)
    completed = _each(endings, follow_up, now, outbound)
    return TickResult(reminded, completed, tuple(outbound))


def _each(lecture_ids: list[int], step: Callable[[int, datetime], list[int] | None],
          now: datetime, outbound: list[int]) -> int:
    """Run one step per lecture; a lecture that fails is logged and retried next tick."""
    done = 0
    for lecture_id in lecture_ids:
        try:
            ids = step(lecture_id, now)
        except Exception:  # one broken lecture must not hold up the others
            db.session.rollback()
            log.exception("lecture %s: %s failed", lecture_id, step.__name__)
            continue
        if ids is not None:
            done += 1
            outbound.extend(ids)
    return done


def _number(text: str) -> int:
    return CHINESE_DIGITS[text] if text in CHINESE_DIGITS else int(text)


def parse_score(text: str) -> tuple[int, str]:
    """(score 1–5, comment) from "5", "5分 讲得很好", "五分"; FollowupError otherwise."""
    match = SCORE.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise FollowupError("score_not_number")
    score = _number(match.group(1))
    if not 1 <= score <= 5:
        raise FollowupError("score_range", value=match.group(1))
    return score, parse_comment(match.group(2))


def parse_comment(text: str) -> str:
    """A rating's comment, stripped; FollowupError if longer than MAX_COMMENT."""
    comment = text.strip()
    if len(comment) > MAX_COMMENT:
        raise FollowupError("comment_too_long", limit=MAX_COMMENT)
    return comment


def parse_count(text: str) -> int:
    """An attendance count (1–5000) from "38" or "38人"; FollowupError otherwise."""
    match = COUNT.fullmatch(unicodedata.normalize("NFKC", text).strip())
    if match is None:
        raise FollowupError("count_not_number")
    count = int(match.group(1))
    if not 0 < count <= MAX_ATTENDANCE:
        raise FollowupError("count_range", limit=MAX_ATTENDANCE, value=count)
    return count


def order_to_rate(member: Member, number: str) -> LectureOrder:
    """The order this contact may rate now; FollowupError says why not."""
    order = find_order(number)
    if order is None:
        raise FollowupError("unknown_order", number=number)
    check_rateable(member, order)
    return order


def check_rateable(member: Member, order: LectureOrder) -> None:
    """FollowupError unless the member is a contact of the order's organisation and it is
    completed and not yet rated."""
    if not member.has_role(Role.CONTACT, order.organization_id):
        raise FollowupError("not_your_order", number=order.number)
    if order.status == OrderStatus.RATED or db.session.scalar(
            select(Rating.id).where(Rating.order_id == order.id)) is not None:
        raise FollowupError("already_rated", number=order.number)
    if order.status != OrderStatus.COMPLETED:
        raise FollowupError("not_completed", number=order.number,
                            status=STATUS_NAMES.get(order.status, order.status))


def rate(member: Member, number: str, score: int, comment: str, now: datetime) -> Rating:
    """评单: the Rating row and completed→rated, audited; FollowupError if not allowed."""
    order = order_to_rate(member, number)
    db.session.refresh(order, with_for_update=True)  # two ratings at once: one waits, then fails
    check_rateable(member, order)
    rating = Rating(order_id=order.id, contact_id=member.id, score=score, comment=comment,
                    created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(rating)
    except IntegrityError as exc:
        raise FollowupError("already_rated", number=order.number) from exc
    transition(order, OrderStatus.RATED, member.userid, "contact", now)
    audit(member.userid, "order.rating", order.number, score=score, comment=comment)
    return rating


def record_attendance(member: Member, number: str, count: int,
                      now: datetime) -> tuple[LectureOrder, int | None]:
    """人数: set (or correct) a started lecture's attendance, audited; returns the old count."""
    order = find_order(number)
    if order is None:
        raise FollowupError("unknown_order", number=number)
    lecture = order.lecture
    if lecture is not None and lecture.lecturer_id != member.id:
        raise FollowupError("not_your_lecture", number=order.number)
    if lecture is None or order.status not in HELD_OR_CONFIRMED:
        raise FollowupError("no_lecture", number=order.number)
    if now < lecture.starts_at:
        raise FollowupError("not_started", number=order.number,
                            time=local_day_time(lecture.starts_at))
    previous = lecture.attendance
    lecture.attendance = count
    audit(member.userid, "lecture.attendance", order.number, count=count, previous=previous)
    return order, previous
