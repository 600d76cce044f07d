"""三会一课: does a contact's record write the meeting and its attendances only on 确认, with
bad input refused, and does each short organisation's contact get one reminder a quarter?"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

import clock
from content import meeting_texts as texts
from content import roster_texts
from content.texts import NO_PERMISSION
from content.texts import local_day_time as show
from meetings import recording, requirements
from meetings.settings import meeting_settings
from models import (
    CheckIn,
    Member,
    MemberStatus,
    Nudge,
    Organization,
    OrgMeeting,
    OutboundMessage,
    Participation,
    db,
    utcnow,
)
from roster.manage import ensure_organization, grant_role
from tests.helpers import SHANGHAI, written

HUAXIN, YUANJING, XINGHE = "华芯党支部", "远景党支部", "星河党支部"


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """Contacts of two organisations and members of both."""
    return {
        "contact": make_member("lina", "李娜", org=HUAXIN, roles=("contact",)),
        "member": make_member("zhangsan", "张三", org=HUAXIN),
        "second": make_member("lisi", "李四", org=HUAXIN),
        "other_contact": make_member("chenjing", "陈静", org=YUANJING, roles=("contact",)),
        "other_member": make_member("wangwu", "王五", org=YUANJING),
    }


def tables(app: Flask) -> dict[str, int]:
    """Row counts of every table."""
    counts = written(app)
    counts.pop("redis_keys")
    return counts


def count(app: Flask, model: Any) -> int:
    """Rows of one model."""
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def start_flow(send_text, kind: str = "2", when: str = "昨天下午3点",
               topic: str = "学习党的二十届四中全会精神") -> str:
    """记录会议 up to the attendees question; the last reply."""
    send_text("lina", "记录会议")
    send_text("lina", kind)
    send_text("lina", when)
    return send_text("lina", topic).text


def test_record_with_names(app: Flask, people, send_text):
    """Names matched in the organisation, an unknown one reported, nothing written before 确认;
    then the meeting, a check-in and a MEETING participation per attendee?"""
    assert "请回复会议类型序号" in send_text("lina", "记录会议").text
    assert "支委会" in send_text("lina", "2").text
    echoed = send_text("lina", "昨天下午3点").text
    yesterday = (utcnow().astimezone(SHANGHAI) - timedelta(days=1)).replace(
        hour=15, minute=0, second=0, microsecond=0)
    assert show(yesterday) in echoed
    assert "参会人员怎么登记" in send_text("lina", "学习党的二十届四中全会精神").text
    before = tables(app)
    confirm = send_text("lina", "张三、李四 赵六 王五").text
    assert "2人（张三、李四）" in confirm
    assert "赵六：本党组织没有这个人" in confirm and "王五：本党组织没有这个人" in confirm
    assert tables(app) == before
    saved = send_text("lina", "确认").text
    assert saved.startswith("已保存会议记录 HY-") and "已登记2人参会" in saved
    with app.app_context():
        meeting = db.session.scalars(select(OrgMeeting)).one()
        assert (meeting.kind, meeting.topic, meeting.starts_at) == (
            "committee", "学习党的二十届四中全会精神", yesterday.astimezone(UTC))
        assert meeting.checkin_code is None
        rows = db.session.scalars(select(CheckIn).order_by(CheckIn.id)).all()
        assert [(r.member.userid, r.status, r.proxy_id) for r in rows] == [
            ("zhangsan", "present", people["contact"].id), ("lisi", "present",
                                                            people["contact"].id)]
        ledger = db.session.scalars(select(Participation).order_by(Participation.id)).all()
        assert [(p.kind, p.source, p.occurred_at) for p in ledger] == [
            ("meeting", f"meeting:{meeting.id}", meeting.starts_at)] * 2


def test_record_with_checkin(app: Flask, people, send_text):
    """签到: the meeting gets a code; members of the organisation check in, others not?"""
    start_flow(send_text, kind="4", when="明天上午9点", topic="党课：红色家书")
    assert "开会时由党员签到" in send_text("lina", "签到").text
    saved = send_text("lina", "确认").text
    with app.app_context():
        meeting = db.session.scalars(select(OrgMeeting)).one()
        code, number = meeting.checkin_code, recording.meeting_number(meeting)
    assert code and f"签到码：{code}" in saved and number in saved
    assert "还未开始" in send_text("zhangsan", f"签到 {code}").text
    assert f"签到码：{code}" in send_text("lina", f"签到码 {number}").text
    assert "不能查看" in send_text("chenjing", f"签到码 {number}").text
    with app.app_context():
        meeting = db.session.scalars(select(OrgMeeting)).one()
        meeting.starts_at = utcnow() - timedelta(minutes=5)
        meeting.ends_at = meeting.starts_at + timedelta(hours=2)
        db.session.commit()
    assert "签到成功" in send_text("zhangsan", f"签到 {code}").text
    assert "不是该党组织的党员" in send_text("wangwu", f"签到 {code}").text
    with app.app_context():
        assert [(p.member.userid, p.kind) for p in db.session.scalars(select(Participation))] \
            == [("zhangsan", "meeting")]


def test_bad_input_writes_nothing(app: Flask, people, send_text):
    """Bad kind, unreadable or far times, long topics, unknown names, non-contacts: each
    re-asked with a clear answer and nothing written?"""
    before = tables(app)
    assert send_text("zhangsan", "记录会议").text == NO_PERMISSION.format(role="党组织书记/联络员")
    send_text("lina", "记录会议")
    assert send_text("lina", "9").text == texts.BAD_KIND
    send_text("lina", "党课")
    assert "没有看懂“胡说八道”" in send_text("lina", "胡说八道").text
    assert "无法补录" in send_text("lina", "2025年1月1日上午9点").text
    assert "请在会议前60天内登记" in send_text("lina", "2030年1月1日上午9点").text
    send_text("lina", "昨天上午9点")
    assert send_text("lina", "长" * 101).text == texts.BAD_TOPIC.format(limit=100)
    send_text("lina", "主题")
    assert "都没有在华芯党支部找到" in send_text("lina", "赵六 王五").text
    assert "都没有在华芯党支部找到" in send_text("lina", "钱七").text
    assert send_text("lina", "取消").text.startswith("已取消")
    assert tables(app) == before


def test_contact_of_two_organizations_chooses(app: Flask, people, send_text, make_member):
    """A contact of two organisations picks one by number; names match only within it?"""
    with app.app_context():
        grant_role(db.session.get(Member, people["contact"].id), "contact",
                   ensure_organization(YUANJING))
        db.session.commit()
    asked = send_text("lina", "记录会议").text
    assert "1. 华芯党支部" in asked and "2. 远景党支部" in asked
    assert send_text("lina", "3").text == roster_texts.ORG_OUT_OF_RANGE.format(number=3, count=2)
    assert "记录远景党支部的会议" in send_text("lina", "2").text
    send_text("lina", "3")
    send_text("lina", "昨天上午9点")
    send_text("lina", "党小组学习")
    reply = send_text("lina", "王五 张三").text
    assert "1人（王五）" in reply and "张三：本党组织没有这个人" in reply
    send_text("lina", "确认")
    with app.app_context():
        meeting = db.session.scalars(select(OrgMeeting)).one()
        assert (meeting.organization.name, meeting.kind) == (YUANJING, "group")
        number = recording.meeting_number(meeting)
    assert "没有签到码" in send_text("lina", f"签到码 {number}").text


def test_checkin_refused_for_a_past_meeting(app: Flask, people, send_text):
    """A meeting that ended days ago cannot use 签到; a list is asked for instead?"""
    start_flow(send_text, when="3天前上午9点")
    assert "签到时间已过" in send_text("lina", "签到").text
    assert "1人（张三）" in send_text("lina", "张三").text
    assert "已登记1人参会" in send_text("lina", "确认").text


def test_ambiguous_names_need_userids(app: Flask, people, send_text, make_member):
    """Two 张三 in the organisation: reported with userids; the userid picks one?"""
    make_member("zhangsan2", "张三", org=HUAXIN)
    start_flow(send_text)
    reply = send_text("lina", "张三 李四").text
    assert "张三：有重名（张三 zhangsan、张三 zhangsan2）" in reply and "1人（李四）" in reply
    assert "2人（张三、李四）" in send_text("lina", "zhangsan2 李四").text
    send_text("lina", "确认")
    with app.app_context():
        assert sorted(r.member.userid for r in db.session.scalars(select(CheckIn))) == [
            "lisi", "zhangsan2"]


def test_listing_this_quarter(app: Flask, people, send_text):
    """会议记录 lists this quarter's meetings with attendance and what is still missing?"""
    assert "还没有会议记录" in send_text("lina", "会议记录").text
    start_flow(send_text, kind="1", when="今天凌晨1点", topic="换届选举")  # this quarter's
    send_text("lina", "张三 李四")
    send_text("lina", "确认")
    listing = send_text("lina", "会议记录").text
    assert "支部党员大会" in listing and "《换届选举》 参会2人" in listing
    assert "本季度尚需召开" in listing and "支委会（已开0次，应开3次）" in listing
    assert "支部党员大会（" not in listing


