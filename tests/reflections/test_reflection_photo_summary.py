"""Does the confirmation of a reflection say what it holds: no empty quote for photos only?"""

from __future__ import annotations

from flask import Flask

from content import reflection_texts as texts

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
LONG = "学习了这篇材料，我深受教育，要在岗位上立足本职、发挥党员先锋模范作用。" * 2


def _photo(sim, sandbox) -> None:
    media_id = sandbox.state.add_media(PNG, content_type="image/png", filename="page.png")
    assert "照片已收到" in sim.message("zhangsan", "image", PicUrl="http://x/p.png",
                                       MediaId=media_id).text


def test_photo_only_reflection_is_summarised_without_an_empty_quote(
        app: Flask, make_member, send_text, sim, sandbox):
    """A handwritten reflection (one photo, no text): 照片1张, not 共0字、照片1张：“”."""
    make_member("zhangsan", "张三")
    send_text("zhangsan", "写心得")
    _photo(sim, sandbox)
    reply = send_text("zhangsan", "完成").text
    assert reply.startswith(texts.SUMMARY_PHOTOS.format(count=1))
    assert "“”" not in reply and "共0字" not in reply
    assert "回复“确认”提交" in reply


def test_text_and_photo_are_both_counted(app: Flask, make_member, send_text, sim, sandbox):
    """Text and a photo: 共N字、照片1张 and the text's start in quotes."""
    make_member("zhangsan", "张三")
    send_text("zhangsan", "写心得")
    send_text("zhangsan", LONG)
    _photo(sim, sandbox)
    reply = send_text("zhangsan", "完成").text
    assert reply.startswith(f"共{len(LONG)}字、照片1张：“学习了这篇材料")


def test_the_summary_for_each_mix() -> None:
    """Text only, photos only, both."""
    assert texts.summary(12, 0, "学习") == "共12字：“学习”"
    assert texts.summary(0, 2, "") == texts.SUMMARY_PHOTOS.format(count=2)
    assert texts.summary(12, 2, "学习") == "共12字、照片2张：“学习”"
