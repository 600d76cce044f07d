"""活动 in the console: create and edit a campaign with the `campaign` CLI's checks (each problem
beside its field, nothing written), a double submit, requirements added and removed, progress
per organisation and per member as campaigns.progress counts it (and changing after a
read), the .xlsx, 提醒未完成的党员 once a week, 结束活动, and contacts' read-only scope."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot import keys
from bot.extensions import redis_store
from campaigns import progress
from campaigns.campaigns import create_campaign, require, set_required_hours
from models import (
    AuditEntry,
    Campaign,
    CampaignItem,
    Lecture,
    MaterialRead,
    Member,
    Nudge,
    OutboundMessage,
    Push,
    Tag,
    Topic,
    db,
)
from participation.ledger import record
from tests.console_helpers import World, build_world, login_as, post
from tests.helpers import written
from tests.study_helpers import make_library

NOW = "2026-12-01 10:00"  # a Tuesday morning in Shanghai, outside the quiet hours
TODAY = date(2026, 12, 1)
KEY = "campaign-form-key-0123456789"
NAME = "2026年冬训"  # the library's 守岛人 and 学习党章 name it
ERROR = re.compile(r'<span class="field-error" id="error-(\w+)">([^<]*)</span>')


@pytest.fixture
def admin(app: Flask, make_member, sandbox, travel) -> tuple[FlaskClient, World, dict[str, int]]:
    """At NOW: the console world, the study library, a confirmed and an unconfirmed lecture
    in December, and an admin logged in."""
    travel(NOW)
    world = build_world(app, make_member)
    ids: dict[str, int] = dict(make_library(app))
    with app.app_context():
        topic = Topic(slug="red-boat", title="从红船到复兴号")
        db.session.add(topic)
        db.session.flush()
        starts = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
        confirmed = Lecture(topic_id=topic.id, lecturer_id=world.lecturer_id, starts_at=starts,
                            ends_at=starts + timedelta(hours=2), checkin_code="123456",
                            accepted_at=starts - timedelta(days=5))
        unconfirmed = Lecture(topic_id=topic.id, lecturer_id=world.lecturer_id,
                              starts_at=starts + timedelta(days=7),
                              ends_at=starts + timedelta(days=7, hours=2), checkin_code="223344")
        db.session.add_all([confirmed, unconfirmed, Tag(wecom_tag_id=7, name="青年党员")])
        db.session.commit()
        ids.update(lecture=confirmed.id, unconfirmed=unconfirmed.id)
    client = app.test_client()
    assert login_as(client, sandbox, world.admin).status_code == 303
    return client, world, ids


def valid_form(world: World, **changes: Any) -> dict[str, Any]:
    """A 新建活动 form that passes every check (华芯 and 远景, through the winter), changed."""
    form: dict[str, Any] = {"form_key": KEY, "name": NAME, "kind": "winter_training",
                            "starts_on": "2026-11-15", "ends_on": "2027-02-28",
                            "audience_kind": "orgs",
                            "orgs": [str(world.org_here), str(world.org_other)]}
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def text(response: Any) -> str:
    """A response's page."""
    return response.get_data(as_text=True)


def field_errors(page: str) -> dict[str, str]:
    """Every problem shown beside a field: field name → message."""
    return {name: html.unescape(message) for name, message in ERROR.findall(page)}


def beside(page: str, name: str) -> bool:
    """True when the field's error sits inside the field's own label (or the audience's
    fieldset, for the audience)."""
    field = "audience_kind" if name == "audience" else name
    start = page.index(f'name="{field}"')
    close = page.find("</fieldset>" if name == "audience" else "</label>", start)
    return f'id="error-{name}"' in page[start:close]


def state(app: Flask) -> tuple[Any, ...]:
    """Everything a campaign write could change: campaigns, items, audit rows, nudges."""
    with app.app_context():
        campaigns = tuple(db.session.execute(select(
            Campaign.id, Campaign.name, Campaign.kind, Campaign.starts_on, Campaign.ends_on,
            Campaign.audience, Campaign.required_hours).order_by(Campaign.id)).all())
        items = tuple(db.session.execute(select(CampaignItem.id, CampaignItem.kind,
                                                CampaignItem.count)).all())
        audits = db.session.scalar(select(func.count(AuditEntry.id)))
        nudged = db.session.scalar(select(func.count(Nudge.id)))
        return campaigns, items, audits, nudged


