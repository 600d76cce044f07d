"""红色直播间: the imported sessions with their viewer counts, uploading a viewer list (the
`live import` command's formats, parser and checks: live.live), its row-by-row check
report, the confirm, and linking a session to the lecture it streamed. Admins only.

Two steps, nothing written before the second: 检查名单 reads the upload and runs the import as
a dry run (rolled back); a file with any problem is reported row by row and nothing is kept.
A clean file is kept in Redis under a one-time token (LIVE_UPLOAD_TTL_S) with the title and
start it was checked with; 确认导入 claims the token once (a second confirm finds it taken and
points at the session), takes the file out of Redis and imports it for real.
"""

from __future__ import annotations

import re
import secrets
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import FileStorage

from bot import keys
from bot.extensions import redis_store
from console.auth import guard, viewer
from console.views import UPLOAD_LIMITS, bp, local, not_found, page, paginate, wall_time
from content import live_page_texts as lt
from live import live
from live.live import LiveError
from models import Lecture, LiveSession, Role, db
from roster.sheet_read import SUFFIXES, SheetError

CHECK_ENDPOINT = "console.live_check"
FILE_LIMIT = 5 * 1024 * 1024  # a 20,000-row viewer list is well under 1 MB
# Twice the file's limit, so a list somewhat too large is told so in Chinese beside its field;
# a body larger still is refused before it is read.
UPLOAD_LIMITS[CHECK_ENDPOINT] = 2 * FILE_LIMIT
LIVE_UPLOAD_TTL_S = 30 * 60  # a checked list waits this long for its confirm
CONFIRM_PENDING_S = 120  # a confirm whose worker died frees the token again
CONFIRM_DONE_S = 24 * 3600  # a used token names its session this long
TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
LINES_SHOWN = 300
NAME_MAX = 100


def _name(upload: FileStorage) -> str:
    """The uploaded file's own name (no folders, no control characters), as reports show it."""
    raw = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    raw = "".join(ch for ch in raw if ch.isprintable()).strip()
    path = Path(raw)
    return f"{path.stem[:NAME_MAX] or 'viewers'}{path.suffix.lower()}" if path.suffix else raw


def _lecture_text(lecture: Lecture) -> str:
    """A lecture as the choices show it: its time, topic and lecturer."""
    return lt.LECTURE_OPTION.format(at=local(lecture.starts_at), title=lecture.topic.title,
                                    lecturer=lecture.lecturer.name)


def _page(template: str, code: int = 200, /, **context: Any) -> Response:
    return page(template, code, lt=lt, lecture_text=_lecture_text, **context)


def _form(code: int = 200, typed: dict[str, str] | None = None,
          errors: dict[str, str] | None = None, problems: list[str] | None = None
          ) -> Response:
    """The upload form, with the problems beside their fields and the file's, row by row."""
    return _page("live_import.html", code, typed=typed or {"title": "", "starts_at": ""},
                 errors=errors or {}, problems=problems or [], report=None, token="",
                 done=None, shown=LINES_SHOWN)


# the list and one session


@bp.get("/live")
@guard(Role.ADMIN)
def live_listing() -> Response:
    """Every imported session, the latest first: viewers, members credited, unmatched, the
    lecture it is linked to."""
    rows = paginate(live.newest_first(), per_page=30)
    credited = live.credited([row.id for row in rows.items])
    lectures = {row.lecture_id for row in rows.items if row.lecture_id}
    found = {lecture.id: lecture for lecture in db.session.scalars(
        select(Lecture).options(selectinload(Lecture.topic), selectinload(Lecture.lecturer))
        .where(Lecture.id.in_(lectures)))} if lectures else {}
    return _page("live_sessions.html", rows=rows, credited=credited, lectures=found)


def _session_page(session: LiveSession, code: int = 200, error: str = "") -> Response:
    choices = live.lectures_near(session.starts_at)
    linked = session.lecture_id
    if linked is not None and linked not in {lecture.id for lecture in choices}:
        current = db.session.get(Lecture, linked)
        if current is not None:
            choices.insert(0, current)
    lecture = db.session.get(Lecture, linked) if linked else None
    return _page("live_session.html", code, session=session, choices=choices, lecture=lecture,
                 credited=live.credited([session.id]).get(session.id, 0), error=error,
                 days=live.LINK_WINDOW.days)


