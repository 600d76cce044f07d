"""Is a greeting answered by name with a pointer to 帮助, without taking questions away from the
library (问答)?"""

from __future__ import annotations

import pytest

from content import texts
from handlers.help import is_greeting


@pytest.mark.parametrize("text", ["你好", "您好！", "  你好。 ", "Hello", "hi", "HI!", "在吗？",
                                  "早上好", "晚上好~", "大家好"])
def test_greetings_are_recognised(text: str) -> None:
    assert is_greeting(text)


@pytest.mark.parametrize("text", ["你好，请问党费怎么交", "你好 我想请假", "好", "早上好好学习",
                                  "hello world", "", "帮助"])
def test_other_texts_are_no_greetings(text: str) -> None:
    assert not is_greeting(text)


def test_a_greeting_gets_the_members_name_and_help(make_member, send_text):
    """你好 and friends: the greeting, by name, pointing at 帮助 — never 没有听懂."""
    member = make_member("zhangsan", "张三")
    for text in ("你好", "您好", "hello", "在吗", "早上好"):
        reply = send_text(member, text).text
        assert reply == texts.GREETING.format(name="张三"), text
        assert "帮助" in reply and "没有听懂" not in reply


def test_a_question_that_starts_with_a_greeting_is_still_a_question(make_member, send_text):
    """"你好，天气怎么样" goes to the library search as before, not to the greeting."""
    member = make_member("zhangsan", "张三")
    reply = send_text(member, "你好，天气怎么样").text
    assert reply != texts.GREETING.format(name="张三")
    assert reply.startswith("学习资料里没有找到")


def test_a_greeting_inside_a_conversation_is_the_conversations(make_member, send_text):
    """An open conversation still gets its own answer to 你好 (here: a reflection's part)."""
    member = make_member("zhangsan", "张三")
    send_text(member, "写心得")
    assert "共2字" in send_text(member, "你好").text
