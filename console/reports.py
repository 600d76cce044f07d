"""报表: the annual participation report (report.writing) as .xlsx, .md or .docx (the
committee's sentences); the year's figures of every record with their definitions, each linking
to the rows behind it (report.figures, report.standing); and each campaign's progress by
organisation (campaigns.progress) on screen and as .xlsx (admins), the workbook with a second
sheet per member (the 活动 pages link to it)."""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Response, current_app, request, send_file, url_for
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import select

import clock
from campaigns import progress
from campaigns.campaigns import campaign_items
from console.auth import guard, viewer
from console.campaign_pages import MemberRow, item_text, member_rows, scoped_progress
from console.views import bp, not_found, page, paginate, paginate_list
from content import campaign_page_texts as ct
from content import console_texts as t
from content import report_texts as rt
from models import Campaign, CampaignItemKind, Role, audit, db, utcnow
from reflections.export import FORMULA_STARTS
from report import writing
from report.figures import year_so_far
from report.record_sheets import rows_of
from report.standing import build_standing

FIRST_YEAR = 2000
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "md": "text/markdown; charset=utf-8",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
BOOKS, ACTIVITIES, HALL = "console.books", "console.activities", "console.hall_bookings"
TRAININGS, PUBLICATIONS, AWARDS = "console.trainings", "console.publications", "console.awards"
SCREENING, LECTURE = {"kind": "screening"}, {"kind": "lecture"}
CONFIRMED = {"status": "confirmed"}
# The rows behind each figure: the console page (endpoint) and its filters besides the year.
# A page another feature has not built yet is no link (figure_link checks the endpoints).
FIGURE_LINKS: dict[str, tuple[str, dict[str, str]]] = {
    **{key: (BOOKS, {}) for key in ("book_titles", "book_distributions", "book_organizations",
                                   "book_confirmed_organizations", "book_copies",
                                   "book_members_given", "book_members_covered")},
    "book_unconfirmed": (BOOKS, {"status": "unconfirmed"}),
    **{key: (ACTIVITIES, SCREENING) for key in ("screenings", "films", "screening_attendances",
                                                "film_members", "film_coverage")},
    "film_library_members": ("console.materials_listing", {}),
    **{key: (HALL, CONFIRMED) for key in ("hall_visits", "hall_member_visitors", "hall_guests",
                                          "hall_visitors", "hall_booked_size")},
    **{key: (TRAININGS, {}) for key in ("trainings", "training_sessions",
                                        "training_attendances", "training_attendees",
                                        "training_hours")},
    **{f"trainings_{kind}": (TRAININGS, {"kind": kind})
       for kind in ("workers", "activists", "lecturers")},
    "lecturers_trained": (TRAININGS, {"kind": "lecturers"}),
    "lecturer_trainings": (TRAININGS, {"kind": "lecturers"}),
    **{key: (ACTIVITIES, LECTURE) for key in ("committee_lectures", "committee_lecture_checkins",
                                              "committee_lecture_guests",
                                              "committee_lecture_attendances")},
    "all_lectures": ("console.orders_listing", {}),
    "all_lecture_attendances": ("console.orders_listing", {}),
    "orders": ("console.orders_listing", {}),
    "ordered_lectures": ("console.orders_listing", {}),
    "ordered_attendances": ("console.orders_listing", {}),
    "live_sessions": ("console.live_listing", {}),
    "live_viewers": ("console.live_listing", {}),
    "publications": (PUBLICATIONS, {}), "pub_outlets": (PUBLICATIONS, {}),
    **{f"pub_{platform}": (PUBLICATIONS, {"platform": platform})
       for platform in ("qiangguo_province", "qiangguo_city", "newspaper", "website", "tv")},
    **{key: (AWARDS, {}) for key in ("award_excellent_branch", "award_advanced_collective",
                                     "award_study_star", "award_study_model", "awards",
                                     "awards_published")},
    **{key: ("console.qiangguo_week", {}) for key in (
        "qiangguo_weeks", "qiangguo_average", "qiangguo_average_share", "qiangguo_reporters",
        "qiangguo_never", "qiangguo_never_share")},
    **{key: ("console.meetings_quarter", {}) for key in (
        "meeting_quarters", "meeting_organizations", "meeting_complete")},
    "campaigns": ("console.campaigns_listing", {}),
    "lecturer_pool": ("console.lecturers_listing", {}),
    "lecturer_batches": ("console.lecturers_listing", {}),
    "counted_members": ("console.members_listing", {}),
}
# The pages that take a year filter (the year's records' own list pages).
YEAR_PAGES = frozenset({BOOKS, ACTIVITIES, HALL, TRAININGS, PUBLICATIONS, AWARDS})


@dataclass(frozen=True)
class FigureRow:
    """One figure of the year on screen: where it belongs, its value, definition and rows."""

    section: str
    label: str
    value: Any
    how: str
    link: str | None


def figure_link(key: str, year: int) -> str | None:
    """The console page listing the rows behind a figure, or None when there is none (yet)."""
    endpoint, arguments = FIGURE_LINKS.get(key, ("", {}))
    if endpoint not in current_app.view_functions:
        return None
    extra = {"year": year} if endpoint in YEAR_PAGES else {}
    return url_for(endpoint, **arguments, **extra)


