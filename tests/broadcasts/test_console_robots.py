"""群机器人 in the console: a robot registered only after its key took a test message (the
sandbox records it), a key WeCom refuses said beside the field with nothing stored, bad
fields, a double submit, disabling, the recent sends page by page, and contacts kept to the
robots of their own organisations."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from broadcasts.groups import register_robot
from models import AuditEntry, Broadcast, GroupMessage, GroupRobot, Organization, db, utcnow
from sandbox.server import SandboxServer
from tests.console_helpers import World, build_world, login_as, post
from tests.helpers import written

KEY_A = "693a91f6-7aaa-4bc4-97a0-0ec2sifa5aaa"
KEY_B = "0b5c2d44-1f9e-4c0b-8a3e-7d6f5e4c3b2a"
URL_A = f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY_A}"
FORM_KEY = "robot-form-key-0123456789"
ERROR = re.compile(r'<span class="field-error" id="error-(\w+)">([^<]*)</span>')


@pytest.fixture
def world(app: Flask, make_member) -> World:
    """The console world: two organisations with a contact each, an admin."""
    return build_world(app, make_member)


def client_for(app: Flask, sandbox: SandboxServer, userid: str) -> FlaskClient:
    """A client logged in as the member."""
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def register(client: FlaskClient, name: str = "华芯党支部党员群", webhook: str = URL_A,
             org: int | str = "", form_key: str = FORM_KEY) -> Any:
    """POST 登记群机器人."""
    return post(client, "/console/robots/new", {"name": name, "webhook": webhook,
                                                "org": str(org), "form_key": form_key})


def text(response: Any) -> str:
    """The page's text, entities unescaped."""
    return html.unescape(response.get_data(as_text=True))


def errors(response: Any) -> dict[str, str]:
    """The problems shown beside the fields."""
    return dict(ERROR.findall(text(response)))


def robots(app: Flask) -> list[tuple[str, int | None, bool]]:
    """Every robot: (name, organisation id, active)."""
    with app.app_context():
        return [(r.name, r.organization_id, r.active) for r in
                db.session.scalars(select(GroupRobot).order_by(GroupRobot.id))]


def test_registered_after_a_test_message(app: Flask, world: World, sandbox: SandboxServer):
    """Is a robot registered from its webhook URL once the sandbox took the test message
    (the group got it), audited with the key masked, and listed?"""
    sandbox.state.add_robot(KEY_A)
    admin = client_for(app, sandbox, world.admin)
    response = register(admin, org=world.org_here)
    assert response.status_code == 303
    [message] = sandbox.state.robots[KEY_A]
    assert message["msgtype"] == "text"
    assert "群机器人「华芯党支部党员群」已在管理后台登记" in message["content"]["content"]
    assert robots(app) == [("华芯党支部党员群", world.org_here, True)]
    page = text(admin.get(response.headers["Location"]))
    assert "群机器人「华芯党支部党员群」已登记，测试消息已发到群里。" in page
    assert KEY_A not in page and "693a…5aaa" in page
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "robot.add")).one()
        assert entry.actor == world.admin and entry.detail["test_message"] is True
        assert entry.detail["before"] is None and entry.detail["after"]["active"] is True
        assert KEY_A not in str(entry.detail)
    assert "华芯党支部党员群" in text(admin.get("/console/robots"))


def test_refused_key_stores_nothing(app: Flask, world: World, sandbox: SandboxServer):
    """Is a key WeCom does not know (93000) said beside the key, with nothing stored?"""
    admin = client_for(app, sandbox, world.admin)
    before = written(app)
    response = register(admin, webhook=KEY_B)
    assert response.status_code == 400
    assert errors(response)["key"].startswith("企业微信不接受这个 key（错误码 93000）")
    assert written(app) == before and robots(app) == []
    assert len(sandbox.state.calls_to("webhook/send")) == 1
    sandbox.state.add_robot(KEY_B)
    sandbox.state.fail_next("webhook/send", 45009)
    response = register(admin, webhook=KEY_B)
    assert errors(response)["key"] == "这个机器人一分钟内发送的消息太多，请一分钟后再试。未登记。"
    assert written(app) == before


def test_bad_fields_send_nothing(app: Flask, world: World, sandbox: SandboxServer):
    """Are an empty name, a malformed key, an unknown organisation and a key already in use
    said beside their fields, with no test message sent and nothing written?"""
    sandbox.state.add_robot(KEY_A)
    admin = client_for(app, sandbox, world.admin)
    before = written(app)
    response = register(admin, name=" ", webhook="no key here!", org=999)
    assert response.status_code == 400
    assert errors(response) == {
        "name": "请填写 1–100 个字的名称。",
        "key": "这不是群机器人的 Webhook 地址或 key，请从群机器人的资料页复制。",
        "org": "请选择一个党组织。"}
    assert written(app) == before and sandbox.state.calls_to("webhook/send") == []
    assert register(admin).status_code == 303
    response = register(admin, name="另一个名字", form_key="robot-form-key-other-0000")
    assert errors(response) == {"key": "这个 key 已登记为群机器人「华芯党支部党员群」。"}
    assert len(sandbox.state.calls_to("webhook/send")) == 1


