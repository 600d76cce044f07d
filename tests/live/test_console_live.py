"""红色直播间 in the console: a viewer list uploaded (the `live import` parser and checks), its
row-by-row report with nothing written, the confirm importing it once (a second confirm finds
it done), the sessions with their viewer counts page by page, and a session linked to a
lecture near its time (the lecture's live viewers recounted)."""

from __future__ import annotations

import html
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from sqlalchemy import select

from bot import keys
from bot.extensions import redis_store
from models import (
    AuditEntry,
    Lecture,
    LiveSession,
    Member,
    Participation,
    ParticipationKind,
    Topic,
    db,
)
from tests.console_helpers import login_as, post
from tests.helpers import written

HUAXIN, YUANJING = "华芯党支部", "远景党支部"
TITLE = "学习二十届四中全会精神"
AT = "2026-11-20T19:30"  # the committee's wall clock, as the datetime-local field sends it
STARTS = datetime(2026, 11, 20, 11, 30, tzinfo=UTC)
HEADER = ["序号", "企业微信账号", "姓名", "党组织", "观看时长（分钟）"]
GOOD = [
    [1, "zhangsan", "张三", HUAXIN, 90],  # by userid
    [2, "", "李四", HUAXIN, 30],  # by name within the organisation
    [3, "stranger", "路人", "", 20],  # not in the roster: counted, listed
]
ERROR = re.compile(r'<span class="field-error" id="error-(\w+)">([^<]*)</span>')
TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def admin(app: Flask, make_member, sandbox) -> FlaskClient:
    """An admin logged in; members of two organisations."""
    make_member("live-admin", "管理员甲", org="党委办公室", roles=("admin",))
    make_member("zhangsan", "张三", org=HUAXIN)
    make_member("lisi", "李四", org=HUAXIN)
    make_member("zhaoliu", "赵六", org=YUANJING)
    client = app.test_client()
    assert login_as(client, sandbox, "live-admin").status_code == 303
    return client


def xlsx(header: list[Any], rows: list[list[Any]]) -> bytes:
    """A viewer list as .xlsx bytes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    workbook.save(data)
    return data.getvalue()


def check(client: FlaskClient, data: bytes | None, name: str = "观看名单.xlsx",
          title: str = TITLE, at: str = AT) -> Any:
    """POST 检查名单 with the file."""
    form: dict[str, Any] = {"title": title, "starts_at": at}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return post(client, "/console/live/import", form, content_type="multipart/form-data")


def text(response: Any) -> str:
    """The page's text, entities unescaped."""
    return html.unescape(response.get_data(as_text=True))


def errors(response: Any) -> dict[str, str]:
    """The problems shown beside the fields."""
    return dict(ERROR.findall(text(response)))


def token_of(response: Any) -> str:
    """The confirm form's one-time token."""
    found = TOKEN.search(response.get_data(as_text=True))
    assert found, "no confirm form"
    return found.group(1)


def state(app: Flask) -> tuple[list[tuple[str, int, int]], dict[str, float]]:
    """Sessions (title, viewers, unmatched) and LIVE ledger hours by userid."""
    with app.app_context():
        sessions = [(s.title, s.viewers, s.unmatched_viewers) for s in
                    db.session.scalars(select(LiveSession).order_by(LiveSession.id))]
        hours = {userid: h for userid, h in db.session.execute(
            select(Member.userid, Participation.hours).join(Member, Member.id ==
                                                            Participation.member_id)
            .where(Participation.kind == ParticipationKind.LIVE))}
        return sessions, hours


def test_one_bad_row_named_and_nothing_written(app: Flask, admin: FlaskClient):
    """Does a list with one bad row get a report naming that row in Chinese, nothing written
    (nor kept for a confirm), and does the fixed file then import with the right counts?"""
    before = written(app)
    bad = check(admin, xlsx(HEADER, [*GOOD[:2], [3, "stranger", "", "", "半小时"]]))
    assert bad.status_code == 422
    page = text(bad)
    assert "第4行「观看时长（分钟）」：“半小时”不是观看分钟数，须为0至1440之间的数字" in page
    assert "文件有1处问题，未导入任何数据" in page
    assert 'name="token"' not in page and errors(bad) == {}
    assert written(app) == before

    checked = check(admin, xlsx(HEADER, GOOD))
    assert checked.status_code == 200
    page = text(checked)
    assert ("试运行（未写入任何数据）：直播“学习二十届四中全会精神”（2026-11-20 19:30）："
            "观看3人次；匹配党员2人，记入参学2条；未匹配1人次。") in page
    assert "第4行 stranger：企业微信账号“stranger”不在党员名册中" in page
    after_check = written(app)
    assert after_check == {**before, "redis_keys": before["redis_keys"] + 1}  # only the file

    done = post(admin, "/console/live/import/confirm", {"token": token_of(checked)})
    assert done.status_code == 200
    assert "观看名单已导入" in text(done) and "匹配党员2人，记入参学2条" in text(done)
    assert state(app) == ([(TITLE, 3, 1)], {"zhangsan": 1.5, "lisi": 0.5})
    with app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "live.import")).one()
        assert entry.actor == "live-admin" and entry.detail["file"] == "观看名单.xlsx"
        assert entry.detail["viewers"] == 3 and entry.detail["recorded"] == 2


