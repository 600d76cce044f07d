"""Check-in (签到): does every outcome say the right thing and write exactly what it should?"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import segno
from flask import Flask
from sqlalchemy import func, select

from checkins import checkin, codes
from content import checkin_texts as texts
from content.menu import MENU
from content.texts import MEMBER_INACTIVE, NO_PERMISSION, local_time
from lectures.stats import figures
from models import (
    CheckIn,
    Lecture,
    LectureOrder,
    Member,
    MemberStatus,
    OrderStatus,
    Organization,
    OrgMeeting,
    Participation,
    Topic,
    db,
    utcnow,
)
from sandbox.server import SandboxServer
from tests.checkins.checkin_helpers import scan
from tests.helpers import written

HUAXIN, YUANJING = "华芯党支部", "远景党支部"
CODE = "482913"


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """Contacts of two organisations, their members, a lecturer and an admin."""
    return {
        "contact": make_member("lina", "李娜", org=HUAXIN, roles=("contact",)),
        "member": make_member("zhangsan", "张三", org=HUAXIN),
        "nophone": make_member("lisi", "李四", org=HUAXIN),
        "other_contact": make_member("chenjing", "陈静", org=YUANJING, roles=("contact",)),
        "other_member": make_member("wangwu", "王五", org=YUANJING),
        "lecturer": make_member("wangli", "王立", org=None, roles=("lecturer",)),
        "admin": make_member("admin1", "管理员", org=None, roles=("admin",)),
    }


def make_lecture(app: Flask, people: dict[str, Member], starts_in: timedelta,
                 status: OrderStatus = OrderStatus.CONFIRMED, code: str = CODE,
                 minutes: int = 120) -> dict[str, Any]:
    """A lecture ordered by 华芯, starting `starts_in` from now; accepted unless dispatched."""
    with app.app_context():
        topic = db.session.scalars(select(Topic)).first() or Topic(
            slug="red", title="新时代的红色精神", modes=["offline"])
        organization = db.session.scalars(select(Organization).where(
            Organization.name == HUAXIN)).one()
        order = LectureOrder(organization_id=organization.id, contact_id=people["contact"].id,
                             topic=topic, audience=40, address="三楼会议室", status=status)
        start = utcnow() + starts_in
        accepted = None if status in (OrderStatus.DISPATCHED, OrderStatus.PENDING) else utcnow()
        lecture = Lecture(order=order, topic=topic, lecturer_id=people["lecturer"].id,
                          starts_at=start, ends_at=start + timedelta(minutes=minutes),
                          place="三楼会议室", checkin_code=code, accepted_at=accepted)
        db.session.add_all([order, lecture])
        db.session.commit()
        return {"order": order.id, "lecture": lecture.id, "number": order.number,
                "starts_at": start}


def check_ins(app: Flask) -> list[tuple[str, str, str | None, str]]:
    """(userid, status, proxy userid, reason) of every check-in row."""
    with app.app_context():
        rows = db.session.scalars(select(CheckIn).order_by(CheckIn.id)).all()
        return [(r.member.userid, r.status, r.proxy.userid if r.proxy else None, r.reason)
                for r in rows]


def participations(app: Flask) -> list[tuple[str, str, str]]:
    """(userid, kind, source) of every ledger row."""
    with app.app_context():
        rows = db.session.execute(select(Member.userid, Participation.kind, Participation.source)
                                  .join(Member, Member.id == Participation.member_id)
                                  .order_by(Participation.id)).all()
        return [tuple(r) for r in rows]


def tables(app: Flask) -> dict[str, int]:
    """Row counts of every table."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts


def test_check_in_ok(app: Flask, people, send_text):
    """签到 with the code of a running lecture: one check-in, one participation, hours shown?"""
    ids = make_lecture(app, people, -timedelta(minutes=10))
    reply = send_text("zhangsan", f"签到 {CODE}").text
    assert "签到成功" in reply and "《新时代的红色精神》" in reply and "学时2" in reply
    assert check_ins(app) == [("zhangsan", "present", None, "")]
    assert participations(app) == [("zhangsan", "lecture", f"lecture:{ids['lecture']}")]


def test_check_in_twice_says_earlier_time(app: Flask, people, send_text):
    """Twice: is the second answered 已签到 at the first time, with nothing new written?"""
    make_lecture(app, people, -timedelta(minutes=10))
    send_text("zhangsan", f"签到 {CODE}")
    with app.app_context():
        first = db.session.scalars(select(CheckIn)).one().checked_at
    before = tables(app)
    reply = send_text("zhangsan", f"签到　{CODE}").text  # a full-width space is forgiven
    assert reply == texts.ALREADY.format(time=local_time(first), what="宣讲《新时代的红色精神》")
    assert tables(app) == before


