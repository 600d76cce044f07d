"""红色直播间 and 群机器人 in a real browser, on a 375 px phone and on a desktop: a viewer list
with one bad row reported by its row number and nothing written, the fixed file checked and
confirmed, the session listed with its viewers and linked to its lecture; a group robot
refused for a key WeCom does not know, then registered (the sandbox's group gets the test
message) and disabled. The page never scrolls sideways and no script error happens.
Screenshots go to test-artifacts/console/."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import Workbook
from sqlalchemy import func, select

from models import (
    GroupRobot,
    Lecture,
    LiveSession,
    Member,
    Participation,
    ParticipationKind,
    ParticipationTotal,
    Topic,
    db,
)
from tests.browser.browser_helpers import PHONE, clean, login
from tests.console_helpers import build_world

DESKTOP = {"width": 1280, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
HEADER = ["序号", "企业微信账号", "姓名", "党组织", "观看时长（分钟）"]
KEY = "5d1c8a77-1b2c-4d3e-9f60-7a8b9c0d1e2f"
STARTS = datetime(2026, 11, 20, 11, 30, tzinfo=UTC)  # 19:30 in Shanghai


def fits(page: Any, size: dict[str, int]) -> None:
    """Nothing on the page is wider than the window (tables scroll in their own box)."""
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= size["width"], width


def viewer_list(folder: Path, name: str, rows: list[list[Any]]) -> Path:
    """A viewer list as .xlsx."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = folder / name
    workbook.save(path)
    return path


def written(app: Flask) -> tuple[int, int, int]:
    """What an import writes: sessions, live ledger rows, and every ledger row and total."""
    with app.app_context():
        return (db.session.scalar(select(func.count(LiveSession.id))),
                db.session.scalar(select(func.count(Participation.id))
                                  .where(Participation.kind == ParticipationKind.LIVE)),
                db.session.scalar(select(func.count(Participation.id)))
                + db.session.scalar(select(func.count(ParticipationTotal.id))))


