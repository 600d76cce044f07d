"""Which activities a viewer sees and the rows of the console's list: admins everything; a
contact their organisations' screenings and the committee lectures their organisations are
audience of. Year totals are the report's (report/), never counted here."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import selectinload

import clock
from models import Activity, ActivityAudience, ActivityKind

LISTED = (ActivityKind.SCREENING, ActivityKind.LECTURE)


def visible(scope: Collection[int] | None) -> Select[Any]:
    """Activities (screenings and committee lectures) the scope may see (None: everything)."""
    query = select(Activity).where(Activity.kind.in_(LISTED))
    if scope is None:
        return query
    if not scope:
        return query.where(false())
    ids = list(scope)
    audience = select(ActivityAudience.activity_id).where(
        ActivityAudience.organization_id.in_(ids))
    return query.where(or_(
        (Activity.kind == ActivityKind.SCREENING) & Activity.organization_id.in_(ids),
        (Activity.kind == ActivityKind.LECTURE) & Activity.id.in_(audience)))


def listing(scope: Collection[int] | None, kind: str = "", year: int | None = None
            ) -> Select[Any]:
    """The list's query: optionally one kind and one committee year, latest first."""
    query = visible(scope).options(selectinload(Activity.organization),
                                   selectinload(Activity.audience)
                                   .selectinload(ActivityAudience.organization))
    if kind in LISTED:
        query = query.where(Activity.kind == kind)
    if year is not None:
        period = clock.year(year)
        query = query.where(Activity.starts_at >= period.start, Activity.starts_at < period.end)
    return query.order_by(Activity.starts_at.desc(), Activity.id.desc())


def may_see(activity: Activity, scope: Collection[int] | None) -> bool:
    """True when the scope may see the activity (its list's rule)."""
    if scope is None:
        return True
    if activity.kind == ActivityKind.SCREENING:
        return activity.organization_id in scope
    if activity.kind == ActivityKind.LECTURE:
        return any(a.organization_id in scope for a in activity.audience)
    return False


def may_manage(activity: Activity, scope: Collection[int] | None) -> bool:
    """Who corrects, cancels and counts guests: admins; a contact their own screenings."""
    if scope is None:
        return True
    return activity.kind == ActivityKind.SCREENING and activity.organization_id in scope
