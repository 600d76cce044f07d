"""学习强国 screenshots are Pioneer's: downloaded right after the report, kept in its row, shown
in the console to those whose scope holds the member — still there after WeCom's media expired;
a newer screenshot replaces the kept one; a screenshot sent without 强国积分 gets a pointer."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from content import texts
from models import QiangguoReport, db
from qiangguo.screenshots import fetch_screenshot
from sandbox.state import MEDIA_TTL_S
from tests.console_helpers import login_as

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _report(app: Flask) -> QiangguoReport:
    with app.app_context():
        return db.session.scalars(select(QiangguoReport)).one()


def test_a_screenshot_is_kept_after_the_media_expired(app: Flask, make_member: Any, sim: Any,
                                                      send_text: Any, sandbox: Any) -> None:
    """强国积分 then a screenshot: the job downloads it at once (inline in tests); three days
    later the sandbox no longer has the media, the console still shows the image — to the
    organisation's contact, not to another's."""
    member = make_member("qg-member", "党员甲", org="华芯党支部")
    make_member("qg-contact", "联络员甲", org="华芯党支部", roles=("contact",))
    make_member("qg-other", "联络员乙", org="远景党支部", roles=("contact",))
    media_id = sandbox.state.add_media(PNG, "image/png", "shot.png")
    send_text(member, "强国积分")
    reply = sim.message(member.userid, "image", PicUrl="http://x/p.png", MediaId=media_id)
    assert "截图" in reply.text
    kept = _report(app)
    assert kept.image == PNG and kept.image_type == "image/png"
    sandbox.state.advance(MEDIA_TTL_S + 60)
    assert sandbox.state.get_media(media_id) is None  # gone from WeCom
    contact = app.test_client()
    login_as(contact, sandbox, "qg-contact")
    shown = contact.get(f"/console/qiangguo/reports/{kept.id}/screenshot")
    assert shown.status_code == 200 and shown.mimetype == "image/png" and shown.data == PNG
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    page = contact.get(f"/console/qiangguo/orgs/{kept.organization_id}").get_data(as_text=True)
    assert f"/console/qiangguo/reports/{kept.id}/screenshot" in page
    other = app.test_client()
    login_as(other, sandbox, "qg-other")
    assert other.get(f"/console/qiangguo/reports/{kept.id}/screenshot").status_code == 404


def test_a_new_screenshot_replaces_the_kept_one(app: Flask, make_member: Any, sim: Any,
                                                send_text: Any, sandbox: Any) -> None:
    """A second screenshot the same week clears the first one's bytes and keeps the second;
    an expired media id leaves the report with its id only ("failed"), never an error."""
    member = make_member("qg-two", "党员乙", org="华芯党支部")
    first = sandbox.state.add_media(PNG, "image/png", "a.png")
    send_text(member, "强国积分")
    sim.message(member.userid, "image", PicUrl="http://x/a.png", MediaId=first)
    second_bytes = PNG + b"second"
    second = sandbox.state.add_media(second_bytes, "image/png", "b.png")
    send_text(member, "强国积分")
    sim.message(member.userid, "image", PicUrl="http://x/b.png", MediaId=second)
    report = _report(app)
    assert report.media_id == second and report.image == second_bytes
    with app.app_context():
        row = db.session.get(QiangguoReport, report.id)
        row.media_id, row.image = "sbx-media-gone", None
        db.session.commit()
        assert fetch_screenshot(app.extensions["pioneer_wecom"], report.id) == "failed"
        assert db.session.get(QiangguoReport, report.id).image is None


def test_an_image_without_its_command_gets_a_pointer(make_member: Any, sim: Any) -> None:
    """A screenshot sent straight away is not "text only": it says what to send first."""
    member = make_member("qg-straight")
    reply = sim.message(member.userid, "image", PicUrl="http://x/p.png", MediaId="m-any")
    assert reply.text == texts.FALLBACK_IMAGE and "强国积分" in reply.text
