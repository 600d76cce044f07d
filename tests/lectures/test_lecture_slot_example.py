"""Is the example time of the 点单 slots prompt a day ahead of the committee's today, not a
fixed date gone by?"""

from __future__ import annotations

import pytest

from content import lecture_texts as texts

pytestmark = pytest.mark.clock


@pytest.mark.parametrize(("now", "example"), [
    ("2026-12-07 09:00", "12月17日下午3点"),
    ("2026-12-31 00:30", "1月10日下午3点"),  # just after midnight in Shanghai: its own day
    ("2027-02-25 23:50", "3月7日下午3点"),
])
def test_slots_prompt_names_a_coming_day(people, menu, send_text, travel, now: str,
                                         example: str):
    travel(now, tick=False)
    send_text("lina", "点单")
    prompt = send_text("lina", "1").text
    assert prompt == texts.ASK_SLOTS.format(title="《从红船到复兴号》", example=example)
    assert "12月5日" not in prompt
