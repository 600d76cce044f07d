"""答题 figures for admins: the hardest questions (lowest correct rate first: what members have
not understood), each organisation's participation in a period, and a campaign's 专项答题
results per organisation (quizzes.figures; everything counted from the answers given)."""

from __future__ import annotations

from typing import Any

from flask import Response, request

import clock
from console.auth import guard
from console.views import bp, date_arg, not_found, page
from content import quiz_page_texts as qt
from models import Campaign, Role, db
from quizzes import figures

MINIMUM_DEFAULT = 3
MINIMUM_MAX = 10_000


def _percent(value: float | None) -> str:
    return qt.NO_RATE if value is None else f"{value:.0%}"


def _page(template: str, code: int = 200, /, **context: Any) -> Response:
    return page(template, code, qt=qt, percent=_percent, **context)


@bp.get("/quiz/stats")
@guard(Role.ADMIN)
def quiz_stats() -> Response:
    """The hardest questions (answered at least ?min= times) and every organisation's
    participation between ?since= and ?until= (this month by default), with the campaigns'
    专项答题 listed."""
    today = clock.today()
    month = clock.month_of(clock.utcnow())
    since = date_arg("since") or month.first_day
    until = date_arg("until") or today
    if until < since:
        since, until = until, since
    minimum = request.args.get("min", MINIMUM_DEFAULT, type=int) or MINIMUM_DEFAULT
    minimum = min(max(minimum, 1), MINIMUM_MAX)
    lines = figures.by_organization(clock.days(since, until))
    return _page("quiz_stats.html", hardest=figures.hardest(minimum), minimum=minimum,
                 since=since, until=until, lines=lines, total=figures.total(lines),
                 campaigns=figures.campaigns())


@bp.get("/quiz/campaigns/<int:campaign_id>")
@guard(Role.ADMIN)
def quiz_campaign(campaign_id: int) -> Response:
    """A campaign's 专项答题: each organisation's participants, answers and correct rate."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        return not_found()
    lines = figures.by_organization(campaign_id=campaign.id)
    return _page("quiz_campaign.html", campaign=campaign, lines=lines,
                 total=figures.total(lines))
