"""Exports for the record books (台账): a .docx compilation and an .xlsx list of reflections."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from docx.document import Document as DocxDocument
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import selectinload

import clock
from content import export_texts as texts
from documents.word import add_photo, clean, field, new_document, title_page
from models import Member, Membership, Organization, Reflection, ReflectionStatus, db
from reflections.drafts import current_parts

EXPORTED = (ReflectionStatus.SUBMITTED, ReflectionStatus.REVIEWED, ReflectionStatus.FEATURED)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
WIDTH_MIN, WIDTH_MAX, TEXT_WIDTH = 8, 30, 80


def organization_ids(org: Organization) -> set[int]:
    """The organisation's id and the ids of all organisations below it."""
    children: dict[int | None, list[int]] = {}
    for org_id, parent_id in db.session.execute(select(Organization.id, Organization.parent_id)):
        children.setdefault(parent_id, []).append(org_id)
    found, todo = set(), [org.id]
    while todo:
        org_id = todo.pop()
        if org_id not in found:
            found.add(org_id)
            todo.extend(children.get(org_id, []))
    return found


def organization_of(reflection: Reflection) -> Organization | None:
    """The organisation a reflection is filed under: its author's main organisation."""
    return reflection.member.main_organization


def reflections_for(org: Organization | None, since: date, until: date) -> list[Reflection]:
    """Submitted reflections in the period (committee dates, both included) of the
    organisation's members, sub-organisations included (None: all), by organisation and time."""
    query = (
        select(Reflection)
        .where(Reflection.status.in_([str(s) for s in EXPORTED]),
               Reflection.submitted_at >= clock.at(since),
               Reflection.submitted_at < clock.at(until + timedelta(days=1)))
        .options(selectinload(Reflection.parts),
                 selectinload(Reflection.member).selectinload(Member.memberships)
                 .selectinload(Membership.organization))
    )
    if org is not None:
        members = select(Membership.member_id).where(
            Membership.organization_id.in_(organization_ids(org)))
        query = query.where(Reflection.member_id.in_(members))
    rows = list(db.session.scalars(query))

    def order(row: Reflection) -> tuple[bool, int, str, int, datetime, int]:
        home = organization_of(row)
        return (home is None, home.order if home else 0, home.name if home else "",
                home.id if home else 0, row.submitted_at or row.created_at, row.id)

    return sorted(rows, key=order)


def local(moment: datetime | None) -> datetime | None:
    """A stored UTC time as a naive committee wall-clock time (for display and for Excel)."""
    return clock.local(moment).replace(tzinfo=None) if moment else None


def status_name(reflection: Reflection) -> str:
    """The status as the ledger shows it; featured reflections read 优秀."""
    if reflection.featured or reflection.status == ReflectionStatus.FEATURED:
        return texts.STATUS_NAMES[ReflectionStatus.FEATURED]
    return texts.STATUS_NAMES.get(reflection.status, reflection.status)


def subject_of(reflection: Reflection) -> str:
    """The subject as shown (free subjects have no title)."""
    return clean(reflection.subject_title) or texts.FREE_SUBJECT


def organization_name(reflection: Reflection) -> str:
    """The name of the organisation a reflection is filed under."""
    home = organization_of(reflection)
    return clean(home.name) if home else texts.NO_ORGANIZATION


# -- .docx ------------------------------------------------------------------------------


def _photos(document: DocxDocument, reflection: Reflection) -> None:
    images = [p for p in current_parts(reflection) if p.kind == "image"]
    for index, part in enumerate(images, start=1):
        add_photo(document, part.image, texts.PHOTO_MISSING.format(index=index),
                  texts.PHOTO_UNREADABLE.format(index=index))


def _reflection(document: DocxDocument, index: int, reflection: Reflection) -> None:
    document.add_heading(
        texts.HEADING.format(index=index, subject=subject_of(reflection)), level=1)
    submitted = local(reflection.submitted_at)
    when = f"{submitted:%Y-%m-%d %H:%M}" if submitted else ""
    status = status_name(reflection)
    if status == texts.STATUS_NAMES[ReflectionStatus.FEATURED]:
        status = texts.FEATURED_MARK
    for label, value in ((texts.FIELD_NUMBER, reflection.number),
                         (texts.FIELD_AUTHOR, clean(reflection.member.name)),
                         (texts.FIELD_ORGANIZATION, organization_name(reflection)),
                         (texts.FIELD_SUBMITTED, when),
                         (texts.FIELD_STATUS, status),
                         (texts.FIELD_LENGTH, str(reflection.word_count)),
                         (texts.FIELD_PHOTOS, str(reflection.image_count))):
        field(document, label, value)
    if reflection.review_comment:
        field(document, texts.FIELD_COMMENT, clean(reflection.review_comment))
    document.add_paragraph()
    for line in clean(reflection.text).split("\n"):
        if line.strip():
            document.add_paragraph(line.strip())
    _photos(document, reflection)


def write_docx(path: str | Path, reflections: Sequence[Reflection], title: str,
               subtitle: str = "") -> None:
    """Write the compilation: a title page, then each reflection with its photos."""
    document = new_document()
    title_page(document, title, subtitle, texts.COUNT.format(count=len(reflections)))
    if not reflections:
        document.add_paragraph(texts.NONE_FOUND)
    for index, reflection in enumerate(reflections, start=1):
        if index > 1:
            document.add_page_break()
        _reflection(document, index, reflection)
    document.save(str(path))


# -- .xlsx ------------------------------------------------------------------------------

Cell = str | int | datetime | None


def xlsx_row(reflection: Reflection) -> dict[str, Cell]:
    """One reflection as list cells, by column key."""
    return {
        "number": reflection.number,
        "author": clean(reflection.member.name),
        "organization": organization_name(reflection),
        "subject": subject_of(reflection),
        "submitted": local(reflection.submitted_at),
        "length": reflection.word_count,
        "photos": reflection.image_count,
        "status": status_name(reflection),
        "comment": clean(reflection.review_comment) or None,
        "text": clean(reflection.text),
    }


def _display_width(value: Cell) -> int:
    if isinstance(value, datetime):
        return 16
    text = "" if value is None else str(value).split("\n")[0]
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write_xlsx(path: str | Path, reflections: Sequence[Reflection]) -> None:
    """Write the list: one row per reflection, bold frozen header, wrapped text, no formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = texts.SHEET_TITLE
    keys = list(texts.HEADERS)
    sheet.append([texts.HEADERS[key] for key in keys])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = [xlsx_row(reflection) for reflection in reflections]
    for row in rows:
        sheet.append([row[key] for key in keys])
    if not rows:
        sheet.append([texts.NONE_FOUND])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # member text like "=1+1" stays text, never a formula
                cell.quotePrefix = True
    for index, key in enumerate(keys, start=1):
        widest = max([_display_width(texts.HEADERS[key])]
                     + [_display_width(row[key]) for row in rows])
        width = TEXT_WIDTH if key == "text" else min(max(widest + 2, WIDTH_MIN), WIDTH_MAX)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    workbook.save(str(path))
