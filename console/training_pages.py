"""培训班: the trainings of a year (by kind) with their counts, a new training, and one
training with its enrolments (attendance per session, hours credited), its sessions (check-in
code, counts, a link to the session's check-in page for 代签 and 请假), enrolling members from a
pasted list of names or userids, taking an enrolment back, and scheduling a session.

Admins only (a contact or lecturer gets 403, as on the neighbouring admin pages; a training
that does not exist is 404). The create, enrol and session forms carry a one-time key
(console/once.py; trainings and sessions also keep it in a unique column), so a double submit
writes once. Every change is audited by trainings.manage; enrolled members are told in WeCom
after the commit.
"""

from __future__ import annotations

import re
import secrets
from datetime import date
from typing import Any

from flask import Response, abort, flash, redirect, request, url_for
from werkzeug.routing import BuildError

import clock
from bot import keys
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from console import once
from console.auth import guard, viewer
from console.views import bp, local, not_found, page, wall_time
from content import training_texts as tt
from content.titles import quoted
from models import Activity, Role, Training, TrainingKind, db, utcnow
from trainings import figures, manage
from trainings.manage import EnrolProblems, TrainingError

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
KINDS = tuple(TrainingKind)
YEARS = (2000, 2100)


def form_claim(form_key: str) -> str:
    """The Redis key a training form's one-time key is claimed under."""
    return f"{keys.PREFIX}:console:training-form:{form_key}"


def _year() -> int:
    """The year asked for (this committee year when absent or out of range)."""
    year = request.args.get("year", type=int)
    return year if year is not None and YEARS[0] <= year <= YEARS[1] else clock.today().year


def _date(name: str) -> date | None:
    """A YYYY-MM-DD form field, or None."""
    try:
        return date.fromisoformat(request.form.get(name, "").strip())
    except ValueError:
        return None


def _number(name: str, kind: type[int] | type[float]) -> Any:
    """A number form field, or None."""
    try:
        return kind(request.form.get(name, "").strip())
    except ValueError:
        return None


def _listing(code: int = 200, errors: dict[str, str] | None = None,
             form: dict[str, str] | None = None) -> Response:
    """The list of a year's trainings with the new-training form."""
    year, kind = _year(), request.args.get("kind", "")
    kind = kind if kind in KINDS else ""
    return page("trainings.html", code, tt=tt, rows=figures.listing(year, kind or None),
                year=year, kind=kind, kinds=KINDS, errors=errors or {}, form=form or {},
                form_key=secrets.token_urlsafe(18), cap=f"{manage.hours_cap():g}",
                max_planned=manage.MAX_PLANNED)


@bp.get("/trainings", endpoint="trainings")
@guard(Role.ADMIN)
def trainings_listing() -> Response:
    """The year's trainings (year=YYYY, kind=workers|activists|lecturers) with their counts."""
    return _listing()


def _training(training_id: int) -> Training:
    """The training, or the console's 404."""
    training = manage.find(training_id)
    if training is None:
        abort(not_found())
    return training


def _to(training_id: int, anchor: str = "") -> Response:
    address = url_for(".training_detail", training_id=training_id)
    return redirect(address + (f"#{anchor}" if anchor else ""), 303)  # type: ignore[return-value]


def _fresh_key() -> tuple[str | None, Response | None]:
    """The form's claim key, or the answer when the key is malformed or already used."""
    key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(key):
        flash(tt.FORM_EXPIRED, "error")
        return None, None
    claim = form_claim(key)
    made = once.made(claim)
    if made is not None:
        flash(tt.FORM_USED, "ok")
        return None, (_to(int(made)) if made.isdecimal() else
                      redirect(url_for(".trainings"), 303))  # type: ignore[arg-type]
    return claim, None


@bp.post("/trainings/new")
@guard(Role.ADMIN)
def training_create() -> Response:
    """新建培训班: kind, title, planned sessions, hours per session, dates, place (audited)."""
    form = {k: request.form.get(k, "") for k in ("kind", "title", "planned", "hours",
                                                  "starts_on", "ends_on", "place")}
    claim, answer = _fresh_key()
    if answer is not None:
        return answer
    if claim is None:
        return _listing(400, form=form)
    fields = (form["kind"], form["title"], _number("planned", int), _number("hours", float),
              _date("starts_on"), _date("ends_on"), form["place"])
    problems = manage.check_training(*fields)
    if problems:
        flash(tt.FORM_INVALID, "error")
        return _listing(400, {name: exc.text() for name, exc in problems.items()}, form)
    if not once.claim(claim):
        flash(tt.FORM_USED, "ok")
        return redirect(url_for(".trainings"), 303)  # type: ignore[return-value]
    try:
        training = manage.create_training(*fields, viewer().actor,
                                          form_key=claim.rsplit(":", 1)[1])
        training_id, title = training.id, training.title
        db.session.commit()
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, training_id)
    flash(tt.CREATED.format(title=quoted(title)), "ok")
    return _to(training_id)


