"""报表: the annual participation report (report.writing) as .xlsx or .md, and each
campaign's progress by organisation (campaigns.progress) on screen and as .xlsx (admins),
the workbook with a second sheet per member (the 活动 pages link to it)."""

from __future__ import annotations

import importlib
import io
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Response, send_file
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
from models import Campaign, CampaignItemKind, Role, audit, db, utcnow
from reflections.export import FORMULA_STARTS

FIRST_YEAR = 2000
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "md": "text/markdown; charset=utf-8"}


def _report_module() -> ModuleType | None:
    """report.writing when it is installed (built alongside the console)."""
    try:
        return importlib.import_module("report.writing")
    except ImportError:
        return None


def _this_year() -> int:
    return clock.year_of(utcnow())


@bp.get("/reports")
@guard(Role.ADMIN)
def reports_listing() -> Response:
    """The years whose annual report can be downloaded."""
    this_year = _this_year()
    campaigns = paginate(select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc()),
                         per_page=20)
    return page("reports.html", years=list(range(this_year, max(FIRST_YEAR, this_year - 4), -1)),
                available=_report_module() is not None, campaigns=campaigns)


@bp.get("/reports/annual-<int:year>.<fmt>")
@guard(Role.ADMIN)
def report_annual(year: int, fmt: str) -> Response:
    """One year's annual report, built now from the records (audited)."""
    module = _report_module()
    if module is None or fmt not in FORMATS or not FIRST_YEAR <= year <= _this_year():
        return not_found()
    with tempfile.TemporaryDirectory(prefix="pioneer-report-") as folder:
        xlsx, md = module.write_report(year, Path(folder))
        chosen = xlsx if fmt == "xlsx" else md
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
