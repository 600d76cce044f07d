"""The year's other records laid out: the workbook's 年度工作, 学习强国 and 三会一课 sheets, and
the Markdown summary's section. Every figure goes with its definition (content/report_texts.py,
RECORD_SECTIONS); the numbers are report/records.py's and report/standing.py's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from content import meeting_texts
from content import report_texts as texts
from report.figures import AnnualReport


class Rows(Protocol):
    """A worksheet filled row by row (report.writing's)."""

    def append(self, values: list[Any] | tuple[Any, ...] = ()) -> None:
        """Write the next row."""

    def header(self, values: tuple[str, ...]) -> None:
        """Write the next row in bold."""


def values(report: AnnualReport) -> dict[str, Any]:
    """Every figure of the report by key: the participation figures, the records', the
    standing's."""
    return {**report.figures, **report.records.figures, **report.standing.figures}


def rows_of(found: dict[str, Any]) -> list[tuple[str, str, str, Any, str]]:
    """(key, section, label, value, definition) of every record figure, in the sheet's order."""
    return [(key, section, label, found[key], how) for section, rows in texts.RECORD_SECTIONS
            for key, label, how in rows]


def record_rows(report: AnnualReport) -> list[tuple[str, str, Any, str]]:
    """(section, label, value, definition) of every record figure, in the sheet's order."""
    return [row[1:] for row in rows_of(values(report))]


def _named(table: dict[str, str], key: str | None) -> str:
    return table.get(key or "", key or "")


def write_record_sheets(report: AnnualReport, sheet: Callable[[str], Rows]) -> None:
    """The 年度工作 sheet (figures with their definitions, then the breakdowns), the weeks of
    学习强国 and each organisation's 三会一课."""
    rows = sheet(texts.RECORDS_SHEET)
    rows.append([texts.RECORDS_TITLE.format(year=report.year)])
    rows.append([texts.RECORDS_INTRO])
    rows.header(texts.RECORDS_HEADER)
    section = ""
    for name, label, value, how in record_rows(report):
        if name != section:
            rows.header((name,))
            section = name
        rows.append([label, value, how])
    _breakdowns(report, rows)

    weeks = sheet(texts.QIANGGUO_SHEET)
    weeks.header(texts.WEEKS_HEADER)
    for week in report.standing.weeks:
        weeks.append([week.week.isoformat(), week.reporting, week.members, week.share])

    meetings = sheet(texts.MEETINGS_SHEET)
    meetings.append([texts.MEETINGS_HOW])
    kinds = list(report.standing.meetings[0].required) if report.standing.meetings else []
    meetings.header((*texts.MEETINGS_HEADER_HEAD,
                     *(texts.MEETINGS_HEADER_KIND.format(kind=_named(meeting_texts.KIND_NAMES, k))
                       for k in kinds), *texts.MEETINGS_HEADER_TAIL))
    for line in report.standing.meetings:
        meetings.append([line.name, *(texts.MEETINGS_CELL.format(
            held=line.held[k], required=line.required[k]) for k in kinds), line.needed,
            line.met, line.share, texts.YES if line.complete else texts.NO])


def _breakdowns(report: AnnualReport, rows: Rows) -> None:
    """Per film, per training kind, per platform and level, per award kind, per campaign and
    per lecturer batch."""
    records, standing = report.records, report.standing
    rows.append()
    rows.header(texts.FILMS_HEADER)
    for film in records.films:
        rows.append([film.title, film.screenings, film.attendances, film.library])
    rows.append()
    rows.header(texts.TRAININGS_HEADER)
    for training in records.trainings:
        rows.append([_named(texts.TRAINING_KIND_NAMES, training.kind), training.trainings,
                     training.sessions, training.attendances, training.attendees,
                     training.hours])
    rows.append()
    rows.header(texts.PUBLICATIONS_HEADER)
    for publication in records.publications:
        rows.append([_named(texts.PLATFORM_NAMES, publication.platform),
                     _named(texts.LEVEL_NAMES, publication.level), publication.count,
                     "、".join(publication.outlets)])
    rows.append()
    rows.header(texts.AWARDS_HEADER)
    for award in records.awards:
        rows.append([_named(texts.AWARD_NAMES, award.kind), award.count, award.published,
                     "、".join(award.names)])
    rows.append()
    rows.header(texts.CAMPAIGNS_HEADER)
    for campaign in standing.campaigns:
        rows.append([campaign.name, campaign.starts_on.isoformat(), campaign.ends_on.isoformat(),
                     campaign.members, campaign.done, campaign.in_progress,
                     campaign.not_started, campaign.share])
    rows.append()
    rows.header(texts.BATCHES_HEADER)
    for batch, count in standing.batches.items():
        rows.append([texts.BATCH_NAME.format(batch=batch) if batch is not None
                     else texts.BATCH_UNKNOWN, count])


def records_markdown(report: AnnualReport) -> list[str]:
    """The Markdown lines of the year's records: each section's figures with definitions,
    the films and the campaigns."""
    lines = [f"## {texts.RECORDS_TITLE.format(year=report.year)}", "", texts.RECORDS_INTRO]
    section = ""
    for name, label, value, how in record_rows(report):
        if name != section:
            lines += ["", f"### {name}", "", texts.MD_RECORDS_HEAD, "|---|---|---|"]
            section = name
        lines.append(f"| {label} | {value} | {how} |")
    lines += ["", f"### {texts.FILMS_HEADER[0]}", ""]
    lines += [texts.MD_FILM.format(title=f.title, screenings=f.screenings,
                                   attendances=f.attendances, library=f.library)
              for f in report.records.films] or [texts.NONE]
    lines += ["", f"### {texts.CAMPAIGNS_HEADER[0]}", ""]
    lines += [texts.MD_CAMPAIGN.format(name=c.name, start=c.starts_on, end=c.ends_on,
                                       done=c.done, members=c.members, share=c.share)
              for c in report.standing.campaigns] or [texts.NONE]
    return lines