@bp.get("/live/<int:session_id>")
@guard(Role.ADMIN)
def live_session(session_id: int) -> Response:
    """One session: its figures, its file, and the lecture it is linked to (or may be)."""
    session = db.session.get(LiveSession, session_id)
    if session is None:
        return not_found()
    return _session_page(session)


@bp.post("/live/<int:session_id>/lecture")
@guard(Role.ADMIN)
def live_link(session_id: int) -> Response:
    """Link the session to a lecture near its time, or unlink it (audited; both lectures'
    live viewers recounted); a refused choice is said beside the field, nothing written."""
    session = db.session.get(LiveSession, session_id)
    if session is None:
        return not_found()
    value = request.form.get("lecture", "").strip()
    if value and not value.isdecimal():
        return _session_page(session, 400, lt.BAD_LECTURE)
    lecture_id = int(value) if value else None
    try:
        changed = live.link_lecture(session, lecture_id, viewer().actor)
    except LiveError as exc:
        db.session.rollback()
        session = db.session.get(LiveSession, session_id)
        assert session is not None
        message = (lt.FAR_LECTURE.format(days=live.LINK_WINDOW.days) if exc.reason == "far"
                   else lt.BAD_LECTURE)
        return _session_page(session, 400, message)
    if changed and lecture_id is not None:
        lecture = db.session.get(Lecture, lecture_id)
        assert lecture is not None
        message = lt.LINKED.format(lecture=_lecture_text(lecture),
                                   viewers=lecture.live_viewers or 0)
    else:
        message = lt.UNLINKED if changed else lt.LINK_UNCHANGED
    db.session.commit()
    flash(message, "ok")
    return redirect(url_for(".live_session", session_id=session_id), 303)  # type: ignore


# 导入观看名单: check, then confirm


@bp.get("/live/import")
@guard(Role.ADMIN)
def live_import_form() -> Response:
    """The upload form: title, start time (the committee's clock) and the file."""
    return _form()


def _field_errors(title: str, typed_at: str) -> tuple[dict[str, str], datetime | None]:
    """The title's and the start's problems (live.live's title rule)."""
    errors: dict[str, str] = {}
    try:
        live.check_title(title)
    except LiveError:
        errors["title"] = lt.NEED_TITLE
    starts_at = wall_time(typed_at)
    if not typed_at.strip():
        errors["starts_at"] = lt.NEED_TIME
    elif starts_at is None:
        errors["starts_at"] = lt.BAD_TIME
    return errors, starts_at


