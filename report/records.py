"""The year's other records counted: study books, education-film screenings, hall visits,
trainings, publicity, awards and the lectures the committee runs itself.

Counted straight from the models (models/book.py, activity.py, hall.py, recognition.py and the
check-ins), by SQL aggregates, for the committee's year (Asia/Shanghai, clock.year). An event
counts once it has happened: it started in the year and by `now`, and was not cancelled.
content/report_texts.py (RECORD_FIGURES) says how each figure is counted; docs/report.md
explains them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, or_, select

import clock
from models import (
    Activity,
    ActivityKind,
    Award,
    AwardKind,
    BookDistribution,
    CheckIn,
    CheckInStatus,
    HallSlot,
    Material,
    MaterialKind,
    MaterialRead,
    Member,
    Organization,
    Publication,
    PublicationPlatform,
    Training,
    TrainingKind,
    VisitBooking,
    VisitStatus,
    db,
)
from participation import rates

Figures = dict[str, Any]
MEDIA_PLATFORMS = (PublicationPlatform.NEWSPAPER, PublicationPlatform.WEBSITE,
                   PublicationPlatform.TV)  # the outside media, named by their outlets


@dataclass(frozen=True)
class FilmLine:
    """One education film of the year: its screenings and its viewers in the library."""

    title: str
    material_id: int | None
    screenings: int
    attendances: int  # present check-ins at its screenings (人次)
    library: int  # members who opened or finished it in the library (人)


@dataclass(frozen=True)
class TrainingLine:
    """The trainings of one kind held in the year."""

    kind: str
    trainings: int
    sessions: int
    attendances: int  # present check-ins at the sessions (人次)
    attendees: int  # distinct members checked in (人)
    hours: float  # study hours credited: each check-in × the training's session hours


@dataclass(frozen=True)
class PublicationLine:
    """Publications of the year on one platform at one level, with the outlets named."""

    platform: str
    level: str
    count: int
    outlets: tuple[str, ...]


@dataclass(frozen=True)
class AwardLine:
    """The decided honours of one kind: how many, how many published, to whom."""

    kind: str
    count: int
    published: int
    names: tuple[str, ...]


@dataclass
class YearRecords:
    """The figures of the year's other records, and their breakdowns."""

    year: int = 0
    figures: Figures = field(default_factory=dict)
    films: list[FilmLine] = field(default_factory=list)
    trainings: list[TrainingLine] = field(default_factory=list)
    publications: list[PublicationLine] = field(default_factory=list)
    awards: list[AwardLine] = field(default_factory=list)


def _count(query: Select) -> int:
    return int(db.session.scalar(query) or 0)


def _days(year: int, now: datetime) -> tuple[date, date]:
    """The year's first day and its last day that has begun (dates of the committee)."""
    return date(year, 1, 1), min(date(year, 12, 31), clock.today(now))


def held(kind: str, period: clock.Period, now: datetime) -> ColumnElement[bool]:
    """Activities of `kind` that took place in the period: started in it and by `now`, not
    cancelled."""
    return and_(Activity.kind == kind, Activity.cancelled_at.is_(None),
                Activity.starts_at >= period.start, Activity.starts_at < period.end,
                Activity.starts_at <= now)


def present_at(condition: ColumnElement[bool]) -> Select:
    """Present check-ins at the activities meeting `condition` (one row each)."""
    return (select(CheckIn.id, CheckIn.member_id, Activity.id.label("activity_id"))
            .join(Activity, Activity.id == CheckIn.activity_id)
            .where(condition, CheckIn.status == CheckInStatus.PRESENT))


def counted_ids() -> Select:
    """The ids of the counted members (active, with a main active organisation)."""
    return rates.counted_members(Member.id)


def counted_total() -> int:
    """How many members are counted: every coverage's denominator."""
    return _count(rates.counted_members(func.count(Member.id)))


def percent(part: int, whole: int) -> str:
    """A share as the report writes it: 12.5% (— for no denominator)."""
    return f"{100.0 * part / whole:.1f}%" if whole else "—"


