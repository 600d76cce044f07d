"""考核 in chat: a contact reads their organisation's scorecard — total, place, every measure,
what lowers it and what would raise it — and nothing of any other organisation."""

from __future__ import annotations

from assessment import describe, scorecard
from assessment.scorecard import RuleError
from bot.context import Context
from bot.replies import Reply, Text
from bot.router import Command
from content import assessment_texts as texts
from models import Role
from roster.contacts import contact_organizations


def assessment_card(ctx: Context) -> Reply:
    """考核 [2026-Q3]: the scorecard of each organisation the contact looks after."""
    assert ctx.member is not None
    organizations = contact_organizations(ctx.member)
    if not organizations:
        return Text(texts.NOT_CONTACT)
    words = ctx.text.split(maxsplit=1)
    try:
        year, quarter = scorecard.parse_quarter(words[1] if len(words) > 1 else "", ctx.now)
    except RuleError as exc:
        return Text(exc.text() + "\n" + texts.USAGE)
    ranked = scorecard.ranking(scorecard.cards(year, quarter))
    by_org = {row.card.organization_id: row for row in ranked}
    trends = scorecard.trend(year, quarter, organization_ids=[o.id for o in organizations])
    blocks = []
    for organization in organizations:
        row = by_org.get(organization.id)
        if row is None:
            blocks.append(texts.NO_CARD.format(organization=organization.name,
                                               quarter=describe.quarter_name(year, quarter)))
            continue
        blocks.append(describe.chat_text(row, len(ranked), year, quarter,
                                         trends.get(organization.id)))
    return Text("\n\n".join(blocks))


COMMANDS = [
    Command("assessment_card", ("考核",), assessment_card, texts.SUMMARY, role=Role.CONTACT),
]
