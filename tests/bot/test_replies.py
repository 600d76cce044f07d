"""Are replies rendered as WeCom expects and split to fit its 2048-byte limit?"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from bot.replies import Article, Markdown, News, Text, render, split_text


def test_short_text_is_one_part():
    """Is a short text left whole?"""
    assert split_text("你好") == ["你好"]


def test_split_keeps_every_character_within_the_limit():
    """Are long texts cut at line breaks, every part at most 2048 bytes, nothing lost?"""
    text = "\n".join(f"第{i}行：学习贯彻党的二十大精神" for i in range(300))
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(p.encode()) <= 2048 for p in parts)
    assert "\n".join(parts) == text


def test_split_cuts_an_overlong_line_by_characters():
    """Is a single line longer than the limit cut without breaking a character?"""
    text = "党" * 2000  # 6000 bytes, no line break
    parts = split_text(text)
    assert all(len(p.encode()) <= 2048 for p in parts)
    assert "".join(parts) == text


def test_text_reply_xml():
    """Is a text reply addressed to the member from the corp, with CDATA safely escaped?"""
    rendered = render(Text("a ]]> b"), "u1", "corp", 1700000000)
    root = ET.fromstring(rendered.passive)
    assert root.findtext("ToUserName") == "u1" and root.findtext("FromUserName") == "corp"
    assert root.findtext("MsgType") == "text" and root.findtext("Content") == "a ]]> b"
    assert rendered.pushes == []


def test_news_reply_xml():
    """Does a news reply carry its articles?"""
    news = News((Article("标题", "摘要", "http://x/1", "http://x/p.jpg"), Article("二")))
    root = ET.fromstring(render(news, "u1", "corp", 1).passive)
    assert root.findtext("ArticleCount") == "2"
    assert [i.findtext("Title") for i in root.iter("item")] == ["标题", "二"]


def test_news_holds_one_to_eight_articles():
    """Are empty and over-full news replies refused at construction?"""
    with pytest.raises(ValueError):
        News(())
    with pytest.raises(ValueError):
        News(tuple(Article(str(i)) for i in range(9)))


def test_markdown_goes_out_by_message_send():
    """Is markdown (not a passive type) turned into message/send payloads only?"""
    rendered = render(Markdown("**重要**"), "u1", "corp", 1)
    assert rendered.passive is None
    assert rendered.pushes == [{"msgtype": "markdown", "markdown": {"content": "**重要**"}}]
