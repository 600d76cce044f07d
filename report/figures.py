"""The annual figures: every number of the committee's year from records, by SQL aggregates.

`build(year)` reads the year (the committee's) once: committee figures straight from their
records (material deliveries, the ledger, check-ins, live sessions, reflections), one row per
counted member (active, with a main organisation; the ledger summed per member in SQL) and one
row per organisation (the same rows grouped in SQL). The year's other records (books,
screenings, hall visits, trainings, publicity, awards, committee lectures) are
report/records.py's, the standing from existing records (学习强国, campaigns, 三会一课, the
lecturer pool) report/standing.py's. report/writing.py only lays those numbers out;
content/report_texts.py says how each one is counted. The candidate lists' lengths are
settings (report/settings.py, REPORT_CANDIDATES).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    case,
    distinct,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
)

import clock
from lectures.stats import held
from models import (
    Broadcast,
    CheckIn,
    CheckInStatus,
    Lecture,
    LectureOrder,
    LiveSession,
    MaterialDelivery,
    Member,
    Membership,
    Organization,
    OrgMeeting,
    Participation,
    ParticipationKind,
    PushOccurrence,
    Rating,
    Reflection,
    Role,
    RoleGrant,
    db,
    utcnow,
)
from participation import rates
from participation.settings import ParticipationSettings, participation_settings
from report.records import YearRecords, build_records
from report.settings import DEFAULT_LENGTH, ReportSettings, report_settings
from report.standing import Standing, build_standing
from study import deliveries

TOP = DEFAULT_LENGTH  # the default length of a candidate list (REPORT_CANDIDATES sets each)
KINDS = (ParticipationKind.MATERIAL_READ, ParticipationKind.MATERIAL_COMPLETED,
         ParticipationKind.REFLECTION, ParticipationKind.LECTURE, ParticipationKind.LIVE,
         ParticipationKind.MEETING)
LEDGER_TABLE = "report_ledger_by_member"


@dataclass(frozen=True)
class MemberLine:
    """A counted member's year."""

    member_id: int
    name: str
    position: str
    organization_id: int
    organization: str
    leader: bool
    hours: float
    points: int
    participations: int
    featured: int
    norm: float

    @property
    def met_norm(self) -> bool:
        """True when the year's study hours reach the member's norm."""
        return self.hours >= self.norm


@dataclass(frozen=True)
class OrgLine:
    """An organisation's year, over its counted members."""

    organization_id: int
    name: str
    kind: str
    members: int
    participating: int
    hours: float
    met_norm: int
    leaders: int
    leaders_met: int
    counts: dict[str, int]  # participations of the counted members per kind

    @property
    def rate(self) -> rates.Rate:
        """The year's participation rate."""
        return rates.Rate(self.members, self.participating)

    @property
    def average_hours(self) -> float:
        """Study hours per counted member."""
        return round(self.hours / self.members, 2) if self.members else 0.0


@dataclass(frozen=True)
class LecturerLine:
    """A lecturer's held lectures of the year."""

    name: str
    lectures: int
    ordered: int
    attendances: int
    live_viewers: int
    ratings: int
    average_rating: float | None


@dataclass
class AnnualReport:
    """Everything the workbook and the summary show."""

    year: int
    generated_at: datetime
    settings: ParticipationSettings
    figures: dict[str, float | int] = field(default_factory=dict)
    kinds: dict[str, rates.Rate] = field(default_factory=dict)
    organizations: list[OrgLine] = field(default_factory=list)
    members: list[MemberLine] = field(default_factory=list)
    lecturers: list[LecturerLine] = field(default_factory=list)
    limits: ReportSettings = field(default_factory=ReportSettings)
    records: YearRecords = field(default_factory=YearRecords)
    standing: Standing = field(default_factory=Standing)

    @property
    def top_learners(self) -> list[MemberLine]:
        """学习达人 candidates: most points, then most hours."""
        ranked = [m for m in self.members if m.points > 0]
        return sorted(ranked, key=lambda m: (-m.points, -m.hours, m.name, m.member_id)
                      )[:self.limits.study_star]

    @property
    def model_learners(self) -> list[MemberLine]:
        """学习标兵 candidates: members with featured reflections, most first, then points."""
        ranked = [m for m in self.members if m.featured > 0]
        return sorted(ranked, key=lambda m: (-m.featured, -m.points, m.name, m.member_id)
                      )[:self.limits.study_model]

    @property
    def top_organizations(self) -> list[OrgLine]:
        """先进集体 candidates: highest participation rate, then most hours per member."""
        ranked = [o for o in self.organizations if o.participating > 0]
        return sorted(ranked, key=lambda o: (-o.rate.percent, -o.average_hours, o.name,
                                             o.organization_id))[:self.limits.advanced_collective]

    @property
    def meeting_shares(self) -> dict[int, float]:
        """Each organisation's share of required 三会一课 held in the year's finished quarters."""
        return {line.organization_id: line.fraction for line in self.standing.meetings}

    @property
    def excellent_branches(self) -> list[OrgLine]:
        """优秀党支部 candidates: the highest share of required 三会一课 held, then the highest
        participation rate, then most hours per member; only organisations that took part."""
        shares = self.meeting_shares
        ranked = [o for o in self.organizations if o.participating > 0]
        return sorted(ranked, key=lambda o: (-shares.get(o.organization_id, 0.0),
                                             -o.rate.percent, -o.average_hours, o.name,
                                             o.organization_id))[:self.limits.excellent_branch]


