"""The console in a real browser: WeCom QR login through the sandbox, dispatching an order,
reviewing and featuring a reflection, sending a broadcast the sandbox records, approving a
lecturer application, downloading the annual report; a screenshot of every page. Any script
error or CSP violation fails the test."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from flask import Flask
from openpyxl import load_workbook

import clock
from models import (
    Lecture,
    LectureOrder,
    OrderStatus,
    ParticipationKind,
    Reflection,
    ReflectionStatus,
    db,
    utcnow,
)
from participation import ledger
from tests.browser.browser_helpers import clean, login
from tests.console_helpers import ADMIN_PASSWORD, World, at, build_world, make_account


def test_admin_tour_dispatch_and_broadcast(app: Flask, make_member, sandbox, page: Any):
    """An admin logs in with WeCom, sees every page, dispatches an order to a free lecturer,
    sends a broadcast the sandbox records, approves a lecturer application, and downloads the
    annual report."""
    world: World = build_world(app, make_member)
    with app.app_context():  # the lecturer is busy at the order's first time
        order = db.session.get(LectureOrder, world.order_id)
        db.session.add(Lecture(topic_id=order.topic_id, lecturer_id=world.lecturer_id,
                               starts_at=at(3, 14), ends_at=at(3, 16), checkin_code="333333"))
        for member_id in (world.author_id, world.lecturer_id):  # some participation to chart
            ledger.record(member_id, ParticipationKind.MATERIAL_READ, "material:browser",
                          utcnow())
        db.session.commit()
    login(page, "管理员甲", world.admin)
    page.wait_for_selector("canvas[data-chart='chart-months']")
    page.wait_for_function("() => window.Chart !== undefined")
    page.shot("01-dashboard")
    for number, (path, name) in enumerate((
            ("/console/orgs", "orgs"), ("/console/members", "members"),
            (f"/console/members/{world.author_id}", "member"),
            ("/console/members/import", "import"), ("/console/reflections", "reflections"),
            ("/console/orders", "orders"), ("/console/lecturers", "lecturers"),
            (f"/console/lecturers/{world.lecturer_id}", "lecturer"),
            ("/console/lecturers/applications", "applications"),
            ("/console/materials", "materials"), ("/console/pushes", "pushes"),
            ("/console/reports", "reports"), ("/console/audit", "audit")), start=2):
        assert page.goto(page.live + path).status == 200, path
        page.shot(f"{number:02d}-{name}")

    header = "姓名,企业微信账号,所在党组织,党组织类型,角色\n"
    page.goto(page.live + "/console/members/import")
    page.set_input_files("input[name=file]", files=[{
        "name": "roster.csv", "mimeType": "text/csv",
        "buffer": (header + "没有账号,,华芯党支部,外企,党员\n").encode("utf-8-sig")}])
    page.click("button[value=check]")
    page.wait_for_selector("text=名册有问题，未导入任何内容")
    page.shot("16-import-problems")
    page.errors[:] = [e for e in page.errors if "422" not in e]  # the refusal's own status
    page.set_input_files("input[name=file]", files=[{
        "name": "roster.csv", "mimeType": "text/csv",
        "buffer": (header + "新党员,xin001,华芯党支部,外企,党员\n").encode("utf-8-sig")}])
    page.click("button[value=apply]")
    page.wait_for_selector("#import-report:has-text('xin001')")
    page.shot("17-import-report")

    page.goto(page.live + f"/console/orders/{world.order_id}")
    assert page.locator(".busy .why").first.inner_text().startswith("冲突")
    assert page.locator(f"input[value='1:{world.lecturer_id}']").count() == 0
    page.shot("20-order-dispatch-form")
    page.check(f"input[value='2:{world.lecturer_id}']")
    page.click("#dispatch-form button[type=submit]")
    page.wait_for_selector("text=已派给 讲师丙")
    page.shot("21-order-dispatched")
    with app.app_context():
        assert db.session.get(LectureOrder, world.order_id).status == OrderStatus.DISPATCHED
    assert any(m["msgtype"] == "template_card"
               for m in sandbox.state.inbox_since(world.lecturer))

    page.goto(page.live + "/console/broadcasts")
    page.select_option("select[name=audience_kind]", "orgs")
    page.fill("input[name=audience_value]", "华芯党支部")
    page.wait_for_selector("#audience-count:has-text('将发送给 3 人')")  # live: 2 + the imported
    page.fill("textarea[name=content]", "本周五下午三点集中学习")
    page.shot("30-broadcast-compose")
    page.click("#compose-form button[type=submit]")
    page.wait_for_selector("#preview:has-text('本周五下午三点集中学习')")
    page.shot("31-broadcast-preview")
    page.click("#confirm-send")
    page.wait_for_selector("text=正在发送，共 3 人")
    page.shot("32-broadcast-history")
    sent = [m["content"]["content"] for m in sandbox.state.inbox_since("c-author")]
    assert sent == ["本周五下午三点集中学习"]
    assert any(call.path == "message/send" for call in sandbox.state.calls)

    page.goto(page.live + "/console/lecturers/applications")
    page.click(f"#application-{world.application_id} form[action$='/decline'] button")
    assert page.locator("p.flash").count() == 0  # the browser keeps an empty reason from posting
    page.click(f"#application-{world.application_id} form[action$='/approve'] button")
    page.wait_for_selector("text=已通过 党员丁 的讲师报名（第2批）")
    page.shot("33-application-approved")
    assert "第2批红色讲师" in sandbox.state.inbox_since("c-author")[-1]["content"]["content"]

    page.goto(page.live + "/console/reports")
    year = clock.year_of(utcnow())
    with page.expect_download() as info:
        page.click(f"#annual-{year}-xlsx")
    assert info.value.suggested_filename.endswith(f"{year}.xlsx")
    workbook = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert workbook.sheetnames
    clean(page)


def test_contact_reviews_and_features_a_reflection(app: Flask, make_member, sandbox,
                                                   page: Any):
    """A contact logs in on a phone-sized screen, features their member's reflection, and the
    author is told; a <script> in another reflection stays text."""
    world = build_world(app, make_member)
    with app.app_context():
        now = utcnow()
        db.session.add(Reflection(member_id=world.author_id, subject_title="第二篇",
                                  text="<script>document.title='hacked'</script>",
                                  status=ReflectionStatus.SUBMITTED, submitted_at=now))
        db.session.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "联络员甲", world.contact_here)
    page.goto(page.live + "/console/reflections")
    assert page.title() != "hacked"
    assert page.locator("text=<script>document.title='hacked'</script>").count() == 1
    page.shot("40-reflections-phone")
    page.goto(page.live + f"/console/reflections/{world.reflection_id}")
    page.fill("input[name=comment]", "联系实际，写得好")
    page.click("button[value=feature]")
    page.wait_for_selector("text=已处理 1 篇")
    page.shot("41-reflection-featured")
    with app.app_context():
        row = db.session.get(Reflection, world.reflection_id)
        assert row.status == ReflectionStatus.FEATURED and row.featured
    assert any("优秀" in m["content"]["content"] for m in sandbox.state.inbox_since("c-author"))
    clean(page)


def test_local_admin_login_and_logout(app: Flask, page: Any):
    """The local admin account logs in with its password and logs out."""
    make_account(app)
    page.goto(page.live + "/console/login")
    page.shot("00-login")
    page.click("summary")
    page.fill("input[name=username]", "root-admin")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("text=当前登录：root-admin")
    page.click("button.link")
    page.wait_for_selector("text=您已退出登录")
    assert page.goto(page.live + "/console/audit").url.startswith(page.live + "/console/login")
    clean(page)