def books(year: int, now: datetime) -> Figures:
    """学习用书: distributions sent in the year, their receipts and the members they reached."""
    first, last = _days(year, now)
    sent = and_(BookDistribution.sent_on >= first, BookDistribution.sent_on <= last)
    confirmed = BookDistribution.confirmed_at.is_not(None)
    row = db.session.execute(select(
        func.count(distinct(BookDistribution.book_id)), func.count(BookDistribution.id),
        func.count(distinct(BookDistribution.organization_id)),
        func.count(distinct(case((confirmed, BookDistribution.organization_id)))),
        func.coalesce(func.sum(BookDistribution.copies), 0),
        func.coalesce(func.sum(case((confirmed, 0), else_=1)), 0),
        func.coalesce(func.sum(BookDistribution.members_given), 0),
        func.count(BookDistribution.members_given)).where(sent)).one()
    confirming = select(BookDistribution.organization_id).where(sent, confirmed)
    covered = _count(rates.counted_members(func.count(Member.id)).where(
        Organization.id.in_(confirming)))
    return {"book_titles": int(row[0]), "book_distributions": int(row[1]),
            "book_organizations": int(row[2]), "book_confirmed_organizations": int(row[3]),
            "book_copies": int(row[4]), "book_unconfirmed": int(row[5]),
            "book_members_given": int(row[6]), "book_reports": int(row[7]),
            "book_members_covered": covered}


def _film_reads(period: clock.Period) -> ColumnElement[bool]:
    """Reads of a film material opened for the first time or finished in the period."""
    return and_(Material.kind == MaterialKind.FILM, or_(
        and_(MaterialRead.first_opened_at >= period.start,
             MaterialRead.first_opened_at < period.end),
        and_(MaterialRead.completed_at >= period.start, MaterialRead.completed_at < period.end)))


def screenings(period: clock.Period, now: datetime, members: int) -> tuple[Figures,
                                                                            list[FilmLine]]:
    """教育片: screenings held, their attendance, the members' coverage and each film's lines."""
    condition = held(ActivityKind.SCREENING, period, now)
    attended = present_at(condition)
    library = (select(MaterialRead.member_id)
               .join(Material, Material.id == MaterialRead.material_id)
               .where(_film_reads(period)))
    saw = select(attended.subquery().c.member_id).union(library)
    covered = _count(rates.counted_members(func.count(Member.id)).where(Member.id.in_(saw)))
    figures = {
        "screenings": _count(select(func.count(Activity.id)).where(condition)),
        "screening_attendances": _count(select(func.count()).select_from(attended.subquery())),
        "film_members": covered, "film_coverage": percent(covered, members),
        "film_library_members": _count(rates.counted_members(func.count(Member.id)).where(
            Member.id.in_(library))),
    }
    return figures, _films(period, condition)


def _films(period: clock.Period, condition: ColumnElement[bool]) -> list[FilmLine]:
    """Per film: screenings and their check-ins (a screening without a material is its own
    film, by its title), and the film material's readers in the library."""
    present = (select(CheckIn.activity_id.label("activity_id"), func.count().label("n"))
               .where(CheckIn.activity_id.is_not(None), CheckIn.status == CheckInStatus.PRESENT)
               .group_by(CheckIn.activity_id).subquery("present"))
    rows = db.session.execute(
        select(Activity.material_id, func.coalesce(Material.title, Activity.title),
               func.count(Activity.id), func.coalesce(func.sum(present.c.n), 0))
        .outerjoin(Material, Material.id == Activity.material_id)
        .outerjoin(present, present.c.activity_id == Activity.id).where(condition)
        .group_by(Activity.material_id, func.coalesce(Material.title, Activity.title)))
    found: dict[Any, list[Any]] = {}
    for material_id, title, count, attended in rows:
        key = material_id if material_id is not None else ("title", title)
        line = found.setdefault(key, [title, material_id, 0, 0, 0])
        line[2] += int(count)
        line[3] += int(attended)
    for material_id, title, readers in db.session.execute(
            select(Material.id, Material.title, func.count(distinct(MaterialRead.member_id)))
            .join(MaterialRead, MaterialRead.material_id == Material.id)
            .where(_film_reads(period)).group_by(Material.id, Material.title)):
        found.setdefault(material_id, [title, material_id, 0, 0, 0])[4] = int(readers)
    lines = [FilmLine(*values) for values in found.values()]
    return sorted(lines, key=lambda f: (-f.screenings, -f.attendances, -f.library, f.title))


