"""The demo's 宣传成果: a year of articles and videos about the demo committee's branches —
4 on the 学习强国 provincial platform, 14 on its city platform, and a few in newspapers, on
websites and on TV — published between 1 January and `today`."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from models import (
    Member,
    Membership,
    Organization,
    Publication,
    PublicationLevel,
    PublicationPlatform,
    db,
    utcnow,
)
from publicity.records import IMPLIED_LEVEL

SEED = 2526
CREATED_BY = "demo"
TOPICS = ("党建引领企业高质量发展", "“红色讲师”走进车间", "党员先锋岗助力技术攻关",
          "冬训课堂开进园区", "支部书记讲党课", "党员志愿服务进社区",
          "学习二十大精神主题党日", "三会一课规范化建设", "青年党员读书分享会",
          "红色直播间开讲", "党建联建共促发展", "“学习达人”的一天")
OTHERS = (
    (PublicationPlatform.NEWSPAPER, PublicationLevel.CITY, "无锡日报"),
    (PublicationPlatform.NEWSPAPER, PublicationLevel.CITY, "无锡日报"),
    (PublicationPlatform.WEBSITE, PublicationLevel.NATIONAL, "人民网"),
    (PublicationPlatform.WEBSITE, PublicationLevel.DISTRICT, "新吴发布"),
    (PublicationPlatform.TV, PublicationLevel.CITY, "无锡新闻综合频道"),
)
PLAN = ((PublicationPlatform.QIANGGUO_PROVINCE, 4), (PublicationPlatform.QIANGGUO_CITY, 14))


def _day(rng: random.Random, today: date) -> date:
    first = date(today.year, 1, 1)
    return first + timedelta(days=rng.randrange((today - first).days + 1))


def seed_demo_year(today: date) -> int:
    """Write the year's publications (nothing committed); how many rows were written."""
    rng = random.Random(SEED)
    orgs = list(db.session.scalars(select(Organization).where(
        Organization.parent_id.is_not(None), Organization.active).order_by(Organization.id)))
    if not orgs:
        return 0
    plan: list[tuple[str, str, str]] = []
    for platform, count in PLAN:
        plan += [(platform, IMPLIED_LEVEL[platform], "学习强国")] * count
    plan += list(OTHERS)
    now = utcnow()
    for index, (platform, level, outlet) in enumerate(plan):
        org = orgs[index % min(len(orgs), 12)]
        member = db.session.scalar(
            select(Member).join(Membership, Membership.member_id == Member.id)
            .where(Membership.organization_id == org.id).order_by(Member.id).limit(1)) \
            if rng.random() < 0.3 else None
        media = "video" if rng.random() < 0.25 else "article"
        title = f"{org.name}：{rng.choice(TOPICS)}"
        db.session.add(Publication(
            title=title[:200], media=media, platform=platform, level=level, outlet=outlet,
            published_on=_day(rng, today), url=f"https://example.org/demo/{index + 1}",
            organization_id=org.id, member_id=member.id if member else None,
            created_by=CREATED_BY, created_at=now))
    db.session.flush()
    return len(plan)
