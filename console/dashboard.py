"""总览: the committee (or a contact's organisations) at a glance — figures and charts.

Charts are Chart.js (vendored under console/static/vendor) drawn by console.js from JSON data
islands in the page; every figure comes from participation.rates / progress, study.stats and
the models, never computed twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Response, redirect, url_for
from sqlalchemy import false, func, select

import clock
from console.auth import guard, viewer
from console.scope import limit_members, org_scope
from console.views import bp, chart, page
from content import console_texts as t
from lectures.dispatching import pending_count
from models import (
    Lecture,
    LectureOrder,
    Member,
    MemberStatus,
    OrderStatus,
    Organization,
    Reflection,
    ReflectionStatus,
    Role,
    db,
    utcnow,
)
from participation import progress, rates
from study.stats import material_figures

MONTHS = 6
TOP_ORGS = 30
TOP_MATERIALS = 10


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
             (t.CARD_LECTURES_MONTH, _count(lectures))]
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
        charts["reads"] = chart(t.CHART_READERS, [(f.label, f.opened) for f in reads],
                                horizontal=True)
    campaign = _campaign_chart(orgs, clock.today(now))
    if campaign is not None:
        charts["campaign"] = campaign
    titles = {"months": t.CHART_RATE_MONTHS, "orgs": t.CHART_RATE_ORGS,
              "kinds": t.CHART_RATE_KINDS, "reads": t.CHART_READS,
              "campaign": t.CHART_CAMPAIGNS}
    return page("dashboard.html", cards=cards, charts=charts, titles=titles)

