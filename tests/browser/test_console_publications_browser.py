"""宣传成果 in a real browser: an admin at desktop width records a video on a city website with
its link, the organisation and the member it is about (a link without http:// told beside its
field first, nothing written), and a 学习强国 article whose level the platform implies; the list
shows both with their platform, level and outlet, filters by platform, and the year's report
counts them, linking back. The pages are admins' only (a contact gets 403); on a 375 px phone
the admin records one more and the list fits the screen, its table scrolling in its own box.
Any script error or CSP violation fails. Screenshots in test-artifacts/console/."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from content import publicity_texts as pt
from models import Publication, db
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

NOW = "2026-12-07 10:00"
VIDEO = "党建引领产业发展：华芯微电子的先锋实践"
ARTICLE = "《习近平谈治国理政》第五卷读书笔记"
URL = "https://news.wuxi.example/2026/12/01/huaxin.html"


def fill(page: Any, values: dict[str, str]) -> None:
    """Type the values into the 登记 form's fields (selects by their value)."""
    for name, value in values.items():
        field = page.locator(f"#publication-form [name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def cells(page: Any, title: str) -> list[str]:
    """The list's cells of the row of the title."""
    return page.locator("#publications tbody tr", has_text=title).locator("td").all_inner_texts()


def test_publications_recorded_listed_and_counted(app: Flask, make_member, sandbox, travel,
                                                  page: Any):
    """Two records at the desk (a bad link refused first), the filters, the report's count, a
    third on a phone."""
    travel(NOW)
    world = build_world(app, make_member)
    page.set_viewport_size(DESKTOP)
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/publications")
    assert page.inner_text("#publication-count") == pt.SHOWN.format(count=0)
    page.click("#publication-new")
    page.wait_for_selector("#publication-form")
    fill(page, {"title": VIDEO, "media": "video", "platform": "website", "level": "city",
                "outlet": "无锡新闻网", "published_on": "2026-12-01",
                "url": "news.wuxi.example/huaxin", "member": "党员丁"})
    page.select_option("#publication-form select[name=organization]", label="华芯党支部")
    page.click("#publication-save")
    page.wait_for_selector("#error-url")
    assert page.inner_text("#error-url") == pt.URL_BAD
    assert page.input_value("#publication-form input[name=title]") == VIDEO  # kept as typed
    page.errors[:] = [e for e in page.errors if "400" not in e]  # the refusal's own status
    with app.app_context():
        assert db.session.scalars(select(Publication)).all() == []
    fits_desktop(page)
    page.shot("410-publication-refused-desktop")
    page.fill("#publication-form input[name=url]", URL)
    page.click("#publication-save")
    page.wait_for_selector("#publication-count")
    assert pt.CREATED.format(title=f"《{VIDEO}》") in page.inner_text(".flash.ok")

    page.click("#publication-new")
    fill(page, {"title": ARTICLE, "platform": "qiangguo_province",
                "published_on": "2026-11-20"})
    page.click("#publication-save")
    page.wait_for_selector("#publication-count")
    assert pt.CREATED.format(title=ARTICLE) in page.inner_text(".flash.ok")  # its own marks
    assert page.inner_text("#publication-count") == pt.SHOWN.format(count=2)
    assert cells(page, VIDEO)[:7] == ["2026-12-01", VIDEO, "视频", "网站", "市级", "无锡新闻网",
                                      "华芯党支部 · 党员丁"]
    video = page.locator("#publications tbody tr", has_text=VIDEO)
    assert video.locator(f"a:has-text('{pt.OPEN_LINK}')").get_attribute("href") == URL
    assert cells(page, ARTICLE)[:6] == ["2026-11-20", ARTICLE, "文章", "学习强国省级平台",
                                        "省级", "学习强国"]
    with app.app_context():
        stored = {p.title: (p.media, p.platform, p.level, p.outlet, p.organization_id,
                            p.member_id, p.url)
                  for p in db.session.scalars(select(Publication))}
    assert stored == {
        VIDEO: ("video", "website", "city", "无锡新闻网", world.org_here, world.author_id, URL),
        ARTICLE: ("article", "qiangguo_province", "province", "学习强国", None, None, "")}
    fits_desktop(page)
    page.shot("411-publications-desktop")
    page.select_option("select[name=platform]", "website")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**platform=website**")
    assert page.inner_text("#publication-count") == pt.SHOWN.format(count=1)
    assert cells(page, VIDEO) and not cells(page, ARTICLE)

    page.goto(page.live + "/console/reports?year=2026")
    counted = page.locator("#year-figures tr:has(td:text-is('宣传成果篇数')) td.value")
    assert counted.inner_text() == "2"
    assert page.inner_text("#year-figures tr:has(td:text-is('网站')) td.value") == "1"
    assert page.inner_text("#year-figures tr:has(td:text-is('刊登媒体')) td.value") == "无锡新闻网"
    page.shot("412-publications-report-desktop")
    counted.locator("a").click()
    page.wait_for_selector("#publication-count")
    assert page.inner_text("#publication-count") == pt.SHOWN.format(count=2)
    clean(page)

    page.set_viewport_size(PHONE)
    page.goto(page.live + "/console/publications/new")
    first_screen(page, "main h1")
    fill(page, {"title": "主题党日走进红色教育基地", "platform": "newspaper",
                "level": "district", "outlet": "新吴区报", "published_on": "2026-12-05"})
    fits(page)
    page.shot("413-publication-new-phone")
    page.click("#publication-save")
    page.wait_for_selector("#publication-count")
    assert page.inner_text("#publication-count") == pt.SHOWN.format(count=3)
    first_screen(page, "main h1")
    first_screen(page, "#publications")
    fits(page)
    page.shot("414-publications-phone")
    page.click(f"#publications a:has-text('{VIDEO}')")
    page.wait_for_selector("#publication-delete")
    first_screen(page, "main h1")
    assert page.input_value("#publication-form input[name=url]") == URL
    fits(page)
    page.shot("415-publication-edit-phone")
    clean(page)

    page.context.clear_cookies()
    login(page, "联络员甲", world.contact_here)
    for path in ("/console/publications", "/console/publications/new"):
        assert page.goto(page.live + path).status == 403
