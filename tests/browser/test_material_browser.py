"""学习材料 editor in a real browser on a 375 px wide phone: a refused form with each problem
beside its field, the live preview (sanitised: a script in the body never runs), the image
and Word buttons' contract with the upload endpoints (answered here by stand-ins), creating,
editing, comparing two versions and restoring one; the page never scrolls sideways and no
script error or CSP violation happens. Screenshots go to test-artifacts/console/."""

from __future__ import annotations

import io
import json
from typing import Any

from flask import Flask
from PIL import Image
from sqlalchemy import select

from models import Material, db
from tests.browser.browser_helpers import clean, login
from tests.console_helpers import build_world

PHONE = {"width": 375, "height": 812}
BODY = ("# 第一章\n\n为中国人民谋**幸福**。\n\n<script>window.pwned = 1</script>"
        "[点我](javascript:window.pwned=2)")


def fits(page: Any) -> None:
    """Nothing on the page is wider than the screen (tables scroll inside their own box)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width


def png() -> bytes:
    """A tiny PNG."""
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (178, 34, 34)).save(picture, "PNG")
    return picture.getvalue()


def test_admin_writes_a_material_on_a_phone(app: Flask, make_member, sandbox, page: Any):
    """An admin on a phone is told beside each field what is wrong, watches the preview follow
    the body, inserts an image and imports a Word file (stand-in answers), creates the
    material, edits it, compares the two versions and restores the first."""
    world = build_world(app, make_member)
    page.set_viewport_size(PHONE)
    sent: list[dict[str, Any]] = []

    def stand_in(answer: dict[str, Any], status: int = 200) -> Any:
        def handle(route: Any) -> None:
            body = route.request.post_data_buffer or b""
            sent.append({"url": route.request.url, "csrf": b'name="csrf"' in body,
                         "file": b'name="file"' in body})
            route.fulfill(status=status, content_type="application/json",
                          body=json.dumps(answer, ensure_ascii=False))
        return handle

    page.route("**/console/uploads/image", stand_in(
        {"url": "/media/abc.png", "markdown": "![](/media/abc.png)"}))
    page.route("**/media/abc.png", lambda route: route.fulfill(
        status=200, content_type="image/png", body=png()))
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/materials")
    fits(page)
    page.click("main a[href$='/materials/new']")
    page.wait_for_url("**/console/materials/new")
    fits(page)
    page.fill("input[name=title]", "初心使命")
    page.fill("input[name=series]", "党史学习教育")
    page.fill("input[name=summary]", "为人民谋幸福")
    page.click("#material-save")  # a series without its position
    page.wait_for_selector("#error-position:has-text('请同时填写系列中的序号')")
    page.wait_for_selector("#error-body:has-text('请填写正文')")
    assert page.input_value("input[name=title]") == "初心使命"
    fits(page)
    page.shot("70-material-refused-phone")

    page.fill("input[name=position]", "1")
    page.fill("#material-body", BODY)
    page.wait_for_selector("#material-preview strong:has-text('幸福')")
    preview = page.inner_html("#material-preview")
    assert "<script" not in preview and "javascript:" not in preview
    assert page.evaluate("() => window.pwned") is None
    page.click("#material-body")
    page.keyboard.press("End")
    page.set_input_files("#image-upload", files=[
        {"name": "a.png", "mimeType": "image/png", "buffer": png()}])
    page.wait_for_selector("#material-preview img[src='/media/abc.png']")
    assert "![](/media/abc.png)" in page.input_value("#material-body")
    refusal = {"error": "这不是 Word 文件（.docx）。"}
    page.route("**/console/materials/import-docx", stand_in(refusal, 400))
    page.once("dialog", lambda dialog: dialog.accept())  # replace the body? yes
    page.set_input_files("#docx-import", files=[
        {"name": "a.docx", "mimeType": "application/octet-stream", "buffer": b"not word"}])
    page.wait_for_selector("#upload-status.error:has-text('这不是 Word 文件')")
    assert "![](/media/abc.png)" in page.input_value("#material-body")  # left as it was
    page.unroute("**/console/materials/import-docx")
    imported = {"markdown": "# 导入的章节\n\n来自 Word 的正文。", "title": "不会覆盖标题",
                "warnings": []}
    page.route("**/console/materials/import-docx", stand_in(imported))
    page.once("dialog", lambda dialog: dialog.accept())
    page.set_input_files("#docx-import", files=[
        {"name": "b.docx", "mimeType": "application/octet-stream", "buffer": b"PK word"}])
    page.wait_for_selector("#material-preview h1:has-text('导入的章节')")
    assert page.input_value("input[name=title]") == "初心使命"  # only an empty title is filled
    assert all(call["csrf"] and call["file"] for call in sent) and len(sent) == 3
    fits(page)
    page.shot("71-material-editor-phone")

    page.click("#material-save")
    page.wait_for_selector("text=材料《初心使命》已创建。")
    fits(page)
    page.click("main a[href$='/edit']")
    page.wait_for_url("**/edit")
    page.fill("input[name=title]", "初心使命（修订）")
    page.click("#material-save")
    page.wait_for_selector("text=（第 2 版）")
    page.click("main a[href$='/versions']")
    page.wait_for_url("**/versions")
    fits(page)
    page.shot("72-material-versions-phone")
    page.click("text=对比所选版本")
    page.wait_for_selector("#diff-fields ins:has-text('初心使命（修订）')")
    fits(page)
    page.shot("73-material-diff-phone")
    page.go_back()
    page.click("button[form=restore-1]")
    page.wait_for_selector("text=已恢复到第 1 版（保存为第 3 版）")
    with app.app_context():
        material = db.session.scalars(select(Material)).one()
        assert material.title == "初心使命" and material.body.startswith("# 导入的章节")
    expected = ("status of 400 (BAD REQUEST) " + page.live + "/console/materials/new",
                "status of 400 (Bad Request) " + page.live + "/console/materials/import-docx")
    page.errors[:] = [e for e in page.errors if not e.endswith(expected)]  # answered 400 here
    clean(page)
