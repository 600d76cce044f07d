"""The audience's notice of a committee lecture: each audience organisation's contacts get the
title, speaker, time, place and check-in code in WeCom (through the outbox, sent after the
commit), and a word when it changes or is cancelled."""

from __future__ import annotations

from bot.outbox import Outbox
from checkins.checkin import contacts_of
from content import activity_texts as texts
from content.texts import local_day_time
from content.titles import quoted
from models import Activity, ActivityKind, Organization, db


def _place(activity: Activity) -> str:
    return activity.place or texts.PLACE_LATER


def announce(outbox: Outbox, activity: Activity, changed: bool = False) -> int:
    """Tell each audience organisation's contacts of the lecture (or of its change); how many
    contacts were told. Nothing for an activity that is not a committee lecture."""
    if activity.kind != ActivityKind.LECTURE:
        return 0
    told = 0
    for row in activity.audience:
        organization = db.session.get(Organization, row.organization_id)
        if organization is None:
            continue
        userids = [m.userid for m in contacts_of(organization.id)]
        if not userids:
            continue
        template = texts.LECTURE_CHANGED if changed else texts.LECTURE_NOTICE
        outbox.text(userids, template.format(
            title=activity.title, speaker=activity.speaker,
            starts=local_day_time(activity.starts_at), place=_place(activity),
            code=activity.checkin_code or "", organization=organization.name))
        told += len(userids)
    return told


def announce_cancelled(outbox: Outbox, activity: Activity) -> int:
    """Tell the audience's contacts the lecture was cancelled; how many were told."""
    if activity.kind != ActivityKind.LECTURE:
        return 0
    userids = sorted({m.userid for row in activity.audience
                      for m in contacts_of(row.organization_id)})
    if userids:
        outbox.text(userids, texts.LECTURE_CANCELLED.format(
            title=quoted(activity.title), starts=local_day_time(activity.starts_at)))
    return len(userids)
