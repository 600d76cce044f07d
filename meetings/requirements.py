"""三会一课 requirements: the meetings each organisation held in a committee quarter against
those required (meetings.settings), and the quarterly reminder to contacts of organisations
that have not held a required meeting.

The reminder goes from day MEETING_REMIND_DAY of the quarter, outside the quiet hours, at
most once per contact and quarter (a Nudge row of kind "meeting" and period "2026-Q4"); the
cron tick `meeting_tick` sends it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

import clock
from bot.jobs import enqueue_deliveries, run_tick
from bot.outbox import Outbox
from content import meeting_texts as texts
from meetings.recording import KINDS
from meetings.settings import FREQUENCIES, MeetingSettings, meeting_settings
from models import (
    Member,
    MemberStatus,
    Nudge,
    Organization,
    OrgMeeting,
    Role,
    RoleGrant,
    db,
    utcnow,
)
from participation.settings import in_quiet_hours

log = logging.getLogger(__name__)

QUARTER = re.compile(r"(\d{4})-Q([1-4])")
NUDGE_KIND = "meeting"


# -- quarters -------------------------------------------------------------------------------

def quarter_of(moment: datetime) -> tuple[int, int]:
    """The committee's (year, quarter) of `moment`."""
    return clock.quarter_number(moment)


def quarter_bounds(year: int, quarter: int) -> tuple[datetime, datetime]:
    """The committee quarter's start and end as UTC times."""
    span = clock.quarter(year, quarter)
    return span.start, span.end


def period(year: int, quarter: int) -> str:
    """The Nudge period of a quarter, e.g. 2026-Q4."""
    return f"{year}-Q{quarter}"


def quarter_name(year: int, quarter: int) -> str:
    """2026年第4季度."""
    return texts.QUARTER.format(year=year, quarter=quarter)


def parse_quarter(text: str) -> tuple[int, int] | None:
    """(year, quarter) of "2026-Q4" (case and spaces forgiven), or None."""
    match = QUARTER.fullmatch(unicodedata.normalize("NFKC", text).strip().upper())
    return (int(match.group(1)), int(match.group(2))) if match else None


def shift_quarter(year: int, quarter: int, by: int) -> tuple[int, int]:
    """The quarter `by` quarters after (or before) the given one."""
    index = year * 4 + quarter - 1 + by
    return index // 4, index % 4 + 1


# -- meetings held against those required --------------------------------------------------

def held_counts(organization_ids: list[int], year: int, quarter: int) -> dict[int, dict[str, int]]:
    """Meetings held per organisation and kind in the quarter."""
    start, end = quarter_bounds(year, quarter)
    rows = db.session.execute(
        select(OrgMeeting.organization_id, OrgMeeting.kind, func.count(OrgMeeting.id))
        .where(OrgMeeting.organization_id.in_(organization_ids), OrgMeeting.starts_at >= start,
               OrgMeeting.starts_at < end)
        .group_by(OrgMeeting.organization_id, OrgMeeting.kind))
    held: dict[int, dict[str, int]] = {org: {} for org in organization_ids}
    for organization_id, kind, count in rows:
        held[organization_id][kind] = int(count)
    return held


def shortfalls(held: Mapping[str, int], settings: MeetingSettings) -> list[tuple[str, int, int]]:
    """(kind, held, required) for every required kind held fewer times than required."""
    result = []
    for kind in KINDS:
        frequency = settings.requirements.get(kind)
        if frequency is None:
            continue
        required = FREQUENCIES[frequency]
        if held.get(kind, 0) < required:
            result.append((kind, held.get(kind, 0), required))
    return result


def describe_missing(missing: list[tuple[str, int, int]]) -> str:
    """支委会（已开1次，应开3次）、党课（已开0次，应开1次）."""
    return "、".join(texts.MISSING_ITEM.format(kind=texts.KIND_NAMES[k], held=h, required=r)
                    for k, h, r in missing)


def describe_rules(settings: MeetingSettings) -> str:
    """支部党员大会每季度至少1次、… as configured."""
    return "、".join(texts.KIND_NAMES[k] + texts.FREQUENCY_NAMES[settings.requirements[k]]
                    for k in KINDS if k in settings.requirements)


# -- the quarterly reminder -----------------------------------------------------------------