def audits(app: Flask, action: str) -> list[AuditEntry]:
    """The audit entries of one action, oldest first (detached)."""
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                       .order_by(AuditEntry.id)))
        db.session.expunge_all()
        return rows


def make_campaign(app: Flask, world: World, name: str = NAME, starts: date = date(2026, 11, 15),
                  ends: date = date(2027, 2, 28), audience: dict[str, Any] | None = None) -> int:
    """A campaign made as the CLI makes it; its id."""
    with app.app_context():
        campaign = create_campaign("test", name, "winter_training", starts, ends, audience or {
            "kind": "orgs", "values": [world.org_here, world.org_other]})
        db.session.commit()
        return campaign.id


def member_id(app: Flask, userid: str) -> int:
    """A member's id."""
    with app.app_context():
        return int(db.session.scalar(select(Member.id).where(Member.userid == userid)))


# -- create and edit ---------------------------------------------------------------------


def test_admin_creates_a_campaign(app: Flask, admin):
    """Does the form offer date pickers and the audience boxes, and create the campaign
    (audited with before and after) for the organisations ticked?"""
    client, world, _ids = admin
    page = text(client.get("/console/campaigns/new"))
    assert 'type="date" name="starts_on" value="2026-12-01"' in page
    assert 'type="date" name="ends_on"' in page and 'name="form_key"' in page
    assert f'name="orgs" value="{world.org_here}"' in page and 'name="tags" value="7"' in page
    assert 'name="roles" value="contact"' in page and 'value="campaign"' not in page
    answer = post(client, "/console/campaigns/new", valid_form(world))
    assert answer.status_code == 303
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        assert answer.headers["Location"].endswith(f"/console/campaigns/{campaign.id}")
        assert (campaign.name, campaign.kind) == (NAME, "winter_training")
        assert (campaign.starts_on, campaign.ends_on) == (date(2026, 11, 15), date(2027, 2, 28))
        assert campaign.audience == {"kind": "orgs", "values": [world.org_here, world.org_other]}
        assert campaign.created_by == world.admin
    [entry] = audits(app, "campaign.add")
    assert entry.actor == world.admin and entry.detail["before"] is None
    assert entry.detail["after"]["audience"]["values"] == [world.org_here, world.org_other]
    page = text(client.get(answer.headers["Location"]))
    assert "活动「2026年冬训」已创建" in page and "华芯党支部" in page
    listing = text(client.get("/console/campaigns"))
    assert NAME in listing and "进行中" in listing and "党组织 华芯党支部、远景党支部" in listing


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": "  "}, "name", "请填写 1–100 个字的名称。"),
    ({"name": "冬" * 101}, "name", "请填写 1–100 个字的名称。"),
    ({"name": "已有的活动"}, "name", "已有同名的活动。"),
    ({"kind": "party"}, "kind", "请选择活动类型。"),
    ({"starts_on": ""}, "starts_on", "请选择开始日期。"),
    ({"starts_on": "2026-13-01"}, "starts_on", "请按“年-月-日”填写日期。"),
    ({"ends_on": "明年"}, "ends_on", "请按“年-月-日”填写日期。"),
    ({"ends_on": "2026-11-01"}, "ends_on", "结束日期不能早于开始日期。"),
    ({"audience_kind": None}, "audience", "请选择活动对象：全体党员、党组织、标签或角色。"),
    ({"audience_kind": "idle"}, "audience", "请选择活动对象：全体党员、党组织、标签或角色。"),
    ({"audience_kind": "campaign"}, "audience", "活动对象不能是另一个活动。"),
    ({"orgs": []}, "audience", "请至少勾选一项。"),
    ({"orgs": ["99999"]}, "audience", "党组织“99999”不存在。"),
    ({"audience_kind": "roles", "roles": ["boss"]}, "audience", "没有这个角色：boss。"),
    ({"audience_kind": "tags", "tags": ["8"]}, "audience", "标签 8 不在名册中。"),
])
def test_each_wrong_field_is_shown_beside_it(app: Flask, admin, changes: dict[str, Any],
                                             field: str, message: str):
    """Is each wrong field refused (400) with its Chinese message beside it, the rest of the
    form kept as typed, and nothing written?"""
    client, world, _ids = admin
    make_campaign(app, world, "已有的活动")
    before, rows = written(app), state(app)
    answer = post(client, "/console/campaigns/new", valid_form(world, **changes))
    page = text(answer)
    assert answer.status_code == 400
    assert field_errors(page) == {field: message}
    assert beside(page, field), field
    assert "有 1 处需要修改，未保存。" in page
    assert written(app) == before and state(app) == rows