def refused_loads(page: Any) -> None:
    """Forget the console's notes of the pages answered 400/409/422 on purpose."""
    page.errors[:] = [e for e in page.errors
                      if not any(f"status of {code}" in e for code in (400, 409, 422))]


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_admin_imports_a_viewer_list(app: Flask, make_member, sandbox, page: Any,
                                     tmp_path: Path, size: str):
    """An admin uploads a list with one bad row and is told which row, nothing written (no
    session, no ledger row); the fixed list is checked (still nothing written), confirmed,
    counted, listed with its viewers; the session is linked to the lecture it streamed."""
    world = build_world(app, make_member)
    with app.app_context():
        lecturer = db.session.get(Member, world.lecturer_id)
        db.session.add(Lecture(topic=Topic(slug="live-room", title="红色直播间：党的创新理论"),
                               lecturer_id=lecturer.id, starts_at=STARTS,
                               ends_at=STARTS + timedelta(hours=1), mode="live",
                               checkin_code="654321"))
        db.session.commit()
    before = written(app)
    assert before[:2] == (0, 0)
    page.set_viewport_size(SIZES[size])
    login(page, "管理员甲", world.admin)
    page.goto(page.live + "/console/live")
    page.wait_for_selector("#live-sessions")
    fits(page, SIZES[size])
    page.click("#live-import")
    page.fill("input[name=title]", "学习二十届四中全会精神")
    page.fill("input[name=starts_at]", "2026-11-20T19:30")
    good = [[1, "c-author", "党员丁", "华芯党支部", 90], [2, "", "联络员甲", "华芯党支部", 45],
            [3, "visitor", "来宾", "", 30]]
    bad = viewer_list(tmp_path, "名单.xlsx", [*good[:2], [3, "visitor", "", "", "半小时"]])
    page.set_input_files("input[name=file]", str(bad))
    page.click("#live-check")
    page.wait_for_selector("#live-problems")
    assert page.locator("#problem-lines li").all_inner_texts() == [  # that row, and only it
        "第4行「观看时长（分钟）」：“半小时”不是观看分钟数，须为0至1440之间的数字",
        "文件有1处问题，未导入任何数据。请修改后重新导入。"]
    assert page.locator("#live-report, #live-confirm").count() == 0  # nothing to confirm
    assert written(app) == before  # the two good rows are not credited either
    fits(page, SIZES[size])
    page.shot(f"110-live-bad-row-{size}")
    assert page.input_value("input[name=title]") == "学习二十届四中全会精神"
    page.set_input_files("input[name=file]", str(viewer_list(tmp_path, "名单2.xlsx", good)))
    page.click("#live-check")
    page.wait_for_selector("#live-report")
    assert "匹配党员2人" in page.inner_text("#report-lines")
    assert "第4行 visitor" in page.inner_text("#report-lines")
    assert written(app) == before  # a check is a dry run
    fits(page, SIZES[size])
    page.shot(f"111-live-report-{size}")
    page.click("#live-confirm")
    page.wait_for_selector("#live-done")
    with app.app_context():
        [session] = db.session.scalars(select(LiveSession)).all()
        assert (session.viewers, session.unmatched_viewers) == (3, 1)
        credited = db.session.scalars(select(Participation.source)
                                      .where(Participation.kind == ParticipationKind.LIVE))
        assert list(credited) == [f"live:{session.id}"] * 2
    fits(page, SIZES[size])
    page.click("#live-done-session")
    page.wait_for_selector("#link-lecture")
    assert page.inner_text("#session-matched") == "2"
    page.select_option("#link-lecture select[name=lecture]", index=1)
    page.click("#link-save")
    page.wait_for_selector("text=该宣讲的直播观看人次记为 3")
    fits(page, SIZES[size])
    page.shot(f"112-live-session-{size}")
    page.goto(page.live + "/console/live")
    row = page.locator(f"#live-sessions tr#live-{session.id}")
    assert page.locator("#live-sessions tbody tr").count() == 1
    assert "学习二十届四中全会精神" in row.inner_text()
    assert "2026-11-20 19:30" in row.inner_text()
    assert [row.locator(f"td.{cell}").inner_text()
            for cell in ("viewers", "matched", "unmatched")] == ["3", "2", "1"]
    assert "红色直播间：党的创新理论" in row.locator("td.lecture").inner_text()
    fits(page, SIZES[size])
    page.shot(f"113-live-listed-{size}")
    refused_loads(page)
    clean(page)


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_contact_registers_a_group_robot(app: Flask, make_member, sandbox, page: Any,
                                         size: str):
    """A contact's key WeCom does not know is refused beside the field; the right one sends
    the test message to the group, registers the robot for their organisation; it is
    disabled."""
    world = build_world(app, make_member)
    page.set_viewport_size(SIZES[size])
    login(page, "联络员甲", world.contact_here)
    page.goto(page.live + "/console/robots")
    page.wait_for_selector("#robots")
    page.click("#robot-new")
    page.fill("input[name=name]", "华芯党支部党员群")
    page.fill("input[name=webhook]",
              f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={KEY}")
    assert page.input_value("select[name=org]") == str(world.org_here)
    page.click("#robot-save")
    page.wait_for_selector("#error-key")
    assert "企业微信不接受这个 key（错误码 93000）" in page.inner_text("#error-key")
    with app.app_context():
        assert db.session.scalars(select(GroupRobot)).all() == []
    fits(page, SIZES[size])
    page.shot(f"120-robot-refused-{size}")
    sandbox.state.add_robot(KEY)  # the robot is now in the group
    page.click("#robot-save")
    page.wait_for_selector("#robot-state")
    [message] = sandbox.state.robots[KEY]
    assert "华芯党支部党员群" in message["content"]["content"]
    assert KEY not in page.content()
    fits(page, SIZES[size])
    page.shot(f"121-robot-registered-{size}")
    page.click("#robot-disable")
    page.wait_for_selector("text=群机器人「华芯党支部党员群」已停用。")
    assert page.inner_text("#robot-state") == "已停用"
    with app.app_context():
        robot = db.session.scalars(select(GroupRobot)).one()
        assert (robot.organization_id, robot.active) == (world.org_here, False)
    page.goto(page.live + "/console/robots")
    fits(page, SIZES[size])
    refused_loads(page)
    clean(page)
