"""评选 in a real browser: an admin at desktop width opens last year's honours, sees each one's
candidates with the rule and the figures they were ranked by (优秀党支部 only the branch whose
三会一课 were complete), ticks and decides 优秀党支部 and 学习达人, takes one decision back and
decides it again. On a 375 px phone (the page fits the screen and starts with its heading and
first honour) the admin decides 学习标兵 and publishes the year by one broadcast; the page then
says when and by which broadcast, with nothing left to tick or undo, and the member's 我的积分 in
chat names the honours. The page is admins' only (a contact gets 403). Any script error or CSP
violation fails. Screenshots in test-artifacts/console/."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

import clock
from content import award_texts as at
from models import (
    Award,
    Broadcast,
    MeetingKind,
    Member,
    OrgMeeting,
    Reflection,
    ReflectionStatus,
    db,
)
from participation.ledger import record
from tests.browser.browser_helpers import (
    DESKTOP,
    PHONE,
    clean,
    first_screen,
    fits,
    fits_desktop,
    login,
)
from tests.console_helpers import World, build_world

NOW = "2026-12-07 10:00"
YEAR = 2025  # the year before NOW's: every quarter of it has ended
# a quarter's meetings that meet the default requirements (meetings/settings.py)
QUARTER_MEETINGS = {MeetingKind.ASSEMBLY: 1, MeetingKind.LESSON: 1, MeetingKind.COMMITTEE: 3,
                    MeetingKind.GROUP: 3}


def last_year(app: Flask, world: World) -> None:
    """YEAR's records: 党员丁 (华芯) read three materials and had a featured reflection, 党员戊
    (远景) read one; 华芯 held every 三会一课 of every quarter, 远景 none."""
    with app.app_context():
        for number in (1, 2, 3):
            record(world.author_id, "material_read", f"material:{number}",
                   clock.wall(date(YEAR, 3, number), 10))
        plain = db.session.scalar(select(Member.id).where(Member.userid == world.member))
        record(plain, "material_read", "material:1", clock.wall(date(YEAR, 4, 1), 10))
        moment = clock.wall(date(YEAR, 5, 1), 10)
        db.session.add(Reflection(member_id=world.author_id, subject_title="党史学习",
                                  text="学习体会。", word_count=5,
                                  status=ReflectionStatus.FEATURED, featured=True,
                                  submitted_at=moment, created_at=moment, updated_at=moment))
        for quarter in (1, 2, 3, 4):
            start = clock.quarter(YEAR, quarter).start + timedelta(days=3)
            for kind, count in QUARTER_MEETINGS.items():
                for index in range(count):
                    begins = start + timedelta(days=7 * index, hours=2)
                    db.session.add(OrgMeeting(organization_id=world.org_here, kind=kind,
                                              topic="学习", starts_at=begins,
                                              ends_at=begins + timedelta(hours=1),
                                              recorded_by_id=world.author_id))
        db.session.commit()


def candidates(page: Any, kind: str) -> list[list[str]]:
    """The cells of an honour's candidate rows."""
    rows = page.locator(f"#awards-{kind} table.award-candidates tbody tr")
    return [row.locator("td").all_inner_texts() for row in rows.all()]


def decide(page: Any, kind: str, name: str) -> None:
    """Tick the candidate of the honour and press 确定评定."""
    page.check(f"#awards-{kind} input[aria-label='{name}']")
    page.click(f"#awards-{kind} button:has-text('{at.DECIDE}')")
    page.wait_for_selector(f"#awards-{kind} table.award-decided")