def _count(query: Select) -> int:
    return int(db.session.scalar(query) or 0)


def _in(column: Any, period: rates.Period) -> Any:
    return and_(column >= period.start, column < period.end)


def _distribution(period: rates.Period) -> dict[str, int]:
    """Materials sent in the year (pushes and material 群发, 次) and whom they reached: the
    material deliveries (push, 群发, digest, nudge card) first made in the year, each member
    and material once (人次), their members (人) and those members' main organisations."""
    first = deliveries.in_period(period.start, period.end)
    reached = select(MaterialDelivery.member_id).where(first)
    covered_orgs = (select(func.count(distinct(Membership.organization_id)))
                    .where(Membership.is_main, Membership.member_id.in_(reached)))
    pushes = _count(select(func.count(PushOccurrence.id)).where(
        _in(PushOccurrence.due_at, period), PushOccurrence.recipients > 0))
    broadcasts = _count(select(func.count(Broadcast.id)).where(
        _in(Broadcast.send_at, period), Broadcast.content_kind == "material",
        Broadcast.outbound_id.is_not(None)))
    return {
        "pushes": pushes + broadcasts,
        "deliveries": _count(select(func.count(MaterialDelivery.id)).where(first)),
        "covered_members": _count(select(func.count(distinct(MaterialDelivery.member_id)))
                                  .where(first)),
        "covered_organizations": _count(covered_orgs),
    }


def ledger_by_member(period: rates.Period) -> Table:
    """The period's ledger summed per member (hours, points, rows, rows per kind) into a
    temporary table: the one scan of the ledger every other figure builds on."""
    table = Table(LEDGER_TABLE, MetaData(), Column("member_id", Integer, primary_key=True),
                  Column("hours", Float), Column("points", Integer), Column("n", Integer),
                  *(Column(kind, Integer) for kind in KINDS), prefixes=["TEMPORARY"])
    connection = db.session.connection()
    table.drop(connection, checkfirst=True)  # left by a build that failed half-way
    table.create(connection)
    db.session.execute(insert(table).from_select([c.name for c in table.columns],
                                                 ledger_sums(period)))
    return table


def ledger_sums(period: rates.Period) -> Select:
    """The period's ledger grouped per member: hours, points, rows, rows per kind."""
    return (select(Participation.member_id, func.sum(Participation.hours),
                   func.sum(Participation.points), func.count(),
                   *(func.sum(case((Participation.kind == kind, 1), else_=0)) for kind in KINDS))
            .where(_in(Participation.occurred_at, period)).group_by(Participation.member_id))


def _ledger(ledger: Table) -> dict[str, int]:
    """Participations of the year per kind (人次) and members per kind, from the per-member sums."""
    row = db.session.execute(select(
        func.count(), func.coalesce(func.sum(ledger.c.n), 0),
        *(func.coalesce(func.sum(ledger.c[kind]), 0) for kind in KINDS),
        *(func.coalesce(func.sum(case((ledger.c[kind] > 0, 1), else_=0)), 0)
          for kind in KINDS))).one()
    figures = {"participants": int(row[0]), "participations": int(row[1])}
    for index, kind in enumerate(KINDS):
        figures[f"{kind}_count"] = int(row[2 + index])
        figures[f"{kind}_members"] = int(row[2 + len(KINDS) + index])
    return figures


