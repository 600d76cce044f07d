"""What a viewer may see: admins everything, contacts their organisations' members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, false, select

from console.auth import Viewer
from models import Membership


def org_scope(viewer: Viewer) -> frozenset[int] | None:
    """The organisations the viewer is limited to, or None for everything (admins)."""
    return None if viewer.is_admin else viewer.org_ids


def members_in_scope(viewer: Viewer) -> Select[Any] | None:
    """A subquery of the member ids the viewer may see, or None for everyone."""
    orgs = org_scope(viewer)
    if orgs is None:
        return None
    return select(Membership.member_id).where(Membership.organization_id.in_(orgs))


def limit_members(query: Select[Any], column: Any, viewer: Viewer) -> Select[Any]:
    """The query limited to rows whose `column` (a member id) is in the viewer's scope."""
    scope = members_in_scope(viewer)
    if scope is None:
        return query
    return query.where(column.in_(scope)) if viewer.org_ids else query.where(false())
