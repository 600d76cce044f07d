"""总览: the committee (or a contact's organisations) at a glance — figures and charts.

A contact's front page leads with their own organisations: members (count and a link), this
month's participation rate, this quarter's 三会一课 held against what is required, the
check-ins open now and the reflections waiting for their review — nothing of any other
organisation. Charts are Chart.js (vendored under console/static/vendor) drawn by console.js
from JSON data islands in the page; every figure comes from participation.rates / progress /
meetings / checkin, study.stats, questions.figures, report.figures and the models, never
computed twice. An admin's page also shows the year so far of the year's records (books,
lectures, screenings, hall visits, trainings, publicity, awards), each linking to its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Response, redirect, url_for
from sqlalchemy import false, func, select
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

import clock
from campaigns import progress
from checkins import checkin
from console.auth import Viewer, guard, viewer
from console.reports import figure_link
from console.scope import limit_members, org_scope
from console.views import bp, chart, page
from content import console_texts as t
from content import home_page_texts as ht
from content import report_texts as rt
from content.meeting_texts import KIND_NAMES
from lectures.dispatching import pending_count
from meetings import recording, requirements
from meetings.settings import FREQUENCIES, meeting_settings
from models import (
    Lecture,
    LectureOrder,
    Member,
    Membership,
    MemberStatus,
    OrderStatus,
    Organization,
    OrgMeeting,
    Reflection,
    ReflectionStatus,
    Role,
    db,
    utcnow,
)
from participation import rates
from participation.settings import participation_settings
from questions import figures as question_figures
from report.figures import year_so_far
from study.stats import material_figures

MONTHS = 6
TOP_ORGS = 30
CHART_LABEL_CHARS = 12  # a horizontal bar's label on a 375 px phone
TOP_MATERIALS = 10
WAITING_SHOWN = 5
# The year-so-far figures of the year's records an admin's front page shows (report.figures),
# each linking to its rows; their labels and definitions are the report's (RECORD_SECTIONS).
YEAR_FIGURES = ("book_confirmed_organizations", "book_members_covered", "book_unconfirmed",
                "all_lectures", "all_lecture_attendances", "committee_lectures",
                "ordered_lectures", "live_sessions", "screenings", "film_coverage",
                "hall_visits", "hall_visitors", "trainings", "lecturers_trained",
                "publications", "pub_qiangguo_province", "pub_qiangguo_city", "awards")


@dataclass(frozen=True)
class MeetingItem:
    """One required meeting kind of an organisation this quarter: held against required."""

    kind: str
    held: int
    required: int

    @property
    def short(self) -> bool:
        """True while fewer were held than required."""
        return self.held < self.required


@dataclass(frozen=True)
class OrgHome:
    """One of a contact's organisations on their front page."""

    organization: Organization
    members: int
    rate: rates.Rate | None  # None: no active member counts here (main memberships)
    meetings: list[MeetingItem]

    @property
    def meetings_short(self) -> bool:
        """True when a required meeting kind is behind this quarter."""
        return any(item.short for item in self.meetings)


@dataclass(frozen=True)
class OpenCheckIn:
    """A lecture or meeting of the contact's organisations whose check-in is open now."""

    target: checkin.Target
    organization: str
    opens: datetime
    closes: datetime
    present: int
    leave: int
    link: str | None  # the console's check-in page, when there is one


def _count(query: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(
        query.order_by(None).subquery())) or 0)


def _months(now: datetime) -> list[rates.Period]:
    """The last MONTHS calendar months (Asia/Shanghai), oldest first, this month last."""
    periods = [rates.month_period(now)]
    while len(periods) < MONTHS:
        periods.insert(0, rates.month_period(periods[0].start - timedelta(seconds=1)))
    return periods


def _rate(period: rates.Period, org_ids: frozenset[int] | None) -> rates.Rate:
    """The committee's rate, or the contact's organisations' together."""
    if org_ids is None:
        return rates.committee_rate(period)
    rows = rates.org_rates(period, list(org_ids)) if org_ids else []
    return rates.Rate(sum(r.rate.members for r in rows), sum(r.rate.participating for r in rows))


def _short(title: str, most: int = CHART_LABEL_CHARS) -> str:
    """A chart label a phone shows whole: the title, cut with … past `most` characters."""
    return title if len(title) <= most else title[:most - 1] + "…"


def _campaign_chart(org_ids: frozenset[int] | None, today: Any) -> dict[str, Any] | None:
    """Done share per organisation of the latest running campaign, or None."""
    running = progress.running_campaigns(today)
    if not running:
        return None
    campaign = running[0]
    found = progress.progress(campaign, progress.audience_ids(campaign))
    rows = [r for r in progress.by_organization(found)
            if org_ids is None or r.organization_id in org_ids][:TOP_ORGS]
    return chart(f"{campaign.name} {t.CHART_DONE}",
                 [(r.name, round(100 * r.rate, 1)) for r in rows], horizontal=True,
                 maximum=100)