def _held(period: rates.Period, now: datetime) -> Any:
    """Lectures of the year held by `now` (lectures.stats.held, the one definition)."""
    return and_(_in(Lecture.starts_at, period), held(now))


def _lectures(period: rates.Period, now: datetime) -> dict[str, int]:
    """Lectures held and their check-ins; ordered ones; live sessions and their viewers."""
    held = _held(period, now)
    attendance = (select(func.count(CheckIn.id)).join(Lecture, Lecture.id == CheckIn.lecture_id)
                  .where(held, CheckIn.status == CheckInStatus.PRESENT))
    live = db.session.execute(select(
        func.count(LiveSession.id), func.coalesce(func.sum(LiveSession.viewers), 0),
        func.coalesce(func.sum(LiveSession.unmatched_viewers), 0))
        .where(_in(LiveSession.starts_at, period))).one()
    return {
        "lectures": _count(select(func.count(Lecture.id)).where(held)),
        "lecture_attendances": _count(attendance),
        "ordered_lectures": _count(select(func.count(Lecture.id)).where(
            held, Lecture.order_id.is_not(None))),
        "ordered_attendances": _count(attendance.where(Lecture.order_id.is_not(None))),
        "live_sessions": int(live[0]), "live_viewers": int(live[1]),
        "live_unmatched": int(live[2]),
        "meetings": _count(select(func.count(OrgMeeting.id)).where(
            _in(OrgMeeting.starts_at, period))),
        "orders": _count(select(func.count(LectureOrder.id)).where(
            _in(LectureOrder.created_at, period))),
    }


def _reflections(period: rates.Period) -> dict[str, int]:
    submitted = _in(Reflection.submitted_at, period)
    return {"featured": _count(select(func.count(Reflection.id)).where(
        submitted, Reflection.featured))}


def _member_rows(period: rates.Period, ledger: Table, settings: ParticipationSettings) -> Select:
    """One row per counted member: the year's ledger sums, featured reflections, the norm."""
    featured = (select(Reflection.member_id.label("member_id"),
                       func.count().label("featured"))
                .where(_in(Reflection.submitted_at, period), Reflection.featured)
                .group_by(Reflection.member_id).subquery("featured"))
    contact = exists().where(RoleGrant.member_id == Member.id, RoleGrant.role == Role.CONTACT)
    position = func.coalesce(Member.position, "")
    leader = or_(contact, *(position.contains(word) for word in settings.leader_words))
    norm = case((leader, literal(settings.norm_leader)), else_=literal(settings.norm_member))
    return (rates.counted_members(
        Member.id.label("member_id"), Member.name.label("name"), position.label("position"),
        Organization.id.label("organization_id"), Organization.name.label("organization"),
        Organization.kind.label("kind"), case((leader, 1), else_=0).label("leader"),
        func.coalesce(ledger.c.hours, 0.0).label("hours"),
        func.coalesce(ledger.c.points, 0).label("points"),
        func.coalesce(ledger.c.n, 0).label("n"),
        func.coalesce(featured.c.featured, 0).label("featured"), norm.label("norm"),
        *(func.coalesce(ledger.c[kind], 0).label(kind) for kind in KINDS))
        .outerjoin(ledger, ledger.c.member_id == Member.id)
        .outerjoin(featured, featured.c.member_id == Member.id))


def _organizations(members: Any) -> list[OrgLine]:
    """The counted members grouped per organisation, in SQL."""
    m = members.subquery("m")
    met = m.c.hours >= m.c.norm
    query = (select(m.c.organization_id, m.c.organization, m.c.kind, func.count(),
                    func.sum(case((m.c.n > 0, 1), else_=0)), func.sum(m.c.hours),
                    func.sum(case((met, 1), else_=0)), func.sum(m.c.leader),
                    func.sum(case((and_(met, m.c.leader == 1), 1), else_=0)),
                    *(func.sum(m.c[kind]) for kind in KINDS))
             .group_by(m.c.organization_id, m.c.organization, m.c.kind)
             .order_by(m.c.organization, m.c.organization_id))
    lines = []
    for row in db.session.execute(query):
        org_id, name, kind, count, part, hours, met_count, leaders, leaders_met = row[:9]
        lines.append(OrgLine(
            int(org_id), name, kind, int(count), int(part), round(float(hours or 0), 2),
            int(met_count), int(leaders), int(leaders_met),
            {kind_: int(value or 0) for kind_, value in zip(KINDS, row[9:], strict=True)}))
    return lines


