"""题库: the question bank for admins — every question with its correct rate, authoring and
editing one (the bank's checks, quizzes.bank, each problem beside its field, nothing written
while any is left), 停用 / 启用, and the .xlsx import with its template (quizzes.sheet: 仅检查
reports row by row and writes nothing; 导入 writes all or nothing).
"""

from __future__ import annotations

import io
import secrets
import tempfile
from pathlib import Path
from typing import Any

from flask import Response, flash, redirect, request, send_file, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from console.auth import guard, viewer
from console.views import UPLOAD_LIMITS, bp, not_found, page, paginate
from content import quiz_page_texts as qt
from models import AuditEntry, Campaign, Material, QuizKind, QuizQuestion, Role, db, utcnow
from quizzes import figures, sheet
from quizzes.answers import LETTERS
from quizzes.bank import (
    OPTION_FIELDS,
    BankError,
    QuestionInput,
    check_question,
    create_question,
    set_active,
    update_question,
)
from roster.sheet_read import SUFFIXES, SheetError

FILE_LIMIT = 5 * 1024 * 1024  # 2,000 questions are well under 1 MB
UPLOAD_LIMITS["console.quiz_import"] = 2 * FILE_LIMIT
HISTORY_ROWS = 50
SEARCH_MAX = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(template: str, code: int = 200, /, **context: Any) -> Response:
    return page(template, code, qt=qt, letters=LETTERS, option_fields=OPTION_FIELDS, **context)


def _typed(form: MultiDict[str, str]) -> QuestionInput:
    """The posted form as the bank's checks take it."""
    return QuestionInput(kind=form.get("kind", ""), text=form.get("text", ""),
                         options=tuple(form.get(name, "") for name in OPTION_FIELDS),
                         answer=form.get("answer", ""), explanation=form.get("explanation", ""),
                         material=form.get("material", ""), campaign=form.get("campaign", ""))


def _echo(form: MultiDict[str, str]) -> dict[str, str]:
    names = ("kind", "text", "answer", "explanation", "material", "campaign", *OPTION_FIELDS)
    return {name: form.get(name, "") for name in names}


def _form_of(question: QuizQuestion) -> dict[str, str]:
    """A stored question as the form shows it."""
    shown = {"kind": question.kind, "text": question.text,
             "answer": qt.JUDGE_NAMES.get(question.answer, question.answer)
             if question.kind == QuizKind.JUDGE else question.answer,
             "explanation": question.explanation,
             "material": question.material.slug if question.material else "",
             "campaign": ""}
    if question.campaign_id is not None:
        campaign = db.session.get(Campaign, question.campaign_id)
        shown["campaign"] = campaign.name if campaign else ""
    options = list(question.options) if question.kind != QuizKind.JUDGE else []
    for index, name in enumerate(OPTION_FIELDS):
        shown[name] = options[index] if index < len(options) else ""
    return shown


def _choices() -> dict[str, Any]:
    """What the form offers: the active materials and the campaigns."""
    return {"materials": list(db.session.execute(select(Material.slug, Material.title).where(
                Material.active).order_by(Material.title))),
            "campaigns": list(db.session.scalars(select(Campaign.name).order_by(
                Campaign.starts_on.desc(), Campaign.id.desc())))}


def _form_page(question: QuizQuestion | None, form: dict[str, str],
               errors: dict[str, list[str]], key: str = "", code: int = 200) -> Response:
    history: list[AuditEntry] = []
    rate = None
    if question is not None:
        history = list(db.session.scalars(select(AuditEntry).where(
            AuditEntry.target == question.number, AuditEntry.action.startswith("quiz."))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(HISTORY_ROWS)))
        rate = figures.rates([question.id]).get(question.id)
    return _page("quiz_question.html", code, question=question, form=form, errors=errors,
                 key=key, history=history, rate=rate, **_choices())


def _question(question_id: int) -> QuizQuestion | None:
    return db.session.scalars(select(QuizQuestion).where(QuizQuestion.id == question_id)
                              .options(selectinload(QuizQuestion.material))).first()


def _to(question_id: int) -> Response:
    return redirect(url_for(".quiz_detail", question_id=question_id), 303)  # type: ignore


@bp.get("/quiz")
@guard(Role.ADMIN)
def quiz_bank() -> Response:
    """Every question with its state, answers and correct rate; ?state= active or retired,
    ?scope= daily or campaign, ?q= words of the question."""
    state, scope = request.args.get("state", ""), request.args.get("scope", "")
    words = request.args.get("q", "").strip()[:SEARCH_MAX]
    query = select(QuizQuestion).options(selectinload(QuizQuestion.material)).order_by(
        QuizQuestion.active.desc(), QuizQuestion.id.desc())
    if state in ("active", "retired"):
        query = query.where(QuizQuestion.active.is_(state == "active"))
    else:
        state = ""
    if scope in ("daily", "campaign"):
        query = query.where(QuizQuestion.campaign_id.is_(None) if scope == "daily"
                            else QuizQuestion.campaign_id.is_not(None))
    else:
        scope = ""
    if words:
        escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(QuizQuestion.text.like(f"%{escaped}%", escape="\\"))
    rows = paginate(query)
    ids = [question.id for question in rows.items]
    campaigns = {c.id: c.name for c in db.session.scalars(select(Campaign).where(Campaign.id.in_(
        {q.campaign_id for q in rows.items if q.campaign_id})))} if ids else {}
    return _page("quiz_bank.html", rows=rows, state=state, scope=scope, words=words,
                 rates=figures.rates(ids), campaigns=campaigns)


