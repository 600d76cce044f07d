"""Do 学习, 专题, 搜索 and 我的学习 answer members as promised?"""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask

from content import study_texts as texts
from models import MaterialRead, db, utcnow
from study.links import parse_token
from tests.study_helpers import make_library


@pytest.fixture
def library(app: Flask) -> dict[str, int]:
    """The small test library."""
    return make_library(app)


@pytest.fixture
def zhang(make_member):
    """A roster member."""
    return make_member("zhangsan", "张三")


def claims(app: Flask, url: str):
    """The claims of a tracked link."""
    with app.test_request_context():
        return parse_token(url.rsplit("/r/", 1)[1])


def read(app: Flask, member_id: int, material_id: int, done: bool = False) -> None:
    """Record that the member read (and maybe finished) a material."""
    with app.app_context():
        db.session.add(MaterialRead(member_id=member_id, material_id=material_id,
                                    completed_at=utcnow() if done else None,
                                    seconds_spent=600 if done else 0))
        db.session.commit()


def test_study_gives_newest_as_news_with_own_links(app: Flask, library, zhang, send_text, sim):
    """Does 学习 answer with news articles, newest first, each a link for this member?"""
    delivery = send_text(zhang, "学习")
    articles = delivery.reply["Articles"]
    assert [a["Title"] for a in articles][:2] == ["守岛人", "学习党章"]
    assert len(articles) == 5
    first = claims(app, articles[0]["Url"])
    assert first.userid == "zhangsan" and first.material_id == library["shoudaoren"]
    assert sim.click("zhangsan", "study").reply["Articles"][0]["Title"] == "守岛人"


def test_study_with_empty_library(zhang, send_text):
    """With no materials, is the member told so?"""
    assert send_text(zhang, "今日学习").text == texts.NO_MATERIALS


def test_series_then_next_unread(app: Flask, library, zhang, send_text):
    """Does 专题 list series with counts, and a number give the next unread item?"""
    read(app, zhang.id, library["dangshi-1"])
    listing = send_text(zhang, "专题").text
    assert "1.《党史学习教育》共3篇，已读1篇" in listing
    reply = send_text(zhang, "1").reply
    assert reply["Articles"][0]["Title"] == "星火燎原"


def test_series_bad_answers_re_ask(library, zhang, send_text):
    """Are text and out-of-range numbers re-asked, keeping the conversation?"""
    send_text(zhang, "专题")
    assert send_text(zhang, "第一个").text == texts.SERIES_ASK_AGAIN
    assert send_text(zhang, "²").text == texts.SERIES_ASK_AGAIN  # a digit int() cannot read
    assert send_text(zhang, "5").text == texts.SERIES_OUT_OF_RANGE.format(number=5, count=1)
    assert send_text(zhang, "1").reply["MsgType"] == "news"


def test_series_all_read(app: Flask, library, zhang, send_text):
    """When every item is read, is the member congratulated instead?"""
    for slug in ("dangshi-1", "dangshi-2", "dangshi-3"):
        read(app, zhang.id, library[slug])
    send_text(zhang, "专题")
    assert "都已读过" in send_text(zhang, "1").text


def test_search(library, zhang, send_text):
    """Does 搜索 find by title, summary and tags, require every word, and say when none?"""
    assert [a["Title"] for a in send_text(zhang, "搜索 党史").reply["Articles"]] == [
        "抗战烽火", "星火燎原", "开天辟地"]
    assert [a["Title"] for a in send_text(zhang, "搜索 党史 电影").reply["Articles"]] == [
        "抗战烽火"]
    assert send_text(zhang, "搜索 王继才").reply["Articles"][0]["Title"] == "守岛人"
    none = send_text(zhang, "搜索 量子力学").text
    assert "量子力学" in none and "《党史学习教育》" in none
    assert send_text(zhang, "搜索").text == texts.SEARCH_EMPTY


def test_my_study(app: Flask, library, zhang, send_text):
    """Does 我的学习 count this month's and year's reads and list the campaign's unread?"""
    read(app, zhang.id, library["zhangcheng"], done=True)
    read(app, zhang.id, library["dangshi-1"])
    with app.app_context():
        old = db.session.get(MaterialRead, 2)
        old.first_opened_at = utcnow() - timedelta(days=400)
        db.session.commit()
    text = send_text(zhang, "我的学习").text
    assert "本月：阅读1篇，读完1篇，学习10分钟" in text
    assert "「2026年冬训」还有1篇未读：守岛人" in text
