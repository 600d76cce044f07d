"""活动's actions on one campaign (admins; the buttons of console/campaign_pages.py's page): the
requirements added and removed, the study hours required, 提醒未完成的党员 (nudges.nudges, once a
week each) and 结束活动. Contacts get 403 for every one of them.
"""

from __future__ import annotations

from typing import Any

from flask import Response, flash, request

from bot.jobs import enqueue_deliveries
from campaigns.campaigns import (
    CampaignError,
    close_campaign,
    require,
    set_required_hours,
    unrequire,
)
from console import campaign_form as form
from console.auth import guard, viewer
from console.campaign_pages import (
    back_to,
    detail_page,
    find_campaign,
    hours_text,
    item_text,
    local_today,
)
from console.views import bp, not_found
from content import campaign_page_texts as ct
from models import Role, db, utcnow
from nudges import nudges
from participation.settings import participation_settings

# requirements


def _require_args(kind: str) -> dict[str, Any]:
    """The one requirement the posted form names, as campaigns.campaigns.require takes it."""
    if kind == "material":
        return {"material": request.form.get("material", "").strip()}
    if kind == "lecture":
        return {"lecture": form.whole_number(request.form.get("lecture", ""), "lecture")}
    if kind == "reflections":
        return {"reflections": form.whole_number(request.form.get("reflections", ""),
                                                 "reflections")}
    return {}


@bp.post("/campaigns/<int:campaign_id>/items")
@guard(Role.ADMIN)
def campaign_require(campaign_id: int) -> Response:
    """Add one required item (a material, a lecture, N reflections; audited); the problem
    beside its field and nothing written when it is refused."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    try:
        item = require(viewer().actor, campaign, **_require_args(request.form.get("kind", "")))
        text = item_text(item)
        db.session.commit()
    except CampaignError as exc:
        db.session.rollback()
        campaign = find_campaign(campaign_id)
        assert campaign is not None
        return detail_page(campaign, 400, form.errors_of(exc), request.form.to_dict())
    flash(ct.ITEM_ADDED.format(text=text), "ok")
    return back_to(campaign_id, "requirements")


@bp.post("/campaigns/<int:campaign_id>/items/<int:item_id>/remove")
@guard(Role.ADMIN)
def campaign_unrequire(campaign_id: int, item_id: int) -> Response:
    """Remove one required item (audited); an item of another campaign looks missing."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    try:
        item = unrequire(viewer().actor, campaign, item_id)
    except CampaignError:
        db.session.rollback()
        return not_found()
    text = item_text(item)
    db.session.commit()
    flash(ct.ITEM_REMOVED.format(text=text), "ok")
    return back_to(campaign_id, "requirements")


@bp.post("/campaigns/<int:campaign_id>/hours")
@guard(Role.ADMIN)
def campaign_hours(campaign_id: int) -> Response:
    """Set the study hours a member needs within the period (0: none; audited)."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    try:
        changed = set_required_hours(viewer().actor, campaign,
                                     form.hours_number(request.form.get("hours", "")))
        hours = campaign.required_hours
        db.session.commit()
    except CampaignError as exc:
        db.session.rollback()
        campaign = find_campaign(campaign_id)
        assert campaign is not None
        return detail_page(campaign, 400, form.errors_of(exc), request.form.to_dict())
    flash(ct.HOURS_SET.format(hours=hours_text(hours)) if changed else ct.HOURS_UNCHANGED, "ok")
    return back_to(campaign_id, "requirements")


# reminders and closing


@bp.post("/campaigns/<int:campaign_id>/nudge")
@guard(Role.ADMIN)
def campaign_nudge(campaign_id: int) -> Response:
    """提醒未完成的党员 through the weekly nudges' claim: each member at most once a week for
    this campaign, never in the quiet hours; says how many were reminded."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    result = nudges.nudge_campaign(viewer().actor, campaign, utcnow())
    if result.skipped == "not running":
        flash(ct.NUDGE_NOT_RUNNING, "error")
        return back_to(campaign_id)
    if result.skipped == "quiet hours":
        start, end = participation_settings().quiet_hours
        flash(ct.NUDGE_QUIET.format(start=f"{start:%H:%M}", end=f"{end:%H:%M}"), "error")
        return back_to(campaign_id)
    db.session.commit()
    enqueue_deliveries(list(result.outbound_ids))
    if result.nudged:
        flash(ct.NUDGED.format(nudged=result.nudged, behind=result.behind), "ok")
    else:
        flash(ct.NUDGED_NONE.format(behind=result.behind) if result.behind
              else ct.NUDGED_NOBODY, "ok")
    return back_to(campaign_id)


@bp.post("/campaigns/<int:campaign_id>/close")
@guard(Role.ADMIN)
def campaign_close(campaign_id: int) -> Response:
    """结束活动: its last day becomes today (today's work still counts; audited)."""
    campaign = find_campaign(campaign_id)
    if campaign is None:
        return not_found()
    try:
        closed = close_campaign(viewer().actor, campaign, local_today())
    except CampaignError as exc:
        db.session.rollback()
        flash(form.error_text(exc), "error")
        return back_to(campaign_id)
    name, day = campaign.name, campaign.ends_on.isoformat()
    if closed:
        db.session.commit()
        flash(ct.CLOSED.format(name=name, day=day), "ok")
    else:
        flash(ct.CLOSE_ALREADY.format(name=name, day=day), "error")
    return back_to(campaign_id)