@bp.get("/quiz/new")
@guard(Role.ADMIN)
def quiz_new() -> Response:
    """The empty form, with the key that makes a double submit create one question."""
    return _form_page(None, {"kind": QuizKind.SINGLE}, {}, secrets.token_urlsafe(16))


def _made(key: str) -> QuizQuestion | None:
    return db.session.scalars(select(QuizQuestion).where(QuizQuestion.form_key == key)).first()


@bp.post("/quiz/new")
@guard(Role.ADMIN)
def quiz_create() -> Response:
    """Create the question once per form key; every problem beside its field."""
    key = request.form.get("form_key", "")
    if not 16 <= len(key) <= 64:
        flash(qt.FORM_INVALID.format(count=1), "error")
        return _form_page(None, _echo(request.form), {}, secrets.token_urlsafe(16), 400)
    earlier = _made(key)
    if earlier is not None:  # the same form sent again: its question
        return _to(earlier.id)
    try:
        draft = check_question(_typed(request.form))
        question = create_question(draft, viewer().actor, utcnow(), form_key=key)
        made, number = question.id, question.number
        db.session.commit()
    except BankError as exc:
        db.session.rollback()
        flash(qt.FORM_INVALID.format(count=exc.count), "error")
        return _form_page(None, _echo(request.form), exc.problems, key, 400)
    except IntegrityError:  # a twin submit of this form won the race
        db.session.rollback()
        earlier = _made(key)
        if earlier is None:
            raise
        return _to(earlier.id)
    flash(qt.CREATED.format(number=number), "ok")
    return _to(made)


@bp.get("/quiz/<int:question_id>")
@guard(Role.ADMIN)
def quiz_detail(question_id: int) -> Response:
    """One question: the edit form, its answers and correct rate, 停用 / 启用, its history."""
    question = _question(question_id)
    if question is None:
        return not_found()
    return _form_page(question, _form_of(question), {})


@bp.post("/quiz/<int:question_id>")
@guard(Role.ADMIN)
def quiz_update(question_id: int) -> Response:
    """Save the form over the question; answers already given keep their result."""
    question = _question(question_id)
    if question is None:
        return not_found()
    try:
        changed = update_question(question, check_question(_typed(request.form)),
                                  viewer().actor, utcnow())
        number = question.number
        db.session.commit()
    except BankError as exc:
        db.session.rollback()
        flash(qt.FORM_INVALID.format(count=exc.count), "error")
        question = _question(question_id)
        assert question is not None
        return _form_page(question, _echo(request.form), exc.problems, code=400)
    flash(qt.SAVED.format(number=number) if changed else qt.UNCHANGED, "ok")
    return _to(question_id)


def _set_active(question_id: int, active: bool) -> Response:
    question = _question(question_id)
    if question is None:
        return not_found()
    number = question.number
    if set_active(question, active, viewer().actor, utcnow()):
        db.session.commit()
        flash((qt.ACTIVATED if active else qt.RETIRED).format(number=number), "ok")
    else:
        flash(qt.ALREADY_STATE.format(state=qt.STATE_NAMES[active]), "error")
    return _to(question_id)


@bp.post("/quiz/<int:question_id>/retire")
@guard(Role.ADMIN)
def quiz_retire(question_id: int) -> Response:
    """停用: drawn no more; the answers given are kept."""
    return _set_active(question_id, False)


@bp.post("/quiz/<int:question_id>/activate")
@guard(Role.ADMIN)
def quiz_activate(question_id: int) -> Response:
    """启用: drawn again."""
    return _set_active(question_id, True)


# 导入题目


@bp.get("/quiz/import")
@guard(Role.ADMIN)
def quiz_import_form() -> Response:
    """The import form, with the template's link."""
    return _page("quiz_import.html", report=None, problems=None)


@bp.post("/quiz/import")
@guard(Role.ADMIN)
def quiz_import() -> Response:
    """仅检查 (nothing written) or 导入 (all or nothing) an uploaded bank, reported row by row."""
    upload = request.files.get("file")
    suffix = Path(upload.filename or "").suffix.lower() if upload else ""
    if upload is None or suffix not in SUFFIXES:
        return _page("quiz_import.html", 400, report=None, problems=[qt.IMPORT_NO_FILE])
    data = upload.read(FILE_LIMIT + 1)
    if len(data) > FILE_LIMIT:
        return _page("quiz_import.html", 400, report=None, problems=[
            qt.IMPORT_TOO_LARGE.format(megabytes=FILE_LIMIT // (1024 * 1024))])
    dry_run = request.form.get("mode") != "apply"
    with tempfile.TemporaryDirectory(prefix="pioneer-quiz-") as folder:
        path = Path(folder) / f"bank{suffix}"
        path.write_bytes(data)
        try:
            report = sheet.import_bank(path, viewer().actor, utcnow(), dry_run=dry_run)
        except SheetError as exc:
            db.session.rollback()
            return _page("quiz_import.html", 422, report=None, problems=exc.lines())
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return _page("quiz_import.html", report=report, problems=None)


@bp.get("/quiz/template.xlsx")
@guard(Role.ADMIN)
def quiz_template() -> Response:
    """The import's template (.xlsx): the columns, a 题型 drop-down, instructions, examples."""
    with tempfile.TemporaryDirectory(prefix="pioneer-quiz-") as folder:
        path = Path(folder) / "template.xlsx"
        sheet.write_template(path)
        data = io.BytesIO(path.read_bytes())
    return send_file(data, as_attachment=True, download_name="题库导入模板.xlsx", mimetype=XLSX)
