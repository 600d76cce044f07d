"""报表: the annual participation report (participation.report) as .xlsx or .md (admins)."""

from __future__ import annotations

import importlib
import io
import tempfile
from pathlib import Path
from types import ModuleType

from flask import Response, send_file

from console.auth import guard, viewer
from console.views import bp, not_found, page
from content.texts import SHANGHAI
from models import Role, audit, db, utcnow

FIRST_YEAR = 2000
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "md": "text/markdown; charset=utf-8"}


def _report_module() -> ModuleType | None:
    """participation.report when it is installed (built alongside the console)."""
    try:
        return importlib.import_module("participation.report")
    except ImportError:
        return None


def _this_year() -> int:
    return utcnow().astimezone(SHANGHAI).year


@bp.get("/reports")
@guard(Role.ADMIN)
def reports_listing() -> Response:
    """The years whose annual report can be downloaded."""
    this_year = _this_year()
    return page("reports.html", years=list(range(this_year, max(FIRST_YEAR, this_year - 4), -1)),
                available=_report_module() is not None)


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
