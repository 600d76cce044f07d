"""The committee's content work end to end in a real browser: an admin writes a material with
an image and imports another from Word (both watched in the live preview), schedules a weekly
push of the first to one organisation, the push worker runs and the sandbox records the card
for that organisation's members only, a member opens the card's tracked link (the sandbox's
OAuth stand-in) and the read is recorded, the admin edits the material and restores version
1, and a topic renamed in 宣讲菜单 shows in the chat's 点单 menu. A second test makes a 冬训
campaign through its pages once they exist. No script error or CSP violation anywhere.
Screenshots go to test-artifacts/console/."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from docx import Document
from flask import Flask
from PIL import Image
from sqlalchemy import select

from bot.jobs import enqueue_deliveries
from content.console_texts import WEEKDAY_NAMES
from models import Material, MaterialRead, Member, Push, PushStatus, db, utcnow
from sandbox.server import SandboxServer
from study.pushes import run_due
from tests.browser.browser_helpers import ARTIFACTS, clean, login
from tests.console_helpers import World, build_world
from tests.helpers import SHANGHAI

FIRST_BODY = "## 初心\n\n为中国人民谋**幸福**，为中华民族谋复兴。\n"
EDITED_BODY = "## 初心（修订）\n\n新的正文：把初心写在行动上。\n"
ORG = "华芯党支部"  # the contact c-here and the member c-author (c-left has left)
INSIDE = ("c-here", "c-author")
OUTSIDE = ("c-admin", "c-other", "c-lect", "c-plain", "c-left")


def png() -> bytes:
    """A small red PNG."""
    picture = io.BytesIO()
    Image.new("RGB", (24, 16), (178, 34, 34)).save(picture, "PNG")
    return picture.getvalue()


def docx() -> bytes:
    """A Word file with a heading, a paragraph and a bold run."""
    document = Document()
    document.add_heading("井冈山精神", level=1)
    paragraph = document.add_paragraph("坚定执着追理想，")
    paragraph.add_run("实事求是闯新路").bold = True
    paragraph.add_run("。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@contextmanager
def member_tab(browser: Any, errors: list[str]) -> Iterator[Any]:
    """A phone-sized tab in its own browser context (a member's WeCom client, not the
    admin's cookies), its script errors and CSP violations added to `errors`."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.set_default_timeout(15_000)

    def on_console(message: Any) -> None:
        where = message.location.get("url", "")
        if message.type == "error" and not where.endswith("/favicon.ico"):
            errors.append(f"{message.text} {where}")

    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.on("console", on_console)
    try:
        yield tab
    finally:
        context.close()


def open_as(tab: Any, url: str, name: str, userid: str) -> None:
    """Open a tracked link as the member: WeCom's authorize step is the sandbox's chooser."""
    tab.goto(url)
    tab.click(f"text=continue as {name} ({userid})")
    tab.wait_for_url(url)


def news_for(sandbox: SandboxServer, userid: str) -> list[dict[str, Any]]:
    """The news cards the sandbox recorded for a member."""
    return [m for m in sandbox.state.inbox_since(userid) if m["msgtype"] == "news"]


def write_material(page: Any) -> int:
    """学习材料 → 新建: the first material with an image, watched in the preview; its id."""
    page.goto(page.live + "/console/materials")
    page.click("main a[href$='/materials/new']")
    page.wait_for_url("**/console/materials/new")
    page.fill("input[name=title]", "初心使命")
    page.select_option("select[name=kind]", "speech")
    page.fill("input[name=summary]", "为人民谋幸福，为民族谋复兴")
    page.fill("#material-body", FIRST_BODY)
    page.wait_for_selector("#material-preview strong:has-text('幸福')")
    page.click("#material-body")
    page.keyboard.press("Control+End")
    page.set_input_files("#image-upload", files=[
        {"name": "flag.png", "mimeType": "image/png", "buffer": png()}])
    image = page.wait_for_selector("#material-preview img[src^='/media/']")
    page.wait_for_function("(img) => img.complete && img.naturalWidth === 24", arg=image)
    assert "![](/media/" in page.input_value("#material-body")
    assert "为中华民族谋复兴" in page.inner_text("#material-preview")
    page.wait_for_selector("#upload-status:has-text('已完成')")
    page.shot("80-flow-material-image")
    page.click("#material-save")
    page.wait_for_selector("text=材料《初心使命》已创建。")
    return int(page.url.rstrip("/").rsplit("/", 1)[1])


def import_material(app: Flask, page: Any) -> None:
    """学习材料 → 新建 from a Word file: the preview shows it before it is saved."""
    page.goto(page.live + "/console/materials/new")
    page.fill("input[name=summary]", "从 Word 导入的学习材料")
    page.set_input_files("#docx-import", files=[{
        "name": "jinggangshan.docx", "buffer": docx(),
        "mimeType": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}])
    page.wait_for_selector("#material-preview h1:has-text('井冈山精神')")
    page.wait_for_selector("#material-preview strong:has-text('实事求是闯新路')")
    assert page.input_value("input[name=title]") == "井冈山精神"  # the empty title is filled
    page.shot("81-flow-material-docx")
    page.click("#material-save")
    page.wait_for_selector("text=材料《井冈山精神》已创建。")
    with app.app_context():
        body = db.session.scalars(select(Material.body).where(Material.title == "井冈山精神")).one()
        assert "**实事求是闯新路**" in body, body


def schedule_push(page: Any) -> datetime:
    """推送 → 新建推送: the first material weekly to one organisation, a couple of minutes
    ahead on the committee's clock; the time it is due (UTC)."""
    wall = (datetime.now(SHANGHAI) + timedelta(minutes=2)).replace(second=0, microsecond=0)
    page.goto(page.live + "/console/pushes")
    page.click("#push-new")
    page.select_option("select[name=what]", label="初心使命")
    page.select_option("select[name=audience_kind]", "orgs")
    page.fill("input[name=audience_value]", ORG)
    page.wait_for_selector("#audience-count:has-text('将发送给 2 人')")
    page.fill("input[name=first_at]", f"{wall:%Y-%m-%dT%H:%M}")
    page.select_option("select[name=repeat]", "weekly")
    page.check(f"input[name=weekdays][value='{wall.weekday()}']")
    page.click("#push-preview-button")
    page.wait_for_selector("#push-preview:has-text('初心使命')")
    preview = page.inner_text("#push-preview")
    assert "将发送给 2 人" in preview and f"首次推送 {wall:%Y-%m-%d %H:%M}" in preview
    assert f"每周 {WEEKDAY_NAMES[wall.weekday()]}" in preview, preview
    page.shot("82-flow-push-preview")
    page.click("#push-create")
    page.wait_for_selector(f"text=已创建：首次 {wall:%Y-%m-%d %H:%M}，当前对象 2 人")
    page.shot("83-flow-push-created")
    return wall.astimezone(UTC)


def deliver(app: Flask, travel: Any, due: datetime) -> None:
    """The push tick a moment after the push's time (the app's clock moved there, ticking on,
    so the member's read comes after it too), and its deliveries run inline."""
    travel(due + timedelta(seconds=30))
    with app.app_context():
        result = run_due(utcnow())
        assert result.occurrences == 1 and result.recipients == 2
        enqueue_deliveries(list(result.outbound_ids))
        push = db.session.scalars(select(Push)).one()
        assert push.status == PushStatus.ACTIVE and push.repeat == "weekly"
        next_at = push.next_at if push.next_at.tzinfo else push.next_at.replace(tzinfo=UTC)
        assert next_at == due + timedelta(days=7)  # the same time a week on


def edit_and_restore(app: Flask, page: Any, material_id: int) -> None:
    """编辑 the body (version 2), then 版本记录 → 恢复 version 1: the old body is back."""
    page.goto(page.live + f"/console/materials/{material_id}")
    page.click("main a[href$='/edit']")
    page.wait_for_url("**/edit")
    page.fill("#material-body", EDITED_BODY)
    page.wait_for_selector("#material-preview h2:has-text('初心（修订）')")
    page.click("#material-save")
    page.wait_for_selector("text=材料《初心使命》已保存（第 2 版）。")
    with app.app_context():
        assert db.session.get(Material, material_id).body == EDITED_BODY.strip()
    page.click("main a[href$='/versions']")
    page.wait_for_url("**/versions")
    page.shot("86-flow-versions")
    page.click("button[form=restore-1]")
    page.wait_for_selector("text=已恢复到第 1 版（保存为第 3 版）。")
    page.click("main a[href$='/edit']")
    page.wait_for_url("**/edit")
    body = page.input_value("#material-body")
    assert body.startswith(FIRST_BODY) and "![](/media/" in body
    assert "新的正文" not in page.inner_text("#material-preview")
    assert "为中华民族谋复兴" in page.inner_text("#material-preview")
    page.shot("87-flow-restored")
    with app.app_context():
        assert db.session.get(Material, material_id).body == body.replace("\r\n", "\n").strip()


def rename_topic(page: Any, world: World, send_text: Any) -> None:
    """宣讲菜单: the topic renamed in the console is what a contact's 点单 menu offers."""
    assert "《新时代的伟大变革》" in send_text(world.contact_here, "点单").text
    send_text(world.contact_here, "取消")
    page.goto(page.live + "/console/topics")
    page.click("#topics a:has-text('新时代的伟大变革')")
    page.wait_for_url(f"**/console/topics/{world.topic_id}")
    page.fill("input[name=title]", "新时代的伟大变革（2027 修订）")
    page.fill("input[name=category]", "理论")  # required in the form; the world's has none
    page.click("#topic-save")
    page.wait_for_selector("text=专题《新时代的伟大变革（2027 修订）》已保存。")
    page.shot("88-flow-topic-renamed")
    menu = send_text(world.contact_here, "点单").text
    assert "1.《新时代的伟大变革（2027 修订）》(理论)" in menu, menu
    send_text(world.contact_here, "取消")


def short_reads(app: Flask) -> None:
    """读完了 counts after 2 seconds of beats (one a second), not half the material's minutes."""
    app.config.update(PARTICIPATION_READING_BEAT_S="1", PARTICIPATION_READING_MIN_SHARE="0",
                      PARTICIPATION_READING_MIN_S="2")


def read_enough(tab: Any) -> None:
    """Stay on the reading page until its heartbeats say the time read is enough."""
    tab.wait_for_selector("#read-progress:has-text('已达到阅读时长')")


def test_committee_content_flow(app: Flask, make_member: Any, sandbox: SandboxServer,
                                send_text: Any, travel: Any, browser: Any, page: Any) -> None:
    """Write, import, push weekly to one organisation, deliver, read, edit and restore, and
    rename a topic the chat's menu then offers — every console step through the console."""
    world = build_world(app, make_member)
    app.config["WECOM_OAUTH_URL"] = sandbox.root_url + "connect/oauth2/authorize"
    short_reads(app)
    login(page, "管理员甲", world.admin)

    material_id = write_material(page)
    import_material(app, page)
    due = schedule_push(page)

    deliver(app, travel, due)
    for userid in INSIDE:
        [card] = news_for(sandbox, userid)
        [article] = card["content"]["articles"]
        assert article["title"] == "初心使命", article
        assert article["url"].startswith(page.live + "/r/"), article
    for userid in OUTSIDE:
        assert news_for(sandbox, userid) == [], userid
    url = news_for(sandbox, "c-author")[0]["content"]["articles"][0]["url"]

    member_errors: list[str] = []
    with member_tab(browser, member_errors) as tab:
        open_as(tab, url, "党员丁", "c-author")
        tab.wait_for_selector("article h1:has-text('初心使命')")
        assert "为中华民族谋复兴" in tab.inner_text("article .body")
        image = tab.wait_for_selector("article .body img[src^='/media/']")
        tab.wait_for_function("(img) => img.complete && img.naturalWidth === 24", arg=image)
        tab.screenshot(path=str(ARTIFACTS / app.config["TEST_BACKEND"]
                                / "84-flow-member-reads.png"), full_page=True)
        read_enough(tab)
        tab.click("button[type=submit]:has-text('读完了')")
        tab.wait_for_selector("text=已记录")
    assert member_errors == []
    with app.app_context():
        author = db.session.scalars(select(Member).where(Member.userid == "c-author")).one()
        [read] = db.session.scalars(select(MaterialRead)).all()
        assert (read.member_id, read.material_id, read.opens) == (author.id, material_id, 1)
        assert read.completed_at is not None

    page.goto(page.live + "/console/pushes")
    page.click("main td a:has-text('初心使命')")
    page.wait_for_selector("#total-sent:has-text('2')")
    assert page.inner_text("#total-opened") == "1" and page.inner_text("#total-completed") == "1"
    page.shot("85-flow-push-figures")

    edit_and_restore(app, page, material_id)
    rename_topic(page, world, send_text)
    clean(page)



def campaign_routes(app: Flask) -> bool:
    """Whether the console has the 活动 pages (新建活动, its requirements, its members)."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    return {"console.campaign_new", "console.campaign_require",
            "console.campaign_members"} <= endpoints


def member_status(page: Any, campaign_id: int, name: str) -> tuple[str, str]:
    """A member's status and what they still have to do, on 按党员查看."""
    page.goto(page.live + f"/console/campaigns/{campaign_id}/members")
    row = page.locator("#member-rows tr", has_text=name)
    return row.locator("td.status").inner_text(), row.locator("td.missing").inner_text()


def test_winter_training_progress(app: Flask, make_member: Any, sandbox: SandboxServer,
                                  send_text: Any, browser: Any, page: Any) -> None:
    """A 冬训 made in 活动 requiring the material and one reflection: a member who had only
    written the reflection is in progress, and done once they read the material."""
    if not campaign_routes(app):
        pytest.skip("campaign pages not there yet")
    world = build_world(app, make_member)  # c-author's reflection was submitted just now
    app.config["WECOM_OAUTH_URL"] = sandbox.root_url + "connect/oauth2/authorize"
    short_reads(app)
    login(page, "管理员甲", world.admin)
    write_material(page)

    page.goto(page.live + "/console/campaigns")
    page.click("#campaign-new")
    page.fill("input[name=name]", "2026年冬训")
    page.select_option("select[name=kind]", "winter_training")
    today = datetime.now(SHANGHAI).date()
    assert page.input_value("input[name=starts_on]") == today.isoformat()
    page.fill("input[name=ends_on]", (today + timedelta(days=60)).isoformat())
    page.check("input[name=audience_kind][value=orgs]")
    page.locator("#audience-orgs label", has_text=ORG).locator("input").check()
    page.shot("90-flow-campaign-new")
    page.click("#campaign-save")
    page.wait_for_selector("text=活动「2026年冬训」已创建。")
    campaign_id = int(page.url.split("#")[0].rstrip("/").rsplit("/", 1)[1])
    page.select_option("#require-material select[name=material]", label="初心使命")
    page.click("#require-material button[type=submit]")
    page.wait_for_selector("text=已添加学习要求：读完学习材料《初心使命》。")
    page.fill("#require-reflections input[name=reflections]", "1")
    page.click("#require-reflections button[type=submit]")
    page.wait_for_selector("text=已添加学习要求：提交心得 1 篇（活动期间）。")
    assert page.inner_text("#total-members") == "2"  # c-here and c-author (c-left has left)
    assert (page.inner_text("#total-done"), page.inner_text("#total-in-progress"),
            page.inner_text("#total-not-started")) == ("0", "1", "1")
    page.shot("91-flow-campaign-requirements")
    assert member_status(page, campaign_id, "党员丁") == ("进行中", "初心使命")

    [article] = [a for a in send_text("c-author", "学习").reply["Articles"]
                 if a["Title"] == "初心使命"]
    member_errors: list[str] = []
    with member_tab(browser, member_errors) as tab:
        open_as(tab, article["Url"], "党员丁", "c-author")
        read_enough(tab)
        tab.click("button[type=submit]:has-text('读完了')")
        tab.wait_for_selector("text=已记录")
    assert member_errors == []

    assert member_status(page, campaign_id, "党员丁") == ("已全部完成", "—")
    page.shot("92-flow-campaign-members")
    page.goto(page.live + f"/console/campaigns/{campaign_id}")
    assert (page.inner_text("#total-done"), page.inner_text("#total-in-progress"),
            page.inner_text("#total-not-started")) == ("1", "0", "1")
    clean(page)
