"""Study in chat: 学习 (today's, for this member), 专题 (series), 搜索, 我的学习 (figures and
the reading record, a page at a time)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

import clock
from bot.context import Context
from bot.conversation import Flow
from bot.replies import Article, News, Reply, Text
from bot.router import Command
from campaigns.campaigns import campaign_items, current_campaign
from content import study_texts as texts
from content.texts import local_time
from content.titles import quoted
from models import CampaignItemKind, Material, MaterialRead, Series
from study.links import read_url
from study.personal import TodayItem, materials_for, reading_record

NEWS_MAX = 8  # WeCom's most articles in one news message (docs/wecom.md §3)
SERIES_FLOW = "series"
READS_SHOWN = 8  # reading record lines per reply: with the figures, well within 2048 bytes
TITLE_SHOWN = 20  # characters of a title in the record and the campaign's unread list
CAMPAIGN_TITLES_SHOWN = 5


def _article(material: Material, userid: str, description: str) -> Article:
    return Article(material.title, description, read_url(material.id, userid=userid),
                   material.cover or "")


def _kind(material: Material) -> str:
    return texts.KIND_NAMES.get(material.kind, material.kind)


def _active(ctx: Context) -> list[Material]:
    return list(ctx.session.scalars(
        select(Material).where(Material.active)
        .order_by(Material.published_on.desc(), Material.id.desc())))


def _required(ctx: Context) -> dict[int, str]:
    """The materials the running campaign requires: material id to the campaign's name."""
    running = current_campaign(clock.today(ctx.now))
    if running is None:
        return {}
    return {item.material_id: running.name for item in campaign_items(running)
            if item.kind == CampaignItemKind.MATERIAL and item.material_id is not None}


def _tag(item: TodayItem) -> str:
    if item.required_by:
        return texts.REQUIRED_TAG.format(campaign=item.required_by)
    return texts.READ_TAG if item.read else ""


def today(ctx: Context) -> Reply:
    """学习 / 今日学习: what the running campaign asks of this member and is not done, then what
    they have not read, then the rest; each group pushed-most-recently, then newest, first."""
    assert ctx.member is not None
    items = materials_for(ctx.member.id, NEWS_MAX, _required(ctx))
    if not items:
        return Text(texts.NO_MATERIALS)
    first, *rest = items
    userid = ctx.message.from_user
    articles = [_article(first.material, userid, texts.TODAY_TAGGED.format(
        tag=_tag(first), kind=_kind(first.material), minutes=first.material.minutes,
        summary=first.material.summary))]
    articles += [_article(item.material, userid, texts.NEWEST_TAGGED.format(
        tag=_tag(item), kind=_kind(item.material), minutes=item.material.minutes))
        for item in rest]
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
            number=number, title=quoted(series.title), total=len(active),
            read=sum(1 for m in active if m.id in read)))
    ctx.start(SERIES_FLOW, "choose", ids=[s.id for s in all_series])
    return Text(texts.SERIES_LIST.format(lines="\n".join(lines)))


def series_choose(ctx: Context) -> Reply:
    """The member answered with a series number: give its next unread item."""
    ids: list[int] = ctx.data.get("ids", [])
    answer = ctx.text.strip().rstrip(".。")
    if not answer.isdecimal():
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
        return Text(texts.SERIES_ALL_READ.format(title=quoted(series.title), total=len(active)))
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
        titles = "、".join(quoted(s.title) for s in _series(ctx))
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


def _cut(title: str) -> str:
    return title if len(title) <= TITLE_SHOWN else title[:TITLE_SHOWN] + texts.TITLE_CUT


def _page(ctx: Context) -> int | None:
    """The page of the reading record asked for ("我的学习 2"); None when it is no number."""
    words = ctx.text.split()
    if len(words) < 2:
        return 1
    answer = words[1].rstrip(".。")
    return int(answer) if answer.isdecimal() and int(answer) >= 1 else None


def _record(ctx: Context, page: int) -> list[str]:
    """One page of the member's reading record: when each material was last opened."""
    assert ctx.member is not None
    record = reading_record(ctx.member.id, (page - 1) * READS_SHOWN, READS_SHOWN)
    if not record.total:
        return [texts.MY_READS_NONE]
    pages = -(-record.total // READS_SHOWN)
    if page > pages:
        return [texts.MY_READS_NO_PAGE.format(page=page, pages=pages)]
    lines = [texts.MY_READS_HEAD.format(total=record.total) if page == 1 else
             texts.MY_READS_PAGE_HEAD.format(page=page, pages=pages, total=record.total)]
    lines += [texts.MY_READS_LINE.format(
        time=local_time(row.last_opened_at), title=quoted(_cut(row.material.title)),
        done=texts.MY_READS_DONE if row.completed_at else "") for row in record.rows]
    rest = record.total - (page - 1) * READS_SHOWN - len(record.rows)
    if rest > 0:
        lines.append(texts.MY_READS_MORE.format(rest=rest, next=page + 1))
    return lines


def _campaign_line(ctx: Context) -> str | None:
    """What the running (else the latest) campaign's materials still hold unread."""
    running = current_campaign(clock.today(ctx.now))
    campaign = running.name if running else ctx.session.scalar(
        select(Material.campaign).where(Material.active, Material.campaign.is_not(None))
        .order_by(Material.published_on.desc()).limit(1))
    if not campaign:
        return None
    read = _read_ids(ctx)
    rest = [m.title for m in ctx.session.scalars(
        select(Material).where(Material.active, Material.campaign == campaign)
        .order_by(Material.published_on)) if m.id not in read]
    if not rest:
        return texts.MY_STUDY_CAMPAIGN_DONE.format(campaign=campaign)
    titles = "；".join(_cut(title) for title in rest[:CAMPAIGN_TITLES_SHOWN])
    if len(rest) > CAMPAIGN_TITLES_SHOWN:
        titles += texts.MY_STUDY_CAMPAIGN_MORE
    return texts.MY_STUDY_CAMPAIGN.format(campaign=campaign, count=len(rest), titles=titles)


def my_study(ctx: Context) -> Reply:
    """我的学习 [页码]: this month's and year's figures, the campaign's unread, and the reading
    record (what was read and when), a page at a time."""
    page = _page(ctx)
    if page is None:
        return Text(texts.MY_READS_PAGE_USAGE)
    if page > 1:
        return Text("\n".join(_record(ctx, page)))
    month = _period_figures(ctx, clock.month_of(ctx.now).start)
    year = _period_figures(ctx, clock.year_period_of(ctx.now).start)
    lines = [texts.MY_STUDY.format(
        month_reads=month[0], month_done=month[1], month_minutes=month[2],
        year_reads=year[0], year_done=year[1], year_minutes=year[2])]
    campaign = _campaign_line(ctx)
    if campaign:
        lines.append(campaign)
    lines += _record(ctx, 1)
    return Text("\n".join(lines))


COMMANDS = [
    Command("study", ("学习", "今日学习"), today, texts.STUDY_SUMMARY),
    Command("series", ("专题", "学习专题"), series_list, texts.SERIES_SUMMARY),
    Command("search", ("搜索",), search, texts.SEARCH_SUMMARY),
    Command("my_study", ("我的学习",), my_study, texts.MY_STUDY_SUMMARY),
]

FLOWS = [Flow(SERIES_FLOW, {"choose": series_choose})]
