"""The organisations a contact (书记/联络员) acts for, and the chat step that asks which one.

A contact of several organisations who starts a flow for one of them (预约参观, 点单, 组织观影,
记录会议) is shown them numbered and picks one by its number or its name; a contact of one goes
straight on. The feature's flow declares the step as its state `STEP` and says what comes next.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.context import Context
from bot.replies import Reply, Text
from content import roster_texts as texts
from models import Member, Organization, Role

STEP = "organization"  # the step's state in a flow's table
TYPED_SHOWN = 20  # characters of a typed name quoted back


def contact_organizations(member: Member) -> list[Organization]:
    """The active organisations the member's contact grants name, by name."""
    orgs = {g.organization.id: g.organization for g in member.grants
            if g.role == Role.CONTACT and g.organization is not None and g.organization.active}
    return sorted(orgs.values(), key=lambda org: (org.name, org.id))


def _typed(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().rstrip(".。、")


def pick_organization(text: str, organizations: Sequence[Organization]) -> Organization | str:
    """The organisation a typed number (1-based) or name picks, else the text that asks again.

    A name is the whole name or a part of exactly one of them."""
    typed = _typed(text)
    if typed.isdecimal():
        number = int(typed)
        if 1 <= number <= len(organizations):
            return organizations[number - 1]
        return texts.ORG_OUT_OF_RANGE.format(number=number, count=len(organizations))
    if not typed:
        return texts.ORG_ASK_AGAIN
    found = ([o for o in organizations if _typed(o.name) == typed]
             or [o for o in organizations if typed in _typed(o.name)])
    if len(found) == 1:
        return found[0]
    if found:
        return texts.ORG_AMBIGUOUS.format(count=len(found), typed=typed[:TYPED_SHOWN])
    return texts.ORG_ASK_AGAIN


@dataclass(frozen=True)
class OrganizationStep:
    """The "which organisation?" step at the start of a contact's flow.

    `question` is the feature's, with {lines} for the numbered organisations; `none` answers a
    member who is the contact of no active organisation; `then` goes on with the one picked and
    starts the flow at its next state (ctx.start, as it may be the flow's first step)."""

    flow: str
    question: str
    none: str
    then: Callable[[Context, Organization], Reply]

    def begin(self, ctx: Context) -> Reply:
        """The flow's command: straight on for one organisation, else ask which one."""
        assert ctx.member is not None
        organizations = contact_organizations(ctx.member)
        if not organizations:
            return Text(self.none)
        if len(organizations) == 1:
            return self.then(ctx, organizations[0])
        ctx.start(self.flow, STEP, org_ids=[org.id for org in organizations])
        lines = "\n".join(texts.ORG_LINE.format(number=n, name=org.name)
                          for n, org in enumerate(organizations, 1))
        return Text(self.question.format(lines=lines))

    def choose_organization(self, ctx: Context) -> Reply:
        """The state STEP: the organisation by its number or name; anything else asks again."""
        shown = (ctx.session.get(Organization, org_id) for org_id in ctx.data.get("org_ids", []))
        picked = pick_organization(ctx.text, [org for org in shown if org is not None])
        if isinstance(picked, str):
            ctx.stay()
            return Text(picked)
        return self.then(ctx, picked)
