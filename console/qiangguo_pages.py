"""学习强国: the members' weekly self-reports per organisation for a chosen week (this week by
default, on the committee's clock), the organisations where nobody reported (in red), an
organisation's members with their scores and who is missing, and 发送提醒 — the weekly
reminder of qiangguo.qiangguo sent now, saying how many were reminded.

Admins see every organisation and remind; contacts see their own organisations only (another
organisation looks missing, 404) and may not remind (403). The figures are
qiangguo.qiangguo's (overview, organization_week), never counted twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from flask import Response, flash, redirect, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.jobs import enqueue_deliveries
from console.auth import guard, viewer
from console.scope import org_scope
from console.views import bp, not_found, page
from content import qiangguo_page_texts as qt
from models import Membership, Organization, QiangguoReport, Role, audit, db, utcnow
from participation.settings import in_quiet_hours
from qiangguo import qiangguo

IMAGE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")  # served as such


@dataclass(frozen=True)
class Week:
    """The week shown: its Monday, whether it is this week, and a problem with the one asked."""

    monday: date
    this_week: date
    error: str = ""

    @property
    def is_this_week(self) -> bool:
        """True when the week shown is the current one."""
        return self.monday == self.this_week

    @property
    def sunday(self) -> date:
        """The week's last day."""
        return self.monday + timedelta(days=6)

    @property
    def latest(self) -> date:
        """The last day that may be chosen: this week's Sunday."""
        return self.this_week + timedelta(days=6)

    @property
    def previous(self) -> date:
        """The Monday before."""
        return self.monday - timedelta(days=7)

    @property
    def next(self) -> date | None:
        """The Monday after, unless that is still to come."""
        following = self.monday + timedelta(days=7)
        return following if following <= self.this_week else None

    @property
    def label(self) -> str:
        """11月16日—11月22日."""
        return qiangguo.week_label(self.monday)


def chosen_week() -> Week:
    """The week ?week= names (any day of it, YYYY-MM-DD), else this week; a malformed day or
    one still to come shows this week with the reason."""
    this_week = qiangguo.week_of(utcnow())
    value = request.args.get("week", "").strip()
    if not value:
        return Week(this_week, this_week)
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return Week(this_week, this_week, qt.WEEK_ERRORS["bad_date"])
    monday = day - timedelta(days=day.weekday())  # a calendar day: its week is the committee's
    if monday > this_week:
        return Week(this_week, this_week, qt.WEEK_ERRORS["future"])
    return Week(monday, this_week)


def _visible(lines: list[qiangguo.OverviewLine]) -> list[qiangguo.OverviewLine]:
    """The overview lines the viewer may see, organisations where nobody reported first."""
    scope = org_scope(viewer())
    shown = [line for line in lines if scope is None or line.organization.id in scope]
    return sorted(shown, key=lambda line: (line.reported > 0, line.organization.name,
                                           line.organization.id))


def _settings_text() -> dict[str, str]:
    settings = qiangguo.qiangguo_settings()
    start, end = settings.quiet_hours
    return {"weekday": qt.WEEKDAYS[settings.weekday], "hour": str(settings.hour),
            "quiet_start": f"{start:%H:%M}", "quiet_end": f"{end:%H:%M}"}


@bp.get("/qiangguo")
@guard(Role.ADMIN, Role.CONTACT)
def qiangguo_week() -> Response:
    """Each organisation's reports against its active members for the chosen week; those where
    nobody reported in red; admins also get the reminder."""
    week = chosen_week()
    lines, reported, members = qiangguo.overview(week.monday)
    shown = _visible(lines)
    if not viewer().is_admin:  # a contact's organisations together
        reported = sum(line.reported for line in shown)
        members = sum(line.members for line in shown)
    waiting = (len(qiangguo.members_to_remind(week.this_week))
               if viewer().is_admin and week.is_this_week else 0)
    return page("qiangguo.html", qt=qt, week=week, lines=shown,
                silent=[line for line in shown if line.reported == 0], reported=reported,
                members=members, waiting=waiting, settings=_settings_text())


@bp.get("/qiangguo/orgs/<int:org_id>")
@guard(Role.ADMIN, Role.CONTACT)
def qiangguo_org(org_id: int) -> Response:
    """One organisation's active members for the chosen week: who reported what, who did not
    (an organisation outside a contact's own looks missing)."""
    scope = org_scope(viewer())
    organization = db.session.get(Organization, org_id)
    if organization is None or (scope is not None and org_id not in scope):
        return not_found()
    week = chosen_week()
    found = qiangguo.organization_week(organization, week.monday)
    return page("qiangguo_org.html", qt=qt, week=week,
                organization=organization, found=found)


@bp.get("/qiangguo/reports/<int:report_id>/screenshot")
@guard(Role.ADMIN, Role.CONTACT)
def qiangguo_screenshot(report_id: int) -> Response:
    """A report's kept screenshot, to the viewer whose scope holds the member's organisation
    (anything else looks missing); only an image type is ever served."""
    report = db.session.get(QiangguoReport, report_id)
    scope = org_scope(viewer())
    if (report is None or not report.image or report.image_type not in IMAGE_TYPES
            or (scope is not None and not _in_scope(report.member_id, scope))):
        return not_found()
    return Response(report.image, mimetype=report.image_type,
                    headers={"X-Content-Type-Options": "nosniff",
                             "Cache-Control": "private, max-age=3600"})


def _in_scope(member_id: int, scope: frozenset[int]) -> bool:
    """True when one of the member's organisations is in the viewer's scope."""
    return db.session.scalar(select(Membership.id).where(
        Membership.member_id == member_id, Membership.organization_id.in_(scope))) is not None


@bp.post("/qiangguo/remind")
@guard(Role.ADMIN)
def qiangguo_remind() -> Response:
    """发送提醒: qiangguo.qiangguo's weekly reminder, sent now rather than at its hour —
    each member who has not reported this week and was not reminded this week gets it once
    (the scheduled one then skips them); never in the quiet hours; audited."""
    now = utcnow()
    settings = qiangguo.qiangguo_settings()
    back = redirect(url_for(".qiangguo_week"), 303)
    if in_quiet_hours(now, settings.quiet_hours):
        start, end = settings.quiet_hours
        flash(qt.REMIND_QUIET.format(start=f"{start:%H:%M}", end=f"{end:%H:%M}"), "error")
        return back  # type: ignore[return-value]
    due_now = replace(settings, weekday=0, hour=0)  # due from Monday 00:00: that is, now
    week = qiangguo.week_of(now)
    try:
        result = qiangguo.send_reminders(now, due_now)
        if result.members:
            audit(viewer().actor, "qiangguo.remind", qiangguo.period_of(week),
                  week=week.isoformat(), members=result.members)
        db.session.commit()
    except IntegrityError:  # another admin's reminder claimed the same members just now
        db.session.rollback()
        result = qiangguo.Reminded()
    enqueue_deliveries(list(result.outbound_ids))
    flash(qt.REMINDED.format(count=result.members) if result.members else qt.REMINDED_NOBODY,
          "ok")
    return back  # type: ignore[return-value]