def _lecturers(period: rates.Period, now: datetime) -> list[LecturerLine]:
    """Per lecturer: held lectures, ordered ones, check-ins, live viewers, ratings."""
    present = (select(CheckIn.lecture_id.label("lecture_id"), func.count().label("n"))
               .where(CheckIn.lecture_id.is_not(None), CheckIn.status == CheckInStatus.PRESENT)
               .group_by(CheckIn.lecture_id).subquery("present"))
    query = (select(Member.name, func.count(Lecture.id),
                    func.sum(case((Lecture.order_id.is_not(None), 1), else_=0)),
                    func.sum(func.coalesce(present.c.n, 0)),
                    func.coalesce(func.sum(Lecture.live_viewers), 0),
                    func.count(Rating.id), func.avg(Rating.score))
             .join(Lecture, Lecture.lecturer_id == Member.id)
             .outerjoin(present, present.c.lecture_id == Lecture.id)
             .outerjoin(Rating, Rating.order_id == Lecture.order_id)
             .where(_held(period, now))
             .group_by(Member.id, Member.name).order_by(func.count(Lecture.id).desc(),
                                                        Member.name))
    return [LecturerLine(name, int(lectures), int(ordered or 0), int(attended or 0),
                         int(viewers or 0), int(count),
                         round(float(average), 2) if average is not None else None)
            for name, lectures, ordered, attended, viewers, count, average
            in db.session.execute(query)]


def _from_ledger(report: AnnualReport, period: rates.Period, ledger: Table) -> None:
    """The figures that need the per-member ledger sums: members, organisations, totals."""
    report.figures.update(_ledger(ledger))
    rows = _member_rows(period, ledger, report.settings)
    report.members = [
        MemberLine(r.member_id, r.name, r.position, r.organization_id, r.organization,
                   bool(r.leader), round(float(r.hours), 2), int(r.points), int(r.n),
                   int(r.featured), float(r.norm))
        for r in db.session.execute(rows.order_by(Organization.name, Organization.id,
                                                  Member.name, Member.id))]
    report.organizations = _organizations(rows)
    m = rows.subquery("m")
    met = m.c.hours >= m.c.norm
    totals = db.session.execute(select(
        func.count(), func.coalesce(func.sum(case((m.c.n > 0, 1), else_=0)), 0),
        func.coalesce(func.sum(m.c.hours), 0), func.coalesce(func.sum(case((met, 1), else_=0)), 0),
        func.coalesce(func.sum(m.c.leader), 0),
        func.coalesce(func.sum(case((and_(met, m.c.leader == 1), 1), else_=0)), 0))).one()
    report.figures.update({
        "organizations": len(report.organizations), "members": int(totals[0]),
        "participating": int(totals[1]), "hours": round(float(totals[2]), 2),
        "met_norm": int(totals[3]), "leaders": int(totals[4]), "leaders_met": int(totals[5])})


def combined(figures: dict[str, Any]) -> dict[str, Any]:
    """The lectures of both kinds together: the held lectures (ordered ones among them) and
    the committee's own lectures, and their attendance."""
    return {"all_lectures": figures["lectures"] + figures["committee_lectures"],
            "all_lecture_attendances": (figures["lecture_attendances"]
                                        + figures["committee_lecture_attendances"])}


def year_so_far(year: int, now: datetime | None = None) -> YearRecords:
    """The year's records with the lecture and live figures, without the ledger: what the
    dashboard shows."""
    now = now or utcnow()
    found = build_records(year, now)
    found.figures.update(_lectures(clock.year(year), now))
    found.figures.update(combined(found.figures))
    return found


def build(year: int, now: datetime | None = None) -> AnnualReport:
    """The year's figures, from records."""
    now = now or utcnow()
    period = clock.year(year)
    report = AnnualReport(year, now, participation_settings(), limits=report_settings())
    report.figures.update(_distribution(period))
    ledger = ledger_by_member(period)
    _from_ledger(report, period, ledger)
    ledger.drop(db.session.connection())
    report.figures.update(_lectures(period, now))
    report.figures.update(_reflections(period))
    report.kinds = rates.kind_rates(period)
    report.lecturers = _lecturers(period, now)
    report.records = build_records(year, now)
    report.records.figures.update(combined({**report.figures, **report.records.figures}))
    report.standing = build_standing(year, now, report.records.figures["counted_members"])
    return report
