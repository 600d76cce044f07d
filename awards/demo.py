"""The demo's 评选: the previous year's honours decided and published from the demo roster —
3 优秀党支部, 3 学习先进集体, 4 学习达人 and 2 学习标兵, with the rule and plausible figures
on each row (the demo's participation does not reach back a year, so the figures are drawn,
not computed). Published without a broadcast: the demo sends nothing."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

import clock
from awards.candidates import member_subject, org_subject
from content import award_texts as texts
from models import (
    Award,
    AwardKind,
    Member,
    Membership,
    MemberStatus,
    Organization,
    Role,
    RoleGrant,
    db,
)

SEED = 2527
DECIDED_BY = "chenjing"
COUNTS = {AwardKind.EXCELLENT_BRANCH: 3, AwardKind.ADVANCED_COLLECTIVE: 3,
          AwardKind.STUDY_STAR: 4, AwardKind.STUDY_MODEL: 2}


def _org_figure(rng: random.Random, kind: str) -> str:
    members = rng.randint(8, 30)
    participating = members - rng.randint(0, 2)
    rate = f"{round(100.0 * participating / members, 1):g}"
    average = f"{rng.uniform(24, 40):.1f}"
    if kind == AwardKind.EXCELLENT_BRANCH:
        return texts.FIGURE_BRANCH.format(complete=4, quarters=4, rate=rate,
                                          participating=participating, members=members,
                                          average=average)
    return texts.FIGURE_ORG.format(rate=rate, participating=participating, members=members,
                                   average=average)


def _member_figure(rng: random.Random, kind: str) -> str:
    featured = rng.randint(2, 4) if kind == AwardKind.STUDY_MODEL else rng.randint(0, 2)
    return texts.FIGURE_MEMBER.format(points=rng.randint(900, 1400),
                                      hours=f"{rng.uniform(34, 60):.1f}", norm="32",
                                      featured=featured)


def seed_demo_year(today: date) -> int:
    """Write last year's decided and published honours (nothing committed); rows written."""
    rng = random.Random(SEED)
    year = today.year - 1
    orgs = list(db.session.scalars(select(Organization).where(
        Organization.parent_id.is_not(None), Organization.active).order_by(Organization.id)))
    contacts = select(RoleGrant.member_id).where(RoleGrant.role == Role.CONTACT)
    members = list(db.session.scalars(
        select(Member).join(Membership, Membership.member_id == Member.id)
        .where(Member.status == MemberStatus.ACTIVE, Member.id.not_in(contacts))
        .order_by(Member.id).distinct()))
    needed = COUNTS[AwardKind.STUDY_STAR] + COUNTS[AwardKind.STUDY_MODEL]
    branches = COUNTS[AwardKind.EXCELLENT_BRANCH] + COUNTS[AwardKind.ADVANCED_COLLECTIVE]
    if len(orgs) < branches or len(members) < needed:
        return 0
    picked_orgs = rng.sample(orgs, branches)
    picked_members = rng.sample(members, needed)
    published = clock.wall(min(today, date(year + 1, 1, 15)), 10)
    decided = published - timedelta(days=1)
    rows = []
    for kind in (AwardKind.EXCELLENT_BRANCH, AwardKind.ADVANCED_COLLECTIVE):
        for org in [picked_orgs.pop() for _ in range(COUNTS[kind])]:
            rows.append(Award(year=year, kind=kind, subject=org_subject(org.id),
                              organization_id=org.id, rule=texts.RULES[kind],
                              figure=_org_figure(rng, kind)))
    for kind in (AwardKind.STUDY_STAR, AwardKind.STUDY_MODEL):
        for member in [picked_members.pop() for _ in range(COUNTS[kind])]:
            rows.append(Award(year=year, kind=kind, subject=member_subject(member.id),
                              member_id=member.id, organization_id=member.main_organization.id
                              if member.main_organization else None, rule=texts.RULES[kind],
                              figure=_member_figure(rng, kind)))
    for row in rows:
        row.decided_by, row.decided_at, row.published_at = DECIDED_BY, decided, published
    db.session.add_all(rows)
    db.session.flush()
    return len(rows)