@pytest.mark.parametrize(("starts_in", "status", "expected"), [
    (timedelta(hours=2), OrderStatus.CONFIRMED, "还未开始"),  # opens 30 min before the start
    (-timedelta(hours=4), OrderStatus.CONFIRMED, "已于"),  # ended 2 h ago, closed 1.5 h ago
    (-timedelta(minutes=10), OrderStatus.DISPATCHED, "尚未经讲师确认"),
])
def test_refusals_write_nothing(app: Flask, people, send_text, starts_in, status, expected):
    """Not open yet, closed, not confirmed: is the member told which, and nothing written?"""
    ids = make_lecture(app, people, starts_in, status=status)
    before = tables(app)
    reply = send_text("zhangsan", f"签到 {CODE}").text
    assert expected in reply
    settings_window = timedelta(minutes=30)
    if expected == "还未开始":
        assert local_time(ids["starts_at"] - settings_window) in reply
    if expected == "已于":
        assert local_time(ids["starts_at"] + timedelta(hours=2) + settings_window) in reply
    assert tables(app) == before


def test_unknown_code_and_bad_input(app: Flask, people, send_text):
    """A code nobody has, or no code at all: clear answers, nothing written?"""
    make_lecture(app, people, -timedelta(minutes=10))
    before = tables(app)
    assert send_text("zhangsan", "签到 999999").text == texts.ERRORS["unknown_code"].format(
        code="999999")
    assert send_text("zhangsan", "签到 12ab").text == texts.CHECKIN_USAGE
    assert send_text("zhangsan", "签到").text == texts.CHECKIN_USAGE
    assert tables(app) == before


def test_window_is_configurable(app: Flask, people, send_text):
    """With check-in opening 90 minutes ahead, may a member check in an hour before?"""
    make_lecture(app, people, timedelta(hours=1))
    assert "还未开始" in send_text("zhangsan", f"签到 {CODE}").text
    app.config["CHECKIN_OPENS_BEFORE_MIN"] = "90"
    assert "签到成功" in send_text("zhangsan", f"签到 {CODE}").text
    make_lecture(app, people, -timedelta(hours=3), code="111222")  # ended an hour ago
    assert "已于" in send_text("zhangsan", "签到 111222").text
    app.config["CHECKIN_CLOSES_AFTER_MIN"] = "90"
    assert "签到成功" in send_text("zhangsan", "签到 111222").text


def test_left_member_refused(app: Flask, people, send_text):
    """A member who left: refused as inactive, and a contact cannot 代签 them either?"""
    make_lecture(app, people, -timedelta(minutes=10))
    with app.app_context():
        member = db.session.get(Member, people["member"].id)
        member.status = MemberStatus.LEFT
        db.session.commit()
    assert send_text("zhangsan", f"签到 {CODE}").text == MEMBER_INACTIVE
    reply = send_text("lina", f"代签 {CODE} zhangsan").text
    assert "张三的账号已停用" in reply and "代签成功" not in reply
    assert check_ins(app) == [] and participations(app) == []


def test_scan_event_checks_in(app: Flask, people, sim):
    """Scanning the printed QR code checks in; a stranger's QR code is refused politely?"""
    ids = make_lecture(app, people, -timedelta(minutes=10))
    content = f"pioneer-checkin:L{ids['lecture']}:{CODE}"
    assert "签到成功" in scan(sim, "zhangsan", content).text
    assert scan(sim, "wangwu", "https://example.com/x").text == texts.SCAN_NOT_OURS
    # an old printout of a lecture whose code changed is not accepted
    assert "不存在" in scan(sim, "wangwu", f"pioneer-checkin:L{ids['lecture']}:000000").text
    assert check_ins(app) == [("zhangsan", "present", None, "")]
    assert any(b.get("type") == "scancode_waitmsg" and b["key"] == "scan_checkin"
               for b in MENU["button"][2]["sub_button"])
    assert all(len(b["sub_button"]) <= 5 for b in MENU["button"])


def test_proxy_by_contact(app: Flask, people, send_text):
    """代签 by the organisation's contact: flagged rows; unknown and other-org names refused?"""
    ids = make_lecture(app, people, -timedelta(minutes=10))
    send_text("zhangsan", f"签到 {CODE}")
    reply = send_text("lina", f"代签 {CODE} 李四、张三，赵六 王五").text
    assert "李四：代签成功" in reply
    assert "张三：已于" in reply
    assert "赵六：名册中没有这个人" in reply
    assert "王五：不是您所在党组织的党员" in reply
    assert check_ins(app) == [("zhangsan", "present", None, ""),
                              ("lisi", "present", "lina", "")]
    assert participations(app) == [("zhangsan", "lecture", f"lecture:{ids['lecture']}"),
                                   ("lisi", "lecture", f"lecture:{ids['lecture']}")]


