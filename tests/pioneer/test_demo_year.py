"""The demo's year tells one consistent story: every read material was delivered first, the
点单 board has orders in every state (some waiting to be dispatched) and lectures this month,
the reflections are varied and some reviewed, and some branches miss a required 三会一课
meeting this quarter."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Flask
from sqlalchemy import func, select

import clock
from meetings.requirements import held_counts, shortfalls
from meetings.settings import meeting_settings
from models import (
    AuditEntry,
    CheckIn,
    Lecture,
    LectureOrder,
    MaterialDelivery,
    MaterialRead,
    OrderStatus,
    Organization,
    OrgMeeting,
    Participation,
    Rating,
    Reflection,
    ReflectionStatus,
    db,
)
from pioneer.demo import seed_demo_year
from pioneer.demo_meetings import GAP_ORG
from roster.demo import seed_demo
from study import stats


def _seeded(travel: Any) -> dict[str, int]:
    travel("2026-12-07 10:00")
    seed_demo()
    db.session.commit()
    return seed_demo_year(clock.today())


def test_demo_year(app: Flask, travel: Any) -> None:
    """After the roster and the year: deliveries behind reads, the 点单 board alive, varied
    reflections, 三会一课 gaps this quarter — and a second run writes nothing."""
    with app.app_context():
        written = _seeded(travel)
        assert written["lectures"] > 0 and written["meetings"] > 0
        # delivered ≥ read ≥ completed for every material, and no one read what never came
        figures = stats.material_figures()
        assert sum(f.opened for f in figures) > 1000
        for figure in figures:
            assert figure.delivered >= figure.opened >= figure.completed, figure
        undelivered = db.session.scalar(
            select(func.count(MaterialRead.id)).where(~select(MaterialDelivery.id).where(
                MaterialDelivery.member_id == MaterialRead.member_id,
                MaterialDelivery.material_id == MaterialRead.material_id,
                MaterialDelivery.first_at <= MaterialRead.first_opened_at).exists()))
        assert undelivered == 0
        # reading as the reading page credits it: 阅读 only after time on the page, 读完 only
        # past the minimum, its hours the time read (capped per item and per day)
        seconds = {(m, f"material:{t}"): s for m, t, s in db.session.execute(select(
            MaterialRead.member_id, MaterialRead.material_id, MaterialRead.seconds_spent))}
        rows = db.session.execute(select(
            Participation.member_id, Participation.kind, Participation.source,
            Participation.hours, Participation.occurred_at).where(
            Participation.kind.in_(("material_read", "material_completed")))).all()
        assert all(seconds[(m, src)] >= 30 for m, kind, src, _, _ in rows
                   if kind == "material_read")
        assert any(s < 30 for s in seconds.values())  # some only opened: readers, not 阅读
        done = [(float(h), seconds[(m, src)]) for m, kind, src, h, _ in rows
                if kind == "material_completed"]
        assert done and all(h <= min(s / 3600, 0.5) + 0.005 for h, s in done)
        assert len({h for h, _ in done}) > 5  # by time read, not one flat figure
        daily: Counter[tuple[int, Any]] = Counter()
        for m, kind, _, h, at in rows:
            if kind == "material_completed":
                daily[(m, clock.today(at))] += float(h)
        assert max(daily.values()) <= 2.0 + 0.005
        # orders in every state, some waiting; ratings for the rated; lectures this month
        statuses = Counter(db.session.scalars(select(LectureOrder.status)))
        assert set(statuses) == set(OrderStatus)
        assert statuses[OrderStatus.PENDING] >= 2
        assert statuses[OrderStatus.RATED] == db.session.scalar(select(func.count(Rating.id)))
        month = clock.month(2026, 12)
        this_month = db.session.scalars(select(Lecture).where(
            Lecture.starts_at >= month.start, Lecture.starts_at < month.end)).all()
        assert any(lecture.starts_at > clock.utcnow() for lecture in this_month)
        assert any(lecture.starts_at < clock.utcnow() for lecture in this_month)
        held = db.session.scalars(select(Lecture).join(LectureOrder).where(
            LectureOrder.status.in_((OrderStatus.COMPLETED, OrderStatus.RATED)))).all()
        assert held and all(lecture.attendance for lecture in held)
        assert all(db.session.scalar(select(func.count(CheckIn.id)).where(
            CheckIn.lecture_id == lecture.id)) for lecture in held)
        assert db.session.scalar(select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "order.rated")) == statuses[OrderStatus.RATED]
        # reflections: varied, some reviewed, two returned with a comment
        reflections = db.session.scalars(select(Reflection).order_by(Reflection.id)).all()
        assert len({r.text for r in reflections[:100]}) >= 30
        assert len({r.text for r in reflections}) > 0.9 * len(reflections)
        states = Counter(r.status for r in reflections)
        assert states[ReflectionStatus.FEATURED] and states[ReflectionStatus.REVIEWED]
        assert states[ReflectionStatus.SUBMITTED]
        returned = [r for r in reflections if r.status == ReflectionStatus.RETURNED]
        assert len(returned) == 2 and all(r.review_comment for r in returned)
        assert not any("《《" in r.text for r in reflections)
        # 三会一课: held all year, and some branches miss a required meeting this quarter
        orgs = dict(db.session.execute(select(Organization.id, Organization.name)).all())
        quarter = held_counts(list(orgs), 2026, 4)
        settings = meeting_settings()
        missing = {orgs[o] for o, kinds in quarter.items() if kinds and shortfalls(kinds,
                                                                                   settings)}
        complete = [o for o, kinds in quarter.items() if kinds and not shortfalls(kinds,
                                                                                  settings)]
        assert GAP_ORG in missing and len(missing) >= 10 and len(complete) >= 30
        first = held_counts(list(orgs), 2026, 1)
        assert sum(sum(kinds.values()) for kinds in first.values()) > 500
        meeting_rows = db.session.scalar(select(func.count(Participation.id)).where(
            Participation.source.like("meeting:%")))
        assert meeting_rows == db.session.scalar(select(func.count(CheckIn.id)).where(
            CheckIn.meeting_id.is_not(None), CheckIn.status == "present"))
        assert db.session.scalar(select(func.count(OrgMeeting.id))) == written["meetings"]
        # once per database
        assert set(seed_demo_year(clock.today()).values()) == {0}
