"""宣讲菜单 in the console: the form checked as content/topics.yaml is, create, edit, retire,
restore (each audited with before and after), lecturers limited to the lecturer pool, a double
submit, `topics sync` leaving console work alone unless --force, and the chat's 点单 menu."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from bot.fields import Invalid
from lectures.topics import TopicsError, check_fields, lecturer_problem, sync_topics
from models import AuditEntry, Member, MemberStatus, RoleGrant, Topic, TopicLecturer, db
from tests.console.route_table import ADMIN_ONLY, TABLE
from tests.console_helpers import World, build_world, csrf_of, login_as, post

KEY = "k" * 24
ERROR = re.compile(r'<span class="field-error" id="error-(\w+)(?:-\d+)?">([^<]*)</span>')
MENU_YAML = """\
- slug: red-boat
  title: 从红船到复兴号
  summary: 党的百年奋斗历程。
  category: 党史
  minutes: 90
  modes: [offline, live]
  lecturers: [c-lect]

- slug: local-memory
  title: 家门口的红色印记
  category: 党史
  minutes: 60
  modes: [offline]
  lecturers: [c-lect, c-lect2]
"""


def valid_form(**changes: Any) -> dict[str, Any]:
    """A create form that passes every check, with some fields changed (None leaves one out)."""
    form: dict[str, Any] = {"form_key": KEY, "slug": "pioneer-stories", "title": "身边的先锋",
                            "category": "先进典型", "minutes": "45", "modes": ["offline", "live"],
                            "summary": "讲讲身边的优秀党员。", "lecturers": ["c-lect"]}
    form.update(changes)
    return {name: value for name, value in form.items() if value is not None}


def field_errors(page: str) -> dict[str, list[str]]:
    """Every problem shown beside a field: field name → messages."""
    found: dict[str, list[str]] = {}
    for name, message in ERROR.findall(page):
        found.setdefault(name, []).append(html.unescape(message))
    return found


def beside(page: str, name: str) -> bool:
    """True when the field's error sits inside the field's own label or fieldset."""
    start = page.index(f'name="{name}"')
    close = min(i for i in (page.find("</label>", start), page.find("</fieldset>", start))
                if i != -1)
    if name in ("modes", "lecturers"):
        close = page.find("</fieldset>", start)
    return f'id="error-{name}"' in page[start:close]


def state(app: Flask) -> tuple[Any, ...]:
    """Everything a topic write could change: the topics, their lecturers, the audit rows."""
    with app.app_context():
        topics = tuple(db.session.execute(select(
            Topic.id, Topic.slug, Topic.title, Topic.category, Topic.minutes, Topic.summary,
            Topic.active, Topic.edited_at).order_by(Topic.id)).all())
        links = tuple(db.session.execute(select(TopicLecturer.topic_id, TopicLecturer.member_id)
                                         .order_by(TopicLecturer.id)).all())
        audits = db.session.scalar(select(func.count(AuditEntry.id)))
        return topics, links, audits


def topic_by_slug(app: Flask, slug: str) -> Topic | None:
    """The topic with its lecturers' userids loaded, detached."""
    with app.app_context():
        topic = db.session.scalars(select(Topic).where(Topic.slug == slug)).first()
        if topic is None:
            return None
        topic.lecturer_userids = [link.member.userid for link in topic.lecturers]
        db.session.expunge_all()
        return topic


def audits(app: Flask, action: str) -> list[AuditEntry]:
    """Audit rows of one action, oldest first, detached."""
    with app.app_context():
        rows = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)
                                       .order_by(AuditEntry.id)))
        db.session.expunge_all()
        return rows


@pytest.fixture
def world(app: Flask, make_member) -> World:
    """The console world, a second lecturer and a lecturer who left."""
    made = build_world(app, make_member)
    make_member("c-lect2", "讲师庚", org="讲师团", roles=("lecturer",))
    gone = make_member("c-lect-gone", "已离开讲师", org="讲师团", roles=("lecturer",))
    with app.app_context():
        db.session.get(Member, gone.id).status = MemberStatus.LEFT
        db.session.commit()
    return made