def test_proxy_refusals(app: Flask, people, send_text, make_member):
    """A contact of another organisation, a plain member, a closed lecture: refused?"""
    make_lecture(app, people, -timedelta(minutes=10))
    reply = send_text("chenjing", f"代签 {CODE} 李四").text
    assert "李四：不是您所在党组织的党员" in reply
    assert send_text("zhangsan", f"代签 {CODE} 李四").text == NO_PERMISSION.format(
        role="党组织书记/联络员或管理员")
    make_member("lisi2", "李四", org=HUAXIN)  # a namesake
    assert "有重名" in send_text("lina", f"代签 {CODE} 李四").text
    make_lecture(app, people, -timedelta(hours=5), code="777888")
    assert "已于" in send_text("lina", "代签 777888 lisi").text
    assert check_ins(app) == []
    reply = send_text("admin1", f"代签 {CODE} wangwu").text  # admins: any organisation
    assert "王五：代签成功" in reply
    assert check_ins(app) == [("wangwu", "present", "admin1", "")]


def test_leave(app: Flask, people, send_text):
    """请假 is recorded apart (no participation); coming after all turns it into presence?"""
    make_lecture(app, people, timedelta(days=1))
    reply = send_text("zhangsan", f"请假 {CODE} 出差在外地").text
    assert "已为您登记请假" in reply and "出差在外地" in reply
    assert "您已于" in send_text("zhangsan", f"请假 {CODE} 还是出差").text
    assert send_text("zhangsan", f"请假 {CODE}").text == texts.LEAVE_USAGE
    assert check_ins(app) == [("zhangsan", "leave", None, "出差在外地")]
    assert participations(app) == []
    with app.app_context():
        lecture = db.session.scalars(select(Lecture)).one()
        lecture.starts_at = utcnow() - timedelta(minutes=5)
        lecture.ends_at = lecture.starts_at + timedelta(hours=2)
        db.session.commit()
    assert "签到成功" in send_text("zhangsan", f"签到 {CODE}").text
    assert check_ins(app) == [("zhangsan", "present", None, "")]
    assert len(participations(app)) == 1
    assert "不能再请假" in send_text("zhangsan", f"请假 {CODE} 有事").text


def test_duplicate_message_key_one_row(app: Flask, people, sim):
    """The same message delivered twice, and check_in called twice with one key: one row?"""
    ids = make_lecture(app, people, -timedelta(minutes=10))
    first = sim.text("zhangsan", f"签到 {CODE}", msg_id=99001)
    again = sim.text("zhangsan", f"签到 {CODE}", msg_id=99001)
    assert "签到成功" in first.text and again.text == first.text
    with app.app_context():
        target = checkin.of_lecture(db.session.get(Lecture, ids["lecture"]))
        member = db.session.get(Member, people["nophone"].id)
        results = [checkin.check_in(member, target, utcnow(), "msg:dup") for _ in range(2)]
        db.session.commit()
        assert [r.new for r in results] == [True, False]
        assert db.session.scalar(select(func.count()).select_from(CheckIn)) == 2
        assert db.session.scalar(select(func.count()).select_from(Participation)) == 2


def test_attendance_comes_from_check_ins(app: Flask, people, send_text):
    """A held lecture's audience counts present check-ins (代签 too, not leave); the
    lecturer's reported headcount is kept apart?"""
    ids = make_lecture(app, people, -timedelta(minutes=10))
    send_text("zhangsan", f"签到 {CODE}")
    send_text("lina", f"代签 {CODE} 李四")
    send_text("wangwu", f"请假 {CODE} 生病")
    with app.app_context():
        order = db.session.get(LectureOrder, ids["order"])
        order.status = OrderStatus.COMPLETED
        db.session.get(Lecture, ids["lecture"]).attendance = 35
        db.session.commit()
        row = {f.label: f for f in figures("lecturer")}["王立（wangli）"]
    assert (row.lectures, row.audience, row.reported) == (1, 2, 35)