def year_rows(year: int, now: datetime) -> list[FigureRow]:
    """Every figure of the year's records so far, with its definition and its rows' link."""
    found = year_so_far(year, now)
    standing = build_standing(year, now, found.figures["counted_members"])
    return [FigureRow(section, label, value, how, figure_link(key, year))
            for key, section, label, value, how in rows_of({**found.figures,
                                                            **standing.figures})]


def _this_year() -> int:
    return clock.year_of(utcnow())


def _year_arg(this_year: int) -> int | None:
    """?year=YYYY (this year when absent), or None when it is not a year we report on."""
    value = request.args.get("year", "").strip()
    if not value:
        return this_year
    year = int(value) if value.isdecimal() else 0
    return year if FIRST_YEAR <= year <= this_year else None


@bp.get("/reports")
@guard(Role.ADMIN)
def reports_listing() -> Response:
    """The years whose annual report can be downloaded, and the chosen year's figures."""
    this_year = _this_year()
    year = _year_arg(this_year)
    if year is None:
        return not_found()
    campaigns = paginate(select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc()),
                         per_page=20)
    return page("reports.html", years=list(range(this_year, max(FIRST_YEAR, this_year - 4), -1)),
                campaigns=campaigns, year=year,
                figures=year_rows(year, utcnow()), rt=rt)


@bp.get("/reports/annual-<int:year>.<fmt>")
@guard(Role.ADMIN)
def report_annual(year: int, fmt: str) -> Response:
    """One year's annual report, built now from the records (audited)."""
    if fmt not in FORMATS or not FIRST_YEAR <= year <= _this_year():
        return not_found()
    with tempfile.TemporaryDirectory(prefix="pioneer-report-") as folder:
        files = writing.write_report(year, Path(folder))
        chosen = {"xlsx": files.xlsx, "md": files.md, "docx": files.docx}[fmt]
        data, name = io.BytesIO(chosen.read_bytes()), chosen.name
    audit(viewer().actor, "report.annual", f"year {year}", format=fmt)
    db.session.commit()
    return send_file(data, as_attachment=True, download_name=name, mimetype=FORMATS[fmt])


def _campaign_rows(campaign: Campaign) -> tuple[list[progress.OrgProgress], progress.OrgProgress]:
    """The campaign audience's progress per organisation (lowest completion first), and all."""
    found = progress.progress(campaign, progress.audience_ids(campaign))
    rows = progress.by_organization(found)
    return rows, progress.totals(rows)


@bp.get("/reports/campaigns/<int:campaign_id>")
@guard(Role.ADMIN)
def campaign_report(campaign_id: int) -> Response:
    """One campaign: members done, in progress and not started, per organisation."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return not_found()
    rows, total = _campaign_rows(campaign)
    return page("campaign_report.html", campaign=campaign, rows=paginate_list(rows),
                total=total)


def _member_sheet(workbook: Workbook, campaign: Campaign, found: list[MemberRow]) -> None:
    """The second sheet: one row per audience member, each required item, the hours."""
    sheet = workbook.create_sheet(ct.SHEET_MEMBERS)
    items = campaign_items(campaign)
    sheet.append([*ct.SHEET_MEMBER_HEADERS, *(item_text(i) for i in items), *ct.SHEET_HOURS])
    for row in found:
        cells: list[Any] = [row.name, row.userid, row.organization or ct.NO_ORG,
                            ct.STATUS_NAMES[row.state.status]]
        for state in row.state.items:
            if state.kind == CampaignItemKind.REFLECTION:
                cells.append(ct.CELL_COUNT.format(have=state.have, need=state.need))
            else:
                cells.append(ct.CELL_DONE if state.done else ct.CELL_OPEN)
        sheet.append([*cells, row.state.hours, row.state.required_hours])


def _as_table(sheet: Any) -> None:
    """Bold headers, the first row frozen, and every text kept as text (a name "=..." too)."""
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells in sheet.iter_rows(min_row=1):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # an organisation or a member named "=..." stays text
    sheet.freeze_panes = "A2"


@bp.get("/reports/campaigns/<int:campaign_id>.xlsx")
@guard(Role.ADMIN)
def campaign_report_xlsx(campaign_id: int) -> Response:
    """The campaign report as a workbook: one row per organisation, then the total; a second
    sheet with one row per member (audited)."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return not_found()
    scoped = scoped_progress(campaign)  # an admin's: the whole audience
    rows, total = scoped.rows, scoped.total
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t.CAMPAIGN_SHEET
    sheet.append(list(t.CAMPAIGN_HEADERS))
    for row in [*rows, total]:
        label = t.CAMPAIGN_TOTAL if row is total else (row.name or t.NO_ORG)
        sheet.append([label, row.members, row.done, row.in_progress, row.not_started,
                      round(100 * row.rate, 1)])
    _member_sheet(workbook, campaign, member_rows(scoped))
    for each in workbook.worksheets:
        _as_table(each)
    data = io.BytesIO()
    workbook.save(data)
    data.seek(0)
    audit(viewer().actor, "report.campaign", campaign.name, rows=len(rows))
    db.session.commit()
    return send_file(data, as_attachment=True, mimetype=FORMATS["xlsx"],
                     download_name=t.CAMPAIGN_FILE.format(name=campaign.name))
