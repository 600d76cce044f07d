"""The watch list: a term marks exactly the texts holding it or a listed variant (width, case
and spaces aside), the queue is admins' only and every view of it is audited, a reviewer
records what was done once, and the tick reads what was written since its last scan."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from analysis import watch
from analysis.jobs import analysis_tick
from models import WatchHit, WatchScanMark, db, utcnow
from tests.analysis.analysis_helpers import analyse, ask, audits, committee, reflect, shanghai
from tests.console_helpers import login_as, post

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


def _hits(app: Flask) -> set[tuple[str, int, str]]:
    with app.app_context():
        return {(h.source_kind, h.source_id, h.term) for h in db.session.scalars(select(WatchHit))}


def _add_term(client, term: str, variants: str = "", note: str = "") -> object:
    page = client.get("/console/watch/terms").get_data(as_text=True)
    key = FORM_KEY.search(page)
    assert key, "no form key on the watch list page"
    return post(client, "/console/watch/terms", {"term": term, "variants": variants,
                                                 "note": note, "form_key": key.group(1)})


def test_a_term_marks_exactly_the_texts_holding_it_or_its_variants(app: Flask, make_member,
                                                                   sandbox):
    """Does a term added in the console mark the texts with it, a listed variant, its
    full-width or spaced form, and no other text?"""
    c = committee(app, make_member)
    now = utcnow()
    holding = {
        ("reflection", reflect(app, c.foreign[0], "车间里有人说要欠薪了。", now)),
        ("reflection", reflect(app, c.foreign[1], "听说公司拖欠工资两个月", now)),
        ("question", ask(app, c.private[0], "工资 拖 欠怎么办？", now)),
        ("reflection", reflect(app, c.private[1], "ＡＢＣ项目组也欠薪", now)),
    }
    for text in ("大家讨论了工资改革", "欠条的事情已经处理", "拖延症要克服", "薪火相传"):
        reflect(app, c.private[2], text, now)
    client = app.test_client()
    login_as(client, sandbox, c.admin)
    response = _add_term(client, "欠薪", "拖欠工资，工资拖欠", "劳动关系")
    assert response.status_code == 303
    assert {(kind, source_id) for kind, source_id, _ in _hits(app)} == holding
    assert _add_term(client, "ａｂｃ").status_code == 303  # full width and case
    assert ("reflection", max(i for k, i in holding if k == "reflection"), "ａｂｃ") in _hits(app)
    assert len(_hits(app)) == 5
    [added, _] = audits(app, "watch.term_add")
    assert added.detail == {"term": "欠薪", "variants": ["拖欠工资", "工资拖欠"]}


def test_a_duplicate_or_empty_term_is_refused_and_nothing_is_written(app: Flask, make_member,
                                                                    sandbox):
    """Is a term already listed (in another width) or an empty one refused with a clear
    answer, writing nothing?"""
    c = committee(app, make_member)
    client = app.test_client()
    login_as(client, sandbox, c.admin)
    assert _add_term(client, "Abc").status_code == 303
    again = _add_term(client, "ＡＢＣ")
    assert again.status_code == 400 and "已经在列表中" in again.get_data(as_text=True)
    empty = _add_term(client, "   ")
    assert empty.status_code == 400 and "请填写关注词" in empty.get_data(as_text=True)
    assert len(audits(app, "watch.term_add")) == 1


def test_the_queue_is_admins_only_and_every_view_is_audited(app: Flask, make_member, sandbox):
    """Does a contact get 403 on the queue and on a hit, while each admin view of either
    writes an audit row naming who looked at what?"""
    c = committee(app, make_member)
    reflect(app, c.foreign[0], "有人提到上访的事", utcnow())
    with app.app_context():
        term = watch.save_term(None, "上访", "", "", "test", utcnow())
        db.session.commit()
        watch.backfill(term.id, utcnow())
        hit_id = db.session.scalar(select(WatchHit.id))
    assert hit_id is not None
    contact = app.test_client()
    login_as(contact, sandbox, c.contact)
    for path in ("/console/watch", f"/console/watch/hits/{hit_id}", "/console/watch/terms",
                 "/console/analysis"):
        assert contact.get(path).status_code == 403, path
    assert post(contact, f"/console/watch/hits/{hit_id}/review",
                {"note": "x"}).status_code == 403
    assert audits(app, "watch.queue_view") == audits(app, "watch.hit_view") == []
    admin = app.test_client()
    login_as(admin, sandbox, c.admin)
    queue = admin.get("/console/watch")
    assert queue.status_code == 200 and "有人提到上访的事" in queue.get_data(as_text=True)
    hit = admin.get(f"/console/watch/hits/{hit_id}")
    assert hit.status_code == 200 and "外企员0" in hit.get_data(as_text=True)
    [viewed] = audits(app, "watch.queue_view")
    assert (viewed.actor, viewed.detail["shown"]) == (c.admin, [hit_id])
    [opened] = audits(app, "watch.hit_view")
    assert (opened.actor, opened.target) == (c.admin, f"watch_hit:{hit_id}")


def test_a_reviewer_records_what_was_done_once(app: Flask, make_member, sandbox):
    """Is the reviewer's note kept once (a second form or a second reviewer changes
    nothing), audited, and an empty note refused?"""
    c = committee(app, make_member)
    reflect(app, c.foreign[0], "公司在裁员", utcnow())
    with app.app_context():
        term = watch.save_term(None, "裁员", "", "", "test", utcnow())
        db.session.commit()
        watch.backfill(term.id, utcnow())
        hit_id = db.session.scalar(select(WatchHit.id))
    admin = app.test_client()
    login_as(admin, sandbox, c.admin)
    page = admin.get(f"/console/watch/hits/{hit_id}").get_data(as_text=True)
    key = FORM_KEY.search(page).group(1)
    empty = post(admin, f"/console/watch/hits/{hit_id}/review", {"note": " ", "form_key": key})
    assert empty.status_code == 400 and "请填写处理情况" in empty.get_data(as_text=True)
    url = f"/console/watch/hits/{hit_id}/review"
    assert post(admin, url, {"note": "已与书记沟通", "form_key": key}).status_code == 303
    assert post(admin, url, {"note": "第二次", "form_key": key}).status_code == 303
    with app.app_context():
        hit = db.session.get(WatchHit, hit_id)
        assert (hit.reviewed_by, hit.action_note) == (c.admin, "已与书记沟通")
        assert not watch.review(hit, "别人", "other", utcnow())
    [reviewed] = audits(app, "watch.review")
    assert reviewed.detail["note"] == "已与书记沟通"


def test_the_tick_and_the_analysis_match_new_texts(app: Flask, make_member, travel):
    """Does the tick match what was written since its last scan (and only once), and does an
    analysis match its period's texts?"""
    travel("2026-11-20 10:00")
    c = committee(app, make_member)
    with app.app_context():
        watch.save_term(None, "信访", "", "", "test", utcnow())
        db.session.commit()
    with app.app_context():
        assert analysis_tick() == 0
    first = reflect(app, c.foreign[0], "准备去信访", utcnow())
    with app.app_context():
        assert analysis_tick() == 1
        assert analysis_tick() == 0  # read again within the overlap: the same hit, not new
        mark = db.session.get(WatchScanMark, "tick")
        assert mark is not None and utcnow() - mark.scanned_to < timedelta(minutes=1)
    older = reflect(app, c.private[0], "月初就想信访", shanghai("2026-11-02 09:00"))
    result = analyse(app, "month", 2026, 11)
    assert result["watch"] == {"new": 1, "open": 2}
    assert {source_id for _, source_id, _ in _hits(app)} == {first, older}
