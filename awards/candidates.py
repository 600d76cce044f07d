"""The candidates of each honour, with the rule and the figures they stand on.

学习达人, 学习标兵 and 先进集体 are the annual report's own candidate lists
(report.figures.AnnualReport: top_learners, model_learners, top_organizations). 优秀党支部 is
added here from the same report and the 三会一课 records: an organisation is a candidate when
every quarter of the year that has ended met the meeting requirements (meetings.requirements,
as configured by MEETING_*), and it took part at all; candidates are ranked by the year's
participation rate, then study hours per counted member (the report's OrgLine), the first
BRANCHES of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import clock
from content import award_texts as texts
from meetings.requirements import held_counts, shortfalls
from meetings.settings import meeting_settings
from models import AwardKind
from report.figures import AnnualReport, MemberLine, OrgLine

BRANCHES = 10


def number(value: float) -> str:
    """Hours as people read them: 18.5, 32 (no trailing .0)."""
    return f"{round(value, 2):g}"


@dataclass(frozen=True)
class Candidate:
    """One candidate of one honour: who, the rule, and the figures it was ranked by."""

    kind: str
    subject: str  # "org:<id>" or "member:<id>"
    name: str
    organization: str  # a member's organisation ("" for an organisation)
    organization_id: int | None
    member_id: int | None
    rule: str
    figure: str


def org_subject(organization_id: int) -> str:
    """The Award subject of an organisation."""
    return f"org:{organization_id}"


def member_subject(member_id: int) -> str:
    """The Award subject of a member."""
    return f"member:{member_id}"


def ended_quarters(year: int, now: datetime) -> list[int]:
    """The quarters of the committee year that have ended by `now`."""
    return [q for q in (1, 2, 3, 4) if clock.quarter(year, q).end <= now]


def complete_quarters(organization_ids: list[int], year: int,
                      quarters: list[int]) -> dict[int, int]:
    """Per organisation, how many of the quarters met every 三会一课 requirement."""
    settings = meeting_settings()
    complete = dict.fromkeys(organization_ids, 0)
    for quarter in quarters:
        for org_id, held in held_counts(organization_ids, year, quarter).items():
            if not shortfalls(held, settings):
                complete[org_id] += 1
    return complete


def _member(kind: str, line: MemberLine) -> Candidate:
    figure = texts.FIGURE_MEMBER.format(points=line.points, hours=number(line.hours),
                                        norm=number(line.norm), featured=line.featured)
    return Candidate(kind, member_subject(line.member_id), line.name, line.organization,
                     line.organization_id, line.member_id, texts.RULES[kind], figure)


def _org(kind: str, line: OrgLine, figure: str) -> Candidate:
    return Candidate(kind, org_subject(line.organization_id), line.name, "",
                     line.organization_id, None, texts.RULES[kind], figure)


def _org_figure(line: OrgLine) -> str:
    return texts.FIGURE_ORG.format(rate=f"{line.rate.percent:g}",
                                   participating=line.participating, members=line.members,
                                   average=number(line.average_hours))


def excellent_branches(report: AnnualReport, now: datetime) -> list[Candidate]:
    """优秀党支部 candidates: 三会一课 complete in every ended quarter, best participation."""
    quarters = ended_quarters(report.year, now)
    lines = [o for o in report.organizations if o.participating > 0]
    complete = complete_quarters([o.organization_id for o in lines], report.year, quarters)
    ranked = sorted((o for o in lines if complete[o.organization_id] == len(quarters)),
                    key=lambda o: (-o.rate.percent, -o.average_hours, o.name,
                                   o.organization_id))[:BRANCHES]
    return [_org(AwardKind.EXCELLENT_BRANCH, o, texts.FIGURE_BRANCH.format(
        complete=complete[o.organization_id], quarters=len(quarters),
        rate=f"{o.rate.percent:g}", participating=o.participating, members=o.members,
        average=number(o.average_hours))) for o in ranked]


def candidates(report: AnnualReport, now: datetime) -> dict[str, list[Candidate]]:
    """Every honour's candidates, in the order the page shows the honours."""
    return {
        AwardKind.EXCELLENT_BRANCH: excellent_branches(report, now),
        AwardKind.ADVANCED_COLLECTIVE: [_org(AwardKind.ADVANCED_COLLECTIVE, o, _org_figure(o))
                                        for o in report.top_organizations],
        AwardKind.STUDY_STAR: [_member(AwardKind.STUDY_STAR, m) for m in report.top_learners],
        AwardKind.STUDY_MODEL: [_member(AwardKind.STUDY_MODEL, m)
                                for m in report.model_learners],
    }
