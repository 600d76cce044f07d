"""Is 今日学习 each member's own (what a running campaign asks of them first, then what they have
not read), and does 我的学习 list what was read and when, a page at a time, within WeCom's
limits?"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask

from campaigns.campaigns import create_campaign, require
from content import study_texts as texts
from models import Material, MaterialRead, db
from tests.helpers import SHANGHAI
from tests.study_helpers import make_library

CAMPAIGN = "2026年冬训"


@pytest.fixture
def library(app: Flask) -> dict[str, int]:
    """The small test library."""
    return make_library(app)


@pytest.fixture
def winter(app: Flask, library) -> None:
    """冬训 runs from January to March and requires 开天辟地 (dangshi-1)."""
    with app.app_context():
        campaign = create_campaign("test", CAMPAIGN, "winter_training", date(2026, 1, 1),
                                   date(2026, 3, 31), {"kind": "all"})
        db.session.flush()
        require("test", campaign, material="dangshi-1")
        db.session.commit()


def shanghai(text: str) -> datetime:
    """A Shanghai wall-clock time, as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


def read(app: Flask, member_id: int, material_id: int, at: str = "2026-03-01 09:00",
         done: bool = False) -> None:
    """Record that the member opened (and maybe finished) a material at a Shanghai time."""
    with app.app_context():
        moment = shanghai(at)
        db.session.add(MaterialRead(member_id=member_id, material_id=material_id,
                                    first_opened_at=moment, last_opened_at=moment,
                                    completed_at=moment if done else None))
        db.session.commit()


def titles(send_text, member) -> list[str]:
    """The titles of the member's 今日学习, in order."""
    return [a["Title"] for a in send_text(member, "今日学习").reply["Articles"]]


def test_today_is_personal(app: Flask, library, winter, make_member, send_text, travel):
    """Required and unfinished first, then unread, then read (tagged so), per member?"""
    travel("2026-03-10 10:00", tick=False)
    zhang, li = make_member("zhangsan", "张三"), make_member("lisi", "李四")
    read(app, zhang.id, library["shoudaoren"])
    read(app, zhang.id, library["dangshi-1"])  # opened, not finished: still owed
    reply = send_text(zhang, "学习").reply["Articles"]
    assert [a["Title"] for a in reply] == ["开天辟地", "学习党章", "抗战烽火", "星火燎原", "守岛人"]
    assert reply[0]["Description"] == texts.TODAY_TAGGED.format(
        tag=texts.REQUIRED_TAG.format(campaign=CAMPAIGN), kind="文章", minutes=8,
        summary="中国共产党的诞生")
    assert reply[1]["Description"] == "学习用书 · 约20分钟"
    assert reply[-1]["Description"] == texts.READ_TAG + "教育片 · 约110分钟"
    assert titles(send_text, li) == ["开天辟地", "守岛人", "学习党章", "抗战烽火", "星火燎原"]


def test_finished_requirement_moves_back(app: Flask, library, winter, make_member, send_text,
                                         travel):
    """Once the required material is finished it is read like any other; the campaign over,
    the order is the library's again?"""
    travel("2026-03-10 10:00", tick=False)
    zhang, li = make_member("zhangsan", "张三"), make_member("lisi", "李四")
    read(app, zhang.id, library["shoudaoren"])
    read(app, zhang.id, library["dangshi-1"], done=True)
    assert titles(send_text, zhang) == ["学习党章", "抗战烽火", "星火燎原", "守岛人", "开天辟地"]
    travel("2026-04-01 00:05", tick=False)  # the committee's 1 April: 冬训 has ended
    assert titles(send_text, li) == ["守岛人", "学习党章", "抗战烽火", "星火燎原", "开天辟地"]


def test_everything_read_still_answers(app: Flask, library, make_member, send_text, travel):
    """With every material read, are they all still offered, each marked read?"""
    travel("2026-03-10 10:00", tick=False)
    zhang = make_member("zhangsan", "张三")
    for material_id in library.values():
        read(app, zhang.id, material_id)
    articles = send_text(zhang, "学习").reply["Articles"]
    assert [a["Title"] for a in articles][:2] == ["守岛人", "学习党章"]
    assert all(texts.READ_TAG in a["Description"] for a in articles)


def test_my_study_lists_reads_with_committee_times(app: Flask, library, make_member, send_text,
                                                   travel):
    """Does 我的学习 list each read with its Shanghai time, newest first, finished ones marked?"""
    travel("2026-03-10 10:00", tick=False)
    zhang = make_member("zhangsan", "张三")
    assert texts.MY_READS_NONE in send_text(zhang, "我的学习").text
    read(app, zhang.id, library["shoudaoren"], "2026-03-09 14:05", done=True)
    read(app, zhang.id, library["zhangcheng"], "2026-03-01 08:30")
    read(app, zhang.id, library["dangshi-1"], "2026-02-28 23:30")  # 15:30 UTC, still 28 Feb
    text = send_text(zhang, "我的学习").text
    assert "本月：阅读2篇，读完1篇" in text
    assert text.endswith("\n".join([
        texts.MY_READS_HEAD.format(total=3),
        "· 3月9日 14:05《守岛人》（读完）",
        "· 3月1日 08:30《学习党章》",
        "· 2月28日 23:30《开天辟地》",
    ]))


def test_my_study_pages_and_bad_pages(app: Flask, make_member, send_text, travel):
    """Ten long-titled reads (and six unread of the campaign): 8 on the first page within 2048
    bytes, a note, then page 2; a page too far or not a number is answered plainly?"""
    travel("2026-03-10 10:00", tick=False)
    zhang = make_member("zhangsan", "张三")
    long_title = "习近平新时代中国特色社会主义思想学习纲要第{}章学习辅导与思考题解析"
    with app.app_context():
        rows = [Material(slug=f"long-{n}", title=long_title.format(n), kind="article",
                         tags=["理论"], summary="长标题", published_on=date(2026, 3, 1),
                         minutes=10, campaign=CAMPAIGN) for n in range(16)]
        db.session.add_all(rows)
        db.session.commit()
        ids = [m.id for m in rows][:10]
    for n, material_id in enumerate(ids):
        read(app, zhang.id, material_id, f"2026-03-0{n % 9 + 1} {10 + n}:00")
    first = send_text(zhang, "我的学习").text
    assert len(first.encode()) <= 2048
    lines = first.splitlines()
    assert lines[-1] == texts.MY_READS_MORE.format(rest=2, next=2)
    shown = [line for line in lines if line.startswith("· ")]
    assert len(shown) == 8 and all(line.endswith("…》") for line in shown)
    assert shown[0].startswith("· 3月9日 18:00《")  # n=8: the latest opened
    assert "「2026年冬训」还有6篇未读：" in first and "等\n" in first  # five titles shown
    second = send_text(zhang, "我的学习 2").text.splitlines()
    assert second[0] == texts.MY_READS_PAGE_HEAD.format(page=2, pages=2, total=10)
    assert len(second) == 3
    assert send_text(zhang, "我的学习 3").text == texts.MY_READS_NO_PAGE.format(page=3, pages=2)
    assert send_text(zhang, "我的学习 第二页").text == texts.MY_READS_PAGE_USAGE
