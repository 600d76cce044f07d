"""关注词 and 待审核 (admins only): the watch list the committee keeps (add, change, switch off
and on), the queue of reflections and questions that hold a term, one hit with the text it
was found in, and the reviewer's note of what was done.

Pioneer never acts on a member because of a hit; the queue is for people to read. Every view
of the queue and of a hit is audited ("watch.queue_view", "watch.hit_view"), as is every
change (analysis.watch). Forms carry a one-time key, so a double submit writes once.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import func, select

from analysis import jobs, watch
from analysis.corpus import QUESTION, REFLECTION
from analysis.watch import BACKFILL_DAYS, WatchError
from bot import keys
from console import once
from console.auth import guard, viewer
from console.views import bp, not_found, page, paginate
from content import analysis_texts as a
from models import (
    Member,
    Question,
    Reflection,
    Role,
    WatchHit,
    WatchTerm,
    audit,
    db,
    utcnow,
)

FORM_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
FILTERS = tuple(a.QUEUE_FILTERS)


def form_claim(key: str) -> str:
    """The Redis key a watch-list form's one-time key is claimed under."""
    return f"{keys.PREFIX}:console:watch-form:{key}"


def _terms_page(code: int = 200, editing: WatchTerm | None = None,
                typed: dict[str, str] | None = None, error: str | None = None) -> Response:
    """The watch list, with the add (or change) form."""
    terms = list(db.session.scalars(select(WatchTerm).order_by(WatchTerm.active.desc(),
                                                               WatchTerm.term)))
    hits = dict(db.session.execute(select(WatchHit.term_id, func.count(WatchHit.id))
                                   .group_by(WatchHit.term_id)).all())
    if typed is None:
        typed = ({"term": editing.term, "variants": "\n".join(editing.variants),
                  "note": editing.note} if editing else {"term": "", "variants": "", "note": ""})
    return page("watch_terms.html", code, a=a, terms=terms, hits=hits, editing=editing,
                typed=typed, error=error, form_key=secrets.token_urlsafe(18),
                days=BACKFILL_DAYS)


@bp.get("/watch/terms")
@guard(Role.ADMIN)
def watch_terms() -> Response:
    """关注词: the list, and the form to add one (or change one: ?edit=<id>)."""
    edit = request.args.get("edit", type=int)
    editing = db.session.get(WatchTerm, edit) if edit else None
    if edit and editing is None:
        return not_found()
    return _terms_page(editing=editing)


def _once(key: str) -> tuple[str | None, Response | None]:
    """Claim a form's one-time key: (the claim, None), or (None, the answer to give)."""
    if not FORM_KEY.fullmatch(key):
        flash(a.FORM_EXPIRED, "error")
        return None, redirect(url_for(".watch_terms"), 303)
    claim = form_claim(key)
    if once.made(claim) is not None or not once.claim(claim):
        flash(a.FORM_USED, "ok")
        return None, redirect(url_for(".watch_terms"), 303)
    return claim, None


@bp.post("/watch/terms")
@guard(Role.ADMIN)
def watch_term_save() -> Response:
    """保存关注词: add a term, or change one (term_id); then match the recent texts."""
    form = request.form
    typed = {"term": form.get("term", ""), "variants": form.get("variants", ""),
             "note": form.get("note", "")}
    term_id = form.get("term_id", type=int)
    editing = db.session.get(WatchTerm, term_id) if term_id else None
    try:
        watch.clean_term(typed["term"], typed["variants"], typed["note"])
    except WatchError as exc:
        return _terms_page(400, editing, typed, a.WATCH_ERRORS[exc.reason])
    claim, answer = _once(form.get("form_key", ""))
    if claim is None:
        assert answer is not None
        return answer
    try:
        row = watch.save_term(term_id, typed["term"], typed["variants"], typed["note"],
                              viewer().actor, utcnow())
        db.session.commit()
    except WatchError as exc:
        db.session.rollback()
        once.release(claim)
        return _terms_page(400, editing, typed, a.WATCH_ERRORS[exc.reason])
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, row.id)
    jobs.enqueue_backfill(row.id)
    flash(a.TERM_SAVED.format(term=row.term), "ok")
    return redirect(url_for(".watch_terms"), 303)


