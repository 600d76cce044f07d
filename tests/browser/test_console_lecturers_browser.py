"""讲师, 讲师报名 rounds, 学习强国 and the contact's home page in a real browser, on a 375 px
wide phone and on a desktop: nothing scrolls sideways, no script error. An admin adds a
lecturer through the picker (a bad batch said beside its field first), opens and closes a
round, and reminds the members who have not reported; a contact's front page shows their own
organisation only. Screenshots go to test-artifacts/console/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from models import (
    Lecture,
    LectureOrder,
    MeetingKind,
    Member,
    OrderStatus,
    OrgMeeting,
    ParticipationKind,
    Rating,
    db,
    utcnow,
)
from participation import ledger
from qiangguo import qiangguo
from tests.browser.browser_helpers import PHONE, clean, fits, login
from tests.console_helpers import World, build_world

DESKTOP = {"width": 1280, "height": 900}


def fits_desktop(page: Any) -> None:
    """Nothing on the page is wider than a desktop window."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], width


def _refused(page: Any) -> None:
    """Forget the console's note of the refused forms' 400 answers (they are meant)."""
    refused = "status of 400 (BAD REQUEST) " + page.live
    page.errors[:] = [e for e in page.errors if refused not in e]


def _organisation_life(app: Flask, world: World) -> None:
    """Some of 华芯党支部's life: a read this month, a 支委会 this quarter, a 党课 on now with
    check-in open; a held and rated lecture of the lecturer; a 学习强国 report."""
    with app.app_context():
        contact = db.session.scalars(select(Member).where(
            Member.userid == world.contact_here)).one()
        ledger.record(world.author_id, ParticipationKind.MATERIAL_READ, "material:b", utcnow())
        now = utcnow()
        for kind, starts, code in ((MeetingKind.COMMITTEE, now - timedelta(days=3), None),
                                   (MeetingKind.LESSON, now - timedelta(minutes=10), "482913")):
            db.session.add(OrgMeeting(organization_id=world.org_here, kind=kind,
                                      topic="学习贯彻全会精神", starts_at=starts,
                                      ends_at=starts + timedelta(hours=2), checkin_code=code,
                                      recorded_by_id=contact.id))
        order = db.session.get(LectureOrder, world.order_id)
        order.status = OrderStatus.RATED
        starts = now - timedelta(days=2)
        db.session.add(Lecture(order_id=order.id, topic_id=world.topic_id,
                               lecturer_id=world.lecturer_id, starts_at=starts,
                               ends_at=starts + timedelta(minutes=90), place="张江路88号",
                               checkin_code="654321", accepted_at=starts - timedelta(days=1),
                               attendance=38))
        db.session.add(Rating(order_id=order.id, contact_id=contact.id, score=5,
                              comment="讲得生动，联系实际，党员反响很好。"))
        qiangguo.report(db.session.get(Member, world.author_id), now, score=1234)
        db.session.commit()


def test_contact_home_on_a_phone_and_a_desktop(app: Flask, make_member, sandbox, travel,
                                               page: Any):
    """A contact's front page: their organisation's members, rate, meetings (short ones in
    red) and the open check-in, nothing of the other organisation; on both widths."""
    travel("2026-11-25 15:00")
    world = build_world(app, make_member)
    _organisation_life(app, world)
    page.set_viewport_size(PHONE)
    login(page, "联络员甲", world.contact_here)
    page.goto(page.live + "/console/")
    page.wait_for_selector("#home-org-rows")
    row = page.locator(f"#home-org-{world.org_here}")
    assert row.locator("td.members").inner_text() == "2 人"
    assert row.locator("td.rate").inner_text() == "50.0%（1/2）"
    assert "支委会 1/3" in row.locator("td.meetings .behind").all_inner_texts()
    assert page.locator("#home-checkins td.code").inner_text() == "482913"
    assert "远景党支部" not in page.inner_text("#home-orgs")
    fits(page)
    page.shot("180-contact-home-phone")
    page.click(f"#home-org-{world.org_here} td.members a")
    page.wait_for_selector("text=党员丁")
    fits(page)
    page.set_viewport_size(DESKTOP)
    page.goto(page.live + "/console/")
    page.wait_for_selector("#home-org-rows")
    fits_desktop(page)
    page.shot("181-contact-home-desktop")
    page.goto(page.live + "/console/qiangguo")
    page.wait_for_selector("#qiangguo-orgs")
    assert "远景党支部" not in page.inner_text("main")
    page.set_viewport_size(PHONE)
    fits(page)
    page.shot("182-contact-qiangguo-phone")
    clean(page)