def checkin_link(session: Activity) -> str | None:
    """The console's check-in page of a session (代签, 请假, QR), if the console has one."""
    try:
        return url_for(".checkin_detail", kind="activity", target_id=session.id)
    except BuildError:
        return None


def session_name(training: Training, session: Activity) -> str:
    """A session's own name on its training's page (第1场), without the training's title."""
    prefix = f"{training.title} "
    return session.title.removeprefix(prefix) if session.title.startswith(prefix) else (
        session.title)


def _detail(training: Training, code: int = 200, errors: dict[str, str] | None = None,
            form: dict[str, str] | None = None, refused: list[str] | None = None) -> Response:
    """One training: its enrolments with attendance and hours, its sessions and the forms."""
    sessions = figures.sessions_of([training.id]).get(training.id, [])
    counts = figures.session_counts([s.id for s in sessions])
    return page("training.html", code, tt=tt, training=training, sessions=sessions,
                counts=counts, lines=figures.member_lines(training, sessions),
                links={s.id: checkin_link(s) for s in sessions},
                names={s.id: session_name(training, s) for s in sessions}, errors=errors or {},
                form=form or {}, refused=refused or [], enrol_key=secrets.token_urlsafe(18),
                session_key=secrets.token_urlsafe(18), limit=manage.MAX_ENROL)


@bp.get("/trainings/<int:training_id>")
@guard(Role.ADMIN)
def training_detail(training_id: int) -> Response:
    """One training: enrolments, attendance per session, hours, sessions with their counts."""
    return _detail(_training(training_id))


@bp.post("/trainings/<int:training_id>/enrol")
@guard(Role.ADMIN)
def training_enrol(training_id: int) -> Response:
    """报名: a pasted list of names or userids, all or none; the new ones are told in WeCom."""
    training = _training(training_id)
    form = {"names": request.form.get("names", "")}
    claim, answer = _fresh_key()
    if answer is not None:
        return answer
    if claim is None:
        return _detail(training, 400, form=form)
    if not once.claim(claim):
        flash(tt.FORM_USED, "ok")
        return _to(training.id)
    outbox = Outbox(db.session)
    try:
        done = manage.enrol(training, form["names"], viewer().actor, utcnow())
        manage.notify_enrolled(outbox, training, done.new)
        db.session.commit()
    except (TrainingError, EnrolProblems) as exc:
        db.session.rollback()
        once.release(claim)
        flash(tt.FORM_INVALID, "error")
        if isinstance(exc, EnrolProblems):
            return _detail(training, 400, form=form, refused=exc.lines())
        return _detail(training, 400, {"names": exc.text()}, form)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, training.id)
    enqueue_deliveries(outbox.pending_ids())
    if done.new:
        flash(tt.ENROLLED_DONE.format(count=len(done.new)), "ok")
    if done.already:
        flash(tt.ENROLLED_ALREADY.format(names="、".join(m.name for m in done.already)), "ok")
    return _to(training.id, "training-enrolments")


@bp.post("/trainings/<int:training_id>/enrolments/<int:member_id>/remove")
@guard(Role.ADMIN)
def training_unenrol(training_id: int, member_id: int) -> Response:
    """取消报名: only before the member checked in (or asked for leave) at any session."""
    training = _training(training_id)
    try:
        member = manage.unenrol(training, member_id, viewer().actor)
        name = member.name
        db.session.commit()
    except TrainingError as exc:
        db.session.rollback()
        flash(exc.text(), "error")
        return _detail(training, 409)
    flash(tt.UNENROLLED.format(name=name), "ok")
    return _to(training.id, "training-enrolments")


@bp.post("/trainings/<int:training_id>/sessions")
@guard(Role.ADMIN)
def training_session_add(training_id: int) -> Response:
    """安排场次: a session with its own check-in code (audited)."""
    training = _training(training_id)
    form = {k: request.form.get(k, "") for k in ("title", "starts_at", "ends_at", "place")}
    claim, answer = _fresh_key()
    if answer is not None:
        return answer
    if claim is None:
        return _detail(training, 400, form=form)
    if not once.claim(claim):
        flash(tt.FORM_USED, "ok")
        return _to(training.id)
    try:
        session = manage.add_session(training, form["title"], wall_time(form["starts_at"]),
                                     wall_time(form["ends_at"]), form["place"], viewer().actor,
                                     utcnow(), form_key=claim.rsplit(":", 1)[1])
        title, starts, code = session.title, session.starts_at, session.checkin_code
        db.session.commit()
    except TrainingError as exc:
        db.session.rollback()
        once.release(claim)
        flash(tt.FORM_INVALID, "error")
        return _detail(training, 400, {"session": exc.text()}, form)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, training.id)
    flash(tt.SESSION_ADDED.format(title=quoted(title), time=local(starts), code=code), "ok")
    return _to(training.id, "training-sessions")
