"""What the 签到 pages call a lecture, meeting or activity: the organisation it belongs to, the
number staff quote, and the page of its own (an activity's kind's page, when the console has
one: console.activity_detail, console.training_detail, console.hall_bookings), so the 签到
pages link back to it."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from activities.records import activity_number
from checkins import manage
from content import checkin_page_texts as kt
from meetings.recording import meeting_number
from models import Activity, ActivityKind, OrgMeeting


def organization_name(record: manage.Record) -> str:
    """The organisation it belongs to (党委 for an activity the committee runs)."""
    if isinstance(record, Activity):
        return record.organization.name if record.organization is not None else kt.COMMITTEE
    if isinstance(record, OrgMeeting):
        return record.organization.name
    return record.order.organization.name if record.order is not None else ""


def number(record: manage.Record) -> str:
    """The number staff quote: the order's, HY-… for a meeting, HD-… for an activity."""
    if isinstance(record, Activity):
        return activity_number(record)
    if isinstance(record, OrgMeeting):
        return meeting_number(record)
    return record.order.number if record.order is not None else ""


def number_label(record: manage.Record) -> str:
    """What that number is called on the page."""
    if isinstance(record, Activity):
        return kt.ACTIVITY_NUMBER
    return kt.MEETING_NUMBER if isinstance(record, OrgMeeting) else kt.ORDER


def _endpoint(name: str, **values: Any) -> str:
    """The address of a console page, or "" while no page has that endpoint."""
    if f"console.{name}" not in current_app.view_functions:
        return ""
    return url_for(f"console.{name}", **values)


def home(record: manage.Record) -> str:
    """The activity's own page (its kind's), or "" for a lecture, a meeting or an activity
    whose kind has none."""
    if not isinstance(record, Activity):
        return ""
    if record.kind in (ActivityKind.SCREENING, ActivityKind.LECTURE):
        return _endpoint("activity_detail", activity_id=record.id)
    if record.training_id is not None:
        return _endpoint("training_detail", training_id=record.training_id)
    if record.kind == ActivityKind.VISIT:
        return _endpoint("hall_bookings")
    return ""


def home_label(record: manage.Record) -> str:
    """What the link to `home` says: back to the training, the visits or the activity."""
    if isinstance(record, Activity) and record.training_id is not None:
        return kt.BACK_TRAINING
    if isinstance(record, Activity) and record.kind == ActivityKind.VISIT:
        return kt.BACK_VISITS
    return kt.BACK_ACTIVITY
