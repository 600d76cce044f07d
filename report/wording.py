"""The year in the committee's own sentences: the .docx to paste into its annual report.

Built only from the records through the templates of content/report_texts.py
(DOCX_PARAGRAPHS): a clause with a gate figure that is zero is left out, a paragraph with no
clause left is left out, any other figure is stated as it is (zero included). After the
paragraphs, every figure with its definition (数据口径).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import clock
from content import report_texts as texts
from content.titles import quoted
from documents.word import clean, field, new_document
from report.figures import AnnualReport
from report.record_sheets import record_rows, values


def sentence_values(report: AnnualReport) -> dict[str, Any]:
    """The figures the sentences use: every figure, and the names of the films shown most."""
    found = values(report)
    shown = [f for f in report.records.films if f.screenings][:texts.FILM_NAMES_SHOWN]
    found["film_names"] = "".join(quoted(f.title) for f in shown)
    return found


def _zero(value: Any) -> bool:
    return value in (0, 0.0, None, "")


def paragraphs(report: AnnualReport) -> list[str]:
    """The report's paragraphs, each clause from its template, zero clauses left out."""
    found = sentence_values(report)
    written = []
    for clauses in texts.DOCX_PARAGRAPHS:
        kept = [template.format(**found) for gates, template in clauses
                if not any(_zero(found[gate]) for gate in gates)]
        if kept:
            written.append(texts.CLAUSE_SEPARATOR.join(kept) + texts.SENTENCE_END)
    campaigns = [texts.DOCX_CAMPAIGN.format(name=c.name, members=c.members, done=c.done,
                                            share=c.share)
                 for c in report.standing.campaigns if c.members]
    if campaigns:
        written.append(texts.DOCX_CAMPAIGNS + texts.CLAUSE_SEPARATOR.join(campaigns)
                       + texts.SENTENCE_END)
    return written


def write_document(report: AnnualReport, path: Path) -> None:
    """The .docx: the title, the paragraphs, then every figure with its definition."""
    document = new_document()
    document.add_heading(clean(texts.DOCX_TITLE.format(year=report.year)), level=1)
    generated = clock.local(report.generated_at).strftime("%Y-%m-%d %H:%M")
    document.add_paragraph(clean(texts.DOCX_INTRO.format(time=generated)))
    for text in paragraphs(report):
        document.add_paragraph(clean(text))
    document.add_heading(clean(texts.DOCX_DEFINITIONS), level=2)
    document.add_paragraph(clean(texts.RECORDS_INTRO))
    for _section, label, value, how in record_rows(report):
        field(document, label, f"{value}（{how}）")
    document.save(str(path))
