"""学习强国 self-reports: parsing, replacing within a week, screenshots, bad input, the contact's
summary and the weekly reminder (who, at most weekly, never at night, never to those who left)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from content import qiangguo_texts as texts
from content.texts import NO_PERMISSION
from models import (
    MemberStatus,
    Nudge,
    OutboundMessage,
    Participation,
    ParticipationKind,
    QiangguoReport,
    db,
    find_member,
    utcnow,
)
from qiangguo import qiangguo
from qiangguo.qiangguo import (
    QiangguoSettings,
    ScoreError,
    parse_score,
    period_of,
    qiangguo_tick,
    send_reminders,
    week_of,
)
from sandbox.server import SandboxServer
from tests.helpers import written

HUAXIN, YUANJING = "华芯党支部", "远景党支部"
# Friday 27 Nov 2026, 10:30 in Shanghai; that week's Monday is 23 Nov (ISO week 48).
FRIDAY = datetime(2026, 11, 27, 2, 30, tzinfo=UTC)
MONDAY = date(2026, 11, 23)


@pytest.fixture
def people(make_member) -> dict[str, Any]:
    """Two organisations, each with a contact and members; an admin; a member who left."""
    built = {
        "contact": make_member("lina", "李娜", org=HUAXIN, roles=("contact",)),
        "zhang": make_member("zhangsan", "张三", org=HUAXIN),
        "wang": make_member("wangwu", "王五", org=HUAXIN),
        "other_contact": make_member("chenjing", "陈静", org=YUANJING, roles=("contact",)),
        "zhao": make_member("zhaoliu", "赵六", org=YUANJING),
        "admin": make_member("admin1", "管理员甲", org=None, roles=("admin",)),
        "left": make_member("gone", "离开者", org=HUAXIN),
    }
    return built


def mark_left(app: Flask, userid: str) -> None:
    """The member has left the roster."""
    with app.app_context():
        member = find_member(userid)
        member.status = MemberStatus.LEFT
        db.session.commit()


def reports(app: Flask) -> list[tuple[str, date, int | None, str | None]]:
    """Every report as (userid, week, score, media id)."""
    with app.app_context():
        rows = db.session.scalars(select(QiangguoReport).order_by(QiangguoReport.id)).all()
        return [(r.member.userid, r.week, r.score, r.media_id) for r in rows]


def ledger_sources(app: Flask, kind: str = ParticipationKind.QIANGGUO) -> list[tuple[str, str]]:
    """(userid, source) of every ledger row of that kind."""
    with app.app_context():
        rows = db.session.scalars(select(Participation).where(Participation.kind == kind)
                                  .order_by(Participation.id)).all()
        return [(r.member.userid, r.source) for r in rows]


def rows(app: Flask) -> dict[str, int]:
    """Row counts (Redis keys left out: every message leaves a dedup claim)."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts


@pytest.mark.parametrize(("text", "score"), [
    ("1234", 1234), ("１２３４", 1234), ("1,234", 1234), ("1234分", 1234), (" 0 ", 0),
    ("100000", 100000), ("1234 分", 1234), ("1234。", 1234),
])
def test_scores_understood(text: str, score: int):
    """Are plain, full-width, comma-grouped and 分-suffixed totals read as the number?"""
    assert parse_score(text) == score


@pytest.mark.parametrize(("text", "reason"), [
    ("abc", "not_a_number"), ("12.5", "not_a_number"), ("12a", "not_a_number"),
    ("-5", "negative"), ("－５", "negative"), ("100001", "too_big"), ("99999999", "too_big"),
    ("一千", "not_a_number"),
])
def test_bad_scores_refused(text: str, reason: str):
    """Are letters, decimals, negatives and absurd totals refused with the right reason?"""
    with pytest.raises(ScoreError) as caught:
        parse_score(text)
    assert caught.value.reason == reason


def test_week_is_shanghai_monday():
    """Is Sunday 23:30 in Shanghai still that week, and Monday 00:30 the next?"""
    sunday_night = datetime(2026, 11, 29, 15, 30, tzinfo=UTC)  # Sun 23:30 local
    monday_early = datetime(2026, 11, 29, 16, 30, tzinfo=UTC)  # Mon 00:30 local
    assert week_of(sunday_night) == MONDAY
    assert week_of(monday_early) == MONDAY + timedelta(days=7)
    assert period_of(MONDAY) == "2026-W48"


def test_report_in_one_message(app: Flask, people, send_text):
    """Does 强国积分 1234 record this week's score and one ledger row?"""
    reply = send_text(people["zhang"], "强国积分 1234").text
    week = week_of(utcnow())
    assert reply == texts.SAVED.format(week=qiangguo.week_label(week), score=1234)
    assert reports(app) == [("zhangsan", week, 1234, None)]
    assert ledger_sources(app) == [("zhangsan", f"qiangguo:{week.isoformat()}")]