def _upload(errors: dict[str, str]) -> tuple[str, bytes] | None:
    """The chosen file's name and bytes; None (its problem in `errors`) when no .xlsx/.csv
    file was chosen, or one over FILE_LIMIT."""
    upload = request.files.get("file")
    data = upload.read(FILE_LIMIT + 1) if upload is not None else b""
    name = _name(upload) if upload is not None else ""
    if upload is None or (not data and not upload.filename) or \
            Path(name).suffix.lower() not in SUFFIXES:
        errors["file"] = lt.NEED_FILE
        return None
    if len(data) > FILE_LIMIT:
        errors["file"] = lt.FILE_TOO_LARGE.format(megabytes=FILE_LIMIT // (1024 * 1024))
        return None
    return name, data


def _live_error(exc: LiveError) -> tuple[str, str]:
    """The field a refused import names, and why, in Chinese."""
    if exc.reason == "title":
        return "title", lt.NEED_TITLE
    if exc.reason == "time":
        return "starts_at", lt.BAD_TIME
    if exc.session_id:
        return "title", lt.IMPORTED.format(session=exc.session_id)
    return "title", lt.IMPORTED_NOW


def _stage(name: str, data: bytes, title: str, starts_at: datetime) -> str:
    """Keep a checked file in Redis under a fresh one-time token; the token."""
    token = secrets.token_urlsafe(24)
    key = keys.live_upload(token)
    with redis_store.client.pipeline(transaction=True) as pipe:
        pipe.hset(key, mapping={"file": data, "name": name, "title": title,
                                "starts_at": starts_at.isoformat(), "actor": viewer().actor})
        pipe.expire(key, LIVE_UPLOAD_TTL_S)
        pipe.execute()
    return token


@bp.post("/live/import")
@guard(Role.ADMIN)
def live_check() -> Response:
    """检查名单: the import run as a dry run (nothing written). Problems beside the fields and
    the file's row by row; a clean file is kept for the confirm and its report shown."""
    typed = {"title": request.form.get("title", ""), "starts_at": request.form.get("starts_at",
                                                                                   "")}
    title = typed["title"].strip()
    errors, starts_at = _field_errors(title, typed["starts_at"])
    uploaded = _upload(errors)
    report, problems = None, []
    if uploaded is not None:
        name, data = uploaded
        with tempfile.TemporaryDirectory(prefix="pioneer-live-") as folder:
            path = Path(folder) / name
            path.write_bytes(data)
            try:
                if not errors and starts_at is not None:
                    report = live.import_live(path, title, starts_at, viewer().actor,
                                              dry_run=True)
                else:  # a field is wrong: the file is still checked, every problem at once
                    live.read_viewers(path)
            except LiveError as exc:
                field, message = _live_error(exc)
                errors[field] = message
            except SheetError as exc:
                problems = exc.lines()
        db.session.rollback()
    if errors or problems or report is None or starts_at is None or uploaded is None:
        return _form(422 if problems and not errors else 400, typed, errors, problems)
    token = _stage(uploaded[0], uploaded[1], title, starts_at)
    return _page("live_import.html", typed=typed, errors={}, problems=[], report=report,
                 token=token, done=None, shown=LINES_SHOWN,
                 kept=lt.KEPT_FOR.format(minutes=LIVE_UPLOAD_TTL_S // 60))


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _taken(token: str) -> Response:
    """A confirm whose token another confirm holds: its session, or the list meanwhile."""
    found = _text(redis_store.client.get(keys.live_confirm(token)) or "")
    if found.isdecimal():
        flash(lt.ALREADY_DONE.format(session=found), "ok")
        return redirect(url_for(".live_session", session_id=int(found)), 303)  # type: ignore
    flash(lt.IN_PROGRESS, "ok")
    return redirect(url_for(".live_listing"), 303)  # type: ignore


def _expired() -> Response:
    flash(lt.EXPIRED, "error")
    return redirect(url_for(".live_import_form"), 303)  # type: ignore


@bp.post("/live/import/confirm")
@guard(Role.ADMIN)
def live_confirm() -> Response:
    """确认导入: import the checked list once (audited as live.import); a second confirm of
    the same list points at the session it made; an expired one asks for the file again."""
    token = request.form.get("token", "")
    if not TOKEN.fullmatch(token):
        return _expired()
    claim = keys.live_confirm(token)
    if not redis_store.client.set(claim, "pending", nx=True, ex=CONFIRM_PENDING_S):
        return _taken(token)
    staged = {_text(k): v for k, v in redis_store.client.hgetall(keys.live_upload(token)).items()}
    if not staged or _text(staged.get("actor", b"")) != viewer().actor:
        redis_store.client.delete(claim)
        return _expired()
    redis_store.client.delete(keys.live_upload(token))
    name, title = _text(staged["name"]), _text(staged["title"])
    starts_at = datetime.fromisoformat(_text(staged["starts_at"]))
    typed = {"title": title, "starts_at": local(starts_at).replace(" ", "T")}
    try:
        with tempfile.TemporaryDirectory(prefix="pioneer-live-") as folder:
            path = Path(folder) / name
            path.write_bytes(staged["file"])
            result = live.import_live(path, title, starts_at, viewer().actor)
        session_id = result.session_id
        db.session.commit()
    except LiveError as exc:
        db.session.rollback()
        redis_store.client.delete(claim)
        field, message = _live_error(exc)
        return _form(409, typed, {field: message})
    except SheetError as exc:  # the file was checked; kept here should nothing else change
        db.session.rollback()
        redis_store.client.delete(claim)
        return _form(422, typed, {}, exc.lines())
    except Exception:
        db.session.rollback()
        redis_store.client.delete(claim)
        raise
    redis_store.client.set(claim, str(session_id), ex=CONFIRM_DONE_S)
    return _page("live_import.html", typed=typed, errors={}, problems=[], report=None,
                 token="", done=result, shown=LINES_SHOWN,
                 done_text=lt.DONE.format(session=session_id))