@pytest.mark.parametrize(("args", "message"), [
    (("--from", "2026-11-15", "--to", "2027-02-28", "--tag", "8"), "no WeCom tag 8 in the roster"),
    (("--from", "2026-13-01", "--to", "2027-02-28", "--all"), "'2026-13-01': use YYYY-MM-DD"),
    (("--from", "2026-11-15", "--to", "2027-02-28", "--org", "华芯"),
     "no organisation named '华芯'; did you mean: 华芯党支部"),
])
def test_the_cli_refuses_as_the_form_does(app: Flask, admin, args: tuple[str, ...],
                                          message: str):
    """Does `campaign add` go through the same checks (one shared rule set), nothing written?"""
    before = written(app)
    result = app.test_cli_runner().invoke(args=["campaign", "add", NAME, *args])
    assert result.exit_code != 0 and message in result.output, result.output
    assert written(app) == before


def test_several_wrong_fields_at_once_and_a_missing_key(app: Flask, admin):
    """Are all problems shown together, and a form without its one-time key refused?"""
    client, world, _ids = admin
    before = written(app)
    page = text(post(client, "/console/campaigns/new",
                     valid_form(world, name="", starts_on="x", orgs=[])))
    assert set(field_errors(page)) == {"name", "starts_on", "audience"}
    assert "有 3 处需要修改" in page
    refused = post(client, "/console/campaigns/new", valid_form(world, form_key="short"))
    assert refused.status_code == 400 and "表单已失效" in text(refused)
    assert written(app) == before


def test_a_double_submit_creates_one_campaign(app: Flask, admin):
    """Is the same form (its one-time key) submitted twice one campaign, the second sent to
    it (or to the list while the first is still being created)?"""
    client, world, _ids = admin
    first = post(client, "/console/campaigns/new", valid_form(world))
    second = post(client, "/console/campaigns/new", valid_form(world))
    assert first.headers["Location"] == second.headers["Location"]
    assert "这张表单已经提交过" in text(client.get(second.headers["Location"]))
    with app.app_context():
        assert db.session.scalar(select(func.count(Campaign.id))) == 1
    assert len(audits(app, "campaign.add")) == 1
    with app.app_context():  # the same form being created by another request at this moment
        redis_store.client.set(keys.campaign_form(KEY + "-racing"), "pending")
    racing = post(client, "/console/campaigns/new",
                  valid_form(world, form_key=KEY + "-racing", name="主题活动"))
    assert racing.headers["Location"].endswith("/console/campaigns")
    with app.app_context():
        assert db.session.scalar(select(func.count(Campaign.id))) == 1
    again = post(client, "/console/campaigns/new",
                 valid_form(world, form_key=KEY + "-another", name="主题活动"))
    assert again.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(Campaign.id))) == 2


def test_edit_saves_with_before_and_after(app: Flask, admin):
    """Does 编辑 show the stored fields (a CLI audience named by organisation names too), save
    a change with before and after, and say when nothing changed?"""
    client, world, _ids = admin
    campaign_id = make_campaign(app, world, audience={"kind": "orgs", "values": ["华芯党支部"]})
    page = text(client.get(f"/console/campaigns/{campaign_id}/edit"))
    assert f'name="orgs" value="{world.org_here}" checked' in page
    assert 'name="form_key"' not in page
    answer = post(client, f"/console/campaigns/{campaign_id}/edit", valid_form(
        world, form_key=None, kind="theme", ends_on="2027-01-31", audience_kind="roles",
        roles=["contact"]))
    assert answer.status_code == 303
    assert "已保存" in text(client.get(answer.headers["Location"]))
    [entry] = audits(app, "campaign.edit")
    assert entry.detail["before"]["kind"] == "winter_training"
    assert entry.detail["after"]["kind"] == "theme"
    assert entry.detail["before"]["audience"] == {"kind": "orgs", "values": ["华芯党支部"]}
    assert entry.detail["after"]["audience"] == {"kind": "roles", "values": ["contact"]}
    assert entry.detail["after"]["ends_on"] == "2027-01-31"
    same = post(client, f"/console/campaigns/{campaign_id}/edit", valid_form(
        world, form_key=None, kind="theme", ends_on="2027-01-31", audience_kind="roles",
        roles=["contact"]))
    assert "没有修改。" in text(client.get(same.headers["Location"]))
    assert len(audits(app, "campaign.edit")) == 1