def _member_counts(org_ids: list[int]) -> dict[int, int]:
    """Active members per organisation (any membership: what the members list shows)."""
    return {org_id: int(count) for org_id, count in db.session.execute(
        select(Membership.organization_id, func.count(Membership.id))
        .join(Member, Member.id == Membership.member_id)
        .where(Membership.organization_id.in_(org_ids), Member.status == MemberStatus.ACTIVE)
        .group_by(Membership.organization_id))}


def org_homes(org_ids: list[int], now: datetime) -> list[OrgHome]:
    """The contact's organisations by name: members, this month's rate (participation.rates)
    and this quarter's meetings held against the requirements (meetings.requirements)."""
    orgs = list(db.session.scalars(select(Organization).where(Organization.id.in_(org_ids))
                                   .order_by(Organization.name, Organization.id)))
    counted = {r.organization_id: r.rate for r in rates.org_rates(rates.month_period(now),
                                                                  org_ids)}
    year, quarter = requirements.quarter_of(now)
    held = requirements.held_counts(org_ids, year, quarter)
    required = {kind: FREQUENCIES[frequency] for kind, frequency
                in meeting_settings().requirements.items()}
    members = _member_counts(org_ids)
    return [OrgHome(org, members.get(org.id, 0), counted.get(org.id),
                    [MeetingItem(kind, held.get(org.id, {}).get(kind, 0), required[kind])
                     for kind in recording.KINDS if kind in required])
            for org in orgs]


def _checkin_link(target: checkin.Target) -> str | None:
    """The console's page of this check-in, if the console has one."""
    try:
        return url_for(".checkin_detail", kind=target.kind, target_id=target.id)
    except BuildError:
        return None


def open_checkins(org_ids: list[int], now: datetime) -> list[OpenCheckIn]:
    """Lectures ordered by, and meetings of, these organisations whose check-in is open now
    (checkins.checkin's window: confirmed, opened, not closed), soonest first."""
    settings = participation_settings()
    latest_start = now + timedelta(minutes=settings.checkin_before_min)
    earliest_end = now - timedelta(minutes=settings.checkin_after_min)
    lectures = db.session.scalars(
        select(Lecture).join(LectureOrder, LectureOrder.id == Lecture.order_id)
        .options(selectinload(Lecture.order), selectinload(Lecture.topic))
        .where(LectureOrder.organization_id.in_(org_ids), Lecture.starts_at <= latest_start,
               Lecture.ends_at >= earliest_end))
    meetings_now = db.session.scalars(
        select(OrgMeeting).where(OrgMeeting.organization_id.in_(org_ids),
                                 OrgMeeting.checkin_code.is_not(None),
                                 OrgMeeting.starts_at <= latest_start,
                                 OrgMeeting.ends_at >= earliest_end))
    targets = [checkin.of_lecture(lecture) for lecture in lectures]
    targets += [checkin.of_meeting(meeting) for meeting in meetings_now]
    names = dict(db.session.execute(select(Organization.id, Organization.name)
                                    .where(Organization.id.in_(org_ids))).all())
    found = []
    for target in targets:
        if not (target.code and target.confirmed
                and target.opens(settings) <= now <= target.closes(settings)):
            continue
        present, leave = checkin.counts(target)
        found.append(OpenCheckIn(target, names.get(target.organization_id or 0, ""),
                                 target.opens(settings), target.closes(settings), present,
                                 leave, _checkin_link(target)))
    return sorted(found, key=lambda item: (item.target.starts_at, item.target.kind,
                                           item.target.id))


def waiting_reflections(who: Viewer) -> tuple[int, list[Reflection]]:
    """Submitted reflections of the viewer's organisations' members that they may review
    (never their own): how many, and the oldest few."""
    query = limit_members(select(Reflection).where(
        Reflection.status == ReflectionStatus.SUBMITTED), Reflection.member_id, who)
    if who.member_id is not None:
        query = query.where(Reflection.member_id != who.member_id)
    rows = list(db.session.scalars(query.options(selectinload(Reflection.member))
                                   .order_by(Reflection.submitted_at, Reflection.id)
                                   .limit(WAITING_SHOWN)))
    return _count(query), rows


def contact_home(who: Viewer, now: datetime) -> dict[str, Any]:
    """What a contact's front page shows of their own organisations (and of nothing else)."""
    org_ids = sorted(who.org_ids)
    year, quarter = requirements.quarter_of(now)
    count, waiting = waiting_reflections(who)
    return {"orgs": org_homes(org_ids, now) if org_ids else [],
            "checkins": open_checkins(org_ids, now) if org_ids else [],
            "waiting_count": count, "waiting": waiting,
            "quarter": requirements.quarter_name(year, quarter)}


