"""推送 in the console (admins): the 新建推送 form (preview, live count, each field's error, the
daily quota, a double submit), pause / resume / cancel, and each push's figures page.

The clock is set to 09:00 on 1 December 2026 in Shanghai (01:00 UTC) unless a test says
otherwise, so every time typed in a form is the committee's wall time on a known day.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bot import keys
from bot.extensions import redis_store
from models import (
    AuditEntry,
    Material,
    MaterialRead,
    Member,
    OutboundMessage,
    Push,
    PushOccurrence,
    PushStatus,
    Series,
    Tag,
    db,
)
from study.pushes import create_push, run_due
from tests.console_helpers import World, build_world, login_as, post
from tests.helpers import written
from tests.study_helpers import make_library

NOW = "2026-12-01 09:00"  # Shanghai
KEY = "form-key-0123456789abcdef"
KEY_FIELD = re.compile(r'name="form_key" value="([^"]+)"')


@pytest.fixture
def admin(app: Flask, make_member, sandbox, travel) -> tuple[FlaskClient, World, dict[str, int]]:
    """At NOW: the console world, the study library, and an admin logged in."""
    travel(NOW)
    world = build_world(app, make_member)
    ids = make_library(app)
    client = app.test_client()
    assert login_as(client, sandbox, world.admin).status_code == 303
    return client, world, ids


def form(ids: dict[str, int], **fields: Any) -> dict[str, Any]:
    """A valid 新建推送 form (shoudaoren to 华芯党支部 on 5 December at 15:00), overridden."""
    return {"what": f"material:{ids['shoudaoren']}", "msgtype": "news", "audience_kind": "orgs",
            "audience_value": "华芯党支部", "first_at": "2026-12-05T15:00", "repeat": "once",
            "form_key": KEY, "action": "create", **fields}


def pushes(app: Flask) -> list[Push]:
    """Every push, oldest first (detached)."""
    with app.app_context():
        rows = list(db.session.scalars(select(Push).order_by(Push.id)))
        db.session.expunge_all()
        return rows


def audits(app: Flask, action: str) -> list[AuditEntry]:
    """The audit entries of one action."""
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))
        db.session.expunge_all()
        return rows


def text(response: Any) -> str:
    """A response's page."""
    return response.get_data(as_text=True)


# -- the form ---------------------------------------------------------------------------


def test_form_previews_then_creates_at_the_committees_time(app: Flask, admin):
    """Does 预览 show the card as members get it and the count, writing nothing, and does 创建推送
    schedule it at 15:00 Shanghai = 07:00 UTC, audited, to the two active members?"""
    client, world, ids = admin
    blank = text(client.get("/console/pushes/new"))
    assert "守岛人" in blank and "系列：党史学习教育" in blank and 'type="datetime-local"' in blank
    assert 'min="2026-12-01T09:00"' in blank and KEY_FIELD.search(blank)
    before = written(app)
    preview = post(client, "/console/pushes/new", form(ids, action="preview"))
    page = text(preview)
    assert preview.status_code == 200 and 'id="push-preview"' in page
    assert "将发送给 2 人" in page and "王继才夫妇守岛三十二年" in page  # the card's summary
    assert "首次推送 2026-12-05 15:00，一次" in page and "党组织 华芯党支部" in page
    assert f'value="{KEY}"' in page  # the same one-time key goes on
    assert written(app) == before
    created = post(client, "/console/pushes/new", form(ids))
    assert created.status_code == 303
    [push] = pushes(app)
    assert created.headers["Location"].endswith(f"/console/pushes/{push.id}")
    assert push.next_at == datetime(2026, 12, 5, 7, 0, tzinfo=UTC)
    assert push.material_id == ids["shoudaoren"] and push.repeat == "once"
    assert push.audience == {"kind": "orgs", "values": [world.org_here]}
    assert push.created_by == "c-admin"
    [entry] = audits(app, "push.add")
    assert entry.target == f"push {push.id}" and entry.detail["recipients_now"] == 2
    detail = text(client.get(created.headers["Location"]))
    assert f"推送 {push.id} 已创建：首次 2026-12-05 15:00，当前对象 2 人。" in detail