def test_wrong_header_refused(app: Flask, admin: FlaskClient):
    """Is a list with an unknown column and no minutes column refused, every header problem
    said, nothing written?"""
    before = written(app)
    response = check(admin, xlsx(["企业微信账号", "手机号"], [["zhangsan", "138"]]))
    assert response.status_code == 422
    page = text(response)
    assert "表头（第1行）第2列“手机号”无法识别" in page
    assert "表头（第1行）缺少「观看时长（分钟）」列" in page
    assert written(app) == before


def test_csv_in_gb18030(app: Flask, admin: FlaskClient):
    """Is a .csv list Excel saved in GB18030 read like the CLI reads it?"""
    data = "姓名,所在党组织,观看时长(分钟)\r\n张三,华芯党支部,45\r\n赵六,远景党支部,120\r\n"
    checked = check(admin, data.encode("gb18030"), "viewers.csv")
    assert checked.status_code == 200 and "匹配党员2人" in text(checked)
    assert post(admin, "/console/live/import/confirm",
                {"token": token_of(checked)}).status_code == 200
    assert state(app)[1] == {"zhangsan": 0.75, "zhaoliu": 2.0}


def test_fields_and_file_problems_together(app: Flask, admin: FlaskClient,
                                           monkeypatch: pytest.MonkeyPatch):
    """Are an empty title, a bad time and a missing, wrong or too large file each said
    beside their field, the file's own problems shown too, nothing written?"""
    before = written(app)
    response = check(admin, None, title=" ", at="")
    assert response.status_code == 400
    assert errors(response) == {"title": "请填写 1–200 个字的直播标题。",
                                "starts_at": "请选择直播开始时间。",
                                "file": "请选择 .xlsx 或 .csv 格式的观看名单文件。"}
    response = check(admin, b"old", "viewers.xls", at="11月20日晚上")
    assert errors(response) == {"starts_at": "开始时间格式不正确，请用日期时间选择器选择。",
                                "file": "请选择 .xlsx 或 .csv 格式的观看名单文件。"}
    response = check(admin, xlsx(HEADER, []), title="")
    assert response.status_code == 400
    assert set(errors(response)) == {"title"} and "只有表头，没有观众" in text(response)
    monkeypatch.setattr("console.live_pages.FILE_LIMIT", 1024)
    response = check(admin, xlsx(HEADER, GOOD * 50))
    assert response.status_code == 400 and errors(response)["file"].startswith("文件超过")
    assert written(app) == before


def test_confirm_twice_imports_once(app: Flask, admin: FlaskClient):
    """Does a second confirm of the same list point at the session it made, importing
    nothing more, and is a new check of that session refused beside the title?"""
    token = token_of(check(admin, xlsx(HEADER, GOOD)))
    assert post(admin, "/console/live/import/confirm", {"token": token}).status_code == 200
    after = written(app), state(app)
    again = post(admin, "/console/live/import/confirm", {"token": token})
    with app.app_context():
        session_id = db.session.scalars(select(LiveSession.id)).one()
    assert again.status_code == 303
    assert again.headers["Location"].endswith(f"/console/live/{session_id}")
    shown = text(admin.get(again.headers["Location"]))
    assert f"这份名单已经导入过了（直播 #{session_id}）" in shown
    assert (written(app), state(app)) == after
    response = check(admin, xlsx(HEADER, GOOD))
    assert response.status_code == 400
    assert errors(response)["title"].startswith(
        f"这场直播（同一标题和开始时间）已导入过（直播 #{session_id}）")


def test_two_checks_of_one_session_import_once(app: Flask, admin: FlaskClient):
    """If one session's list was checked twice (two tabs), does the second confirm, after the
    first imported it, say so beside the title and write nothing?"""
    first, second = (token_of(check(admin, xlsx(HEADER, GOOD))) for _ in range(2))
    assert post(admin, "/console/live/import/confirm", {"token": first}).status_code == 200
    after = written(app), state(app)
    response = post(admin, "/console/live/import/confirm", {"token": second})
    assert response.status_code == 409
    assert errors(response)["title"].startswith("这场直播（同一标题和开始时间）已导入过")
    assert state(app) == after[1]
    assert written(app)["live_sessions"] == after[0]["live_sessions"]


