"""The 研判报告 (.docx) for the committee's meeting: the title page, the figures, the top themes
with their trend and members' words quoted (without names: analysis/quotes.py), the phrases,
the split by kind of enterprise, and the lists — unanswered questions, missed quiz
questions, rarely completed materials, idle organisations, members not reached (counted per
organisation; the report names no member)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx.document import Document as DocxDocument

from analysis.lists import MIN_ATTEMPTS, MIN_DELIVERED
from content import analysis_texts as t
from documents.word import clean, field, new_document, title_page
from models import Analysis

BAR_WIDTH = 20  # characters of the widest bar


def _table(document: DocxDocument, head: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """A table with a bold header row, or 无 when there are no rows."""
    if not rows:
        document.add_paragraph(t.EMPTY)
        return
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(clean(str(text))).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = clean("" if value is None else str(value))


def bar(value: float, widest: float) -> str:
    """A text bar as long as the value against the widest (a chart Word shows as text)."""
    if widest <= 0:
        return ""
    return t.BAR * max(1, round(BAR_WIDTH * value / widest)) if value > 0 else ""


def _themes(document: DocxDocument, result: dict[str, Any]) -> None:
    themes = result["themes"]
    widest = max((theme["share"] for theme in themes), default=0)
    document.add_heading(t.THEMES, level=1)
    document.add_paragraph(t.THEMES_HINT)
    _table(document, (t.COL_RANK, t.COL_WORD, t.COL_TEXTS, t.COL_SHARE, t.CHART_SHARE,
                      t.COL_PREVIOUS, t.COL_TREND),
           [(i, th["word"], th["texts"], th["share"], bar(th["share"], widest),
             th["previous_share"], t.TREND_NAMES[th["trend"]])
            for i, th in enumerate(themes, 1)])
    document.add_heading(t.COL_QUOTES, level=2)
    document.add_paragraph(t.REPORT_ANONYMOUS)
    for theme in themes:
        if not theme.get("quotes"):
            continue
        paragraph = document.add_paragraph()
        paragraph.add_run(clean(theme["word"]) + "：").bold = True
        for quote in theme["quotes"]:
            document.add_paragraph(clean(t.QUOTE.format(text=quote["text"])),
                                   style="List Bullet")
    document.add_heading(t.FALLEN, level=2)
    _table(document, (t.COL_WORD, t.COL_PREVIOUS, t.COL_SHARE, t.COL_CHANGE),
           [(f["word"], f["previous_share"], f["share"], f["change"])
            for f in result["fallen"]])
    document.add_heading(t.PHRASES, level=2)
    _table(document, (t.COL_PHRASE, t.COL_TEXTS, t.COL_SHARE),
           [(p["phrase"], p["texts"], p["share"]) for p in result["phrases"]])


def _kinds(document: DocxDocument, result: dict[str, Any]) -> None:
    document.add_heading(t.KINDS, level=1)
    widest = max((kind["texts"] for kind in result["kinds"]), default=0)
    _table(document, (t.COL_KIND, t.COL_TEXTS, t.CHART_TEXTS),
           [(k["name"], k["texts"], bar(k["texts"], widest)) for k in result["kinds"]])
    for kind in result["kinds"]:
        document.add_heading(t.KIND_HEAD.format(name=kind["name"], count=kind["texts"]),
                             level=2)
        _table(document, (t.COL_WORD, t.COL_TEXTS, t.COL_SHARE, t.COL_PREVIOUS, t.COL_TREND),
               [(th["word"], th["texts"], th["share"], th["previous_share"],
                 t.TREND_NAMES[th["trend"]]) for th in kind["themes"]])


def _lists(document: DocxDocument, result: dict[str, Any]) -> None:
    document.add_heading(t.QUESTION_THEMES, level=1)
    _table(document, (t.COL_WORD, t.COL_TEXTS, t.COL_SHARE, t.COL_TREND),
           [(th["word"], th["texts"], th["share"], t.TREND_NAMES[th["trend"]])
            for th in result["question_themes"]])
    unanswered = result["unanswered"]
    document.add_heading(t.UNANSWERED, level=1)
    document.add_paragraph(t.UNANSWERED_SUMMARY.format(**unanswered))
    _table(document, (t.COL_NUMBER, t.COL_DAY, t.COL_QUESTION),
           [(q["number"], q["day"], q["text"]) for q in unanswered["items"]])
    document.add_heading(t.MISSED, level=1)
    document.add_paragraph(t.MISSED_HINT.format(min=MIN_ATTEMPTS))
    _table(document, (t.COL_QUESTION, t.COL_ANSWER, t.COL_ANSWERED, t.COL_WRONG,
                      t.COL_WRONG_SHARE),
           [(m["text"], m["answer"], m["answered"], m["wrong"], m["wrong_share"])
            for m in result["missed"]])
    document.add_heading(t.MATERIALS, level=1)
    document.add_paragraph(t.MATERIALS_HINT.format(min=MIN_DELIVERED))
    _table(document, (t.COL_TITLE, t.COL_DELIVERED, t.COL_COMPLETED, t.COL_COMPLETED_SHARE),
           [(m["title"], m["delivered"], m["completed"], m["completed_share"])
            for m in result["materials"]])
    idle = result["idle"]
    document.add_heading(t.IDLE.format(weeks=idle["weeks"]), level=1)
    document.add_paragraph(t.IDLE_SUMMARY.format(total=idle["organizations"],
                                                 count=len(idle["items"])))
    _table(document, (t.COL_ORG, t.COL_KIND, t.COL_LAST, t.COL_WEEKS),
           [(o["name"], t.KIND_NAMES.get(o["kind"], o["kind"]), o["last_day"] or t.NEVER,
             o["weeks"] if o["weeks"] is not None else "") for o in idle["items"]])
    unreached = result["unreached"]
    document.add_heading(t.UNREACHED, level=1)
    document.add_paragraph(t.UNREACHED_SUMMARY.format(members=unreached["members"],
                                                      total=unreached["total"]))
    _table(document, (t.COL_ORG, t.COL_COUNT),
           [(o["name"], o["count"]) for o in unreached["orgs"]])


def write(row: Analysis) -> bytes:
    """The 研判报告 of a built analysis, as .docx bytes."""
    result = row.result or {}
    period = result["period"]
    document = new_document()
    title_page(document, t.REPORT_TITLE,
               t.REPORT_SUBTITLE.format(period=period["label"], first=period["first_day"],
                                        last=period["last_day"],
                                        scope=result["scope"]["label"]),
               t.REPORT_COUNT.format(count=result["texts"]["total"]))
    document.add_heading(t.SUMMARY, level=1)
    counts = result["texts"]
    field(document, t.FIG_SCOPE, result["scope"]["label"])
    field(document, t.FIG_TEXTS, str(counts["total"]))
    field(document, t.FIG_REFLECTIONS, str(counts["reflections"]))
    field(document, t.FIG_QUESTIONS, str(counts["questions"]))
    field(document, t.FIG_PREVIOUS.format(label=result["previous"]["label"]),
          str(counts["previous_total"]))
    _themes(document, result)
    _kinds(document, result)
    _lists(document, result)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