def test_textcard_series_weekly_and_several_organisations(app: Flask, admin):
    """A series as a text card, weekly on Monday and Friday, to two organisations: is its first
    item previewed with the button, and the first time the first chosen day on or after the
    date typed (Thursday 3 December → Friday 4 December 08:30)?"""
    client, world, ids = admin
    with app.app_context():
        series_id = db.session.scalars(select(Series.id)).one()
    fields = form(ids, what=f"series:{series_id}", msgtype="textcard", repeat="weekly",
                  weekdays=["0", "4"], first_at="2026-12-03T08:30",
                  audience_value="华芯党支部、远景党支部")
    page = text(post(client, "/console/pushes/new", {**fields, "action": "preview"}))
    assert "开天辟地" in page and "中国共产党的诞生" in page
    assert '<p class="wecom-button">阅读</p>' in page
    assert "将发送给 4 人" in page and "每周 周一、周五" in page
    assert "首次推送 2026-12-04 08:30" in page
    assert post(client, "/console/pushes/new", fields).status_code == 303
    [push] = pushes(app)
    assert push.series_id == series_id and push.material_id is None
    assert push.msgtype == "textcard" and push.weekdays == [0, 4]
    assert push.next_at == datetime(2026, 12, 4, 0, 30, tzinfo=UTC)
    assert push.audience == {"kind": "orgs", "values": [world.org_here, world.org_other]}


def test_idle_and_role_audiences(app: Flask, admin):
    """本月未参学 names this month; 书记 is the contact role; is each counted live and stored?"""
    client, _world, ids = admin
    idle = client.get("/console/pushes/audience", query_string={"audience_kind": "idle"})
    assert idle.get_json() == {"count": 6, "text": "将发送给 6 人"}
    roles = client.get("/console/pushes/audience", query_string={
        "audience_kind": "roles", "audience_value": "书记、讲师"}).get_json()
    assert roles["count"] == 3
    unknown = client.get("/console/pushes/audience", query_string={
        "audience_kind": "orgs", "audience_value": "华芯党支部、没有这个支部"}).get_json()
    assert unknown["count"] == 0 and "没有这个支部" in unknown["text"]
    assert post(client, "/console/pushes/new", form(
        ids, audience_kind="idle", audience_value="")).status_code == 303
    assert pushes(app)[0].audience == {"kind": "idle", "values": ["2026-12"]}


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"what": ""}, "what", "请选择要推送的学习材料或系列。"),
    ({"what": "material:999"}, "what", "找不到这份学习材料或系列"),
    ({"what": "inactive"}, "what", "找不到这份学习材料或系列"),
    ({"what": "empty-series"}, "what", "这个系列没有可推送的材料。"),
    ({"what": "nonsense"}, "what", "找不到这份学习材料或系列"),
    ({"msgtype": "fax"}, "msgtype", "请选择消息形式。"),
    ({"audience_kind": "planets"}, "audience", "请选择推送对象。"),
    ({"audience_value": ""}, "audience", "请填写党组织名称"),
    ({"audience_value": "没有这个支部"}, "audience", "没有这个支部"),
    ({"audience_kind": "tags", "audience_value": "空标签"}, "audience", "无人可发"),
    ({"audience_kind": "roles", "audience_value": "主席"}, "audience", "书记"),
    ({"first_at": ""}, "first_at", "请选择推送时间。"),
    ({"first_at": "明天上午"}, "first_at", "2026-12-05 15:00"),
    ({"first_at": "2026-12-01T08:58"}, "first_at", "不早于现在"),  # two minutes ago
    ({"repeat": "hourly"}, "repeat", "请选择频率。"),
    ({"repeat": "weekly"}, "weekdays", "每周推送请至少选择一天。"),
    ({"repeat": "weekly", "weekdays": ["7"]}, "weekdays", "每周推送请至少选择一天。"),
])
def test_each_wrong_field_is_shown_beside_it(app: Flask, admin, fields: dict[str, Any],
                                             field: str, message: str):
    """Is each wrong field refused (400) with its message beside it, and nothing written?"""
    client, _world, ids = admin
    with app.app_context():
        db.session.add(Tag(wecom_tag_id=77, name="空标签"))
        hidden = db.session.get(Material, ids["zhangcheng"])
        hidden.active = False
        empty = Series(title="空系列")
        db.session.add(empty)
        db.session.commit()
        named = {"inactive": f"material:{hidden.id}", "empty-series": f"series:{empty.id}"}
    if fields.get("what") in named:
        fields = {**fields, "what": named[fields["what"]]}
    before = written(app)
    answer = post(client, "/console/pushes/new", form(ids, **fields))
    page = text(answer)
    assert answer.status_code == 400
    found = re.search(rf'<span class="field-error" id="error-{field}">([^<]*)</span>', page)
    assert found and message in found.group(1), page
    assert f'aria-describedby="error-{field}"' in page
    assert 'id="push-preview"' not in page
    assert written(app) == before


def test_the_form_without_its_key_is_refused(app: Flask, admin):
    """Is a form without a well-formed one-time key refused, nothing written?"""
    client, _world, ids = admin
    before = written(app)
    for key in ("", "short", "x" * 65, "bad key with spaces!"):
        answer = post(client, "/console/pushes/new", form(ids, form_key=key))
        assert answer.status_code == 400 and 'id="error-form"' in text(answer)
    assert written(app) == before