def png_modules(data: bytes, scale: int, border: int) -> list[list[int]]:
    """Read a greyscale PNG (as segno writes it) back into dark (1) / light (0) modules."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat, header = 8, b"", {}
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        chunk = data[position + 8:position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            header = {"width": width, "height": height, "depth": depth, "colour": colour}
        elif kind == b"IDAT":
            idat += chunk
        position += 12 + length
    width, depth = header["width"], header["depth"]
    raw = zlib.decompress(idat)
    stride = (width * depth + 7) // 8
    rows, previous = [], bytearray(stride)
    for y in range(header["height"]):
        line = raw[y * (stride + 1):(y + 1) * (stride + 1)]
        kind, current = line[0], bytearray(line[1:])
        for i in range(stride):  # PNG filters 0–2 (segno uses none or "up")
            if kind == 2:
                current[i] = (current[i] + previous[i]) & 0xFF
            elif kind == 1 and i > 0:
                current[i] = (current[i] + current[i - 1]) & 0xFF
        rows.append(current)
        previous = current

    def pixel(x: int, y: int) -> int:
        bit = x * depth
        value = (rows[y][bit // 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1)
        return 1 if value == 0 else 0  # black is dark

    size = width // scale - 2 * border
    return [[pixel((border + c) * scale + scale // 2, (border + r) * scale + scale // 2)
             for c in range(size)] for r in range(size)]


def test_qr_png_holds_the_code(app: Flask, people, sim, tmp_path: Path):
    """`checkin qr` writes a PNG whose modules are the QR code of the lecture's check-in
    content; scanning that content checks in?"""
    ids = make_lecture(app, people, -timedelta(minutes=10))
    out = tmp_path / "qr.png"
    result = app.test_cli_runner().invoke(args=["checkin", "qr", "--lecture", str(ids["lecture"]),
                                                "--out", str(out), "--scale", "6"])
    assert result.exit_code == 0, result.output
    assert CODE in result.output
    content = f"pioneer-checkin:L{ids['lecture']}:{CODE}"
    expected = segno.make(content, error="m", micro=False)
    modules = png_modules(out.read_bytes(), scale=6, border=4)
    assert modules == [[int(bool(v)) for v in row] for row in expected.matrix]
    assert "签到成功" in scan(sim, "zhangsan", content).text
    listing = app.test_cli_runner().invoke(args=["checkin", "list", "--lecture",
                                                 str(ids["lecture"])]).output
    assert "1 present, 0 on leave" in listing and "zhangsan\t张三\tpresent" in listing
    bad = app.test_cli_runner().invoke(args=["checkin", "qr", "--lecture", "999",
                                             "--out", str(out)])
    assert bad.exit_code != 0 and "no lecture 999" in bad.output


def test_code_for_lecturer_with_qr_image(app: Flask, people, send_text, sandbox: SandboxServer):
    """签到码 DD-…: the lecturer gets code, window and the QR image; others are refused?"""
    ids = make_lecture(app, people, timedelta(days=2))
    reply = send_text("wangli", f"签到码 {ids['number']}").text
    assert f"签到码：{CODE}" in reply and local_time(ids["starts_at"] - timedelta(minutes=30)) \
        in reply and "已签到0人" in reply
    [image] = [m for m in sandbox.state.inbox_since("wangli") if m["msgtype"] == "image"]
    data, content_type, _ = sandbox.state.get_media(image["content"]["media_id"])
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and content_type == "image/png"
    assert f"签到码：{CODE}" in send_text("lina", f"签到码 {ids['number']}").text
    assert "不能查看" in send_text("chenjing", f"签到码 {ids['number']}").text
    assert send_text("zhangsan", f"签到码 {ids['number']}").text.startswith("抱歉")
    assert "没有找到" in send_text("wangli", "签到码 XY-1").text


def test_codes_unique_across_lectures_and_meetings(app: Flask, people, monkeypatch):
    """A new code never repeats one a near lecture or meeting holds?"""
    make_lecture(app, people, timedelta(days=1), code="000001")
    with app.app_context():
        organization = db.session.scalars(select(Organization)).first()
        start = utcnow() + timedelta(days=1)
        db.session.add(OrgMeeting(organization_id=organization.id, kind="lesson", topic="党课",
                                  starts_at=start, ends_at=start + timedelta(hours=2),
                                  checkin_code="000002", recorded_by_id=people["contact"].id))
        db.session.commit()
        draws = iter([1, 2, 1, 3])
        monkeypatch.setattr(codes.secrets, "randbelow", lambda _n: next(draws))
        assert codes.new_checkin_code(utcnow()) == "000003"
        # a code whose lecture ended long ago may be used again
        db.session.execute(Lecture.__table__.update().values(
            starts_at=datetime(2020, 1, 1, tzinfo=UTC), ends_at=datetime(2020, 1, 1, 2,
                                                                            tzinfo=UTC)))
        draws = iter([1])
        assert codes.new_checkin_code(utcnow()) == "000001"
