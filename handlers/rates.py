"""Participation rates in chat: 参学率 (admins: the committee; contacts: their organisations)
and 未参学名单 (contacts: who has not taken part this month)."""

from __future__ import annotations

from datetime import datetime

import clock
from bot.context import Context
from bot.replies import Reply, Text
from bot.router import Command
from content import nudge_texts as texts
from models import Organization, Role
from participation import rates
from roster.contacts import contact_organizations

LOWEST_SHOWN = 5
NAMES_SHOWN = 30


def _rate(rate: rates.Rate) -> str:
    return texts.RATE.format(participating=rate.participating, members=rate.members,
                             percent=f"{rate.percent:.1f}")


def _month(now: datetime) -> str:
    local = clock.local(now)
    return texts.MONTH.format(year=local.year, month=local.month)


def names_text(names: list[str], shown: int | None = None) -> str:
    """The names joined, cut after `shown` with how many there are in all."""
    if shown is None or len(names) <= shown:
        return texts.NAMES_JOIN.join(names)
    return texts.NAMES_JOIN.join(names[:shown]) + texts.NAMES_MORE.format(count=len(names))


def _committee(ctx: Context) -> Reply:
    month = rates.month_period(ctx.now)
    year = clock.year_of(ctx.now)
    month_rate = rates.committee_rate(month)
    if not month_rate.members:
        return Text(texts.NO_MEMBERS)
    lines = [texts.COMMITTEE_HEAD,
             texts.COMMITTEE_MONTH.format(month=_month(ctx.now), rate=_rate(month_rate)),
             texts.COMMITTEE_YEAR.format(year=year,
                                         rate=_rate(rates.committee_rate(rates.year_period(year)))),
             texts.BY_KIND_HEAD]
    lines += [texts.BY_KIND_LINE.format(kind=texts.KIND_NAMES.get(kind, kind), rate=_rate(rate))
              for kind, rate in rates.kind_rates(month).items()]
    lowest = rates.lowest(rates.org_rates(month), LOWEST_SHOWN)
    lines.append(texts.LOWEST_HEAD.format(count=len(lowest)))
    lines += [texts.LOWEST_LINE.format(name=r.name, rate=_rate(r.rate)) for r in lowest]
    return Text("\n".join(lines))


def _organizations(ctx: Context) -> list[Organization]:
    assert ctx.member is not None
    return contact_organizations(ctx.member)


def _org_block(ctx: Context, org: Organization) -> list[str]:
    month = rates.month_period(ctx.now)
    year = clock.year_of(ctx.now)
    month_rates = rates.org_rates(month, [org.id])
    year_rates = rates.org_rates(rates.year_period(year), [org.id])
    month_rate = month_rates[0].rate if month_rates else rates.Rate()
    year_rate = year_rates[0].rate if year_rates else rates.Rate()
    names = rates.non_participants(org.id, month)
    lines = [texts.ORG_HEAD.format(name=org.name),
             texts.ORG_MONTH.format(month=_month(ctx.now), rate=_rate(month_rate)),
             texts.ORG_YEAR.format(year=year, rate=_rate(year_rate))]
    lines.append(texts.ORG_IDLE.format(count=len(names), names=names_text(names, NAMES_SHOWN))
                 if names else texts.ORG_ALL_DONE)
    return lines


def rate(ctx: Context) -> Reply:
    """参学率: the committee's figures for admins, the organisation's for contacts."""
    if ctx.identity is not None and Role.ADMIN in ctx.identity.roles():
        return _committee(ctx)
    orgs = _organizations(ctx)
    if not orgs:
        return Text(texts.NO_ORGANIZATION)
    blocks = ["\n".join(_org_block(ctx, org)) for org in orgs]
    return Text("\n\n".join(blocks))


def non_participants(ctx: Context) -> Reply:
    """未参学名单: every member of the contact's organisations not taking part this month."""
    orgs = _organizations(ctx)
    if not orgs:
        return Text(texts.NO_ORGANIZATION)
    month = rates.month_period(ctx.now)
    blocks = []
    for org in orgs:
        names = rates.non_participants(org.id, month)
        blocks.append(texts.LIST_HEAD.format(name=org.name, month=_month(ctx.now),
                                             count=len(names)) + "\n"
                      + (names_text(names) if names else texts.ORG_ALL_DONE))
    blocks.append(texts.LIST_FOOT)
    return Text("\n\n".join(blocks))


COMMANDS = [
    Command("participation_rate", ("参学率",), rate, texts.RATES_SUMMARY,
            role=(Role.ADMIN, Role.CONTACT)),
    Command("non_participants", ("未参学名单",), non_participants,
            texts.NON_PARTICIPANTS_SUMMARY, role=Role.CONTACT),
]