def test_over_the_daily_quota_is_refused_today_only(app: Flask, admin):
    """With today's quota used up (6 members × 200), is a push later today refused with the
    quota message and nothing written — and the same push tomorrow accepted?"""
    client, _world, ids = admin
    with app.app_context():
        db.session.add(OutboundMessage(touser="|".join(f"u{n}" for n in range(1200)),
                                       payload={"msgtype": "text"}))
        db.session.commit()
    before = written(app)
    today = post(client, "/console/pushes/new", form(ids, first_at="2026-12-01T15:00"))
    page = text(today)
    assert today.status_code == 400
    assert "超过今日群发额度" in page and "今天已发 1200 人次，本次 2 人" in page
    assert written(app) == before
    tomorrow = post(client, "/console/pushes/new", form(ids, first_at="2026-12-02T15:00"))
    assert tomorrow.status_code == 303 and len(pushes(app)) == 1


def test_a_double_submit_creates_one_push(app: Flask, admin):
    """Is the same form (its one-time key) submitted twice one push, the second sent to it
    (or to the list while the first is still being created)?"""
    client, _world, ids = admin
    first = post(client, "/console/pushes/new", form(ids))
    second = post(client, "/console/pushes/new", form(ids))
    [push] = pushes(app)
    assert first.headers["Location"] == second.headers["Location"]
    assert second.headers["Location"].endswith(f"/console/pushes/{push.id}")
    assert "这张表单已经提交过，没有重复创建推送。" in text(client.get(second.headers["Location"]))
    assert len(audits(app, "push.add")) == 1
    other = post(client, "/console/pushes/new", form(ids, form_key=KEY + "-another"))
    assert other.status_code == 303 and len(pushes(app)) == 2
    with app.app_context():  # the same form being created by another request at this moment
        redis_store.client.set(keys.push_form(KEY + "-racing"), "pending")
    racing = post(client, "/console/pushes/new", form(ids, form_key=KEY + "-racing"))
    assert racing.headers["Location"].endswith("/console/pushes") and len(pushes(app)) == 2


# -- pause, resume, cancel --------------------------------------------------------------


def _daily(app: Flask, ids: dict[str, int], first: datetime, repeat: str = "daily") -> int:
    """A push of shoudaoren to everyone from `first` (created as if a week ago)."""
    with app.app_context():
        row = create_push("test", {"kind": "all"}, first,
                          material=db.session.get(Material, ids["shoudaoren"]), repeat=repeat,
                          now=first - timedelta(days=7))
        db.session.commit()
        return row.id


def _status(app: Flask, push_id: int) -> tuple[str, datetime | None]:
    with app.app_context():
        row = db.session.get(Push, push_id)
        return row.status, row.next_at