def question_cards(orgs: frozenset[int] | None, now: datetime) -> list[tuple[str, Any]]:
    """The question box's cards (questions.figures): asked this month, answered within its
    days, and waiting now — the committee's, or a contact's organisations'."""
    found = question_figures.figures(orgs, now)
    days = question_figures.DAYS_TO_ANSWER
    in_time = (t.CARD_QUESTIONS_IN_TIME_VALUE.format(in_time=found.in_time, due=found.due,
                                                     percent=found.percent)
               if found.percent is not None else t.CARD_QUESTIONS_NONE_DUE)
    return [(t.CARD_QUESTIONS_MONTH, found.asked),
            (t.CARD_QUESTIONS_IN_TIME.format(days=days), in_time),
            (t.CARD_QUESTIONS_WAITING, t.CARD_QUESTIONS_WAITING_VALUE.format(
                waiting=found.waiting, overdue=found.overdue, days=days))]


@dataclass(frozen=True)
class YearCard:
    """One figure of the year so far on the front page, with its definition and rows."""

    key: str
    label: str
    value: Any
    how: str
    link: str | None


def year_cards(now: datetime) -> list[YearCard]:
    """The committee's year so far of the year's records (report.figures.year_so_far)."""
    year = clock.year_of(now)
    found = year_so_far(year, now).figures
    labels = {key: (label, how) for _section, rows in rt.RECORD_SECTIONS
              for key, label, how in rows}
    labels["awards"] = (rt.DASHBOARD_AWARDS, rt.DASHBOARD_AWARDS_HOW)
    return [YearCard(key, labels[key][0], found[key], labels[key][1], figure_link(key, year))
            for key in YEAR_FIGURES]


@bp.get("/")
@guard(Role.ADMIN, Role.CONTACT, Role.LECTURER)
def dashboard() -> Response:
    """Figures and charts for admins and contacts; a lecturer goes to their own page."""
    who = viewer()
    if not who.roles & {Role.ADMIN, Role.CONTACT}:
        return redirect(url_for(".lecturer_detail", member_id=who.member_id), 303)  # type: ignore
    now = utcnow()
    orgs = org_scope(who)
    members = limit_members(select(Member.id).where(Member.status == MemberStatus.ACTIVE),
                            Member.id, who)
    org_query = select(Organization.id).where(Organization.active)
    if orgs is not None:
        org_query = org_query.where(Organization.id.in_(orgs) if orgs else false())
    waiting = limit_members(select(Reflection.id).where(
        Reflection.status == ReflectionStatus.SUBMITTED), Reflection.member_id, who)
    month = rates.month_period(now)
    lectures = select(Lecture.id).where(Lecture.starts_at >= month.start,
                                        Lecture.starts_at < month.end)
    if orgs is not None:
        lectures = lectures.join(LectureOrder, LectureOrder.id == Lecture.order_id).where(
            LectureOrder.organization_id.in_(orgs) if orgs else false())
    pending = pending_count() if orgs is None else _count(select(LectureOrder.id).where(
        LectureOrder.status == OrderStatus.PENDING,
        LectureOrder.organization_id.in_(orgs) if orgs else false()))
    cards = [(t.CARD_MEMBERS, _count(members)), (t.CARD_ORGS, _count(org_query)),
             (t.CARD_PENDING_REFLECTIONS, _count(waiting)), (t.CARD_PENDING_ORDERS, pending),
             (t.CARD_LECTURES_MONTH, _count(lectures)), *question_cards(orgs, now)]
    year = rates.year_period(clock.year_of(now))
    charts = {
        "months": chart(t.CHART_RATE, [(f"{clock.local(p.start):%Y-%m}",
                                        _rate(p, orgs).percent) for p in _months(now)],
                        kind="line", maximum=100),
        "orgs": chart(t.CHART_RATE, [(r.name, r.rate.percent) for r in rates.lowest(
            rates.org_rates(year, list(orgs) if orgs is not None else None), TOP_ORGS)],
            horizontal=True, maximum=100),
    }
    if orgs is None:
        charts["kinds"] = chart(t.CHART_RATE, [
            (t.ORG_KIND_NAMES.get(kind, kind), rate.percent)
            for kind, rate in rates.kind_rates(year).items()], maximum=100)
        reads = sorted(material_figures(), key=lambda f: -f.opened)[:TOP_MATERIALS]
        charts["reads"] = chart(t.CHART_READERS, [(_short(f.title or f.label), f.opened)
                                                  for f in reads], horizontal=True)
    campaign = _campaign_chart(orgs, clock.today(now))
    if campaign is not None:
        charts["campaign"] = campaign
    titles = {"months": t.CHART_RATE_MONTHS, "orgs": t.CHART_RATE_ORGS,
              "kinds": t.CHART_RATE_KINDS, "reads": t.CHART_READS,
              "campaign": t.CHART_CAMPAIGNS}
    home = contact_home(who, now) if orgs is not None else None
    year_figures = year_cards(now) if orgs is None else []
    return page("dashboard.html", cards=cards, charts=charts, titles=titles, home=home, ht=ht,
                kind_names=KIND_NAMES, year_figures=year_figures, rt=rt,
                year_title=rt.DASHBOARD_YEAR_TITLE.format(year=clock.year_of(now)))

