"""Is the 问答 index made of the library's own words, searched as members ask, and kept fresh
when materials or published answers change?"""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from answers.index import current_index, read_stamp
from answers.passages import MAX_CHARS, split_body
from answers.search import Status, search
from answers.words import is_number, terms
from models import Material, Question, db, utcnow
from study.library import load_library


def _unmarked(body: str) -> str:
    """A body with the Markdown marks a quote leaves out, for comparing words."""
    return body.replace("**", "").replace("`", "")


def test_every_passage_is_the_materials_own_words():
    """Is each line of each passage of the demo library in its material's body as written?"""
    count = 0
    for item in load_library():
        body = _unmarked(item.body)
        for block in split_body(item.body):
            assert len(block.text) <= MAX_CHARS
            for line in block.text.splitlines():
                words = line.removeprefix("• ").removeprefix("□ ")
                for cell in words.split(" | "):
                    assert cell in body, (item.slug, cell)
            count += 1
    assert count >= 26


def test_a_lead_in_keeps_its_table_and_headings_are_no_passages():
    """Is "…为计算基数：" quoted with the table after it, and a heading kept as the section?"""
    body = ("## 交多少\n\n每月交纳比例：\n\n| 工资 | 比例 |\n|---|---|\n"
            "| 3000元以下 | 0.5% |\n\n---\n")
    [block] = split_body(body)
    assert block.heading == "交多少"
    assert block.text == "每月交纳比例：\n工资 | 比例\n3000元以下 | 0.5%"


def test_a_long_paragraph_is_cut_at_sentence_ends():
    """Is a paragraph longer than a quote cut at 。 into quotes of at most MAX_CHARS?"""
    sentence = "党员要按时参加组织生活。" * 40
    blocks = split_body(sentence)
    assert len(blocks) > 1 and all(len(b.text) <= MAX_CHARS for b in blocks)
    assert all(b.text.endswith("。") for b in blocks)
    assert "".join(b.text for b in blocks) == sentence


def test_terms_keep_the_committees_words_whole():
    """Does the user dictionary keep 三会一课 and 主题党日 whole, and stopwords go?"""
    found = terms("三会一课和主题党日怎么开？")
    assert "三会一课" in found and "主题党日" in found
    assert "怎么" not in found and "？" not in found
    assert terms("' OR 1=1 --") == ["1", "1"]  # no word to search: 没有听懂
    assert terms(".*") == [] and terms("😀😀") == []
    assert is_number("8000") and is_number("三千块") and not is_number("党费")


def test_search_statuses(app: Flask, library):
    """Does the search tell empty, too long, nothing to search, not found and found apart?"""
    with app.app_context():
        assert search("  ").status == Status.EMPTY
        assert search("党" * 301).status == Status.TOO_LONG
        assert search("😀 .* ' OR 1=1 --").status == Status.NO_WORDS
        assert search("食堂中午几点开饭").status == Status.NOT_FOUND
        found = search("月工资8000元党费交多少？")
        assert found.status == Status.FOUND and 1 <= len(found.hits) <= 2
        assert found.hits[0].passage.slug == "dangfei"


def test_an_edited_or_retired_material_is_seen_at_once(app: Flask, library):
    """With ANSWERS_FRESH_S=0, is an edited body searched and a retired material not?"""
    with app.app_context():
        assert search("职工之家在几楼").status == Status.NOT_FOUND
        material = db.session.get(Material, library["dangfei"])
        material.body += "\n\n## 交到哪里\n\n党费交到职工之家三楼党群服务站。"
        material.updated_at = utcnow()
        db.session.commit()
        found = search("职工之家在几楼")
        assert found.status == Status.FOUND
        assert found.hits[0].passage.text == "党费交到职工之家三楼党群服务站。"
        material.active = False
        material.updated_at = utcnow()
        db.session.commit()
        assert search("职工之家在几楼").status == Status.NOT_FOUND


def test_the_stamp_is_compared_every_few_seconds_only(app: Flask, library):
    """Between two comparisons (ANSWERS_FRESH_S), is the built index reused as it is?"""
    app.config["ANSWERS_FRESH_S"] = 3600
    with app.app_context():
        first = current_index()
        material = db.session.get(Material, library["dangfei"])
        material.active = False
        material.updated_at = utcnow()
        db.session.commit()
        assert current_index() is first  # not compared yet
        app.config["ANSWERS_FRESH_S"] = 0
        rebuilt = current_index()
        assert rebuilt is not first and rebuilt.stamp == read_stamp()
        assert all(p.slug != "dangfei" for p in rebuilt.passages)
        assert current_index() is rebuilt  # same stamp: kept


def _published(app: Flask, member_id: int, text: str, answer: str) -> int:
    with app.app_context():
        now = utcnow()
        question = Question(member_id=member_id, text=text, asked_at=now - timedelta(days=2),
                            status="answered", answer=answer, answered_by="党委组织部",
                            answered_at=now - timedelta(days=1), published=True,
                            published_at=now)
        db.session.add(question)
        db.session.commit()
        return question.id


def test_published_answers_are_searched(app: Flask, library, zhang, send_text):
    """Is a published question-box answer quoted, with who answered and when, and gone once
    unpublished; an unpublished one never?"""
    answer = "退休党员以退休费总额为计算基数，5000元以下（含5000元）按0.5%交纳党费。"
    number = _published(app, zhang.id, "党员退休了党费怎么交？", answer)
    reply = send_text(zhang, "退休以后党费按什么交").text
    assert f"“{answer}”" in reply
    assert "——问答库：党员退休了党费怎么交？（党委组织部" in reply
    with app.app_context():
        db.session.get(Question, number).published = False
        db.session.commit()
        assert all(p.text != answer for p in current_index().passages)
    assert answer not in send_text(zhang, "退休以后党费按什么交").text
    with app.app_context():
        assert db.session.scalars(select(Question)).one().answer == answer