def test_edit_refuses_what_the_checks_refuse(app: Flask, admin):
    """Are a bad edit, a rename of a campaign that materials name, and new dates leaving out
    a required lecture refused beside their field, nothing written; and is a campaign nothing
    names renamed?"""
    client, world, ids = admin
    campaign_id = make_campaign(app, world)
    other_id = make_campaign(app, world, "主题活动")
    with app.app_context():
        require("test", db.session.get(Campaign, campaign_id), lecture=ids["lecture"])
        db.session.commit()
    before, rows = written(app), state(app)
    url = f"/console/campaigns/{campaign_id}/edit"
    cases = [({"ends_on": "2026-11-01"}, "ends_on", "结束日期不能早于开始日期。"),
             ({"name": "主题活动"}, "name", "已有同名的活动。"),
             ({"name": "2026冬训"}, "name",
              "已有 2 篇学习材料、0 个推送、0 个待发群发按名称关联此活动，不能改名。"),
             ({"ends_on": "2026-12-02"}, "ends_on",
              "要求参加的宣讲“从红船到复兴号（12月3日 14:00）”在 2026-12-03，不在新的时间内；"
              "请先移除这项要求。")]
    for changes, field, message in cases:
        page = text(post(client, url, valid_form(world, form_key=None, **changes)))
        assert field_errors(page) == {field: message}, changes
        assert beside(page, field)
    assert written(app) == before and state(app) == rows
    renamed = post(client, f"/console/campaigns/{other_id}/edit",
                   valid_form(world, form_key=None, name="2026年主题活动"))
    assert renamed.status_code == 303
    with app.app_context():
        assert db.session.get(Campaign, other_id).name == "2026年主题活动"


def test_a_push_to_the_campaign_keeps_its_name(app: Flask, admin):
    """Is a campaign a live push is addressed to (by name) kept from being renamed?"""
    client, world, ids = admin
    campaign_id = make_campaign(app, world, "主题活动")
    with app.app_context():
        db.session.add(Push(material_id=ids["shoudaoren"], created_by="test",
                            audience={"kind": "campaign", "values": ["主题活动"]}))
        db.session.commit()
    page = text(post(client, f"/console/campaigns/{campaign_id}/edit",
                     valid_form(world, form_key=None, name="新名字")))
    assert "0 篇学习材料、1 个推送" in field_errors(page)["name"]


# -- requirements ------------------------------------------------------------------------


