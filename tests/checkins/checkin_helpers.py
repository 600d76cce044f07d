"""Check-in helpers shared by the chat's and the console's check-in tests (and the browser's):
a member's scan of a QR code, and the console's world of a lecture's and meetings' check-ins."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from models import Lecture, LectureOrder, Member, OrderStatus, OrgMeeting, db
from tests.console_helpers import build_world

SECONDS_AGO = itertools.count(1)


def scan(sim, userid: str, result: str):
    """The member scans a QR code with the menu's 扫码签到 button (each scan a second apart:
    WeCom tells events apart by sender and time)."""
    inner = sim.inner(userid, "event", {"Event": "scancode_waitmsg", "EventKey": "scan_checkin"},
                      create_time=int(time.time()) - next(SECONDS_AGO))
    info = (f"<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>"
            f"<ScanResult><![CDATA[{result}]]></ScanResult></ScanCodeInfo>")
    return sim.deliver(inner.replace("<AgentID>", info + "<AgentID>"))


NOW = "2026-12-01 10:00"  # a Tuesday morning in Shanghai
MEETING_CODE = "135790"
LECTURE_CODE = "246801"


def make_checkins(app: Flask, make_member: Any) -> dict[str, Any]:
    """The console world, 党员丙 of 华芯 besides 党员丁, a 华芯 支部党员大会 that started on
    2026-12-01 at 09:30 with a code, one recorded by list (no code), one of 远景, and a
    confirmed lecture 华芯 ordered, started at 09:50; the world under "base", the ids."""
    base = build_world(app, make_member)
    make_member("c-third", "党员丙", org="华芯党支部")
    with app.app_context():
        here = db.session.get(Member, db.session.scalar(
            select(Member.id).where(Member.userid == base.contact_here)))
        other = db.session.scalar(select(Member).where(Member.userid == base.contact_other))
        start = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
        meetings = {
            "meeting": OrgMeeting(organization_id=base.org_here, kind="assembly",
                                  topic="学习贯彻全会精神", starts_at=start,
                                  ends_at=start + timedelta(hours=2),
                                  checkin_code=MEETING_CODE, recorded_by_id=here.id),
            "listed": OrgMeeting(organization_id=base.org_here, kind="theme_day",
                                 topic="主题党日：走访社区", starts_at=start,
                                 ends_at=start + timedelta(hours=2), recorded_by_id=here.id),
            "other_meeting": OrgMeeting(organization_id=base.org_other, kind="committee",
                                        topic="远景支委会", starts_at=start,
                                        ends_at=start + timedelta(hours=2),
                                        checkin_code="975310", recorded_by_id=other.id),
        }
        order = db.session.get(LectureOrder, base.order_id)
        order.status = OrderStatus.CONFIRMED
        lecture = Lecture(order_id=order.id, topic_id=base.topic_id,
                          lecturer_id=base.lecturer_id, starts_at=start + timedelta(minutes=20),
                          ends_at=start + timedelta(minutes=110), place="张江路88号",
                          checkin_code=LECTURE_CODE, accepted_at=start - timedelta(days=2))
        db.session.add_all([*meetings.values(), lecture])
        db.session.commit()
        ids = {name: m.id for name, m in meetings.items()}
        ids["lecture"] = lecture.id
    return {"base": base, **ids}