@dataclass(frozen=True)
class ReminderResult:
    """What one reminder run did."""

    reminded: int = 0
    outbound_ids: tuple[int, ...] = ()
    skipped: str = ""  # why nothing was due: quiet_hours, too_early


def due_reminders(now: datetime, settings: MeetingSettings
                  ) -> dict[int, list[tuple[Organization, list[tuple[str, int, int]]]]]:
    """Per contact (member id): their organisations with a shortfall this quarter."""
    year, quarter = quarter_of(now)
    grants = db.session.execute(
        select(RoleGrant.member_id, RoleGrant.organization_id)
        .join(Member, Member.id == RoleGrant.member_id)
        .join(Organization, Organization.id == RoleGrant.organization_id)
        .where(RoleGrant.role == Role.CONTACT, Member.status == MemberStatus.ACTIVE,
               Organization.active.is_(True))).all()
    organization_ids = sorted({org for _, org in grants})
    if not organization_ids:
        return {}
    held = held_counts(organization_ids, year, quarter)
    organizations = {o.id: o for o in db.session.scalars(
        select(Organization).where(Organization.id.in_(organization_ids)))}
    due: dict[int, list[tuple[Organization, list[tuple[str, int, int]]]]] = {}
    for member_id, organization_id in sorted(grants):
        missing = shortfalls(held[organization_id], settings)
        if missing:
            due.setdefault(member_id, []).append((organizations[organization_id], missing))
    return due


def send_reminders(now: datetime | None = None,
                   settings: MeetingSettings | None = None) -> ReminderResult:
    """Remind each contact of organisations short of required meetings, once a quarter.

    Nothing in the quiet hours or before the quarter's reminder day. Each contact is claimed
    by a Nudge row (unique per member, kind and period) in its own transaction."""
    now = now or utcnow()
    settings = settings or meeting_settings()
    if in_quiet_hours(now, settings.quiet_hours):
        return ReminderResult(skipped="quiet_hours")
    year, quarter = quarter_of(now)
    if clock.day_of_quarter(now) < settings.remind_day:
        return ReminderResult(skipped="too_early")
    due = due_reminders(now, settings)
    sent = set(db.session.scalars(select(Nudge.member_id).where(
        Nudge.kind == NUDGE_KIND, Nudge.period == period(year, quarter))))
    db.session.rollback()
    reminded, outbound = 0, []
    for member_id, items in due.items():
        if member_id in sent:
            continue
        try:
            ids = _remind_one(member_id, items, now, year, quarter, settings)
        except Exception:  # one contact's failure must not hold up the others
            db.session.rollback()
            log.exception("meeting reminder to member %s failed", member_id)
            continue
        if ids is not None:
            reminded += 1
            outbound.extend(ids)
    return ReminderResult(reminded, tuple(outbound))


def _remind_one(member_id: int, items: list[tuple[Organization, list[tuple[str, int, int]]]],
                now: datetime, year: int, quarter: int,
                settings: MeetingSettings) -> list[int] | None:
    """Claim the contact's Nudge and queue the reminder (committed); None if sent before."""
    member = db.session.get(Member, member_id)
    if member is None:
        return None
    details = {"organizations": {o.name: [k for k, _, _ in m] for o, m in items}}
    try:
        with db.session.begin_nested():
            db.session.add(Nudge(member_id=member_id, kind=NUDGE_KIND,
                                 period=period(year, quarter), sent_at=now, details=details))
            db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return None
    outbox = Outbox(db.session, source_key=f"meeting-reminder:{period(year, quarter)}:{member_id}")
    lines = "\n".join(texts.REMINDER_LINE.format(organization=o.name,
                                                 missing=describe_missing(m)) for o, m in items)
    outbox.text([member.userid], texts.REMINDER.format(
        quarter=quarter_name(year, quarter), lines=lines, rules=describe_rules(settings)),
        once=True)
    db.session.commit()
    return outbox.pending_ids()


def meeting_tick() -> int:
    """Cron tick: send the quarter's 三会一课 reminders that are due; one tick at a time."""
    def work() -> int:
        result = send_reminders()
        enqueue_deliveries(list(result.outbound_ids))
        return result.reminded

    return run_tick("meeting_tick", 600, work)