def test_short_word_and_full_width_digits(app: Flask, people, send_text):
    """Does "强国 ８８" (full-width digits, full-width space) count as a report of 88?"""
    assert "88 分" in send_text(people["zhang"], "强国\u3000８８").text
    assert reports(app)[0][2] == 88


def test_second_report_replaces(app: Flask, people, send_text):
    """Does a second report in the same week replace the score, say so, and not count twice?"""
    send_text(people["zhang"], "强国积分 1200")
    reply = send_text(people["zhang"], "强国积分 1350").text
    assert "由 1200 分改为 1350 分" in reply
    assert [r[2] for r in reports(app)] == [1350]
    assert len(ledger_sources(app)) == 1


def test_new_week_is_a_new_report(app: Flask, people):
    """Does a report in the next week make a second report and a second ledger row?"""
    with app.app_context():
        member = find_member("zhangsan")
        first = qiangguo.report(member, FRIDAY, score=900)
        second = qiangguo.report(member, FRIDAY + timedelta(days=7), score=950)
        db.session.commit()
        assert first.first and second.first
    assert [(r[1], r[2]) for r in reports(app)] == [(MONDAY, 900),
                                                     (MONDAY + timedelta(days=7), 950)]
    assert [source for _, source in ledger_sources(app)] == [
        "qiangguo:2026-11-23", "qiangguo:2026-11-30"]


def test_screenshot_then_score(app: Flask, people, sim, send_text):
    """Does 强国积分 then a screenshot record the media id; and a later number add the score?"""
    assert send_text(people["zhang"], "强国积分").text == texts.ASK
    reply = sim.message("zhangsan", "image", PicUrl="http://x/p.png", MediaId="MEDIA-1",
                        MsgId="7001").text
    assert "截图已收到" in reply and texts.SCREENSHOT_FIRST_HINT in reply
    assert reports(app)[0][2:] == (None, "MEDIA-1")
    assert len(ledger_sources(app)) == 1
    assert "已记录" in send_text(people["zhang"], "强国积分 800").text
    assert reports(app)[0][2:] == (800, "MEDIA-1")
    assert len(ledger_sources(app)) == 1


def test_number_after_bare_word(app: Flask, people, send_text):
    """After a bare 强国积分, is a bad answer re-asked, and a number then recorded?"""
    send_text(people["zhang"], "强国积分")
    reply = send_text(people["zhang"], "很多").text
    assert "不是积分数字" in reply and texts.ASK_AGAIN in reply
    assert reports(app) == []
    assert "1500 分" in send_text(people["zhang"], "1500").text
    assert reports(app)[0][2] == 1500
    assert "没有听懂" in send_text(people["zhang"], "1600").text  # the conversation is over


def test_screenshot_after_score_keeps_score(app: Flask, people, sim, send_text):
    """Does a screenshot after a score keep the score and attach the screenshot?"""
    send_text(people["zhang"], "强国积分 700")
    send_text(people["zhang"], "强国积分")
    reply = sim.message("zhangsan", "image", PicUrl="http://x/p.png", MediaId="MEDIA-2",
                        MsgId="7002").text
    assert reply == texts.SCREENSHOT_SAVED.format(week=qiangguo.week_label(week_of(utcnow())))
    assert reports(app)[0][2:] == (700, "MEDIA-2")


@pytest.mark.parametrize(("text", "expected"), [
    ("强国积分 abc", "不是积分数字"),
    ("强国积分 -5", "不能是负数"),
    ("强国积分 100001", "太大了"),
    ("强国积分 12.5", "不是积分数字"),
])
def test_bad_input_writes_nothing(app: Flask, people, send_text, text: str, expected: str):
    """Are letters, negatives and absurd numbers answered clearly, with nothing written?"""
    before = rows(app)
    assert expected in send_text(people["zhang"], text).text
    assert rows(app) == before


def test_contact_sees_own_organisation(app: Flask, people, send_text):
    """Does a contact see n/m, each score and who has not reported, only for their org?"""
    send_text(people["zhang"], "强国积分 1500")
    send_text(people["contact"], "强国积分 900")
    send_text(people["zhao"], "强国积分 2000")  # another organisation
    mark_left(app, "gone")
    reply = send_text(people["contact"], "强国汇总").text
    assert f"{HUAXIN} 本周" in reply and "2/3人" in reply
    assert "· 张三：1500分" in reply and "· 李娜：900分" in reply
    assert "未报送（1人）：王五" in reply
    assert "赵六" not in reply and "离开者" not in reply and YUANJING not in reply
    assert reply.index("张三") < reply.index("李娜")  # highest score first


def test_contact_cannot_see_other_organisation(app: Flask, people, send_text):
    """Is a contact refused another organisation's summary?"""
    reply = send_text(people["contact"], f"强国汇总 {YUANJING}").text
    assert reply == texts.NOT_YOUR_ORG.format(orgs=HUAXIN)
    assert "找不到党组织" in send_text(people["contact"], "强国汇总 不存在党支部").text


