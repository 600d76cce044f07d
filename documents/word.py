"""The 台账 Word documents' shared pieces (the reflections' compilation in reflections/export.py,
the meetings' ledger in meetings/record_book.py): one font, labelled fields, a title page,
embedded photos, and text made safe for Word."""

from __future__ import annotations

import io
import re

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

import clock
from content import export_texts as texts

PHOTO_WIDTH_CM = 12
# Control characters are not allowed in XML, so neither Word nor Excel can hold them.
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(text: str | None) -> str:
    """Text safe for Word and Excel: control characters dropped."""
    return XML_ILLEGAL.sub("", text or "")


def new_document() -> DocxDocument:
    """An empty Word document in the ledgers' font (Latin and East Asian text alike)."""
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = texts.FONT
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), texts.FONT)
    return document


def field(document: DocxDocument, label: str, value: str) -> None:
    """One "label：value" line, the label bold."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = 0
    paragraph.add_run(clean(label) + texts.FIELD_SEPARATOR).bold = True
    paragraph.add_run(clean(value))


def title_page(document: DocxDocument, title: str, subtitle: str, count_text: str) -> None:
    """The committee, the title, the period, how many entries and the export date, centred,
    then a page break."""
    lines = [(texts.COMMITTEE, 22, True), (title, 26, True), (subtitle, 14, False),
             (count_text, 14, False),
             (texts.GENERATED.format(date=clock.today().isoformat()), 12, False)]
    for _ in range(6):
        document.add_paragraph()
    for text, size, bold in lines:
        if not text:
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(clean(text))
        run.font.size, run.bold = Pt(size), bold
    document.add_page_break()


def add_photo(document: DocxDocument, data: bytes | None, missing: str, unreadable: str) -> None:
    """A photo in its own paragraph, PHOTO_WIDTH_CM wide; `missing` (no bytes) or
    `unreadable` (python-docx could not place it) as text instead."""
    run = document.add_paragraph().add_run()
    if data is None:
        run.text = missing
        return
    try:
        run.add_picture(io.BytesIO(data), width=Cm(PHOTO_WIDTH_CM))
    except Exception:  # a damaged or unknown image fails in many ways inside python-docx
        run.text = unreadable