def hall(period: clock.Period, now: datetime) -> Figures:
    """政治生活馆: confirmed visits whose slot started in the year (and by now), their activity
    not cancelled; visitors are the members' check-ins and the guests entered."""
    visit = and_(VisitBooking.status == VisitStatus.CONFIRMED, HallSlot.starts_at >= period.start,
                 HallSlot.starts_at < period.end, HallSlot.starts_at <= now,
                 Activity.cancelled_at.is_(None))
    base = (select().select_from(VisitBooking).join(HallSlot, HallSlot.id == VisitBooking.slot_id)
            .outerjoin(Activity, Activity.id == VisitBooking.activity_id).where(visit))
    row = db.session.execute(base.add_columns(
        func.count(VisitBooking.id), func.coalesce(func.sum(Activity.guests), 0),
        func.coalesce(func.sum(VisitBooking.group_size), 0))).one()
    members = _count(select(func.count(CheckIn.id)).where(
        CheckIn.status == CheckInStatus.PRESENT,
        CheckIn.activity_id.in_(base.add_columns(VisitBooking.activity_id))))
    return {"hall_visits": int(row[0]), "hall_member_visitors": members,
            "hall_guests": int(row[1]), "hall_visitors": members + int(row[1]),
            "hall_booked_size": int(row[2])}


def trainings(period: clock.Period, now: datetime) -> tuple[Figures, list[TrainingLine]]:
    """培训班 per kind: trainings with a session held in the year, sessions, check-ins,
    attendees and the hours credited; 红色讲师 trained = attendees of lecturer trainings."""
    condition = and_(held(ActivityKind.TRAINING, period, now), Activity.training_id.is_not(None))
    sessions = dict((kind, (int(t), int(s))) for kind, t, s in db.session.execute(
        select(Training.kind, func.count(distinct(Training.id)), func.count(Activity.id))
        .join(Activity, Activity.training_id == Training.id).where(condition)
        .group_by(Training.kind)))
    attended = (select(Training.kind, CheckIn.member_id, Training.session_hours)
                .join(Activity, Activity.training_id == Training.id)
                .join(CheckIn, CheckIn.activity_id == Activity.id)
                .where(condition, CheckIn.status == CheckInStatus.PRESENT))
    a = attended.subquery("a")
    check_ins = {kind: (int(n), int(people), round(float(hours or 0), 2))
                 for kind, n, people, hours in db.session.execute(
                     select(a.c.kind, func.count(), func.count(distinct(a.c.member_id)),
                            func.sum(a.c.session_hours)).group_by(a.c.kind))}
    lines = [TrainingLine(kind, *sessions.get(kind, (0, 0)), *check_ins.get(kind, (0, 0, 0.0)))
             for kind in TrainingKind]
    by_kind = {line.kind: line for line in lines}
    figures: Figures = {
        "trainings": sum(line.trainings for line in lines),
        "training_sessions": sum(line.sessions for line in lines),
        "training_attendances": sum(line.attendances for line in lines),
        "training_attendees": _count(select(func.count(distinct(a.c.member_id)))),
        "training_hours": round(sum(line.hours for line in lines), 2),
        "lecturers_trained": by_kind[TrainingKind.LECTURERS].attendees,
        "lecturer_trainings": by_kind[TrainingKind.LECTURERS].trainings,
        "other_trainings": (by_kind[TrainingKind.WORKERS].trainings
                            + by_kind[TrainingKind.ACTIVISTS].trainings),
    }
    for line in lines:
        figures[f"trainings_{line.kind}"] = line.trainings
    return figures, lines