@bp.post("/watch/terms/<int:term_id>/active")
@guard(Role.ADMIN)
def watch_term_active(term_id: int) -> Response:
    """启用 / 停用: switch a term on or off (its hits stay in the queue)."""
    row = db.session.get(WatchTerm, term_id)
    if row is None:
        return not_found()
    active = request.form.get("active") == "1"
    if row.active != active:
        watch.set_active(row, active, viewer().actor, utcnow())
        db.session.commit()
        if active:
            jobs.enqueue_backfill(row.id)
    flash((a.TERM_ON if active else a.TERM_OFF).format(term=row.term), "ok")
    return redirect(url_for(".watch_terms"), 303)


def _filtered(query: Any, status: str) -> Any:
    if status == "open":
        return query.where(WatchHit.reviewed_at.is_(None))
    if status == "reviewed":
        return query.where(WatchHit.reviewed_at.is_not(None))
    return query


@bp.get("/watch")
@guard(Role.ADMIN)
def watch_queue() -> Response:
    """待审核: the hits, open ones oldest first (audited: who looked, at which filter)."""
    status = request.args.get("status", "open")
    if status not in FILTERS:
        status = "open"
    order = ((WatchHit.found_at, WatchHit.id) if status == "open"
             else (WatchHit.found_at.desc(), WatchHit.id.desc()))
    rows = paginate(_filtered(select(WatchHit), status).order_by(*order))
    counts = {key: int(db.session.scalar(select(func.count()).select_from(
        _filtered(select(WatchHit.id), key).subquery())) or 0) for key in FILTERS}
    audit(viewer().actor, "watch.queue_view", "watch_hits", status=status, page=rows.page,
          shown=[row.id for row in rows.items])
    db.session.commit()
    return page("watch_queue.html", a=a, rows=rows, status=status, counts=counts)


def _source(hit: WatchHit) -> tuple[str | None, Member | None, str, str]:
    """The text the hit was found in, its author, the author's organisation, its number."""
    if hit.source_kind == REFLECTION:
        reflection = db.session.get(Reflection, hit.source_id)
        if reflection is None:
            return None, None, "", ""
        org = reflection.member.main_organization
        return reflection.text, reflection.member, org.name if org else "", reflection.number
    if hit.source_kind == QUESTION:
        question = db.session.get(Question, hit.source_id)
        if question is None:
            return None, None, "", ""
        org = question.organization or question.member.main_organization
        return question.text, question.member, org.name if org else "", question.number
    return None, None, "", ""


def _hit_page(hit: WatchHit, code: int = 200, error: str | None = None,
              typed: str = "") -> Response:
    text, author, org, number = _source(hit)
    return page("watch_hit.html", code, a=a, hit=hit, text=text, author=author, org=org,
                number=number, error=error, typed=typed, form_key=secrets.token_urlsafe(18))


@bp.get("/watch/hits/<int:hit_id>")
@guard(Role.ADMIN)
def watch_hit(hit_id: int) -> Response:
    """One hit: the term, the text it was found in and who wrote it (audited)."""
    hit = db.session.get(WatchHit, hit_id)
    if hit is None:
        return not_found()
    audit(viewer().actor, "watch.hit_view", f"watch_hit:{hit.id}",
          source=f"{hit.source_kind}:{hit.source_id}", term=hit.term)
    db.session.commit()
    return _hit_page(hit)


@bp.post("/watch/hits/<int:hit_id>/review")
@guard(Role.ADMIN)
def watch_hit_review(hit_id: int) -> Response:
    """记录处理情况: what the reviewer did, once (audited)."""
    hit = db.session.get(WatchHit, hit_id)
    if hit is None:
        return not_found()
    note = request.form.get("note", "")
    key = request.form.get("form_key", "")
    if not FORM_KEY.fullmatch(key):
        return _hit_page(hit, 400, a.FORM_EXPIRED, note)
    claim = form_claim(key)
    if once.made(claim) is not None or not once.claim(claim):
        flash(a.FORM_USED, "ok")
        return redirect(url_for(".watch_hit", hit_id=hit.id), 303)
    try:
        done = watch.review(hit, note, viewer().actor, utcnow())
        db.session.commit()
    except WatchError as exc:
        db.session.rollback()
        once.release(claim)
        return _hit_page(hit, 400, a.WATCH_ERRORS[exc.reason], note)
    except Exception:
        db.session.rollback()
        once.release(claim)
        raise
    once.done(claim, hit.id)
    db.session.refresh(hit)
    flash(a.REVIEWED if done else a.ALREADY_REVIEWED.format(by=hit.reviewed_by), "ok")
    return redirect(url_for(".watch_hit", hit_id=hit.id), 303)
