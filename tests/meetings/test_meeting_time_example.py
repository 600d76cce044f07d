"""Are the example times of the meeting-time prompt and its retry a few days ahead of the
committee's today, not a fixed date gone by?"""

from __future__ import annotations

import pytest

from content import meeting_texts as texts

pytestmark = pytest.mark.clock


@pytest.mark.parametrize(("now", "example", "stamp"), [
    ("2026-12-07 09:00", "12月10日下午3点", "2026-12-10 15:00"),
    ("2026-12-29 00:10", "1月1日下午3点", "2027-01-01 15:00"),  # Shanghai's day, year's turn
])
def test_time_prompt_and_retry_name_a_coming_day(make_member, send_text, travel, now: str,
                                                 example: str, stamp: str):
    travel(now, tick=False)
    make_member("lina", "李娜", org="华芯党支部", roles=("contact",))
    send_text("lina", "记录会议")
    prompt = send_text("lina", "2").text
    assert prompt == texts.ASK_TIME.format(kind=texts.KIND_NAMES["committee"], example=example,
                                           stamp=stamp)
    retry = send_text("lina", "某天").text
    assert retry == texts.BAD_TIME.format(text="某天", example=example, stamp=stamp)
    assert "12月5日" not in prompt + retry