def test_expired_or_foreign_token(app: Flask, admin: FlaskClient, make_member, sandbox):
    """Is a confirm whose list expired, was never checked, or was checked by another admin
    sent back to the upload with nothing written?"""
    token = token_of(check(admin, xlsx(HEADER, GOOD)))
    make_member("live-admin2", "管理员乙", org="党委办公室", roles=("admin",))
    other = app.test_client()
    login_as(other, sandbox, "live-admin2")
    before = written(app)
    for client, sent in ((other, token), (admin, "x" * 32), (admin, "bad token")):
        response = post(client, "/console/live/import/confirm", {"token": sent})
        assert response.status_code == 303 and response.headers["Location"].endswith(
            "/console/live/import")
    assert written(app) == before
    assert "这份检查过的名单已过期或已使用" in text(admin.get("/console/live/import"))
    with app.app_context():
        redis_store.client.delete(keys.live_upload(token))  # expired
    response = post(admin, "/console/live/import/confirm", {"token": token})
    assert response.status_code == 303 and state(app) == ([], {})


def test_sessions_listed_page_by_page(app: Flask, admin: FlaskClient):
    """Are the sessions listed latest first with their viewers, members credited and
    unmatched, 30 to a page?"""
    token = token_of(check(admin, xlsx(HEADER, GOOD)))
    post(admin, "/console/live/import/confirm", {"token": token})
    with app.app_context():
        for number in range(30):
            db.session.add(LiveSession(title=f"旧场次{number}", starts_at=STARTS - timedelta(
                days=number + 1), viewers=number, imported_by="cli:ops"))
        db.session.commit()
        newest = db.session.scalars(select(LiveSession).where(LiveSession.title == TITLE)).one()
    first = text(admin.get("/console/live"))
    assert "第 1 / 2 页，共 31 条" in first
    row = re.search(rf'<tr id="live-{newest.id}">(.*?)</tr>', first, re.S).group(1)
    assert '<td class="viewers">3</td><td class="matched">2</td><td class="unmatched">1</td>' \
        in row
    assert "旧场次28" in first and "旧场次29" not in first
    assert "旧场次29" in text(admin.get("/console/live?page=2"))


def _lecture(app: Flask, starts_at: datetime, title: str = "党的创新理论") -> int:
    with app.app_context():
        lecturer = db.session.scalars(select(Member).where(Member.userid == "zhaoliu")).one()
        lecture = Lecture(topic=Topic(slug=f"t-{starts_at:%m%d%H}", title=title),
                          lecturer_id=lecturer.id, starts_at=starts_at,
                          ends_at=starts_at + timedelta(hours=1), mode="live",
                          checkin_code="123456")
        db.session.add(lecture)
        db.session.commit()
        return lecture.id


def test_link_a_session_to_a_lecture(app: Flask, admin: FlaskClient):
    """Are the lectures around the session's time offered (closest first), is the session
    linked (the lecture's live viewers counted, audited with before and after), a far or
    unknown lecture refused beside the field with nothing written, and an unlink undone?"""
    near = _lecture(app, STARTS, "红色直播间：党的创新理论")
    later = _lecture(app, STARTS + timedelta(days=2), "两天后的宣讲")
    far = _lecture(app, STARTS + timedelta(days=30), "一个月后的宣讲")
    post(admin, "/console/live/import/confirm",
         {"token": token_of(check(admin, xlsx(HEADER, GOOD)))})
    with app.app_context():
        session_id = db.session.scalars(select(LiveSession.id)).one()
    page = text(admin.get(f"/console/live/{session_id}"))
    assert page.index("红色直播间：党的创新理论") < page.index("两天后的宣讲")
    assert "一个月后的宣讲" not in page
    before = written(app)
    unknown = "请从列表中选择一场宣讲。"
    for value, message in ((str(far), "只能关联开始时间在直播前后 7 天内的宣讲。"),
                           ("999", unknown), ("abc", unknown)):
        response = post(admin, f"/console/live/{session_id}/lecture", {"lecture": value})
        assert response.status_code == 400 and errors(response) == {"lecture": message}
    assert written(app) == before
    response = post(admin, f"/console/live/{session_id}/lecture", {"lecture": str(near)})
    assert response.status_code == 303
    assert "该宣讲的直播观看人次记为 3" in text(admin.get(response.headers["Location"]))
    response = post(admin, f"/console/live/{session_id}/lecture", {"lecture": str(later)})
    with app.app_context():
        assert db.session.get(LiveSession, session_id).lecture_id == later
        assert db.session.get(Lecture, near).live_viewers is None
        assert db.session.get(Lecture, later).live_viewers == 3
        first, second = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "live.link").order_by(AuditEntry.id)).all()
        assert (first.detail["before"], first.detail["after"]) == ({"lecture": None},
                                                                   {"lecture": near})
        assert (second.detail["before"], second.detail["after"]) == ({"lecture": near},
                                                                     {"lecture": later})
    listing = text(admin.get("/console/live"))
    assert "两天后的宣讲（赵六）" in listing
    response = post(admin, f"/console/live/{session_id}/lecture", {"lecture": ""})
    assert "已取消直播与宣讲的关联" in text(admin.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.get(LiveSession, session_id).lecture_id is None
        assert db.session.get(Lecture, later).live_viewers is None
