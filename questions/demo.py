"""Demo 问题箱: questions members of the demo committee sent over the last weeks — most answered
by the committee's staff, some of those published to the 问答库, and a few still waiting (one
past its days), so the console's queue has something to answer. Deterministic
(random.Random(SEED)); writes rows only, commits nothing."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

import clock
from models import Member, MemberStatus, Question, QuestionStatus, db
from roster.manage import main_organization_id

SEED = 2531
ANSWERER = "陈静"  # the demo's 党委专职副书记
# (question, answer or None while waiting, days before today it was asked, published)
QUESTIONS: tuple[tuple[str, str | None, int, bool], ...] = (
    ("预备党员的预备期是多长时间？从什么时候算起？",
     "预备期为一年，从支部大会通过其为预备党员之日算起（《中国共产党章程》第七条）。", 40, True),
    ("我换了工作单位，党组织关系要怎么转？",
     "请先联系新单位党组织的书记或联络员确认接收，再由原党组织开具介绍信办理转接；新单位没有"
     "党组织的，可转入园区党委。具体可在工作日联系党委办公室。", 33, True),
    ("外企经常加班，错过了支部的集中学习，可以怎么补学？",
     "可以在“学习”里阅读当期材料，读完后写一篇心得；支部的学习记录会计入您的参学情况。"
     "集中学习的时间也可以请书记提前在群里预告。", 21, True),
    ("冬训要求的学时是多少？在哪里看我完成了多少？",
     "发送“冬训进度”即可看到本次冬训的各项要求和您已完成的学时。", 12, False),
    ("支部想请讲师来讲党史专题，怎么预约？",
     "由支部书记或联络员发送“点单”，选择专题和时间即可，党委派单后讲师会确认。", 8, False),
    ("流动党员在园区企业上班，可以参加这里企业党支部的组织生活吗？", None, 5, False),
    ("我们公司党员只有两个人，能单独成立党支部吗？", None, 2, False),
    ("学习强国的积分截图发过来后，多久能在积分里看到？", None, 1, False),
)


def _members(rng: random.Random, count: int) -> list[Member]:
    """`count` different active members drawn from the demo roster (not its named people)."""
    members = list(db.session.scalars(select(Member).where(
        Member.status == MemberStatus.ACTIVE, Member.userid.like("dy%")).order_by(Member.id)))
    return rng.sample(members, min(count, len(members)))


def _moment(rng: random.Random, day: date) -> datetime:
    return clock.at(day, time(rng.randint(9, 21), rng.randint(0, 59)))


def seed_demo_year(today: date) -> int:
    """Write the demo's questions (once: none when the box has any); the number written."""
    if db.session.scalar(select(func.count(Question.id))):
        return 0
    rng = random.Random(SEED)
    askers = _members(rng, len(QUESTIONS))
    written = 0
    for member, (text, answer, days_ago, published) in zip(askers, QUESTIONS, strict=False):
        asked = _moment(rng, today - timedelta(days=days_ago))
        answered = asked + timedelta(hours=rng.randint(3, 40)) if answer else None
        db.session.add(Question(
            member_id=member.id, organization_id=main_organization_id(member.id), text=text,
            asked_at=asked, status=QuestionStatus.ANSWERED if answer else QuestionStatus.OPEN,
            answer=answer, answered_by=ANSWERER if answer else None, answered_at=answered,
            published=published,
            published_at=answered + timedelta(hours=1) if published and answered else None))
        written += 1
    db.session.flush()
    return written