def test_non_contact_refused(app: Flask, people, send_text):
    """Is a plain member refused 强国汇总?"""
    reply = send_text(people["zhang"], "强国汇总").text
    assert reply == NO_PERMISSION.format(role="党组织书记/联络员或管理员")


def test_admin_sees_every_organisation(app: Flask, people, send_text):
    """Does an admin get one line per organisation, and one organisation's detail on request?"""
    send_text(people["zhang"], "强国积分 1500")
    send_text(people["zhao"], "强国积分 2000")
    reply = send_text(people["admin"], "强国汇总").text
    assert f"· {HUAXIN}：1/4" in reply and f"· {YUANJING}：1/2" in reply
    assert "2/7人" in reply  # the admin has no organisation but is an active member
    detail = send_text(people["admin"], f"强国汇总 {YUANJING}").text
    assert "· 赵六：2000分" in detail and "未报送（1人）：陈静" in detail


def test_screenshot_only_shown_as_such(app: Flask, people, sim, send_text):
    """Is a screenshot without a score shown to the contact as a screenshot?"""
    send_text(people["wang"], "强国积分")
    sim.message("wangwu", "image", PicUrl="http://x/p.png", MediaId="MEDIA-3", MsgId="7003")
    reply = send_text(people["contact"], "强国汇总").text
    assert f"· 王五：{texts.SCREENSHOT_ONLY}" in reply


def reminded(app: Flask) -> list[str]:
    """Userids that got the reminder (from the outbound messages), in order."""
    with app.app_context():
        found: list[str] = []
        for row in db.session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)):
            if row.source_key and row.source_key.startswith("qiangguo:"):
                found += row.touser.split("|")
        return found


def remind(app: Flask, now: datetime, **settings: Any) -> int:
    """Run the reminder at `now`; commit; how many members were reminded."""
    with app.app_context():
        result = send_reminders(now, QiangguoSettings(**settings) if settings else None)
        db.session.commit()
        return result.members


def test_reminder_goes_to_non_reporters_once(app: Flask, people):
    """Does Friday's reminder reach active non-reporters only, and only once that week?"""
    mark_left(app, "gone")
    with app.app_context():
        qiangguo.report(find_member("zhangsan"), FRIDAY - timedelta(days=2), score=500)
        db.session.commit()
    assert remind(app, FRIDAY - timedelta(hours=1)) == 0  # Friday 09:30: not yet
    assert remind(app, FRIDAY) == 5
    assert sorted(reminded(app)) == ["admin1", "chenjing", "lina", "wangwu", "zhaoliu"]
    assert remind(app, FRIDAY + timedelta(hours=1)) == 0
    assert remind(app, FRIDAY + timedelta(days=1)) == 0  # Saturday: still this week
    with app.app_context():
        nudges = db.session.scalars(select(Nudge)).all()
        assert {(n.kind, n.period) for n in nudges} == {("qiangguo", "2026-W48")}
        assert len(nudges) == 5
        text = db.session.scalars(select(OutboundMessage)).one().payload["text"]["content"]
        assert "11月23日—11月29日" in text and "强国积分" in text
    assert remind(app, FRIDAY + timedelta(days=7)) == 6  # next week, all but the one who left


def test_reminder_never_at_night(app: Flask, people):
    """Set for 22:00, does the reminder wait for the morning after?"""
    friday_2230 = datetime(2026, 11, 27, 14, 30, tzinfo=UTC)
    assert remind(app, friday_2230, weekday=4, hour=22) == 0
    saturday_0730 = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert remind(app, saturday_0730, weekday=4, hour=22) == 0
    saturday_0830 = datetime(2026, 11, 28, 0, 30, tzinfo=UTC)
    assert remind(app, saturday_0830, weekday=4, hour=22) == 7


def test_reminder_settings_from_config(app: Flask, people):
    """Do QIANGGUO_REMIND_WEEKDAY and QIANGGUO_REMIND_HOUR move the reminder, and bad ones fail?"""
    app.config.update(QIANGGUO_REMIND_WEEKDAY=0, QIANGGUO_REMIND_HOUR=9)
    monday_0930 = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)
    assert remind(app, monday_0930) == 7
    app.config["QIANGGUO_REMIND_WEEKDAY"] = 7
    with app.app_context(), pytest.raises(ValueError, match="QIANGGUO_REMIND_WEEKDAY"):
        qiangguo.qiangguo_settings()


def test_tick_delivers_through_wecom(app: Flask, people, sandbox: SandboxServer,
                                     monkeypatch: pytest.MonkeyPatch):
    """Does the cron tick send the reminder to WeCom, once a week?"""
    monkeypatch.setattr("qiangguo.qiangguo.utcnow", lambda: FRIDAY)
    with app.app_context():
        assert qiangguo_tick() == 7
        assert qiangguo_tick() == 0
    inbox = sandbox.state.inbox_since("zhangsan")
    assert len(inbox) == 1 and "学习强国积分还没有报送" in inbox[0]["content"]["content"]