def test_admin_lecturers_on_a_phone(app: Flask, make_member, sandbox, travel, page: Any):
    """An admin on a phone: the lecturer's page (topics, lectures, hours, ratings), adds a
    lecturer through the picker after a refused batch, opens and closes a round, and reminds
    the members who have not reported 学习强国; then the lecturer page on a desktop."""
    travel("2026-11-25 15:00")
    world = build_world(app, make_member)
    _organisation_life(app, world)
    page.set_viewport_size(PHONE)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + f"/console/lecturers/{world.lecturer_id}")
    page.wait_for_selector("#lecturer-figures")
    assert page.inner_text("#fig-lectures") == "1"
    assert page.inner_text("#fig-hours") == "1.5"
    assert page.inner_text("#fig-average") == "5.00"
    assert "《新时代的伟大变革》" in page.inner_text("#lecturer-topics")
    assert "讲得生动" in page.inner_text("#lecturer-ratings")
    fits(page)
    page.shot("183-lecturer-page-phone")

    page.goto(page.live + "/console/lecturers")
    page.fill("#lecturer-add input[name=q]", "党员丁")
    page.click("#lecturer-search")
    page.wait_for_selector("#candidates")
    candidate = page.locator(f"#candidate-{world.author_id}")
    candidate.locator("input[name=batch]").fill("第四批")
    candidate.locator("button[type=submit]").click()
    page.wait_for_selector("#error-batch")
    assert page.inner_text("#error-batch") == "批次须为 1 到 999 之间的整数。"
    fits(page)
    page.shot("184-lecturer-grant-refused-phone")
    candidate = page.locator(f"#candidate-{world.author_id}")
    candidate.locator("input[name=batch]").fill("4")
    candidate.locator("input[name=specialties]").fill("党史、理论")
    candidate.locator("button[type=submit]").click()
    page.wait_for_selector("text=已将 党员丁 设为红色讲师（第4批）。")
    assert "批次：4" in page.inner_text("#lecturer-info")
    fits(page)

    page.goto(page.live + "/console/lecturers/applications")
    page.wait_for_selector("#round-open")
    page.fill("#round-open-form input[name=name]", "")
    page.click("#round-open")
    page.wait_for_selector("#round-error-name")
    page.fill("#round-open-form input[name=name]", "第五批红色讲师报名")
    page.fill("#round-open-form input[name=batch]", "5")
    page.click("#round-open")
    page.wait_for_selector("text=已开放“第五批红色讲师报名”（第5批），党员现在可以报名。")
    fits(page)
    page.shot("185-round-open-phone")
    page.click("#round-close")
    page.wait_for_selector("text=已结束“第五批红色讲师报名”，共收到 0 份报名。")
    assert "第五批红色讲师报名" in page.inner_text("#round-history")
    fits(page)

    page.goto(page.live + "/console/qiangguo")
    page.wait_for_selector("#qiangguo-orgs")
    assert "远景党支部" in page.inner_text("#qiangguo-silent")
    fits(page)
    page.shot("186-qiangguo-phone")
    page.click("#qiangguo-remind-button")
    page.wait_for_selector("text=已提醒 5 人，消息正在发送。")
    page.click(f"#qiangguo-org-{world.org_here} a")
    page.wait_for_selector("#qiangguo-reported")
    assert page.inner_text("#qiangguo-missing") == "联络员甲"
    fits(page)
    page.shot("187-qiangguo-org-phone")

    page.set_viewport_size(DESKTOP)
    page.goto(page.live + f"/console/lecturers/{world.author_id}")
    page.wait_for_selector("#lecturer-figures")
    fits_desktop(page)
    page.shot("188-lecturer-page-desktop")
    page.goto(page.live + "/console/qiangguo?week=2026-11-18")
    page.wait_for_selector("#week-heading")
    assert "11月16日—11月22日" in page.inner_text("#week-heading")
    fits_desktop(page)
    _refused(page)
    clean(page)


def test_lecturer_sees_own_page_on_a_phone(app: Flask, make_member, sandbox, travel,
                                           page: Any):
    """A lecturer logging in lands on their own page, without the admin's forms."""
    travel("2026-11-25 15:00")
    world = build_world(app, make_member)
    _organisation_life(app, world)
    page.set_viewport_size(PHONE)
    login(page, "讲师丙", world.lecturer)
    page.goto(page.live + "/console/")
    page.wait_for_selector("#lecturer-figures")
    assert page.url.endswith(f"/console/lecturers/{world.lecturer_id}")
    assert page.locator("#lecturer-edit, #lecturer-revoke").count() == 0
    fits(page)
    page.shot("189-lecturer-own-phone")
    clean(page)
