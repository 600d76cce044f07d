"""Scheduled pushes: create, pause, resume, cancel, and the cron tick that sends each due
occurrence once (a paused push is skipped; resumed, it goes on from the next time after now).

Each occurrence also records its members' material deliveries (study/deliveries.py: once per
member and material; the featured-reflections digest's as the digest's).

An occurrence is claimed by inserting its (push, due time) row: the unique key makes two
overlapping ticks, or a tick re-run after a crash, send it exactly once. The message itself is
one outbound message to every recipient (batched 1,000 a call by the delivery job), carrying a
tracked link that names the occurrence; who opened it is learned through WeCom OAuth.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, insert, select
from sqlalchemy.exc import IntegrityError

import clock
from bot.suggest import suggest
from content import study_texts
from models import (
    DeliveryVia,
    Material,
    OutboundMessage,
    Push,
    PushDelivery,
    PushOccurrence,
    PushStatus,
    Series,
    audit,
    db,
    utcnow,
)
from roster import audience as audiences
from study import deliveries
from study.library import GENERATED_PREFIX
from study.links import read_url

log = logging.getLogger(__name__)

REPEATS = ("once", "daily", "weekly")
MSGTYPES = ("news", "textcard")
PAST_GRACE = timedelta(minutes=1)


class PushError(ValueError):
    """A push that cannot be scheduled; the message says why, in plain English."""


class PushTimePassed(PushError):
    """A paused one-off push whose time went by: there is no next time to resume to."""


@dataclass(frozen=True)
class TickResult:
    """What one cron tick sent."""

    occurrences: int = 0
    recipients: int = 0
    outbound_ids: tuple[int, ...] = ()


def find_material(slug: str) -> Material:
    """An active material by slug, or PushError naming the closest ones."""
    material = db.session.scalars(select(Material).where(Material.slug == slug)).first()
    if material is None or not material.active:
        raise PushError(f"no active material {slug!r}{suggest_material(slug)}")
    return material


def suggest_material(slug: str) -> str:
    """"; did you mean: …?" with the active materials whose slug or title is close to `slug`."""
    labels: dict[str, str] = {}
    rows = db.session.execute(select(Material.slug, Material.title)
                              .where(Material.active).order_by(Material.id)).all()
    for found, _ in rows:
        labels[found] = found
    for found, title in rows:
        labels.setdefault(title, found)
    return suggest(slug, labels)


def find_series(title: str) -> Series:
    """A series by title, or PushError naming the closest titles."""
    series = db.session.scalars(select(Series).where(Series.title == title)).first()
    if series is None:
        titles = db.session.scalars(select(Series.title).order_by(Series.id))
        raise PushError(f"no series {title!r}{suggest(title, titles)}")
    return series


def create_push(actor: str, audience: dict[str, Any], first_at: datetime,
                material: Material | None = None, series: Series | None = None,
                repeat: str = "once", weekdays: list[int] | None = None,
                msgtype: str = "news", now: datetime | None = None) -> Push:
    """Schedule a push (audited); refuses the past, empty audiences and bad repeats."""
    now = now or utcnow()
    if (material is None) == (series is None):
        raise PushError("give either a material or a series")
    if repeat not in REPEATS:
        raise PushError(f"repeat must be one of {', '.join(REPEATS)}")
    if msgtype not in MSGTYPES:
        raise PushError(f"message type must be one of {', '.join(MSGTYPES)}")
    weekdays = sorted(set(weekdays or []))
    if repeat == "weekly" and (not weekdays or any(not 0 <= d <= 6 for d in weekdays)):
        raise PushError("a weekly push needs weekdays from 1 (Monday) to 7 (Sunday)")
    if first_at.tzinfo is None:
        raise PushError("the push time needs a time zone")
    if first_at < now - PAST_GRACE:
        raise PushError(f"the push time {clock.local(first_at):%Y-%m-%d %H:%M} "
                        "is in the past")
    try:
        audience = audiences.validate(audience)
        count = len(audiences.resolve(audience))
    except audiences.AudienceError as exc:
        raise PushError(str(exc)) from exc
    if count == 0:
        raise PushError("the audience is empty: nobody would receive this push")
    first_at = first_due(first_at, repeat, weekdays)
    push = Push(material=material, series=series, audience=audience, msgtype=msgtype,
                repeat=repeat, weekdays=weekdays, next_at=first_at, created_by=actor)
    db.session.add(push)
    db.session.flush()
    audit(actor, "push.add", f"push {push.id}", audience=audience, repeat=repeat,
          material=material.slug if material else None,
          series=series.title if series else None, first_at=first_at.isoformat(),
          recipients_now=count)
    return push


def first_due(first_at: datetime, repeat: str, weekdays: list[int]) -> datetime:
    """The first occurrence of a push starting at `first_at`: a weekly one's first chosen day."""
    if repeat == "weekly":
        return _next_weekly(first_at - timedelta(seconds=1), first_at, weekdays)
    return first_at