def test_double_submit_registers_once(app: Flask, world: World, sandbox: SandboxServer):
    """Does the same form sent twice register one robot and send one test message?"""
    sandbox.state.add_robot(KEY_A)
    admin = client_for(app, sandbox, world.admin)
    first, second = register(admin), register(admin)
    assert first.status_code == second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert len(robots(app)) == 1 and len(sandbox.state.robots[KEY_A]) == 1


def test_disable(app: Flask, world: World, sandbox: SandboxServer):
    """Is a robot disabled (audited with before and after), its page saying so, a second
    disable harmless; and does registering its key again bring it back?"""
    sandbox.state.add_robot(KEY_A)
    admin = client_for(app, sandbox, world.admin)
    location = register(admin).headers["Location"]
    robot_id = int(location.rsplit("/", 1)[1])
    response = post(admin, f"/console/robots/{robot_id}/disable")
    assert response.status_code == 303
    assert "群机器人「华芯党支部党员群」已停用。" in text(admin.get(location))
    assert robots(app) == [("华芯党支部党员群", None, False)]
    after = written(app)
    response = post(admin, f"/console/robots/{robot_id}/disable")
    assert "这个群机器人已经停用了" in text(admin.get(response.headers["Location"]))
    assert written(app) == after
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "robot.remove")).one()
        assert (entry.detail["before"]["active"], entry.detail["after"]["active"]) == (True,
                                                                                        False)
    response = register(admin, name="重新启用", form_key="robot-form-key-again-0000")
    assert "群机器人「重新启用」已重新启用" in text(admin.get(response.headers["Location"]))
    assert robots(app) == [("重新启用", None, True)]


def test_recent_sends_page_by_page(app: Flask, world: World, sandbox: SandboxServer):
    """Are a robot's sends listed newest first, 20 a page, with the content and status?"""
    with app.app_context():
        robot = register_robot("华芯群", KEY_A, "admin")
        for number in range(25):
            broadcast = Broadcast(sender="admin", content_kind="text", audience={"kind": "all"},
                                  payload={"msgtype": "text",
                                           "text": {"content": f"第{number}条通知"}},
                                  send_at=utcnow(), robot_ids=[robot.id])
            db.session.add(broadcast)
            db.session.flush()
            db.session.add(GroupMessage(broadcast_id=broadcast.id, robot_id=robot.id,
                                        status="failed" if number == 24 else "sent",
                                        sent_at=None if number == 24 else utcnow(),
                                        error="WeCom error 93000" if number == 24 else None))
        db.session.commit()
        robot_id = robot.id
    admin = client_for(app, sandbox, world.admin)
    first = text(admin.get(f"/console/robots/{robot_id}"))
    assert "第 1 / 2 页，共 25 条" in first
    assert first.index("第24条通知") < first.index("第23条通知")
    assert "失败" in first and "第4条通知" not in first
    assert "第4条通知" in text(admin.get(f"/console/robots/{robot_id}?page=2"))
    listing = text(admin.get("/console/robots"))
    assert re.search(r"<td>24</td>", listing)  # sent, the failed one not counted


def test_contacts_kept_to_their_organisations(app: Flask, world: World,
                                              sandbox: SandboxServer):
    """Does a contact register a robot for their own organisation, get 403 registering for
    another (no test message, nothing written), and find another organisation's robot (or one
    of no organisation) missing, unlisted and not disabled?"""
    sandbox.state.add_robot(KEY_A)
    sandbox.state.add_robot(KEY_B)
    with app.app_context():
        theirs = register_robot("远景群", KEY_B, "admin",
                                db.session.get(Organization, world.org_other))
        loose = register_robot("党委群", "loose-key-0123456789", "admin")
        db.session.commit()
        theirs_id, loose_id = theirs.id, loose.id
    contact = client_for(app, sandbox, world.contact_here)
    form = text(contact.get("/console/robots/new"))
    assert "华芯党支部" in form and "远景党支部" not in form
    before = written(app)
    assert register(contact, org=world.org_other).status_code == 403
    response = register(contact, org="")
    assert response.status_code == 400 and errors(response) == {"org": "请选择一个党组织。"}
    assert written(app) == before and sandbox.state.calls_to("webhook/send") == []
    for robot_id in (theirs_id, loose_id):
        assert contact.get(f"/console/robots/{robot_id}").status_code == 404
        assert post(contact, f"/console/robots/{robot_id}/disable").status_code == 404
    assert written(app) == before
    assert register(contact, org=world.org_here).status_code == 303
    listing = text(contact.get("/console/robots"))
    assert "华芯党支部党员群" in listing and "远景群" not in listing and "党委群" not in listing
    response = register(contact, name="冒名", webhook=KEY_B,
                        org=world.org_here, form_key="robot-form-key-taken-0000")
    assert errors(response) == {"key": "这个 key 已经登记过了。"}  # not naming theirs
    other = client_for(app, sandbox, world.contact_other)
    assert post(other, f"/console/robots/{theirs_id}/disable").status_code == 303
    assert robots(app)[0] == ("远景群", world.org_other, False)
