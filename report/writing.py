"""The annual report written out: the .xlsx workbook and the Markdown summary.

The numbers are report/figures.py's; this only lays them out (content/report_texts.py says how
each one is counted; report/record_sheets.py lays out the year's other records, report/wording.py
writes the .docx). `write_report(year, folder)` builds the year and writes the three files.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import xlsxwriter

import clock
from content import report_texts as texts
from participation import rates
from report.figures import KINDS, AnnualReport, MemberLine, OrgLine, build
from report.record_sheets import records_markdown, write_record_sheets
from report.wording import write_document

SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


class ReportFiles(NamedTuple):
    """The files of one year's report."""

    xlsx: Path
    md: Path
    docx: Path


def _sheet_title(name: str, used: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = SHEET_FORBIDDEN.sub("_", name).strip("'") or texts.UNNAMED_SHEET
    title, number = base[:31], 2
    while title.lower() in used:  # Excel compares sheet names without case
        suffix = f"({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(title.lower())
    return title


def _percent(rate: rates.Rate) -> str:
    return f"{rate.percent:.1f}%"


def summary_rows(report: AnnualReport) -> list[tuple[str, Any, str]]:
    """The summary's (label, value, how it is counted) rows, shared by the sheet and the text."""
    f = report.figures
    rows = [(label, f[key], how) for key, label, how in texts.SUMMARY_FIGURES]
    committee = rates.Rate(int(f["members"]), int(f["participating"]))
    rows.append((texts.RATE_LABEL, _percent(committee), texts.RATE_HOW))
    rows += [(texts.KIND_RATE_LABEL.format(kind=texts.KIND_NAMES.get(kind, kind)),
              texts.KIND_RATE_VALUE.format(part=rate.participating, members=rate.members,
                                           percent=_percent(rate)), texts.KIND_RATE_HOW)
             for kind, rate in report.kinds.items()]
    return rows


class _Sheet:
    """An XlsxWriter worksheet filled row by row."""

    def __init__(self, book: xlsxwriter.Workbook, title: str, bold: Any) -> None:
        self.sheet = book.add_worksheet(title)
        self.bold = bold
        self.row = 0

    def append(self, values: list[Any] | tuple[Any, ...] = ()) -> None:
        """Write the next row (an empty one for no values)."""
        self.sheet.write_row(self.row, 0, list(values))
        self.row += 1

    def header(self, values: tuple[str, ...]) -> None:
        """Write the next row in bold."""
        self.sheet.write_row(self.row, 0, list(values), self.bold)
        self.row += 1


def write_workbook(report: AnnualReport, path: Path) -> None:
    """The .xlsx: 汇总, 组织参学, one sheet per organisation, 讲师.

    Written with XlsxWriter in memory: openpyxl spends a temporary file per sheet, which made
    300 organisation sheets take most of the report's 5 s."""
    # Names are member-written: "=..." must stay text (no formula injection), URLs plain text.
    book = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    bold = book.add_format({"bold": True})
    used: set[str] = set()

    def sheet(name: str) -> _Sheet:
        return _Sheet(book, _sheet_title(name, used), bold)

    summary = sheet(texts.SUMMARY_SHEET)
    summary.append([texts.TITLE.format(year=report.year)])
    summary.header(texts.SUMMARY_HEADER)
    for row in summary_rows(report):
        summary.append(row)
    summary.append()
    summary.header(texts.TOP_LEARNERS_HEADER)
    for n, m in enumerate(report.top_learners, 1):
        summary.append([n, m.name, m.organization, m.points, m.hours, m.featured])
    summary.append()
    summary.header(texts.MODEL_LEARNERS_HEADER)
    for n, m in enumerate(report.model_learners, 1):
        summary.append([n, m.name, m.organization, m.featured, m.points, m.hours])
    summary.append()
    summary.header(texts.TOP_ORGS_HEADER)
    for n, o in enumerate(report.top_organizations, 1):
        summary.append([n, o.name, texts.KIND_NAMES.get(o.kind, o.kind), _percent(o.rate),
                        o.average_hours, o.hours])
    summary.append()
    summary.header(texts.BRANCHES_HEADER)
    shares = _meeting_shares(report)
    for n, o in enumerate(report.excellent_branches, 1):
        summary.append([n, o.name, texts.KIND_NAMES.get(o.kind, o.kind),
                        shares.get(o.organization_id, "—"), _percent(o.rate), o.average_hours])

    overview = sheet(texts.ORGS_SHEET)
    overview.header(texts.ORG_HEADER)
    for o in report.organizations:
        overview.append(_org_values(o))

    members: dict[int, list[MemberLine]] = {}
    for m in report.members:
        members.setdefault(m.organization_id, []).append(m)
    for o in report.organizations:
        org_sheet = sheet(o.name)
        org_sheet.header(texts.ORG_HEADER)
        org_sheet.append(_org_values(o))
        org_sheet.append()
        org_sheet.header(texts.MEMBER_HEADER)
        for m in members.get(o.organization_id, []):
            org_sheet.append([m.name, m.position, texts.LEADER if m.leader else texts.MEMBER,
                              m.hours, m.norm, texts.YES if m.met_norm else texts.NO, m.points,
                              m.participations, m.featured])

    lecturers = sheet(texts.LECTURERS_SHEET)
    lecturers.header(texts.LECTURER_HEADER)
    for line in report.lecturers:
        lecturers.append([line.name, line.lectures, line.ordered, line.attendances,
                          line.live_viewers, line.ratings,
                          line.average_rating if line.average_rating is not None else "—"])
    write_record_sheets(report, sheet)
    book.close()


def _meeting_shares(report: AnnualReport) -> dict[int, str]:
    """Each organisation's share of required 三会一课 held, as the report writes it."""
    return {line.organization_id: line.share for line in report.standing.meetings}


def _org_values(o: OrgLine) -> list[Any]:
    return [o.name, texts.KIND_NAMES.get(o.kind, o.kind), o.members, o.participating,
            _percent(o.rate), o.hours, o.average_hours, o.met_norm, o.leaders, o.leaders_met,
            *(o.counts[kind] for kind in KINDS)]


def markdown(report: AnnualReport) -> str:
    """The summary in Chinese: every figure with how it is counted."""
    generated = clock.local(report.generated_at).strftime("%Y-%m-%d %H:%M")
    lines = [f"# {texts.TITLE.format(year=report.year)}", "",
             texts.INTRO.format(time=generated, member=report.settings.norm_member,
                                leader=report.settings.norm_leader), "",
             f"## {texts.SUMMARY_SHEET}", "", texts.MD_SUMMARY_HEAD, "|---|---|---|"]
    lines += [f"| {label} | {value} | {how} |" for label, value, how in summary_rows(report)]
    lines += ["", f"## {texts.ORG_RATES_TITLE}", "", texts.ORG_RATES_HOW, "",
              texts.MD_ORG_HEAD, "|---|---|---|---|---|---|---|"]
    lines += [texts.MD_ORG_LINE.format(
        name=o.name, kind=texts.KIND_NAMES.get(o.kind, o.kind), part=o.participating,
        members=o.members, rate=_percent(o.rate), hours=o.hours, average=o.average_hours,
        met=o.met_norm) for o in report.organizations]
    limits = report.limits
    lines += ["", f"## {texts.TOP_LEARNERS_TITLE_N.format(n=limits.study_star)}", "",
              texts.TOP_LEARNERS_HOW, ""]
    lines += [texts.MD_TOP_LEARNER.format(n=n, name=m.name, org=m.organization, points=m.points,
                                          hours=m.hours, featured=m.featured)
              for n, m in enumerate(report.top_learners, 1)] or [texts.NONE]
    lines += ["", f"## {texts.MODEL_LEARNERS_TITLE_N.format(n=limits.study_model)}", "",
              texts.MODEL_LEARNERS_HOW, ""]
    lines += [texts.MD_MODEL_LEARNER.format(n=n, name=m.name, org=m.organization,
                                            featured=m.featured, points=m.points)
              for n, m in enumerate(report.model_learners, 1)] or [texts.NONE]
    lines += ["", f"## {texts.TOP_ORGS_TITLE_N.format(n=limits.advanced_collective)}", "",
              texts.TOP_ORGS_HOW, ""]
    lines += [texts.MD_TOP_ORG.format(n=n, name=o.name, rate=_percent(o.rate),
                                      average=o.average_hours)
              for n, o in enumerate(report.top_organizations, 1)] or [texts.NONE]
    shares = _meeting_shares(report)
    lines += ["", f"## {texts.BRANCHES_TITLE_N.format(n=limits.excellent_branch)}", "",
              texts.BRANCHES_HOW, ""]
    lines += [texts.MD_BRANCH.format(n=n, name=o.name, meetings=shares.get(o.organization_id, "—"),
                                     rate=_percent(o.rate), average=o.average_hours)
              for n, o in enumerate(report.excellent_branches, 1)] or [texts.NONE]
    lines += ["", f"## {texts.LECTURERS_SHEET}", "", texts.LECTURERS_HOW, ""]
    lines += [texts.MD_LECTURER.format(name=line.name, lectures=line.lectures,
                                       ordered=line.ordered, attendances=line.attendances)
              + (texts.MD_LECTURER_RATING.format(rating=line.average_rating)
                 if line.average_rating is not None else "")
              for line in report.lecturers] or [texts.NONE]
    lines += ["", *records_markdown(report)]
    return "\n".join(lines) + "\n"


def write_report(year: int, out_dir: Path, now: datetime | None = None) -> ReportFiles:
    """Build the year's report and write 年度参学报告-<year>.xlsx, .md and .docx into
    `out_dir`."""
    report = build(year, now)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = ReportFiles(*(out_dir / texts.FILE_NAME.format(year=year, ext=ext)
                          for ext in ("xlsx", "md", "docx")))
    write_workbook(report, files.xlsx)
    files.md.write_text(markdown(report), encoding="utf-8")
    write_document(report, files.docx)
    return files
