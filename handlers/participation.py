"""Points, ranks and campaign progress in chat: 我的积分, 排行榜, 冬训进度."""

from __future__ import annotations

import clock
from awards.decisions import honour_line
from bot.context import Context
from bot.replies import Reply, Text
from bot.router import Command
from campaigns import progress as campaigns
from campaigns.progress import MemberProgress, OrgProgress, Status
from content import participation_texts as texts
from models import Campaign, Member, Organization, Role
from participation.rules import rules_on
from participation.settings import participation_settings
from participation.standing import Leader, Standing, leaderboard, month_points, standing

BOARD_SIZE = 10
NAMES_SHOWN = 20
LOWEST_SHOWN = 10


def number(value: float) -> str:
    """A count of hours as members read it: 18.5, 32 (no trailing .0)."""
    return f"{round(value, 2):g}"


def _percent(rate: float) -> str:
    return f"{rate * 100:.0f}%"


def _org_name(ctx: Context, organization_id: int | None) -> str:
    org = ctx.session.get(Organization, organization_id) if organization_id else None
    return org.name if org else texts.NO_ORGANIZATION


def _ranks(ctx: Context, mine: Standing) -> str:
    if mine.committee_rank is None:
        return texts.NO_RANK_YET if mine.active else texts.NOT_RANKED
    if mine.organization_rank is None:
        return texts.RANKS_NO_ORG.format(rank=mine.committee_rank, ranked=mine.committee_ranked)
    return texts.RANKS.format(org=_org_name(ctx, mine.organization_id),
                              org_rank=mine.organization_rank,
                              org_ranked=mine.organization_ranked, rank=mine.committee_rank,
                              ranked=mine.committee_ranked)


def my_points(ctx: Context) -> Reply:
    """我的积分: points, hours against the norm, ranks, and this month's points by kind."""
    assert ctx.member is not None
    year = clock.year_of(ctx.now)
    mine = standing(ctx.member.id, year)
    month = month_points(ctx.member.id, ctx.now)
    parts = [texts.MONTH_PART.format(kind=texts.KIND_NAMES.get(kind, kind), points=points)
             for kind, points in sorted(month.items(), key=lambda kv: (-kv[1], kv[0]))]
    left = mine.hours_left
    reply = texts.MY_POINTS.format(
        year=year, points=mine.points, count=mine.participations, hours=number(mine.hours),
        norm=number(mine.norm),
        hours_state=texts.HOURS_LEFT.format(left=number(left)) if left else texts.HOURS_REACHED,
        ranks=_ranks(ctx, mine),
        month=texts.MONTH.format(parts=texts.MONTH_JOIN.join(parts)) if parts
        else texts.MONTH_NONE)
    honours = honour_line(ctx.member.id)  # 荣誉：2026年度学习标兵 (published awards only)
    return Text(f"{reply}\n{honours}" if honours else reply)