def test_requirements_are_added_and_removed(app: Flask, admin):
    """Are a material, a lecture of the period, N reflections and hours added (audited), each
    wrong one refused beside its field with nothing written, and an item removed?"""
    client, world, ids = admin
    campaign_id = make_campaign(app, world)
    base = f"/console/campaigns/{campaign_id}"
    page = text(client.get(base))
    assert 'value="shoudaoren"' in page and f'value="{ids["lecture"]}"' in page
    assert f'value="{ids["unconfirmed"]}" disabled' in page
    for data in ({"kind": "material", "material": "shoudaoren"},
                 {"kind": "lecture", "lecture": str(ids["lecture"])},
                 {"kind": "reflections", "reflections": "2"}):
        answer = post(client, f"{base}/items", data)
        assert answer.status_code == 303, text(answer)
    assert post(client, f"{base}/hours", {"hours": "4.5"}).status_code == 303
    page = text(client.get(base))
    assert "读完学习材料《守岛人》" in page and "参加宣讲：从红船到复兴号" in page
    assert "提交心得 2 篇" in page and "活动期间学时达到 4.5" in page
    assert 'value="shoudaoren"' not in page  # already required: no longer offered
    assert len(audits(app, "campaign.require")) == 3 and len(audits(app, "campaign.hours")) == 1
    first = audits(app, "campaign.require")[0]
    assert first.detail["before"] == [] and first.detail["after"][0]["title"] == "守岛人"
    before, rows = written(app), state(app)
    wrong = [({"kind": "material", "material": "shoudaoren"}, "material",
              "已经要求读完《守岛人》。"),
             ({"kind": "material", "material": ""}, "material", "请选择一篇学习材料。"),
             ({"kind": "lecture", "lecture": str(ids["unconfirmed"])}, "lecture",
              "这场宣讲的讲师还没有确认接单。"),
             ({"kind": "lecture", "lecture": "abc"}, "lecture", "请填写整数。"),
             ({"kind": "lecture", "lecture": "99999"}, "lecture", "请选择一场宣讲。"),
             ({"kind": "reflections", "reflections": "0"}, "reflections",
              "请填写不小于 1 的整数。"),
             ({"kind": "reflections", "reflections": "3"}, "reflections",
              "已经要求提交心得；要改篇数，请先移除原来的要求。"),
             ({"kind": "other"}, "form", "请选择一项学习要求。")]
    for data, field, message in wrong:
        answer = post(client, f"{base}/items", data)
        assert answer.status_code == 400
        page = text(answer)
        if field == "form":
            assert message in page
        else:
            assert field_errors(page) == {field: message}, data
            assert beside(page, field)
    for hours, message in (("501", "请填写 0–500 之间的数。"), ("-1", "请填写 0–500 之间的数。"),
                           ("很多", "请填写数字。"), ("nan", "请填写数字。")):
        page = text(post(client, f"{base}/hours", {"hours": hours}))
        assert field_errors(page) == {"hours": message}, hours
    assert written(app) == before and state(app) == rows
    with app.app_context():
        item_id = db.session.scalars(select(CampaignItem.id).where(
            CampaignItem.material_id == ids["shoudaoren"])).one()
    removed = post(client, f"{base}/items/{item_id}/remove")
    assert removed.status_code == 303
    assert "已移除学习要求：读完学习材料《守岛人》" in text(client.get(removed.headers["Location"]))
    assert post(client, f"{base}/items/{item_id}/remove").status_code == 404
    [entry] = audits(app, "campaign.unrequire")
    assert len(entry.detail["before"]) == 3 and len(entry.detail["after"]) == 2
    other_id = make_campaign(app, world, "主题活动")
    with app.app_context():
        other_item = require("test", db.session.get(Campaign, other_id), reflections=1).id
        db.session.commit()
    assert post(client, f"{base}/items/{other_item}/remove").status_code == 404


def test_a_lecture_outside_the_period_is_refused(app: Flask, admin):
    """Is a lecture of another period refused, as the CLI refuses it?"""
    client, world, ids = admin
    campaign_id = make_campaign(app, world, starts=date(2027, 1, 1), ends=date(2027, 1, 31))
    page = text(post(client, f"/console/campaigns/{campaign_id}/items",
                     {"kind": "lecture", "lecture": str(ids["lecture"])}))
    assert field_errors(page) == {"lecture": "这场宣讲在 2026-12-03，不在活动时间内。"}


# -- progress ----------------------------------------------------------------------------


def _required(app: Flask, campaign_id: int) -> None:
    """守岛人 to finish and 1 study hour."""
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        require("test", campaign, material="shoudaoren")
        set_required_hours("test", campaign, 1)
        db.session.commit()


def _finish(app: Flask, who: int, material: int) -> None:
    """The member finished reading the material now (as the reading page records it)."""
    now = datetime.now(UTC)
    with app.app_context():
        db.session.add(MaterialRead(member_id=who, material_id=material, first_opened_at=now,
                                    last_opened_at=now, completed_at=now))
        record(who, "material_completed", f"material:{material}", now)
        db.session.commit()


