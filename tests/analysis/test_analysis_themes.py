"""研判's themes: planted themes come out on top, their trend against the period before, the
split by kind of enterprise, quotes without names, and the month and quarter cut on the
committee's clock."""

from __future__ import annotations

import random

import pytest
from flask import Flask

from analysis import corpus
from analysis.scope import period_spec
from tests.analysis.analysis_helpers import analyse, ask, committee, reflect, sentence, shanghai

pytestmark = pytest.mark.clock


def _plant(app: Flask, members: list[int], month: str, count: int, themes: dict[str, int],
           seed: int) -> None:
    """`count` reflections in the month, spread over its days; theme → how many hold it."""
    rng = random.Random(seed)
    for i in range(count):
        planted = [word for word, n in themes.items() if i < n]
        day = 1 + i % 28
        reflect(app, members[i % len(members)], sentence(rng, *planted),
                shanghai(f"{month}-{day:02d} 10:00"))


def test_planted_themes_come_out_on_top_with_their_trend(app: Flask, make_member):
    """Do the themes planted in November lead, rising against October, while October's
    theme that November dropped is listed as fallen?"""
    c = committee(app, make_member)
    members = c.foreign + c.private
    _plant(app, members, "2026-10", 20, {"安全生产": 12, "乡村振兴": 2}, seed=1)
    _plant(app, members, "2026-11", 20, {"乡村振兴": 14, "数字化转型": 9}, seed=2)
    result = analyse(app, "month", 2026, 11)
    words = [theme["word"] for theme in result["themes"]]
    assert words[:2] == ["乡村振兴", "数字化转型"]
    first = result["themes"][0]
    assert (first["texts"], first["share"], first["previous_texts"]) == (14, 70.0, 2)
    assert first["trend"] == "up" and first["change"] == 60.0
    assert result["themes"][1]["trend"] == "new"
    assert [f["word"] for f in result["fallen"]][:1] == ["安全生产"]
    assert result["texts"] == {"reflections": 20, "questions": 0, "total": 20,
                               "previous_total": 20}
    assert result["previous"]["label"] == "2026年10月"


def test_themes_split_by_kind_of_enterprise(app: Flask, make_member):
    """Does each kind of enterprise get its own leading theme?"""
    c = committee(app, make_member)
    _plant(app, c.foreign, "2026-11", 10, {"数字化转型": 8}, seed=3)
    _plant(app, c.private, "2026-11", 10, {"共同富裕": 8}, seed=4)
    result = analyse(app, "month", 2026, 11)
    kinds = {k["kind"]: k for k in result["kinds"]}
    assert set(kinds) == {"foreign", "private"}
    assert kinds["foreign"]["texts"] == kinds["private"]["texts"] == 10
    assert kinds["foreign"]["themes"][0]["word"] == "数字化转型"
    assert kinds["private"]["themes"][0]["word"] == "共同富裕"
    only_private = analyse(app, "month", 2026, 11, {"kind": "org_kind", "values": ["private"]})
    assert only_private["texts"]["total"] == 10
    assert "数字化转型" not in [t["word"] for t in only_private["themes"]]


def test_questions_count_and_unanswered_ones_are_listed(app: Flask, make_member):
    """Are the period's questions analysed as texts, and the open ones listed?"""
    c = committee(app, make_member)
    for i in range(3):
        ask(app, c.foreign[i], f"组织关系转接需要哪些材料？第{i}次问",
            shanghai(f"2026-11-1{i} 09:00"))
    result = analyse(app, "month", 2026, 11)
    assert result["texts"]["questions"] == 3
    assert result["question_themes"][0]["word"] == "组织关系转接"
    assert result["unanswered"]["total"] == result["unanswered"]["open"] == 3
    assert [q["day"] for q in result["unanswered"]["items"]] == [
        "2026-11-10", "2026-11-11", "2026-11-12"]


def test_quotes_are_verbatim_and_never_name_anyone(app: Flask, make_member):
    """Is a theme quoted in the member's own words, and a sentence naming a member or an
    organisation, or holding a phone number, passed over?"""
    c = committee(app, make_member)
    named = "民企员1同志在乡村振兴调研中带头"  # names a member of the roster
    number = "乡村振兴咨询电话13812345678"
    place = "外资党支部的乡村振兴结对很有成效"
    plain = "乡村振兴要靠产业带动"
    for i, text in enumerate((named, number, place, plain, plain + "和人才回流")):
        reflect(app, c.foreign[i % 3], text + "。", shanghai(f"2026-11-0{i + 1} 10:00"))
    result = analyse(app, "month", 2026, 11)
    theme = next(t for t in result["themes"] if t["word"] == "乡村振兴")
    assert [q["text"] for q in theme["quotes"]] == [plain + "。", plain + "和人才回流。"]


def test_month_and_quarter_cut_at_midnight_in_shanghai(app: Flask, make_member, travel):
    """Is a text of 23:59 on the last day in that month (and quarter), one of 00:00 on the
    first day in the next, on the committee's clock (UTC is eight hours behind)?"""
    travel("2026-12-01 00:30", tick=False)
    c = committee(app, make_member)
    late = reflect(app, c.foreign[0], "十一月最后一分钟。", shanghai("2026-11-30 23:59"))
    early = reflect(app, c.foreign[0], "十二月第一分钟。", shanghai("2026-12-01 00:00"))
    q3 = reflect(app, c.foreign[0], "九月最后一分钟。", shanghai("2026-09-30 23:59"))
    q4 = reflect(app, c.foreign[0], "十月第一分钟。", shanghai("2026-10-01 00:00"))
    with app.app_context():
        def ids(unit: str, number: int) -> set[int]:
            period = period_spec(unit, 2026, number).period()
            return {t.id for t in corpus.texts(period, None)}

        assert ids("month", 11) == {late}
        assert ids("month", 12) == {early}
        assert ids("quarter", 3) == {q3}
        assert ids("quarter", 4) == {q4, late, early}
        assert period_spec("quarter", 2026, 1).previous() == period_spec("quarter", 2025, 4)
        assert period_spec("month", 2026, 1).previous().label == "2025年12月"