def test_pause_resume_cancel(app: Flask, admin):
    """Paused, is nothing sent though due; resumed, is the next time the first after now
    (the missed ones skipped); cancelled while paused, is it over — each audited, each button
    only where it applies?"""
    client, _world, ids = admin
    due = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # yesterday 09:00: due, not yet sent
    push_id = _daily(app, ids, due)
    listing = text(client.get("/console/pushes"))
    assert f'/console/pushes/{push_id}/pause"' in listing
    assert f'/console/pushes/{push_id}/resume"' not in listing
    paused = post(client, f"/console/pushes/{push_id}/pause")
    assert "已暂停，恢复前不会发送" in text(client.get(paused.headers["Location"]))
    assert _status(app, push_id) == (PushStatus.PAUSED, due)
    with app.app_context():
        assert run_due(datetime(2026, 12, 1, 1, 0, tzinfo=UTC)).occurrences == 0
        assert db.session.scalar(select(func.count()).select_from(PushOccurrence)) == 0
    listing = text(client.get("/console/pushes"))
    assert "已暂停" in listing and f'/console/pushes/{push_id}/resume"' in listing
    assert f'/console/pushes/{push_id}/pause"' not in listing
    again = post(client, f"/console/pushes/{push_id}/pause")
    assert "只有进行中的推送可以暂停" in text(client.get(again.headers["Location"]))
    resumed = post(client, f"/console/pushes/{push_id}/resume", {"back": "detail"})
    assert resumed.headers["Location"].endswith(f"/console/pushes/{push_id}")
    assert "已恢复，下次推送 2026-12-02 09:00" in text(client.get(resumed.headers["Location"]))
    assert _status(app, push_id) == (PushStatus.ACTIVE, datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    post(client, f"/console/pushes/{push_id}/pause")
    cancelled = post(client, f"/console/pushes/{push_id}/cancel")
    assert f"推送 {push_id} 已取消" in text(client.get(cancelled.headers["Location"]))
    assert _status(app, push_id) == (PushStatus.CANCELLED, None)
    refused = post(client, f"/console/pushes/{push_id}/resume")
    assert "只有已暂停的推送可以恢复" in text(client.get(refused.headers["Location"]))
    actions = [e.action for e in audits(app, "push.pause") + audits(app, "push.resume")
               + audits(app, "push.cancel")]
    assert sorted(actions) == ["push.cancel", "push.pause", "push.pause", "push.resume"]
    assert {e.actor for e in audits(app, "push.pause")} == {"c-admin"}


def test_a_one_off_whose_time_went_by_cannot_be_resumed(app: Flask, admin):
    """Is a one-off push paused past its time refused on resume (and left paused)?"""
    client, _world, ids = admin
    push_id = _daily(app, ids, datetime(2026, 11, 30, 1, 0, tzinfo=UTC), repeat="once")
    post(client, f"/console/pushes/{push_id}/pause")
    answer = post(client, f"/console/pushes/{push_id}/resume")
    assert "时间已在暂停期间过去，无法恢复" in text(client.get(answer.headers["Location"]))
    assert _status(app, push_id)[0] == PushStatus.PAUSED
    assert audits(app, "push.resume") == []


# -- figures ----------------------------------------------------------------------------


def test_figures_page(app: Flask, admin):
    """Does a push's page count, per occurrence, the members it reached and those who opened
    and completed its material since (a read before the push not counted), with the totals
    charted and the occurrences paged?"""
    client, _world, ids = admin
    due = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)
    push_id = _daily(app, ids, due)
    with app.app_context():
        assert run_due(due).recipients == 6
        members = {m.userid: m.id for m in db.session.scalars(select(Member))}
        later, earlier = due + timedelta(hours=2), due - timedelta(days=1)
        db.session.add_all([
            MaterialRead(member_id=members["c-author"], material_id=ids["shoudaoren"],
                         first_opened_at=later, last_opened_at=later, completed_at=later),
            MaterialRead(member_id=members["c-here"], material_id=ids["shoudaoren"],
                         first_opened_at=later, last_opened_at=later),
            MaterialRead(member_id=members["c-plain"], material_id=ids["shoudaoren"],
                         first_opened_at=earlier, last_opened_at=earlier, completed_at=earlier),
        ])
        db.session.add(PushOccurrence(push_id=push_id, due_at=due - timedelta(days=1),
                                      note="audience empty at send time"))
        db.session.commit()
    page = text(client.get(f"/console/pushes/{push_id}"))
    assert '<b id="total-sent">6</b>' in page and '<b id="total-opened">2</b>' in page
    assert '<b id="total-completed">1</b>' in page
    assert "2026-11-30 09:00" in page and "推送时对象为空" in page
    spec = json.loads(re.search(r'<script type="application/json" id="chart-push">(.*?)</script>',
                                page, re.S).group(1))
    assert spec["values"] == [6, 2, 1] and spec["labels"] == ["送达人数", "阅读人数", "读完人数"]
    assert "chart.umd.min.js" in page
    with app.app_context():
        db.session.add_all([PushOccurrence(push_id=push_id, due_at=due - timedelta(days=n),
                                           note="audience empty at send time")
                            for n in range(2, 35)])
        db.session.commit()
    first = text(client.get(f"/console/pushes/{push_id}"))
    assert "第 1 / 2 页，共 35 条" in first
    assert "第 2 / 2 页" in text(client.get(f"/console/pushes/{push_id}?page=2"))
    assert client.get("/console/pushes/999").status_code == 404


def test_the_push_list_is_paged(app: Flask, admin):
    """Is the push list paged (30 a page)?"""
    client, _world, ids = admin
    for day in range(31):
        _daily(app, ids, datetime(2026, 12, 2, 1, 0, tzinfo=UTC) + timedelta(days=day))
    assert "第 1 / 2 页，共 31 条" in text(client.get("/console/pushes"))
    assert "第 2 / 2 页" in text(client.get("/console/pushes?page=2"))


# -- only admins ------------------------------------------------------------------------


def test_non_admins_are_refused_with_nothing_written(app: Flask, make_member, sandbox, travel):
    """Does a contact get 403 on every push route with a valid form, and is nothing written?"""
    travel(NOW)
    world = build_world(app, make_member)
    ids = make_library(app)
    push_id = _daily(app, ids, datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    client = app.test_client()
    login_as(client, sandbox, world.contact_here)
    before = written(app)
    for path, data in [("/console/pushes/new", form(ids)),
                       ("/console/pushes/new", form(ids, action="preview")),
                       (f"/console/pushes/{push_id}/pause", {}),
                       (f"/console/pushes/{push_id}/resume", {}),
                       (f"/console/pushes/{push_id}/cancel", {})]:
        assert post(client, path, data).status_code == 403, path
    for path in ("/console/pushes/new", f"/console/pushes/{push_id}",
                 "/console/pushes/audience?audience_kind=all"):
        assert client.get(path).status_code == 403, path
    assert written(app) == before
    assert _status(app, push_id)[0] == PushStatus.ACTIVE
