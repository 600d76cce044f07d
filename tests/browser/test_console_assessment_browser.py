"""考核 in a real browser: an admin at desktop width opens the quarter's ranking (every
organisation with members, every measure, the chart drawn), one organisation's card (what lowers
it and what would raise it, the trend), downloads the .xlsx, and on the rules page is told beside
the row what is wrong with a weight, then lowers the 参学率 target — the card then counts it met.
A contact on a 375 px phone sees only their own organisation's place and card (the others'
card looks missing, the rules are refused), chooses another quarter, and every page fits the
screen with its table or heading within the first screen. Any script error or CSP violation
fails. Screenshots in test-artifacts/console/."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import select

import clock
from content import assessment_texts as at
from models import Organization, ScoreRule, db
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
from tests.console_helpers import build_world

NOW = "2026-12-07 10:00"  # 2026 Q4
QUARTER = at.QUARTER.format(year=2026, quarter=4)


def line(page: Any, measure: str) -> list[str]:
    """The cells of one measure's row on a card."""
    return page.locator(f"#assessment-line-{measure} td").all_inner_texts()


def drawn(page: Any, key: str, points: int) -> None:
    """Chart.js drew the chart from its spec, with that many values."""
    page.wait_for_function(
        "([key, points]) => { const c = document.querySelector(`canvas[data-chart=chart-${key}]`);"
        " const chart = c && window.Chart && window.Chart.getChart(c);"
        " return Boolean(chart) && chart.data.datasets[0].data.length === points; }",
        arg=[key, points])


def test_assessment_ranking_card_and_rules(app: Flask, make_member, sandbox, travel,
                                           page: Any):
    """The admin's ranking, card, export and rules; the contact's own card on a phone."""
    travel(NOW)
    world = build_world(app, make_member)
    with app.app_context():  # 华芯 (联络员甲, 党员丁): one of its two members took part
        record(world.author_id, "material_read", "material:1",
               clock.wall(date(2026, 11, 2), 10))
        db.session.commit()
        organizations = {o.id: o.name for o in db.session.scalars(select(Organization))}
    page.set_viewport_size(DESKTOP)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/assessment")
    assert page.inner_text("main h1") == at.PAGE_TITLE
    heads = page.locator("#assessment-rows thead th").all_inner_texts()
    assert heads[4:] == list(at.MEASURE_NAMES.values())
    shown = page.locator("#assessment-rows tbody tr").count()
    assert shown == 4  # 华芯, 远景, 党委办公室, 讲师团: those with members
    here = page.locator(f"#assessment-org-{world.org_here} td").all_inner_texts()
    assert here[1:3] == [organizations[world.org_here], "2"], here
    assert here[4] == "50.0%"  # 参学率
    assert here[0].startswith("第") and here[0].endswith(f"/共{shown}")
    drawn(page, "assessment", shown)
    fits_desktop(page)
    page.shot("430-assessment-desktop")
    with page.expect_download() as download:
        page.click("#assessment-export")
    assert download.value.suggested_filename == "assessment-2026-Q4.xlsx"

    page.click(f"#assessment-org-{world.org_here} a")
    page.wait_for_selector("#assessment-lines")
    assert page.inner_text("main h1") == at.CARD_TITLE.format(organization="华芯党支部",
                                                              quarter=QUARTER)
    assert line(page, "participation")[:3] == ["参学率", "50.0%", "90.0%"]
    raise_it = at.CARD_LOWERING.format(  # 90% of 2 members: one more
        name="参学率", advice=at.RAISE["participation"].format(needed=1))
    lowering = page.locator("#assessment-lowering li").all_inner_texts()
    assert [item for item in lowering if item.startswith(raise_it)], lowering
    assert "behind" in (page.get_attribute("#assessment-line-participation", "class") or "")
    drawn(page, "assessment-trend", 4)
    fits_desktop(page)
    page.shot("431-assessment-card-desktop")
    card = page.url

    page.goto(page.live + "/console/assessment/rules")
    row = page.locator("#assessment-rule-participation")
    row.locator("input[name=weight]").fill("200")
    row.locator(f"button:has-text('{at.SAVE}')").click()
    page.wait_for_selector("#error-participation")
    assert page.inner_text("#error-participation") == at.ERRORS["bad_weight"].format(
        name="参学率", most=100)
    weight = page.locator("#assessment-rule-participation input[name=weight]")
    assert weight.get_attribute("aria-describedby") == "error-participation"
    page.errors[:] = [e for e in page.errors if "422" not in e]  # the refusal's own status
    with app.app_context():
        assert db.session.scalars(select(ScoreRule)).all() == []
    fits_desktop(page)
    page.shot("432-assessment-rules-refused-desktop")
    row = page.locator("#assessment-rule-participation")
    row.locator("input[name=target]").fill("50")
    row.locator("input[name=weight]").fill("25")
    row.locator(f"button:has-text('{at.SAVE}')").click()
    page.wait_for_selector(f"text={at.RULE_SAVED.format(name='参学率')}")
    assert page.locator(f"#assessment-rule-participation button:has-text('{at.RESET}')").count()
    with app.app_context():
        [rule] = db.session.scalars(select(ScoreRule)).all()
        assert (rule.measure, rule.target, rule.weight, rule.updated_by) == (
            "participation", 0.5, 25.0, world.admin)
    page.shot("433-assessment-rules-desktop")
    page.set_viewport_size(PHONE)
    first_screen(page, "main h1")
    first_screen(page, "#assessment-rules")
    fits(page)
    page.shot("434-assessment-rules-phone")
    page.set_viewport_size(DESKTOP)
    page.goto(card)
    assert line(page, "participation")[:3] == ["参学率", "50.0%", "50.0%"]
    lowering = page.locator("#assessment-lowering li").all_inner_texts()
    assert lowering and not [item for item in lowering if item.startswith("参学率")], lowering
    assert "behind" not in (page.get_attribute("#assessment-line-participation", "class") or "")
    clean(page)

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    login(page, "联络员甲", world.contact_here)
    page.goto(page.live + "/console/assessment")
    assert page.inner_text("main .muted") == at.PAGE_HINT_CONTACT
    assert page.locator("#assessment-rows tbody tr").count() == 1
    mine = page.locator(f"#assessment-org-{world.org_here} td").all_inner_texts()
    assert mine[0].endswith(f"/共{shown}")  # the place among all
    assert page.locator("#assessment-export, a[href$='/assessment/rules']").count() == 0
    first_screen(page, "main h1")
    first_screen(page, "#assessment-rows")
    fits(page)
    page.shot("435-assessment-contact-phone")
    page.click(f"#assessment-org-{world.org_here} a")
    page.wait_for_selector("#assessment-lines")
    first_screen(page, "main h1")
    first_screen(page, "#assessment-total")
    drawn(page, "assessment-trend", 4)
    fits(page)
    page.shot("436-assessment-card-contact-phone")
    page.select_option("select[name=quarter]", "2026-Q3")
    page.click(f"form.filters button:has-text('{at.SHOW}')")
    page.wait_for_url("**quarter=2026-Q3**")
    assert page.inner_text("main h1") == at.CARD_TITLE.format(
        organization="华芯党支部", quarter=at.QUARTER.format(year=2026, quarter=3))
    assert line(page, "participation")[1] == "0.0%"  # the read was in Q4
    fits(page)
    clean(page)
    other = page.goto(page.live + f"/console/assessment/orgs/{world.org_other}")
    assert other is not None and other.status == 404
    rules = page.goto(page.live + "/console/assessment/rules")
    assert rules is not None and rules.status == 403
