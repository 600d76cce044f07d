"""Reading time: the reading page's heartbeats add up to reading sessions; 阅读 (the
participation and its points) counts once the page has been in view
PARTICIPATION_READING_READ_S seconds, and 读完了 only once the time read reaches the
material's minimum.

While the page is in view it beats every PARTICIPATION_READING_BEAT_S seconds. A beat adds the
real time since the member's previous beat (of any page: two tabs share one clock), at most a
beat's interval and a little slack, to the page's session and to the read's `seconds_spent`. A
silence longer than PARTICIPATION_READING_GAP_S closes the session: the next beat starts a new
one and the gap is not counted. Each beat carries the page's sequence number, so a retried or
late beat is counted once. Nothing the browser sends is taken as time or as the member: the
time is the server's, the member the signed-in opener of a signed link and page stamp."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update

from models import MaterialRead, ParticipationKind, ReadingSession, db
from participation import ledger
from participation.settings import ParticipationSettings, participation_settings

SLACK_S = 5  # a beat may come this much later than its interval and still count in full
MAX_SEQ = 10**7


@dataclass(frozen=True)
class Beat:
    """What one heartbeat did: seconds it added, the read's total, and the minimum to finish."""

    counted: int
    seconds: int
    needed: int
    new_session: bool = False

    @property
    def left(self) -> int:
        """Seconds still to read before 读完了 counts (0 once reached)."""
        return max(self.needed - self.seconds, 0)


@dataclass(frozen=True)
class Completion:
    """What 读完了 did: whether the read is completed, its time, and what it credited now
    (hours and points; None when nothing was credited by this one)."""

    completed: bool
    seconds: int
    needed: int
    hours: float | None = None
    points: int | None = None

    @property
    def left(self) -> int:
        """Seconds still to read before 读完了 counts (0 once reached)."""
        return max(self.needed - self.seconds, 0)


def needed_seconds(minutes: int, settings: ParticipationSettings | None = None) -> int:
    """The time a material must be read before 读完了 counts: the setting's share of its
    minutes, and never less than the least (1 minute by default)."""
    settings = settings or participation_settings()
    return max(settings.reading_min_s,
               math.ceil(max(minutes, 0) * 60 * settings.reading_min_share))


def _read(member_id: int, material_id: int) -> MaterialRead | None:
    """The member's read of the material, locked for this transaction (PostgreSQL), so two
    beats of one reading are counted one after the other."""
    return db.session.scalars(
        select(MaterialRead).where(MaterialRead.member_id == member_id,
                                   MaterialRead.material_id == material_id)
        .with_for_update()).first()


def beat(member_id: int, material_id: int, minutes: int, page: str, seq: int, now: datetime,
         *, resume: bool = False, settings: ParticipationSettings | None = None) -> Beat | None:
    """Count one heartbeat of a reading page (`page` its nonce, `seq` its beat number); None
    when the member has no read of the material. A `resume` beat (the page came back into
    view) counts nothing and only restarts the clock. Commits."""
    settings = settings or participation_settings()
    needed = needed_seconds(minutes, settings)
    read = _read(member_id, material_id)
    if read is None:
        return None
    session = db.session.scalars(
        select(ReadingSession).where(ReadingSession.member_id == member_id,
                                     ReadingSession.material_id == material_id,
                                     ReadingSession.page == page)
        .order_by(ReadingSession.id.desc()).limit(1)).first()
    if session is not None and seq <= session.last_seq:  # a retry, or a late copy: once only
        db.session.rollback()
        return Beat(0, int(read.seconds_spent or 0), needed)
    if session is None or (now - session.last_beat_at).total_seconds() > settings.reading_gap_s:
        db.session.add(ReadingSession(member_id=member_id, material_id=material_id, page=page,
                                      started_at=now, last_beat_at=now, seconds=0, beats=1,
                                      last_seq=seq))
        seconds = int(read.seconds_spent or 0)
        db.session.commit()
        return Beat(0, seconds, needed, new_session=True)
    since = session.last_beat_at
    other = db.session.scalar(select(func.max(ReadingSession.last_beat_at)).where(
        ReadingSession.member_id == member_id, ReadingSession.id != session.id))
    if other is not None and other > since:  # another page beat since: count from there
        since = other
    elapsed = max((now - since).total_seconds(), 0.0)
    most = settings.reading_beat_s + SLACK_S
    counted = 0 if resume else min(int(elapsed), most)
    session.seconds += counted
    session.beats += 1
    # Whole seconds are counted; the part of a second left over carries to the next beat
    # (so 7.5 s beats add up to the wall clock), unless the beat was cut or counts nothing.
    session.last_beat_at = (since + timedelta(seconds=counted)
                            if not resume and elapsed < most else now)
    session.last_seq = seq
    before = int(read.seconds_spent or 0)
    db.session.execute(update(MaterialRead).where(MaterialRead.id == read.id).values(
        seconds_spent=MaterialRead.seconds_spent + counted))
    if before < settings.reading_read_s <= before + counted:
        _record_read(member_id, material_id, now, settings)
    db.session.commit()
    total = db.session.scalar(select(MaterialRead.seconds_spent).where(
        MaterialRead.id == read.id))
    return Beat(counted, int(total or 0), needed)


def _record_read(member_id: int, material_id: int, now: datetime,
                 settings: ParticipationSettings) -> None:
    """阅读, the participation of having read a while (once per member and material)."""
    ledger.record(member_id, ParticipationKind.MATERIAL_READ, f"material:{material_id}", now,
                  settings=settings)


def complete(member_id: int, material_id: int, minutes: int, now: datetime,
             settings: ParticipationSettings | None = None) -> Completion | None:
    """读完了: once the time read reaches the minimum, mark the read completed (once) and
    credit the time read as study hours (capped at the kind's, and by the daily caps); None
    when the member has no read of the material. Commits."""
    settings = settings or participation_settings()
    needed = needed_seconds(minutes, settings)
    read = _read(member_id, material_id)
    if read is None:
        return None
    seconds = int(read.seconds_spent or 0)
    if read.completed_at is not None:
        db.session.rollback()
        return Completion(True, seconds, needed)
    if seconds < needed:
        db.session.rollback()
        return Completion(False, seconds, needed)
    completed = db.session.execute(update(MaterialRead).where(
        MaterialRead.id == read.id, MaterialRead.completed_at.is_(None)).values(completed_at=now))
    hours = points = None
    if completed.rowcount:  # type: ignore[attr-defined]
        _record_read(member_id, material_id, now, settings)  # long read: it counts as read too
        row = ledger.record(member_id, ParticipationKind.MATERIAL_COMPLETED,
                            f"material:{material_id}", now, hours=seconds / 3600,
                            settings=settings)
        if row is not None:
            hours, points = float(row.hours), int(row.points)
    db.session.commit()
    return Completion(True, seconds, needed, hours, points)