def test_awards_candidates_decided_and_published(app: Flask, make_member, sandbox, travel,
                                                 send_text, page: Any):
    """Candidates with their rules, two decisions (one undone and redone), publishing once."""
    travel(NOW)
    world = build_world(app, make_member)
    last_year(app, world)
    page.set_viewport_size(DESKTOP)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + f"/console/awards?year={YEAR}")
    assert page.inner_text("main h1") == at.TITLE.format(year=YEAR)
    for kind in at.KIND_ORDER:
        assert page.inner_text(f"#awards-{kind} p.rule") == at.RULES[kind]
    [branch] = candidates(page, "excellent_branch")
    assert branch[1] == "华芯党支部" and "三会一课达标4/4个季度" in branch[3]
    assert [row[1] for row in candidates(page, "advanced_collective")] == ["华芯党支部",
                                                                            "远景党支部"]
    stars = candidates(page, "study_star")
    assert [row[1:3] for row in stars] == [["党员丁", "华芯党支部"], ["党员戊", "远景党支部"]]
    assert "优秀心得1篇" in stars[0][3]
    assert [row[1] for row in candidates(page, "study_model")] == ["党员丁"]
    assert page.locator("#awards-publish").count() == 0  # nothing decided yet
    fits_desktop(page)
    page.shot("420-awards-candidates-desktop")

    decide(page, "excellent_branch", "华芯党支部")
    assert at.DECIDED.format(kind="优秀党支部", count=1) in page.inner_text(".flash.ok")
    assert candidates(page, "excellent_branch")[0][0] == at.DECIDED_MARK
    decide(page, "study_star", "党员丁")
    decided = page.locator("#awards-study_star table.award-decided tbody tr")
    assert decided.locator("td").first.inner_text() == "党员丁"
    decided.locator(f"button:has-text('{at.UNDECIDE}')").click()
    page.wait_for_selector(f"text={at.UNDECIDED.format(kind='学习达人', name='党员丁')}")
    assert page.inner_text("#awards-study_star").count(at.NONE_DECIDED) == 1
    decide(page, "study_star", "党员丁")
    with app.app_context():
        stored = {(a.kind, a.subject) for a in db.session.scalars(select(Award))}
    assert stored == {("excellent_branch", f"org:{world.org_here}"),
                      ("study_star", f"member:{world.author_id}")}
    assert page.locator(f"#awards-excellent_branch button:has-text('{at.DECIDE}')").count() == 0
    fits_desktop(page)
    page.shot("421-awards-decided-desktop")
    clean(page)

    page.set_viewport_size(PHONE)
    page.goto(page.live + f"/console/awards?year={YEAR}")
    first_screen(page, "main h1")
    first_screen(page, "#awards-excellent_branch h2")
    fits(page)
    page.shot("422-awards-phone")
    decide(page, "study_model", "党员丁")
    assert at.DECIDED.format(kind="学习标兵", count=1) in page.inner_text(".flash.ok")
    page.click("#awards-publish")
    page.wait_for_selector("#awards-published")
    first_screen(page, "#awards-published")
    fits(page)
    page.shot("423-awards-published-phone")
    with app.app_context():
        [broadcast] = db.session.scalars(select(Broadcast)).all()
        number = broadcast.number
        assert {a.kind for a in db.session.scalars(select(Award))
                if a.published_at is not None and a.broadcast_id == broadcast.id} == {
            "excellent_branch", "study_star", "study_model"}
    assert number in page.inner_text("#awards-published")
    clean(page)

    page.set_viewport_size(DESKTOP)
    page.goto(page.live + f"/console/awards?year={YEAR}")
    assert number in page.inner_text("#awards-published")
    assert page.locator("input[name=subject], #awards-publish").count() == 0  # closed
    assert page.locator(f"button:has-text('{at.UNDECIDE}')").count() == 0
    assert page.locator(f"button:has-text('{at.DECIDE}')").count() == 0
    fits_desktop(page)
    page.shot("424-awards-published-desktop")
    clean(page)
    mine = send_text("c-author", "我的积分").text
    assert at.HONOUR_ITEM.format(year=YEAR, kind="学习达人") in mine
    assert at.HONOUR_ITEM.format(year=YEAR, kind="学习标兵") in mine

    page.context.clear_cookies()
    login(page, "联络员甲", world.contact_here)
    assert page.goto(page.live + f"/console/awards?year={YEAR}").status == 403
