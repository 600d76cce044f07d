"""When 群发 asks for “材料 编号”, does it show the numbers: the newest materials, and a search?"""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from content import broadcast_texts as texts
from handlers.broadcast import MATERIALS_SHOWN
from models import Material, db
from roster.demo import named_committee, seed_roster
from tests.study_helpers import make_library

ADMIN = "chenjing"


@pytest.fixture
def world(app: Flask) -> dict[str, int]:
    """The named committee (chenjing admin) and a small library."""
    with app.app_context():
        seed_roster(named_committee())
        db.session.commit()
    return make_library(app)


def _more_materials(app: Flask, count: int) -> list[int]:
    """`count` newer materials (published in December); their ids, newest first."""
    with app.app_context():
        rows = [Material(slug=f"extra-{n}", title=f"学习笔记第{n}期", kind="article", body="正文",
                         summary="", published_on=date(2026, 12, 1 + n), minutes=5)
                for n in range(count)]
        db.session.add_all(rows)
        db.session.commit()
        return [m.id for m in reversed(rows)]


def test_asking_for_content_lists_the_newest_materials_with_numbers(app: Flask, world,
                                                                   send_text):
    """群发: the ten newest active materials, each with its number, and how to find others."""
    newest = _more_materials(app, 12)
    reply = send_text(ADMIN, "群发").text
    assert reply.startswith("发什么") and "材料 关键词" in reply
    for material_id in newest[:MATERIALS_SHOWN]:
        assert f"\n{material_id}. 《学习笔记第" in reply, material_id
    for material_id in newest[MATERIALS_SHOWN:]:
        assert f"\n{material_id}. " not in reply  # older ones: found by keyword
    assert "守岛人" not in reply


def test_a_retired_material_is_not_offered(app: Flask, world, send_text):
    """Only active materials are listed."""
    with app.app_context():
        db.session.get(Material, world["zhangcheng"]).active = False
        db.session.commit()
    reply = send_text(ADMIN, "群发").text
    assert f"{world['shoudaoren']}. 《守岛人》" in reply and "学习党章" not in reply


def test_material_keyword_finds_numbers_then_a_number_goes_on(app: Flask, world, send_text):
    """材料 守岛 lists the match with its number; 材料 N then asks whom to send it to."""
    found = send_text(ADMIN, "群发") and send_text(ADMIN, "材料 守岛").text
    assert f"{world['shoudaoren']}. 《守岛人》" in found and "开天辟地" not in found
    assert f"材料 {world['shoudaoren']}" in found
    nothing = send_text(ADMIN, "材料 不存在的词").text
    assert nothing == texts.MATERIALS_NONE_FOUND.format(words="不存在的词")
    assert "开天辟地" in send_text(ADMIN, "材料").text  # 材料 alone: the newest again
    assert "发给谁" in send_text(ADMIN, f"材料 {world['shoudaoren']}").text


def test_an_empty_library_says_so(app: Flask, send_text):
    """No material at all: the prompt says text can still be sent."""
    with app.app_context():
        seed_roster(named_committee())
        db.session.commit()
    reply = send_text(ADMIN, "群发").text
    assert texts.NO_MATERIALS in reply and "材料 关键词" not in reply