@pytest.fixture
def admin(app: Flask, world: World, sandbox) -> FlaskClient:
    """A client logged in as the admin."""
    client = app.test_client()
    assert login_as(client, sandbox, world.admin).status_code == 303
    return client


def write_menu(tmp_path: Path, text: str = MENU_YAML) -> Path:
    """The menu text as a topics.yaml file."""
    path = tmp_path / "topics.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def sync(app: Flask, path: Path, *flags: str) -> Any:
    """`flask topics sync --file path` with flags; the result."""
    return app.test_cli_runner().invoke(args=["topics", "sync", "--file", str(path), *flags])


# -- the checks are the file's ----------------------------------------------------------


CASES = [  # (field, form change, the Chinese problem shown beside it)
    ("slug", {"slug": None}, "必填。"),
    ("slug", {"slug": "Red Boat"}, "只能由小写英文字母、数字和 - 组成，最多 100 个字符。"),
    ("slug", {"slug": "console-topic"}, "该标识已被专题《新时代的伟大变革》使用。"),
    ("title", {"title": "  "}, "必填。"),
    ("title", {"title": "长" * 201}, "不能超过 200 个字。"),
    ("category", {"category": None}, "必填。"),
    ("category", {"category": "类" * 51}, "不能超过 50 个字。"),
    ("summary", {"summary": "介" * 501}, "不能超过 500 个字。"),
    ("minutes", {"minutes": None}, "必填。"),
    ("minutes", {"minutes": "5"}, "请填写 15–240 之间的整数。"),
    ("minutes", {"minutes": "241"}, "请填写 15–240 之间的整数。"),
    ("minutes", {"minutes": "四十五"}, "请填写 15–240 之间的整数。"),
    ("minutes", {"minutes": "45.5"}, "请填写 15–240 之间的整数。"),
    ("modes", {"modes": None}, "请至少选择一种宣讲方式。"),
    ("modes", {"modes": ["boat"]}, "请至少选择一种宣讲方式。"),
    ("modes", {"modes": ["offline", "offline"]}, "同一种方式选了两次。"),
    ("lecturers", {"lecturers": None}, "请至少选择一位讲师。"),
    ("lecturers", {"lecturers": ["c-lect", "c-lect"]}, "同一位讲师选了两次。"),
    ("lecturers", {"lecturers": ["nobody"]}, "nobody 不在党员名册中。"),
    ("lecturers", {"lecturers": ["c-plain"]}, "党员戊（c-plain）没有红色讲师身份。"),
    ("lecturers", {"lecturers": ["c-lect-gone"]}, "已离开讲师（c-lect-gone）已停用或已离开。"),
]