def test_progress_figures_match_participation_progress(app: Flask, admin):
    """Are the cards, the rows per organisation and each member's status what
    campaigns.progress counts?"""
    client, world, ids = admin
    campaign_id = make_campaign(app, world)
    _required(app, campaign_id)
    author, plain = member_id(app, "c-author"), member_id(app, "c-plain")
    _finish(app, author, ids["shoudaoren"])
    _finish(app, author, ids["zhangcheng"])  # 0.5 + 0.5 hours: everything done
    _finish(app, plain, ids["dangshi-1"])  # some hours, not the material
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        found = progress.progress(campaign, progress.audience_ids(campaign))
        rows = progress.by_organization(found)
        total = progress.totals(rows)
        statuses = {db.session.get(Member, m).name: s.status for m, s in found.items()}
    assert (total.members, total.done, total.in_progress, total.not_started) == (4, 1, 1, 2)
    page = text(client.get(f"/console/campaigns/{campaign_id}"))
    assert f'id="total-members">{total.members}<' in page
    assert f'id="total-done">{total.done}<' in page
    assert f'id="total-in-progress">{total.in_progress}<' in page
    assert f'id="total-not-started">{total.not_started}<' in page
    assert f'id="total-rate">{100 * total.rate:.1f}%<' in page
    cells = re.findall(r"<tr><td><a [^>]*>([^<]+)</a></td><td>(\d+)</td><td>(\d+)</td>"
                       r"<td>(\d+)</td><td>(\d+)</td>", page)
    assert cells == [(r.name, str(r.members), str(r.done), str(r.in_progress),
                      str(r.not_started)) for r in rows]
    members = text(client.get(f"/console/campaigns/{campaign_id}/members"))
    shown = dict(re.findall(r'<tr data-member="\d+"><td>([^<]+)</td><td>[^<]*</td>\s*'
                            r'<td class="status">([^<]+)</td>', members))
    names = {"done": "已全部完成", "in_progress": "进行中", "not_started": "未开始"}
    assert shown == {name: names[status] for name, status in statuses.items()}
    only_done = text(client.get(f"/console/campaigns/{campaign_id}/members?status=done"))
    assert "党员丁" in only_done and "党员戊" not in only_done
    here = text(client.get(f"/console/campaigns/{campaign_id}/members?org={world.org_here}"))
    assert "党员丁" in here and "党员戊" not in here


def test_a_members_progress_changes_after_reading(app: Flask, admin):
    """Does a member's line move from 未开始 to 进行中 to 已全部完成 as they read?"""
    client, world, ids = admin
    campaign_id = make_campaign(app, world)
    _required(app, campaign_id)
    author = member_id(app, "c-author")
    url = f"/console/campaigns/{campaign_id}/members?org={world.org_here}"

    def line() -> tuple[str, str]:
        found = re.search(rf'<tr data-member="{author}">.*?<td class="status">([^<]+)</td>\s*'
                          r'<td class="missing">([^<]*)</td>', text(client.get(url)), re.S)
        assert found, "no line for the member"
        return found.group(1), html.unescape(found.group(2))

    assert line() == ("未开始", "守岛人、学时 0/1")
    _finish(app, author, ids["zhangcheng"])
    assert line() == ("进行中", "守岛人、学时 0.5/1")
    _finish(app, author, ids["shoudaoren"])
    assert line() == ("已全部完成", "—")


def test_members_are_paged(app: Flask, admin, make_member):
    """Is the member list paged (30 a page)?"""
    client, world, _ids = admin
    for number in range(31):
        make_member(f"p-{number:02d}", f"党员{number:02d}", org="华芯党支部")
    campaign_id = make_campaign(app, world)
    first = text(client.get(f"/console/campaigns/{campaign_id}/members"))
    assert first.count("<tr data-member=") == 30 and "第 1 / 2 页，共 35 条" in first
    second = text(client.get(f"/console/campaigns/{campaign_id}/members?page=2"))
    assert second.count("<tr data-member=") == 5


def test_export_holds_organisations_and_members(app: Flask, admin):
    """Does the .xlsx open with openpyxl, with a row per organisation and the total, and a
    row per member with each item, as campaigns.progress counts them (audited)?"""
    client, world, ids = admin
    campaign_id = make_campaign(app, world)
    _required(app, campaign_id)
    author = member_id(app, "c-author")
    _finish(app, author, ids["shoudaoren"])
    _finish(app, author, ids["zhangcheng"])
    page = text(client.get(f"/console/campaigns/{campaign_id}"))
    assert f'href="/console/reports/campaigns/{campaign_id}.xlsx"' in page
    answer = client.get(f"/console/reports/campaigns/{campaign_id}.xlsx")
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["活动进度", "党员进度"]
    orgs = list(book["活动进度"].iter_rows(values_only=True))
    assert orgs[0][0] == "党组织" and orgs[-1][:5] == ("合计", 4, 1, 0, 3)
    assert sorted(r[0] for r in orgs[1:-1]) == ["华芯党支部", "远景党支部"]
    people = list(book["党员进度"].iter_rows(values_only=True))
    assert people[0] == ("姓名", "账号", "党组织", "状态", "读完学习材料《守岛人》", "活动期间学时",
                         "要求学时")
    by_name = {r[0]: r for r in people[1:]}
    assert set(by_name) == {"联络员甲", "党员丁", "联络员乙", "党员戊"}
    assert by_name["党员丁"] == ("党员丁", "c-author", "华芯党支部", "已全部完成", "已完成", 1, 1)
    assert by_name["党员戊"][3:5] == ("未开始", "未完成")
    assert audits(app, "report.campaign")[0].detail["rows"] == 2


