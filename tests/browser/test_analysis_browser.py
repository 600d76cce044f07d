"""研判 in a real browser: an admin starts an analysis at 1280 px and reads its result with its
charts drawn; on a 375 px phone the result, the watch list and the review queue never scroll
sideways. Screenshots go to test-artifacts/console/."""

from __future__ import annotations

import random
from typing import Any

from flask import Flask

from analysis import watch
from models import db, utcnow
from tests.analysis.analysis_helpers import committee, reflect, sentence, shanghai
from tests.browser.browser_helpers import PHONE, clean, fits, login


def test_admin_runs_an_analysis_and_reviews_the_queue(app: Flask, make_member, sandbox,
                                                       page: Any):
    """The form starts the job, the result shows themes and charts with no script error, and
    the pages fit a phone."""
    c = committee(app, make_member)
    rng = random.Random(7)
    for i in range(12):
        reflect(app, (c.foreign + c.private)[i % 6],
                sentence(rng, *(["新质生产力"] if i < 8 else ["共同富裕"])),
                shanghai(f"2026-11-{i + 1:02d} 20:00"))
    reflect(app, c.foreign[0], "听说隔壁厂在裁员，大家有点担心。", utcnow())
    with app.app_context():
        term = watch.save_term(None, "裁员", "减员", "经营波动", "test", utcnow())
        db.session.commit()
        watch.backfill(term.id, utcnow())
    login(page, "管理员甲", c.admin)
    page.goto(page.live + "/console/analysis")
    page.select_option("select[name=unit]", "month")
    page.fill("input[name=year]", "2026")
    page.fill("input[name=number]", "11")
    page.click("#analysis-form button[type=submit]")
    page.wait_for_selector("#analysis-themes")
    assert page.inner_text("#theme-rows .theme-word >> nth=0") == "新质生产力"
    page.wait_for_function("() => document.querySelector('canvas[data-chart]')"
                           " && document.querySelector('canvas[data-chart]').width > 0")
    page.shot("analysis-result")
    detail = page.url
    page.set_viewport_size(PHONE)
    for url, ready, name in ((detail, "#analysis-themes", "analysis-result-phone"),
                             (page.live + "/console/watch", "#watch-hit-rows",
                              "analysis-queue-phone"),
                             (page.live + "/console/watch/terms", "#watch-term-rows",
                              "analysis-terms-phone")):
        page.goto(url)
        page.wait_for_selector(ready)
        fits(page)
        page.shot(name)
    page.goto(page.live + "/console/watch")
    page.click("#watch-hit-rows a")
    page.fill("textarea[name=note]", "已请支部书记了解情况")
    page.click("#watch-review button[type=submit]")
    page.wait_for_selector("#watch-reviewed")
    fits(page)
    page.shot("analysis-reviewed-phone")
    clean(page)
