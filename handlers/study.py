"""Study in chat: 学习 (today's and the newest), 专题 (series), 搜索, 我的学习."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

import clock
from bot.context import Context
from bot.conversation import Flow
from bot.replies import Article, News, Reply, Text
from bot.router import Command
from campaigns.campaigns import current_campaign
from content import study_texts as texts
from models import Material, MaterialRead, Series
from study.library import todays_materials
from study.links import read_url

NEWS_MAX = 8
SERIES_FLOW = "series"


def _article(material: Material, userid: str, description: str) -> Article:
    return Article(material.title, description, read_url(material.id, userid=userid),
                   material.cover or "")


def _kind(material: Material) -> str:
    return texts.KIND_NAMES.get(material.kind, material.kind)


def _active(ctx: Context) -> list[Material]:
    return list(ctx.session.scalars(
        select(Material).where(Material.active)
        .order_by(Material.published_on.desc(), Material.id.desc())))


def today(ctx: Context) -> Reply:
    """学习 / 今日学习: the material pushed most recently (else the newest), then the newest."""
    materials = todays_materials(NEWS_MAX)
    if not materials:
        return Text(texts.NO_MATERIALS)
    first, *rest = materials
    userid = ctx.message.from_user
    articles = [_article(first, userid, texts.TODAY_DESCRIPTION.format(
        kind=_kind(first), minutes=first.minutes, summary=first.summary))]
    articles += [_article(material, userid, texts.NEWEST_DESCRIPTION.format(
        kind=_kind(material), minutes=material.minutes)) for material in rest]
    return News(tuple(articles))


def _read_ids(ctx: Context) -> set[int]:
    assert ctx.member is not None
    return set(ctx.session.scalars(
        select(MaterialRead.material_id).where(MaterialRead.member_id == ctx.member.id)))


def _series(ctx: Context) -> list[Series]:
    return [s for s in ctx.session.scalars(select(Series).order_by(Series.id))
            if any(m.active for m in s.materials)]


def series_list(ctx: Context) -> Reply:
    """专题: the series, with how many of each the member has read; then pick one."""
    all_series = _series(ctx)
    if not all_series:
        return Text(texts.SERIES_NONE)
    read = _read_ids(ctx)
    lines = []
    for number, series in enumerate(all_series, 1):
        active = [m for m in series.materials if m.active]
        lines.append(texts.SERIES_LINE.format(
            number=number, title=series.title, total=len(active),
            read=sum(1 for m in active if m.id in read)))
    ctx.start(SERIES_FLOW, "choose", ids=[s.id for s in all_series])
    return Text(texts.SERIES_LIST.format(lines="\n".join(lines)))


def series_choose(ctx: Context) -> Reply:
    """The member answered with a series number: give its next unread item."""
    ids: list[int] = ctx.data.get("ids", [])
    answer = ctx.text.strip().rstrip(".。")
    if not answer.isdigit():
        ctx.stay()
        return Text(texts.SERIES_ASK_AGAIN)
    number = int(answer)
    if not 1 <= number <= len(ids):
        ctx.stay()
        return Text(texts.SERIES_OUT_OF_RANGE.format(number=number, count=len(ids)))
    series = ctx.session.get(Series, ids[number - 1])
    ctx.finish()
    if series is None:
        return Text(texts.SERIES_NONE)
    active = [m for m in series.materials if m.active]
    read = _read_ids(ctx)
    unread = [m for m in active if m.id not in read]
    if not unread:
        return Text(texts.SERIES_ALL_READ.format(title=series.title, total=len(active)))
    material = unread[0]
    description = texts.TODAY_DESCRIPTION.format(
        kind=_kind(material), minutes=material.minutes, summary=material.summary)
    return News((_article(material, ctx.message.from_user, description),))


def search(ctx: Context) -> Reply:
    """搜索 关键词: materials whose title, summary or tags contain every word."""
    words = ctx.text.split()[1:]
    if not words:
        return Text(texts.SEARCH_EMPTY)
    lowered = [w.lower() for w in words]
    found = [
        m for m in _active(ctx)
        if all(w in f"{m.title} {m.summary} {' '.join(m.tags or [])}".lower() for w in lowered)
    ]
    if not found:
        titles = "、".join(f"《{s.title}》" for s in _series(ctx))
        template = texts.SEARCH_NONE if titles else texts.SEARCH_NONE_NO_SERIES
        return Text(template.format(words=" ".join(words), series=titles))
    userid = ctx.message.from_user
    return News(tuple(
        _article(m, userid, texts.NEWEST_DESCRIPTION.format(kind=_kind(m), minutes=m.minutes))
        for m in found[:NEWS_MAX]))


def _period_figures(ctx: Context, since: datetime) -> tuple[int, int, int]:
    assert ctx.member is not None
    row = ctx.session.execute(
        select(func.count(MaterialRead.id), func.count(MaterialRead.completed_at),
               func.coalesce(func.sum(MaterialRead.seconds_spent), 0))
        .where(MaterialRead.member_id == ctx.member.id, MaterialRead.first_opened_at >= since)
    ).one()
    return int(row[0]), int(row[1]), int(row[2]) // 60


def my_study(ctx: Context) -> Reply:
    """我的学习: reads, completions and minutes this month and this year; the campaign's rest."""
    month = _period_figures(ctx, clock.month_of(ctx.now).start)
    year = _period_figures(ctx, clock.year_period_of(ctx.now).start)
    lines = [texts.MY_STUDY.format(
        month_reads=month[0], month_done=month[1], month_minutes=month[2],
        year_reads=year[0], year_done=year[1], year_minutes=year[2])]
    running = current_campaign(clock.today(ctx.now))
    campaign = running.name if running else ctx.session.scalar(
        select(Material.campaign).where(Material.active, Material.campaign.is_not(None))
        .order_by(Material.published_on.desc()).limit(1))
    if campaign:
        read = _read_ids(ctx)
        rest = [m.title for m in ctx.session.scalars(
            select(Material).where(Material.active, Material.campaign == campaign)
            .order_by(Material.published_on)) if m.id not in read]
        lines.append(texts.MY_STUDY_CAMPAIGN.format(
            campaign=campaign, count=len(rest), titles="；".join(rest))
            if rest else texts.MY_STUDY_CAMPAIGN_DONE.format(campaign=campaign))
    return Text("\n".join(lines))


COMMANDS = [
    Command("study", ("学习", "今日学习"), today, texts.STUDY_SUMMARY),
    Command("series", ("专题", "学习专题"), series_list, texts.SERIES_SUMMARY),
    Command("search", ("搜索",), search, texts.SEARCH_SUMMARY),
    Command("my_study", ("我的学习",), my_study, texts.MY_STUDY_SUMMARY),
]

FLOWS = [Flow(SERIES_FLOW, {"choose": series_choose})]