def _locked(push_id: int, *statuses: str) -> Push:
    """The push, row-locked against a running tick, if it is in one of `statuses`."""
    push = db.session.get(Push, push_id, with_for_update=True)
    if push is None:
        raise PushError(f"no push {push_id}")
    if push.status not in statuses:
        raise PushError(f"push {push_id} is already {push.status}")
    return push


def cancel_push(actor: str, push_id: int) -> Push:
    """Cancel an active or paused push so no further occurrence is sent (audited)."""
    push = _locked(push_id, PushStatus.ACTIVE, PushStatus.PAUSED)
    push.status = PushStatus.CANCELLED
    push.next_at = None
    audit(actor, "push.cancel", f"push {push_id}")
    return push


def pause_push(actor: str, push_id: int) -> Push:
    """Pause an active push: no occurrence is sent until it is resumed (audited)."""
    push = _locked(push_id, PushStatus.ACTIVE)
    push.status = PushStatus.PAUSED
    audit(actor, "push.pause", f"push {push_id}",
          next_at=push.next_at.isoformat() if push.next_at else None)
    return push


def next_after(push: Push, now: datetime) -> datetime | None:
    """The push's first due time after `now` on its schedule (None: a one-off gone by)."""
    due = push.next_at
    if due is None or due > now:
        return due
    if push.repeat == "daily":
        return due + timedelta(days=(now - due) // timedelta(days=1) + 1)
    if push.repeat == "weekly":
        return _next_weekly(now, due, push.weekdays)
    return None


def resume_push(actor: str, push_id: int, now: datetime | None = None) -> Push:
    """Resume a paused push from its next time after now (audited); the times missed while
    paused are skipped, and a one-off push whose time went by cannot be resumed."""
    push = _locked(push_id, PushStatus.PAUSED)
    due = next_after(push, now or utcnow())
    if due is None:
        raise PushTimePassed(f"push {push_id}'s time went by while it was paused")
    push.status, push.next_at = PushStatus.ACTIVE, due
    audit(actor, "push.resume", f"push {push_id}", next_at=due.isoformat())
    return push


def _next_weekly(after: datetime, at: datetime, weekdays: list[int]) -> datetime:
    """The first time after `after`, at `at`'s local time of day, on one of the weekdays."""
    wall = clock.local(at).time()
    first = clock.today(after)
    for offset in range(8):
        day = first + timedelta(days=offset)
        candidate = clock.at(day, wall)
        if day.weekday() in weekdays and candidate > after:
            return candidate
    raise AssertionError("a weekday always comes within 8 days")


def _advance(push: Push, due: datetime) -> None:
    if push.repeat == "daily":
        push.next_at = due + timedelta(days=1)
    elif push.repeat == "weekly":
        push.next_at = _next_weekly(due, due, push.weekdays)
    else:
        push.next_at, push.status = None, PushStatus.DONE


def series_first(series_id: int) -> Material | None:
    """The series' first active item (what a new push of it sends first)."""
    return db.session.scalars(_series_items(series_id).limit(1)).first()


def _series_items(series_id: int | None) -> Select[tuple[Material]]:
    return (select(Material).where(Material.series_id == series_id, Material.active)
            .order_by(Material.series_position))


def _series_next(push: Push) -> Material | None:
    """The series item after the last one this push sent (the first, the first time)."""
    last = db.session.scalar(
        select(Material.series_position).join(PushOccurrence, PushOccurrence.material_id ==
                                              Material.id)
        .where(PushOccurrence.push_id == push.id).order_by(PushOccurrence.due_at.desc()).limit(1))
    query = _series_items(push.series_id)
    if last is not None:
        query = query.where(Material.series_position > last)
    return db.session.scalars(query.limit(1)).first()


def message_for(material: Material, msgtype: str, occurrence_id: int | None = None,
                userid: str | None = None) -> dict[str, Any]:
    """The message/send payload for a material, with its tracked link."""
    url = read_url(material.id, userid=userid, occurrence_id=occurrence_id)
    description = material.summary[:500]
    if msgtype == "textcard":
        return {"msgtype": "textcard", "textcard": {
            "title": material.title[:128], "description": description, "url": url,
            "btntxt": study_texts.READ_BUTTON}}
    article = {"title": material.title, "description": description, "url": url}
    if material.cover:
        article["picurl"] = material.cover
    return {"msgtype": "news", "news": {"articles": [article]}}


def send_occurrence(push: Push, due: datetime) -> PushOccurrence | None:
    """Claim and send one occurrence; None if another tick already did."""
    material = push.material if push.material_id else _series_next(push)
    occurrence = PushOccurrence(push_id=push.id, due_at=due,
                                material_id=material.id if material else None)
    try:
        with db.session.begin_nested():
            db.session.add(occurrence)
    except IntegrityError:
        log.info("push %s at %s was sent by another tick", push.id, due)
        return None
    _advance(push, due)
    if material is None:
        occurrence.note = "series finished"
        push.status, push.next_at = PushStatus.DONE, None
        return occurrence
    recipients = audiences.resolve(push.audience)
    occurrence.recipients = len(recipients)
    if not recipients:
        occurrence.note = "audience empty at send time"
        return occurrence
    db.session.execute(insert(PushDelivery), [
        {"occurrence_id": occurrence.id, "member_id": r.member_id} for r in recipients])
    via = DeliveryVia.DIGEST if material.slug.startswith(GENERATED_PREFIX) else DeliveryVia.PUSH
    deliveries.record_many((r.member_id for r in recipients), material.id, via,
                           f"occurrence:{occurrence.id}", due)
    outbound = OutboundMessage(touser="|".join(r.userid for r in recipients),
                               payload=message_for(material, push.msgtype, occurrence.id),
                               source_key=f"push:{push.id}:{due.isoformat()}",
                               duplicate_check=True)  # content meant once per occurrence
    db.session.add(outbound)
    db.session.flush()
    occurrence.outbound_id = outbound.id
    return occurrence


def run_due(now: datetime | None = None) -> TickResult:
    """Send every occurrence due by `now`, each in its own transaction."""
    now = now or utcnow()
    ids = db.session.scalars(select(Push.id).where(
        Push.status == PushStatus.ACTIVE, Push.next_at <= now).order_by(Push.next_at)).all()
    sent, recipients, outbound = 0, 0, []
    for push_id in ids:
        push = db.session.get(Push, push_id, with_for_update=True)
        if push is None or push.status != PushStatus.ACTIVE or push.next_at is None \
                or push.next_at > now:
            db.session.rollback()
            continue
        occurrence = send_occurrence(push, push.next_at)
        db.session.commit()
        if occurrence is not None:
            sent += 1
            recipients += occurrence.recipients
            if occurrence.outbound_id:
                outbound.append(occurrence.outbound_id)
    return TickResult(sent, recipients, tuple(outbound))