def publicity(year: int, now: datetime) -> tuple[Figures, list[PublicationLine]]:
    """宣传成果 published in the year, per platform and level, with the outlets named."""
    first, last = _days(year, now)
    rows = db.session.execute(
        select(Publication.platform, Publication.level, Publication.outlet, func.count())
        .where(Publication.published_on >= first, Publication.published_on <= last)
        .group_by(Publication.platform, Publication.level, Publication.outlet))
    found: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for platform, level, outlet, count in rows:
        total, outlets = found.get((platform, level), (0, set()))
        found[(platform, level)] = (total + int(count), outlets | ({outlet} if outlet else set()))
    order = {p: i for i, p in enumerate(PublicationPlatform)}
    lines = sorted((PublicationLine(platform, level, count, tuple(sorted(outlets)))
                    for (platform, level), (count, outlets) in found.items()),
                   key=lambda line: (order.get(line.platform, 99), line.platform, line.level))
    figures: Figures = {"publications": sum(line.count for line in lines)}
    for platform in PublicationPlatform:
        figures[f"pub_{platform}"] = sum(line.count for line in lines
                                         if line.platform == platform)
    figures["pub_qiangguo"] = (figures[f"pub_{PublicationPlatform.QIANGGUO_PROVINCE}"]
                               + figures[f"pub_{PublicationPlatform.QIANGGUO_CITY}"])
    figures["pub_media"] = sum(figures[f"pub_{platform}"] for platform in MEDIA_PLATFORMS)
    figures["pub_outlets"] = "、".join(_unique(
        o for line in lines if line.platform in MEDIA_PLATFORMS for o in line.outlets))
    return figures, lines


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def awards(year: int) -> tuple[Figures, list[AwardLine]]:
    """评选: the honours decided for the year, per kind, with their names and publication."""
    rows = db.session.execute(
        select(Award.kind, func.coalesce(Organization.name, Member.name, Award.subject),
               Award.published_at.is_not(None))
        .outerjoin(Organization, Organization.id == Award.organization_id)
        .outerjoin(Member, Member.id == Award.member_id)
        .where(Award.year == year).order_by(Award.kind, Award.decided_at, Award.id))
    names: dict[str, list[str]] = {}
    published: dict[str, int] = {}
    for kind, name, is_published in rows:
        names.setdefault(kind, []).append(name)
        published[kind] = published.get(kind, 0) + (1 if is_published else 0)
    kinds = [kind.value for kind in AwardKind] + sorted(set(names) - set(AwardKind))
    lines = [AwardLine(kind, len(names.get(kind, [])), published.get(kind, 0),
                       tuple(names.get(kind, []))) for kind in kinds]
    figures: Figures = {f"award_{line.kind}": line.count for line in lines}
    figures["awards"] = sum(line.count for line in lines)
    figures["awards_published"] = sum(line.published for line in lines)
    return figures, lines


def committee_lectures(period: clock.Period, now: datetime) -> Figures:
    """党委组织的宣讲: lecture activities held, their check-ins and outside audience."""
    condition = held(ActivityKind.LECTURE, period, now)
    row = db.session.execute(select(func.count(Activity.id),
                                    func.coalesce(func.sum(Activity.guests), 0))
                             .where(condition)).one()
    present = _count(select(func.count()).select_from(present_at(condition).subquery()))
    return {"committee_lectures": int(row[0]), "committee_lecture_checkins": present,
            "committee_lecture_guests": int(row[1]),
            "committee_lecture_attendances": present + int(row[1])}


def build_records(year: int, now: datetime) -> YearRecords:
    """Every figure of the year's other records (the dashboard's and the report's)."""
    period = clock.year(year)
    found = YearRecords(year)
    members = counted_total()
    found.figures["counted_members"] = members
    found.figures.update(books(year, now))
    screening_figures, found.films = screenings(period, now, members)
    found.figures.update(screening_figures)
    found.figures["films"] = len([f for f in found.films if f.screenings])
    found.figures.update(hall(period, now))
    training_figures, found.trainings = trainings(period, now)
    found.figures.update(training_figures)
    publicity_figures, found.publications = publicity(year, now)
    found.figures.update(publicity_figures)
    award_figures, found.awards = awards(year)
    found.figures.update(award_figures)
    found.figures.update(committee_lectures(period, now))
    return found