# -- reminders and closing ---------------------------------------------------------------


def _outbound(app: Flask) -> list[OutboundMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))
        db.session.expunge_all()
        return rows


def test_the_nudge_reminds_those_behind_once_a_week(app: Flask, admin, travel, sandbox):
    """Does 提醒未完成的党员 remind the members not done (one message, audited), say how many,
    and remind nobody twice in the week; and not in the quiet hours?"""
    client, world, ids = admin
    campaign_id = make_campaign(app, world)
    _required(app, campaign_id)
    author = member_id(app, "c-author")
    _finish(app, author, ids["shoudaoren"])
    _finish(app, author, ids["zhangcheng"])  # done: not reminded
    url = f"/console/campaigns/{campaign_id}/nudge"
    answer = post(client, url)
    assert answer.status_code == 303
    assert "已提醒 3 人（未完成 3 人" in text(client.get(answer.headers["Location"]))
    [message] = _outbound(app)
    assert sorted(message.touser.split("|")) == ["c-here", "c-other", "c-plain"]
    assert "「2026年冬训」将于2月28日结束" in message.payload["text"]["content"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Nudge.id)).where(
            Nudge.kind == f"campaign:{campaign_id}", Nudge.period == "2026-W49")) == 3
    again = post(client, url)
    assert "本周都已提醒过" in text(client.get(again.headers["Location"]))
    assert len(_outbound(app)) == 1
    [first, second] = audits(app, "campaign.nudge")
    assert (first.detail["nudged"], second.detail["nudged"]) == (3, 0)
    assert first.detail["before"] == {"reminded_this_week": 0}
    assert second.detail["after"] == {"reminded_this_week": 3}
    travel("2026-12-01 22:00")
    client = app.test_client()  # the login of the morning has timed out
    login_as(client, sandbox, world.admin)
    before = written(app)
    quiet = post(client, url)
    assert "免打扰时段（21:00–08:00）" in text(client.get(quiet.headers["Location"]))
    assert written(app) == before
    travel("2026-12-08 10:00")  # next week: reminded again
    client = app.test_client()
    login_as(client, sandbox, world.admin)
    post(client, url)
    assert len(_outbound(app)) == 2
    for other in ("c-here", "c-other", "c-plain"):  # everyone done: nobody to remind
        _finish(app, member_id(app, other), ids["shoudaoren"])
        _finish(app, member_id(app, other), ids["zhangcheng"])
    nobody = post(client, url)
    assert "所有党员都已完成全部要求，无需提醒。" in text(client.get(nobody.headers["Location"]))
    assert len(_outbound(app)) == 2


def test_close_ends_the_campaign_today(app: Flask, admin):
    """Does 结束活动 set the last day to today (audited before and after), once; is an ended or
    upcoming campaign left alone, and may no one be nudged after it ended?"""
    client, world, _ids = admin
    campaign_id = make_campaign(app, world)
    page = text(client.get(f"/console/campaigns/{campaign_id}"))
    assert 'id="campaign-close"' in page
    answer = post(client, f"/console/campaigns/{campaign_id}/close")
    assert "已结束（最后一天：2026-12-01）" in text(client.get(answer.headers["Location"]))
    with app.app_context():
        assert db.session.get(Campaign, campaign_id).ends_on == TODAY
    [entry] = audits(app, "campaign.close")
    assert entry.detail["before"]["ends_on"] == "2027-02-28"
    assert entry.detail["after"]["ends_on"] == "2026-12-01"
    again = post(client, f"/console/campaigns/{campaign_id}/close")
    assert "无需再结束" in text(client.get(again.headers["Location"]))
    assert len(audits(app, "campaign.close")) == 1
    upcoming = make_campaign(app, world, "主题活动", date(2027, 3, 1), date(2027, 3, 31))
    before = state(app)
    refused = post(client, f"/console/campaigns/{upcoming}/close")
    page = text(client.get(refused.headers["Location"]))
    assert "活动 2027-03-01 才开始，无需结束" in page and 'id="campaign-close"' not in page
    assert 'id="campaign-nudge" disabled' in page
    nudged = post(client, f"/console/campaigns/{upcoming}/nudge")
    assert "活动不在进行中" in text(client.get(nudged.headers["Location"]))
    assert state(app) == before