def points_rules(ctx: Context) -> Reply:
    """积分规则: per kind, the points of one item and a day's cap, and the hours, in force today."""
    settings = participation_settings()
    lines = [texts.RULES_HEAD]
    for kind, rule in rules_on(clock.today(ctx.now), settings).items():
        if not (rule.points and rule.daily_points) and not (rule.hours and rule.daily_hours):
            continue  # nothing to earn of this kind
        lines.append(texts.RULES_LINE.format(
            kind=texts.KIND_NAMES.get(kind, kind), points=rule.points,
            daily_points=rule.daily_points,
            hours=(texts.RULES_HOURS.format(hours=number(rule.hours),
                                            daily_hours=number(rule.daily_hours))
                   if rule.hours and rule.daily_hours else "")))
    lines.append(texts.RULES_READING.format(read=settings.reading_read_s,
                                            share=f"{settings.reading_min_share * 100:.0f}%",
                                            least=max(1, settings.reading_min_s // 60)))
    return Text("\n".join(lines))


def _board(scope: str, year: int, leaders: list[Leader], member_id: int, rank: int | None,
           points: int, with_org: bool) -> str:
    if not leaders:
        return texts.BOARD_EMPTY.format(scope=scope)
    lines = [texts.BOARD_HEAD.format(scope=scope, year=year, limit=BOARD_SIZE)]
    for leader in leaders:
        template = texts.BOARD_LINE_ORG if with_org else texts.BOARD_LINE
        lines.append(template.format(rank=leader.rank, name=leader.name,
                                     org=leader.organization or texts.NO_ORGANIZATION,
                                     points=leader.points, hours=number(leader.hours)))
    if rank is not None and all(leader.member_id != member_id for leader in leaders):
        lines.append(texts.BOARD_YOU.format(rank=rank, points=points))
    elif rank is None and points == 0:
        lines.append(texts.BOARD_YOU_UNRANKED)
    return "\n".join(lines)


def boards(ctx: Context) -> Reply:
    """排行榜: the top of the member's organisation and of the committee, and their own place."""
    assert ctx.member is not None
    year = clock.year_of(ctx.now)
    mine = standing(ctx.member.id, year)
    sections = []
    if mine.organization_id is not None:
        sections.append(_board(_org_name(ctx, mine.organization_id), year,
                               leaderboard(year, mine.organization_id, BOARD_SIZE),
                               ctx.member.id, mine.organization_rank, mine.points, False))
    sections.append(_board(texts.BOARD_COMMITTEE, year, leaderboard(year, None, BOARD_SIZE),
                           ctx.member.id, mine.committee_rank, mine.points, True))
    return Text(texts.BOARD_GAP.join(sections))


def _item_text(state: MemberProgress) -> list[str]:
    lines = []
    for item in state.items:
        if item.kind == "material":
            text = texts.ITEM_MATERIAL.format(title=item.title)
        elif item.kind == "lecture":
            text = texts.ITEM_LECTURE.format(title=item.title)
        else:
            text = texts.ITEM_REFLECTIONS.format(need=item.need, have=item.have)
        lines.append(texts.ITEM_LINE.format(
            mark=texts.MARK_DONE if item.done else texts.MARK_OPEN, text=text))
    if state.required_hours:
        lines.append(texts.HOURS_LINE.format(
            mark=texts.MARK_DONE if state.hours_done else texts.MARK_OPEN,
            hours=number(state.hours), need=number(state.required_hours)))
    return lines


def _own_section(ctx: Context, campaign: Campaign, member: Member) -> str:
    state = campaigns.member_progress(campaign, member.id)
    head = texts.PROGRESS_HEAD.format(
        name=campaign.name, starts=f"{campaign.starts_on.month}月{campaign.starts_on.day}日",
        ends=f"{campaign.ends_on.month}月{campaign.ends_on.day}日",
        status=texts.STATUS_NAMES[state.status])
    lines = _item_text(state)
    if not lines:
        return "\n".join((head, texts.PROGRESS_NO_ITEMS))
    if state.status == Status.DONE:
        if campaigns.award(campaign, state, ctx.now):
            lines.append(texts.AWARDED)
    else:
        lines.append(texts.PROGRESS_HINTS)
    return "\n".join((head, *lines))


def _org_section(campaign: Campaign, name: str, members: list[int]) -> str:
    found = campaigns.progress(campaign, members)
    row = campaigns.totals(campaigns.by_organization(found))
    lines = [texts.ORG_HEAD.format(org=name, members=row.members, done=row.done,
                                   in_progress=row.in_progress, not_started=row.not_started)]
    idle = [m for m, state in found.items() if state.status == Status.NOT_STARTED]
    if idle:
        names = campaigns.member_names(idle)
        shown = texts.NAME_JOIN.join(names[:NAMES_SHOWN])
        if len(names) > NAMES_SHOWN:
            shown = texts.ORG_NOT_STARTED_MORE.format(names=shown, count=len(names))
        lines.append(texts.ORG_NOT_STARTED.format(names=shown))
    return "\n".join(lines)


def _admin_section(campaign: Campaign, members: list[int]) -> str:
    rows = campaigns.by_organization(campaigns.progress(campaign, members))
    whole: OrgProgress = campaigns.totals(rows)
    lines = [texts.ADMIN_HEAD.format(orgs=len(rows), members=whole.members, done=whole.done,
                                     rate=_percent(whole.rate), in_progress=whole.in_progress,
                                     not_started=whole.not_started)]
    lowest = rows[:LOWEST_SHOWN]
    if lowest:
        lines.append(texts.ADMIN_LOWEST.format(count=len(lowest)))
        lines.extend(texts.ADMIN_LINE.format(name=r.name or texts.NO_ORGANIZATION,
                                             rate=_percent(r.rate), done=r.done,
                                             members=r.members) for r in lowest)
    return "\n".join(lines)


def progress(ctx: Context) -> Reply:
    """冬训进度: the member's own progress; a contact's organisation; an admin's overview."""
    member = ctx.member
    assert member is not None
    running = campaigns.running_campaigns(clock.today(ctx.now))
    if not running:
        return Text(texts.PROGRESS_NONE)
    audiences = {c.id: campaigns.audience_ids(c) for c in running}
    mine = next((c for c in running if member.id in audiences[c.id]), None)
    is_admin = member.has_role(Role.ADMIN)
    contact_orgs = sorted({g.organization_id for g in member.grants
                           if g.role == Role.CONTACT and g.organization_id is not None})
    campaign = mine or (running[0] if is_admin or contact_orgs else None)
    if campaign is None:
        return Text(texts.PROGRESS_NOT_IN.format(name=running[0].name))
    members = audiences[campaign.id]
    sections = [_own_section(ctx, campaign, member)] if mine is not None else []
    if contact_orgs:
        orgs = campaigns.main_organizations(members)
        for org_id in contact_orgs:
            in_org = [m for m in members if orgs.get(m) == org_id]
            if in_org:  # an organisation outside the campaign's audience has nothing to show
                sections.append(_org_section(campaign, _org_name(ctx, org_id), in_org))
    if is_admin:
        sections.append(_admin_section(campaign, members))
    if not sections:
        return Text(texts.PROGRESS_NOT_IN.format(name=campaign.name))
    return Text(texts.SECTION_GAP.join(sections))


COMMANDS = [
    Command("my_points", ("我的积分",), my_points, texts.MY_POINTS_SUMMARY),
    Command("leaderboard", ("排行榜", "积分榜"), boards, texts.LEADERBOARD_SUMMARY),
    Command("points_rules", ("积分规则",), points_rules, texts.RULES_SUMMARY),
    Command("campaign_progress", ("冬训进度", "活动进度"), progress, texts.PROGRESS_SUMMARY),
]