@pytest.mark.parametrize(("field", "change", "message"), CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_rule_is_shown_beside_its_field_and_nothing_is_written(
        app: Flask, admin: FlaskClient, field: str, change: dict[str, Any], message: str):
    """Does each check of the file refuse the form with its Chinese message beside the field,
    writing nothing (no topic, no lecturer, no audit row)?"""
    before = state(app)
    response = post(admin, "/console/topics/new", valid_form(**change))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_errors(page) == {field: [message]}, field_errors(page)
    assert beside(page, field)
    assert "有 1 处需要修改，未保存。" in page
    assert state(app) == before


def test_every_problem_at_once_and_the_form_keeps_what_was_typed(app: Flask,
                                                                admin: FlaskClient):
    """Are all wrong fields reported together, and the typed values and ticks kept?"""
    before = state(app)
    response = post(admin, "/console/topics/new", valid_form(
        slug="Bad Slug", minutes="5", modes=None, lecturers=["c-lect2", "c-plain"]))
    page = response.get_data(as_text=True)
    assert set(field_errors(page)) == {"slug", "minutes", "modes", "lecturers"}
    assert 'value="Bad Slug"' in page and 'value="5"' in page and "身边的先锋" in page
    assert re.search(r'value="c-lect2" checked', page)
    assert state(app) == before


def test_form_and_file_refuse_the_same_values(app: Flask, world: World, tmp_path: Path):
    """Do the console's checks and the file's come from the same functions: the file refuses
    what the form refuses, naming the same rule?"""
    with app.app_context():
        for name, value, reason in (("minutes", 5, "minutes"), ("modes", ["boat"], "modes"),
                                    ("slug", "Red Boat", "slug"),
                                    ("title", "长" * 201, "too_long")):
            _values, problems = check_fields({name: value})
            assert problems[name].reason == reason
            text = MENU_YAML.split("\n\n")[0]
            shown = json.dumps(value, ensure_ascii=False)  # JSON is YAML
            text = re.sub(rf"(?m)^(- |  ){name}: .*$", rf"\g<1>{name}: {shown}", text)
            with pytest.raises(TopicsError) as caught:
                sync_topics(write_menu(tmp_path, text))
            assert f"{name}: {problems[name]}" in str(caught.value)
        member = db.session.scalars(select(Member).where(Member.userid == "c-plain")).one()
        problem = lecturer_problem("c-plain", member)
        assert isinstance(problem, Invalid) and problem.reason == "not_lecturer"
        with pytest.raises(TopicsError) as caught:
            sync_topics(write_menu(tmp_path, MENU_YAML.replace("[c-lect]", "[c-plain]")))
        assert str(problem) in str(caught.value)
        db.session.rollback()
        assert db.session.scalar(select(func.count(Topic.id))) == 1  # the world's only


# -- create, edit, retire, restore ----------------------------------------------------


def test_create_edit_retire_restore_each_audited(app: Flask, admin: FlaskClient,
                                                 world: World):
    """Does an admin create a topic, edit it, retire and restore it, each audited with what
    it said before and after (and an unchanged save writes nothing)?"""
    response = post(admin, "/console/topics/new", valid_form())
    assert response.status_code == 303
    topic = topic_by_slug(app, "pioneer-stories")
    assert topic is not None and response.headers["Location"].endswith(f"/topics/{topic.id}")
    assert (topic.title, topic.category, topic.minutes, topic.modes, topic.summary,
            topic.active, topic.lecturer_userids) == (
        "身边的先锋", "先进典型", 45, ["offline", "live"], "讲讲身边的优秀党员。", True, ["c-lect"])
    assert topic.edited_at is not None and topic.imported_at is None
    page = admin.get(f"/console/topics/{topic.id}").get_data(as_text=True)
    assert "专题《身边的先锋》已创建" in page and "后台新建" in page
    [created] = audits(app, "topic.create")
    assert created.actor == world.admin and created.target == "topic pioneer-stories"
    assert created.detail["after"]["lecturers"] == ["c-lect"]

    edit = {**valid_form(title="身边的先锋：新时代的奋斗者", minutes="60", modes=["live"],
                         summary="", lecturers=["c-lect2", "c-lect"]), "slug": "ignored"}
    assert post(admin, f"/console/topics/{topic.id}", edit).status_code == 303
    edited = topic_by_slug(app, "pioneer-stories")  # the slug cannot be changed
    assert (edited.title, edited.minutes, edited.modes, edited.summary) == (
        "身边的先锋：新时代的奋斗者", 60, ["live"], "")
    assert sorted(edited.lecturer_userids) == ["c-lect", "c-lect2"]
    [change] = audits(app, "topic.edit")
    assert change.detail["before"]["title"] == "身边的先锋"
    assert change.detail["before"]["minutes"] == 45
    assert change.detail["after"]["title"] == "身边的先锋：新时代的奋斗者"
    assert sorted(change.detail["after"]["lecturers"]) == ["c-lect", "c-lect2"]
    assert change.detail["after"]["summary"] == "" and change.detail["after"]["modes"] == ["live"]

    again = post(admin, f"/console/topics/{topic.id}", edit, follow_redirects=True)
    assert "没有修改。" in again.get_data(as_text=True)
    assert len(audits(app, "topic.edit")) == 1

    assert post(admin, f"/console/topics/{topic.id}/retire").status_code == 303
    assert topic_by_slug(app, "pioneer-stories").active is False
    [retired] = audits(app, "topic.retire")
    assert retired.detail["before"]["active"] is True
    assert retired.detail["after"]["active"] is False
    twice = post(admin, f"/console/topics/{topic.id}/retire", follow_redirects=True)
    assert "专题状态已是“已下架”。" in twice.get_data(as_text=True)
    assert len(audits(app, "topic.retire")) == 1
    listing = admin.get("/console/topics?state=retired").get_data(as_text=True)
    assert "身边的先锋：新时代的奋斗者" in listing and "新时代的伟大变革" not in listing
    active = admin.get("/console/topics?state=active").get_data(as_text=True)
    assert "身边的先锋" not in active and "新时代的伟大变革" in active

    assert post(admin, f"/console/topics/{topic.id}/restore").status_code == 303
    assert topic_by_slug(app, "pioneer-stories").active is True
    [restored] = audits(app, "topic.restore")
    assert (restored.detail["before"]["active"], restored.detail["after"]["active"]) == (
        False, True)
    history = admin.get(f"/console/topics/{topic.id}").get_data(as_text=True)
    for action in ("新建", "修改", "下架", "恢复上架"):
        assert f"<td>{action}</td>" in history


def test_invalid_edit_writes_nothing(app: Flask, admin: FlaskClient, world: World):
    """Does a wrong edit show its problem beside the field and leave the topic as it was?"""
    before = state(app)
    response = post(admin, f"/console/topics/{world.topic_id}",
                    valid_form(title="", minutes="300"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert field_errors(page) == {"title": ["必填。"], "minutes": ["请填写 15–240 之间的整数。"]}
    assert beside(page, "title") and beside(page, "minutes")
    assert state(app) == before


def test_restore_is_refused_when_a_lecturer_lost_the_role(app: Flask, admin: FlaskClient,
                                                          world: World):
    """Is a retired topic whose only lecturer is no longer one kept off the menu, and is the
    former lecturer shown marked on the edit form?"""
    assert post(admin, f"/console/topics/{world.topic_id}/retire").status_code == 303
    with app.app_context():
        db.session.query(RoleGrant).filter(RoleGrant.member_id == world.lecturer_id,
                                           RoleGrant.role == "lecturer").delete()
        db.session.commit()
    before = state(app)
    page = post(admin, f"/console/topics/{world.topic_id}/restore",
                follow_redirects=True).get_data(as_text=True)
    assert ("不能恢复：类别：必填。讲师：讲师丙（c-lect）没有红色讲师身份。"
            "请先编辑后再恢复。") in page
    assert re.search(r'value="c-lect" checked> 讲师丙 .*（已不可派）', page)
    assert state(app) == before


# -- the lecturer pool, double submits, who may ---------------------------------------


def test_lecturers_offered_are_the_lecturer_pool_only(app: Flask, admin: FlaskClient):
    """Does the form offer exactly the active members holding the lecturer role?"""
    page = admin.get("/console/topics/new").get_data(as_text=True)
    offered = re.findall(r'name="lecturers" value="([^"]+)"', page)
    assert offered == ["c-lect", "c-lect2"]  # by name: 讲师丙, 讲师庚; not the one who left


def test_double_submit_creates_one_topic(app: Flask, admin: FlaskClient):
    """Does posting the same create form twice make one topic and one audit row, both times
    landing on it?"""
    first = post(admin, "/console/topics/new", valid_form())
    second = post(admin, "/console/topics/new", valid_form())
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(func.count(Topic.id)).where(
            Topic.slug == "pioneer-stories")) == 1
    assert len(audits(app, "topic.create")) == 1
    other = post(admin, "/console/topics/new", valid_form(form_key="z" * 24))
    assert field_errors(other.get_data(as_text=True))["slug"][0].startswith("该标识已被专题")
    assert post(admin, "/console/topics/new", valid_form(form_key="")).status_code == 400


def test_topic_routes_are_admin_only_and_refusals_write_nothing(app: Flask, world: World,
                                                                sandbox):
    """Is every topic route in the permission table as admin-only, and does a contact's or a
    lecturer's post of a valid form change nothing?"""
    endpoints = {"topics_listing", "topic_new", "topic_create", "topic_detail", "topic_update",
                 "topic_retire", "topic_restore"}
    rows = {row[2]: row[3] for row in TABLE if row[2] in endpoints}
    assert set(rows) == endpoints and all(v == ADMIN_ONLY for v in rows.values())
    before = state(app)
    for userid in (world.contact_here, world.lecturer):
        client = app.test_client()
        assert login_as(client, sandbox, userid).status_code == 303
        for path in ("/console/topics/new", f"/console/topics/{world.topic_id}",
                     f"/console/topics/{world.topic_id}/retire",
                     f"/console/topics/{world.topic_id}/restore"):
            assert post(client, path, valid_form()).status_code == 403, (userid, path)
    assert state(app) == before


def test_csrf_is_required(app: Flask, admin: FlaskClient, world: World):
    """Is a form without the CSRF token refused, writing nothing?"""
    csrf_of(admin)
    before = state(app)
    assert admin.post("/console/topics/new", data=valid_form()).status_code == 400
    assert admin.post(f"/console/topics/{world.topic_id}/retire").status_code == 400
    assert state(app) == before


# -- topics sync and console work ------------------------------------------------------


def test_sync_leaves_console_edits_alone_unless_forced(app: Flask, admin: FlaskClient,
                                                       world: World, tmp_path: Path):
    """Is a topic edited in the console since its import named (one line) and left as it is
    by the sync, while the file's other changes apply; and does --force overwrite it,
    audited?"""
    path = write_menu(tmp_path)
    assert sync(app, path).exit_code == 0
    red = topic_by_slug(app, "red-boat")
    assert red.imported_at is not None and red.edited_at is None
    assert post(admin, f"/console/topics/{red.id}", valid_form(
        title="从红船到复兴号（修订）", category="党史", minutes="90",
        lecturers=["c-lect", "c-lect2"])).status_code == 303

    changed = write_menu(tmp_path, MENU_YAML.replace("minutes: 60", "minutes: 75"))
    result = sync(app, changed)
    assert result.exit_code == 0, result.output
    assert "topics: added 0, updated 1, unchanged 0, deactivated 0" in result.output
    named = [line for line in result.output.splitlines() if "red-boat" in line]
    assert named == ["kept red-boat: edited in the console since its last import; left as "
                     "it is (--force to overwrite it)"]
    red = topic_by_slug(app, "red-boat")
    assert red.title == "从红船到复兴号（修订）" and sorted(red.lecturer_userids) == [
        "c-lect", "c-lect2"]
    assert topic_by_slug(app, "local-memory").minutes == 75
    assert "[edited in the console]" in app.test_cli_runner().invoke(
        args=["topics", "list"]).output

    forced = sync(app, changed, "--force")
    assert forced.exit_code == 0 and "kept" not in forced.output
    assert "updated 1" in forced.output
    red = topic_by_slug(app, "red-boat")
    assert red.title == "从红船到复兴号" and red.lecturer_userids == ["c-lect"]
    [entry] = audits(app, "topic.sync_forced")
    assert entry.target == "topic red-boat" and entry.actor.startswith("cli:")
    assert entry.detail["before"]["title"] == "从红船到复兴号（修订）"
    assert entry.detail["after"]["title"] == "从红船到复兴号"
    assert entry.detail["after"]["lecturers"] == ["c-lect"]
    quiet = sync(app, changed)
    assert "unchanged 2" in quiet.output and "kept" not in quiet.output


def test_console_retire_and_removal_from_the_file(app: Flask, admin: FlaskClient,
                                                  world: World, tmp_path: Path):
    """Does a topic retired in the console stay retired by a sync of a file that still has
    it, and is a console-edited topic the file dropped kept until --force retires it?"""
    assert sync(app, write_menu(tmp_path)).exit_code == 0
    red, local = topic_by_slug(app, "red-boat"), topic_by_slug(app, "local-memory")
    post(admin, f"/console/topics/{red.id}/retire")
    post(admin, f"/console/topics/{local.id}", valid_form(title="家门口的红色印记（新）",
                                                          category="党史", minutes="60"))
    only_red = write_menu(tmp_path, MENU_YAML.split("\n\n")[0] + "\n")
    result = sync(app, only_red)
    assert result.exit_code == 0 and "deactivated 0" in result.output
    assert "kept red-boat:" in result.output
    assert "kept local-memory: edited in the console since its last import; left as it is " \
           "(--force to retire it)" in result.output
    assert topic_by_slug(app, "red-boat").active is False
    assert topic_by_slug(app, "local-memory").active is True
    forced = sync(app, only_red, "--force")
    assert "updated 1" in forced.output and "deactivated 1" in forced.output
    assert topic_by_slug(app, "red-boat").active is True
    assert topic_by_slug(app, "local-memory").active is False
    assert len(audits(app, "topic.sync_forced")) == 2


def test_console_created_topics_survive_a_sync(app: Flask, admin: FlaskClient, world: World,
                                               tmp_path: Path):
    """Does a sync never retire a topic created in the console, while it still retires a
    topic of the file that the file no longer has (as before)?"""
    assert post(admin, "/console/topics/new", valid_form()).status_code == 303
    assert sync(app, write_menu(tmp_path)).exit_code == 0
    dropped = sync(app, write_menu(tmp_path, MENU_YAML.split("\n\n")[0] + "\n"))
    assert dropped.exit_code == 0 and "deactivated 1" in dropped.output
    assert "kept" not in dropped.output
    assert topic_by_slug(app, "local-memory").active is False
    assert topic_by_slug(app, "pioneer-stories").active is True
    assert topic_by_slug(app, "console-topic").active is True  # the world's, never imported
    listed = app.test_cli_runner().invoke(args=["topics", "list"]).output
    assert "pioneer-stories [made in the console]: 《身边的先锋》 先进典型" in listed


# -- the chat's menu -------------------------------------------------------------------


def test_chat_menu_shows_console_work(app: Flask, admin: FlaskClient, world: World,
                                      send_text):
    """Does a contact's 点单 menu show the title edited in the console, a topic created
    there, and no longer a retired one?"""
    assert "1.《新时代的伟大变革》" in send_text(world.contact_here, "点单").text
    send_text(world.contact_here, "取消")
    assert post(admin, f"/console/topics/{world.topic_id}", valid_form(
        title="新时代的伟大变革（2027 修订）", category="理论", minutes="90",
        modes=["offline"])).status_code == 303
    assert post(admin, "/console/topics/new", valid_form()).status_code == 303
    menu = send_text(world.contact_here, "点单").text
    assert "1.《新时代的伟大变革（2027 修订）》(理论)" in menu
    assert "2.《身边的先锋》(先进典型)" in menu
    detail = send_text(world.contact_here, "详情 2").text
    assert "讲讲身边的优秀党员。" in detail and "45" in detail
    send_text(world.contact_here, "取消")
    post(admin, f"/console/topics/{world.topic_id}/retire")
    menu = send_text(world.contact_here, "点单").text
    assert "新时代的伟大变革" not in menu and "1.《身边的先锋》" in menu
