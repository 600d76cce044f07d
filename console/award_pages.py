"""评选: the year's honours for admins — each honour's candidates from the annual report with
the rule and the figures beside each, ticking and deciding them (one Award row per year, kind
and subject, so a double submit decides once), undoing a decision before publishing, and
publishing the year's list by one broadcast to everyone (twice sends once). Every change is
audited by awards.decisions.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import select

import clock
from awards import decisions
from awards.candidates import Candidate, candidates
from broadcasts.jobs import enqueue_broadcast
from console.auth import guard, viewer
from console.views import bp, not_found, page
from content import award_texts as at
from models import Award, Broadcast, Role, db, utcnow
from report.figures import build

YEARS_BACK = 3


def _year(value: Any) -> int:
    """The year asked for, or the committee's current one."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return clock.year_of(utcnow())
    return year if 2000 <= year <= 2100 else clock.year_of(utcnow())


def _years(year: int) -> list[int]:
    now = clock.year_of(utcnow())
    found = set(db.session.scalars(select(Award.year).distinct()))
    found.update(range(now - YEARS_BACK + 1, now + 1))
    found.add(year)
    return sorted(found, reverse=True)


def _candidates(year: int) -> dict[str, list[Candidate]]:
    return candidates(build(year), utcnow())


def _to(year: int) -> Response:
    return redirect(url_for(".awards", year=year), 303)  # type: ignore[return-value]


@bp.get("/awards")
@guard(Role.ADMIN)
def awards() -> Response:
    """Each honour: its candidates with the rule and figures, the ones decided, publishing."""
    year = _year(request.args.get("year"))
    rows = decisions.of_year(year)
    decided = {(a.kind, a.subject): a for a in rows}
    published = next((a for a in rows if a.published_at is not None), None)
    broadcast = (db.session.get(Broadcast, published.broadcast_id)
                 if published is not None and published.broadcast_id else None)
    return page("awards.html", at=at, year=year, years=_years(year),
                candidates=_candidates(year), rows=rows, decided=decided,
                published=published, broadcast=broadcast, name_of=decisions.subject_name)


@bp.post("/awards/decide")
@guard(Role.ADMIN)
def award_decide() -> Response:
    """确定评定: the ticked candidates of one honour become Award rows (each once, audited)."""
    year = _year(request.form.get("year"))
    kind = request.form.get("kind", "")
    offered = [c for found in _candidates(year).values() for c in found]
    try:
        made = decisions.decide(year, kind, request.form.getlist("subject"), offered,
                                viewer().actor, utcnow())
        db.session.commit()
    except decisions.AwardError as exc:
        db.session.rollback()
        flash(exc.text(), "error")
        return _to(year)
    if made:
        flash(at.DECIDED.format(kind=at.KIND_NAMES[kind], count=len(made)), "ok")
    else:
        flash(at.DECIDED_NONE, "ok")
    return _to(year)


@bp.post("/awards/<int:award_id>/undecide")
@guard(Role.ADMIN)
def award_undecide(award_id: int) -> Response:
    """撤销: a decision removed before the year is published (audited)."""
    award = db.session.get(Award, award_id)
    if award is None:
        return not_found()
    year, kind, name = award.year, award.kind, decisions.subject_name(award)
    try:
        decisions.undecide(award, viewer().actor)
        db.session.commit()
    except decisions.AwardError as exc:
        db.session.rollback()
        flash(exc.text(), "error")
        return _to(year)
    flash(at.UNDECIDED.format(kind=at.KIND_NAMES.get(kind, kind), name=name), "ok")
    return _to(year)


@bp.post("/awards/publish")
@guard(Role.ADMIN)
def award_publish() -> Response:
    """发布: the year's list goes to every member by one broadcast, once (audited)."""
    year = _year(request.form.get("year"))
    try:
        broadcast = decisions.publish(year, viewer().actor, utcnow())
        number, size, broadcast_id = broadcast.number, broadcast.audience_size, broadcast.id
        db.session.commit()
    except decisions.AwardError as exc:
        db.session.rollback()
        flash(exc.text(), "error")
        return _to(year)
    enqueue_broadcast(broadcast_id)
    flash(at.PUBLISHED.format(year=year, number=number, count=size), "ok")
    return _to(year)