def test_cli_add_and_list(app: Flask, people):
    """`meeting add` with names (unknown ones refuse the whole command) or --checkin; list?"""
    runner = app.test_cli_runner()
    bad = runner.invoke(args=["meeting", "add", "--org", HUAXIN, "--kind", "committee",
                              "--at", "2026-11-20 15:00", "--topic", "支委会", "--by", "lina",
                              "--attendees", "张三 赵六"])
    assert bad.exit_code != 0 and "赵六: not a member of 华芯党支部" in bad.output
    assert count(app, OrgMeeting) == 0 and count(app, Participation) == 0
    typo = runner.invoke(args=["meeting", "add", "--org", HUAXIN, "--kind", "committee",
                               "--at", "2026-11-20 15:00", "--topic", "支委会", "--by", "lina",
                               "--attendees", "张三 李思"])
    assert "李思: not a member of 华芯党支部; did you mean: 李娜, 李四?" in typo.output
    when = f"{clock.today():%Y-%m-%d} 01:00"  # in this quarter, whatever the day
    ok = runner.invoke(args=["meeting", "add", "--org", HUAXIN, "--kind", "committee",
                             "--at", when, "--topic", "研究发展党员", "--by", "lina",
                             "--attendees", "张三,lisi"])
    assert ok.exit_code == 0, ok.output
    assert "2 attendees" in ok.output and count(app, Participation) == 2
    coded = runner.invoke(args=["meeting", "add", "--org", HUAXIN, "--kind", "lesson",
                                "--at", when, "--topic", "党课", "--by", "lina", "--checkin"])
    assert "check-in code" in coded.output
    refused = runner.invoke(args=["meeting", "add", "--org", HUAXIN, "--kind", "lesson",
                                  "--at", when, "--topic", "党课", "--by", "chenjing",
                                  "--checkin"])
    assert refused.exit_code != 0 and "not a contact of 华芯党支部" in refused.output
    listing = runner.invoke(args=["meeting", "list", "--org", HUAXIN]).output
    assert "研究发展党员\t2 present" in listing and "missing" in listing