# -- contacts ----------------------------------------------------------------------------


ADMIN_POSTS = ("/edit", "/items", "/items/{item}/remove", "/hours", "/nudge", "/close")


def test_contacts_see_their_own_organisations_read_only(app: Flask, admin, sandbox):
    """Does a contact see their organisations' rows and members only, no admin action, 404
    for another organisation, and 403 with nothing written on every admin route?"""
    _client, world, _ids = admin
    campaign_id = make_campaign(app, world)
    _required(app, campaign_id)
    with app.app_context():
        item = db.session.scalars(select(CampaignItem.id)).first()
    contact = app.test_client()
    assert login_as(contact, sandbox, world.contact_here).status_code == 303
    listing = text(contact.get("/console/campaigns"))
    assert NAME in listing and 'id="campaign-new"' not in listing
    page = text(contact.get(f"/console/campaigns/{campaign_id}"))
    assert "华芯党支部" in page and "远景党支部" not in page
    assert 'id="total-members">2<' in page
    for absent in ('id="require-material"', 'id="campaign-nudge"', 'id="campaign-close"',
                   'id="campaign-edit"', 'id="campaign-xlsx"', "remove-"):
        assert absent not in page, absent
    assert "读完学习材料《守岛人》" in page
    members = text(contact.get(f"/console/campaigns/{campaign_id}/members"))
    assert "党员丁" in members and "党员戊" not in members and "联络员乙" not in members
    assert contact.get(f"/console/campaigns/{campaign_id}/members?org={world.org_other}"
                       ).status_code == 404
    assert contact.get(f"/console/campaigns/{campaign_id}/members?org=0").status_code == 404
    assert contact.get(f"/console/campaigns/{campaign_id}/members?org={world.org_here}"
                       ).status_code == 200
    before, rows = written(app), state(app)
    for suffix in ADMIN_POSTS:
        url = f"/console/campaigns/{campaign_id}{suffix.format(item=item)}"
        answer = post(contact, url, {**valid_form(world, form_key=None, name="改名"),
                                     "kind": "reflections", "reflections": "1", "hours": "9"})
        assert answer.status_code == 403, url
    assert post(contact, "/console/campaigns/new", valid_form(world)).status_code == 403
    for url in ("/console/campaigns/new", f"/console/campaigns/{campaign_id}/edit",
                f"/console/reports/campaigns/{campaign_id}.xlsx"):
        assert contact.get(url).status_code == 403, url
    assert written(app) == before and state(app) == rows
    other = app.test_client()
    login_as(other, sandbox, world.contact_other)
    page = text(other.get(f"/console/campaigns/{campaign_id}"))
    assert "远景党支部" in page and "华芯党支部" not in page


def test_a_contact_outside_the_audience_sees_nothing_of_it(app: Flask, admin, sandbox):
    """Does a contact whose organisations are not in the audience see an empty, explained
    progress (no other organisation's figures)?"""
    _client, world, _ids = admin
    campaign_id = make_campaign(app, world, audience={"kind": "orgs",
                                                      "values": [world.org_other]})
    contact = app.test_client()
    login_as(contact, sandbox, world.contact_here)
    page = text(contact.get(f"/console/campaigns/{campaign_id}"))
    assert "您负责的党组织不在这次活动的对象中" in page and "远景党支部" not in page
    assert contact.get("/console/campaigns/99999").status_code == 404


def test_the_report_page_links_to_the_campaign(app: Flask, admin):
    """Does the 报表 campaign page (the same table) link to the campaign's own page?"""
    client, world, _ids = admin
    campaign_id = make_campaign(app, world)
    page = text(client.get(f"/console/reports/campaigns/{campaign_id}"))
    assert f'href="/console/campaigns/{campaign_id}"' in page and "华芯党支部" in page