def test_cli_names_the_closest_org_and_recorder(app: Flask, people):
    """Are a misspelt --org (add and list) and --by refused in one line naming the closest,
    with nothing written?"""
    runner = app.test_cli_runner()
    meeting = ["meeting", "add", "--kind", "committee", "--at", "2026-11-20 15:00",
               "--topic", "支委会", "--checkin"]
    before = written(app)
    for args, message in [
        ([*meeting, "--org", "华芯支部", "--by", "lina"],
         "no organisation named '华芯支部'; did you mean: 华芯党支部"),
        ([*meeting, "--org", HUAXIN, "--by", "lin"],
         "no member with userid 'lin'; did you mean: lina"),
        (["meeting", "list", "--org", "远景支部"],
         "no organisation named '远景支部'; did you mean: 远景党支部"),
    ]:
        result = runner.invoke(args=args)
        assert result.exit_code != 0 and message in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1
    assert written(app) == before


def at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A Shanghai wall-clock time as UTC."""
    return datetime(year, month, day, hour, tzinfo=SHANGHAI).astimezone(UTC)


def hold(app: Flask, org: str, kind: str, when: datetime, recorder: Member) -> None:
    """A meeting of `org` at `when`."""
    with app.app_context():
        organization = db.session.scalars(select(Organization).where(
            Organization.name == org)).one()
        db.session.add(OrgMeeting(organization_id=organization.id, kind=kind, topic=kind,
                                  starts_at=when, ends_at=when + timedelta(hours=2),
                                  recorded_by_id=recorder.id))
        db.session.commit()


def reminded(app: Flask) -> dict[str, str]:
    """userid → text of every meeting reminder queued."""
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage).where(
            OutboundMessage.source_key.like("meeting-reminder:%"))).all()
        return {r.touser: r.payload["text"]["content"] for r in rows}


def test_reminders_once_per_quarter(app: Flask, people, make_member):
    """Only contacts of organisations short of a required meeting are reminded, once a
    quarter, not at night, not before the reminder day, never a contact who left?"""
    for kind, month in (("assembly", 10), ("lesson", 11), ("committee", 10), ("committee", 11),
                        ("committee", 12), ("group", 10), ("group", 11), ("group", 12)):
        hold(app, HUAXIN, kind, at(2026, month, 2), people["contact"])
    hold(app, YUANJING, "assembly", at(2026, 11, 2), people["other_contact"])
    gone = make_member("zhaoliu", "赵六", org=XINGHE, roles=("contact",))
    with app.app_context():
        db.session.get(Member, gone.id).status = MemberStatus.LEFT
        db.session.commit()
        assert requirements.send_reminders(at(2026, 10, 20)).skipped == "too_early"
        assert requirements.send_reminders(at(2026, 12, 5, hour=22)).skipped == "quiet_hours"
        assert requirements.send_reminders(at(2026, 12, 5, hour=7)).skipped == "quiet_hours"
        assert requirements.send_reminders(at(2026, 12, 5)).reminded == 1
        assert requirements.send_reminders(at(2026, 12, 6)).reminded == 0  # once a quarter
    texts_sent = reminded(app)
    assert list(texts_sent) == ["chenjing"]
    assert "远景党支部" in texts_sent["chenjing"] and "2026年第4季度" in texts_sent["chenjing"]
    assert "党课（已开0次，应开1次）" in texts_sent["chenjing"]
    assert "支部党员大会（" not in texts_sent["chenjing"]
    with app.app_context():
        nudge = db.session.scalars(select(Nudge)).one()
        assert (nudge.kind, nudge.period) == ("meeting", "2026-Q4")
        assert requirements.send_reminders(at(2027, 3, 2)).reminded == 2  # a new quarter
        assert {n.period for n in db.session.scalars(select(Nudge))} == {"2026-Q4", "2027-Q1"}


def test_requirements_configurable(app: Flask, people):
    """Dropping kinds from the requirements (and moving the day) changes who is reminded?"""
    app.config["MEETING_REQUIREMENTS"] = "committee=none,group=none,lesson=none"
    app.config["MEETING_REMIND_DAY"] = "10"
    hold(app, HUAXIN, "assembly", at(2026, 10, 2), people["contact"])
    with app.app_context():
        assert requirements.send_reminders(at(2026, 10, 12)).reminded == 1
    assert list(reminded(app)) == ["chenjing"]
    app.config["MEETING_REQUIREMENTS"] = "committee=weekly"
    with app.app_context(), pytest.raises(ValueError, match="weekly"):
        meeting_settings()


@pytest.mark.parametrize("now", ["2027-03-31 23:59", "2027-04-01 00:01", "2027-04-01 07:59",
                                 "2027-04-01 08:01", "2028-03-01 00:01"])
def test_yesterday_is_the_committees_at_the_edges(app: Flask, people, send_text, travel,
                                                 now: str):
    """At midnight in Shanghai, at 08:00 (where the UTC date turns) and after 29 February,
    is 昨天下午3点 the committee's yesterday, echoed and saved as that?"""
    moment = travel(now)
    send_text("lina", "记录会议")
    send_text("lina", "2")
    yesterday = clock.wall(clock.today(moment) - timedelta(days=1), 15)
    assert show(yesterday) in send_text("lina", "昨天下午3点").text
    send_text("lina", "支委会")
    send_text("lina", "张三")
    assert send_text("lina", "确认").text.startswith("已保存会议记录 HY-")
    with app.app_context():
        assert db.session.scalars(select(OrgMeeting.starts_at)).one() == yesterday


def test_the_quarter_turns_at_shanghai_midnight(app: Flask, people, send_text, travel):
    """Is a meeting at 23:30 on 31 March the first quarter's, and 会议记录 at 00:01 on
    1 April (still 31 March in UTC) the second quarter's, with its gaps?"""
    hold(app, HUAXIN, "assembly", at(2027, 3, 31, 23) + timedelta(minutes=30),
         people["contact"])
    travel("2027-03-31 23:59")
    first = send_text("lina", "会议记录").text
    assert "2027年第1季度" in first and "《assembly》" in first
    assert "支部党员大会（" not in first
    travel("2027-04-01 00:01")
    second = send_text("lina", "会议记录").text
    assert "2027年第2季度还没有会议记录" in second
    assert "支部党员大会（已开0次，应开1次）" in second
    with app.app_context():
        huaxin = db.session.scalars(select(Organization.id).where(
            Organization.name == HUAXIN)).one()
        assert requirements.held_counts([huaxin], 2027, 1) == {huaxin: {"assembly": 1}}
        assert requirements.held_counts([huaxin], 2027, 2) == {huaxin: {}}
