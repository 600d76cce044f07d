"""Can contacts order lectures in chat, see and cancel their orders, and is the menu synced?"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

import clock
from content import lecture_texts as texts
from content import roster_texts
from content.texts import NO_PERMISSION, NOTHING_TO_CONFIRM
from content.texts import local_day_time as show
from lectures.topics import TOPICS_FILE, TopicsError, load_topics, sync_topics
from models import (
    AuditEntry,
    Lecture,
    LectureOrder,
    Member,
    Membership,
    OrderStatus,
    Organization,
    Topic,
    db,
)
from roster.demo import demo_committee
from roster.manage import ensure_organization, grant_role
from tests.helpers import SHANGHAI
from tests.lectures.lecture_helpers import MENU_YAML, day, inbox, typed, write_menu


def at(days: int, hour: int) -> datetime:
    """The aware time `days` ahead at `hour` o'clock, Shanghai."""
    d = day(days)
    return datetime(d.year, d.month, d.day, hour, tzinfo=SHANGHAI)


def org_id(app: Flask, name: str) -> int:
    """The id of the organisation of that name."""
    with app.app_context():
        return db.session.scalars(select(Organization.id).where(Organization.name == name)).one()


def orders(app: Flask) -> list[LectureOrder]:
    """Every order, detached."""
    with app.app_context():
        rows = db.session.scalars(select(LectureOrder).order_by(LectureOrder.id)).all()
        db.session.expunge_all()
        return rows


def walk_to(send_text, step: str, topic: str = "1") -> None:
    """Run lina's conversation up to `step` (slots, audience, mode, confirm)."""
    send_text("lina", "点单")
    send_text("lina", topic)
    if step == "slots":
        return
    send_text("lina", typed(10))
    if step == "audience":
        return
    send_text("lina", "40")
    if step == "mode":
        return
    send_text("lina", "线下，XX路XX号三楼会议室")


def test_whole_order_conversation(app: Flask, menu, send_text, sandbox):
    """点单 → 1 → two times → 40 → 线下 address → 确认: one pending order, admins told."""
    listing = send_text("lina", "点单").text
    assert listing.startswith("宣讲菜单：")
    assert "1.《从红船到复兴号》(党史)" in listing and "3.《身边的先锋》(先进典型)" in listing
    assert "“详情 2”查看介绍" in listing
    assert "希望什么时间？可以给1到3个时间" in send_text("lina", "1").text
    echoed = send_text("lina", f"{typed(10)}，或者{typed(12, '上午')}").text
    assert show(at(10, 15)) in echoed and show(at(12, 9)) in echoed
    assert echoed.endswith(texts.ASK_AUDIENCE)
    assert send_text("lina", "40").text == texts.ASK_MODE
    summary = send_text("lina", "线下，XX路XX号三楼会议室").text
    for part in ("确认点单：《从红船到复兴号》", "华芯微电子党支部", show(at(10, 15)), "40人",
                 "线下 XX路XX号三楼会议室", "回复“确认”提交"):
        assert part in summary
    submitted = send_text("lina", "确认").text
    [row] = orders(app)
    assert submitted == texts.SUBMITTED.format(number=row.number)
    assert row.number == f"DD-{clock.year_of(datetime.now(UTC))}-{row.id:04d}"
    assert row.status == OrderStatus.PENDING and row.topic_id == menu["red-boat"]
    assert row.organization_id == org_id(app, "华芯微电子党支部")
    assert row.slots == [at(10, 15).astimezone(UTC).isoformat(),
                         at(12, 9).astimezone(UTC).isoformat()]
    assert (row.audience, row.mode, row.address) == (40, "offline", "XX路XX号三楼会议室")
    assert row.submit_key
    told = inbox(sandbox, "chenjing")
    assert row.number in told and "《从红船到复兴号》" in told and "李娜" in told


def test_detail_stays_at_the_menu(app: Flask, menu, send_text):
    """Does 详情 2 show the topic and leave the contact free to choose?"""
    send_text("lina", "点单")
    detail = send_text("lina", "详情 1").text
    assert "党的百年奋斗历程。" in detail and "90分钟" in detail and "线下或线上直播" in detail
    assert "时长约60分钟，线下。" in send_text("lina", "详情2").text
    assert send_text("lina", "详情 9").text == texts.TOPIC_OUT_OF_RANGE.format(number=9, count=3)
    assert "希望什么时间" in send_text("lina", "2").text


def test_topic_number_deviations(app: Flask, menu, send_text):
    """Are a non-number and a number outside the menu re-asked?"""
    send_text("lina", "点单")
    assert send_text("lina", "第一个").text == texts.TOPIC_ASK_AGAIN
    assert send_text("lina", "0").text == texts.TOPIC_OUT_OF_RANGE.format(number=0, count=3)
    assert send_text("lina", "4").text == texts.TOPIC_OUT_OF_RANGE.format(number=4, count=3)
    assert "希望什么时间" in send_text("lina", "1。").text


def test_time_deviations(app: Flask, menu, send_text):
    """Unparsable, past, too soon and late times are explained and asked again."""
    walk_to(send_text, "slots")
    for answer, expected in [
        ("随便什么时候都行", "“随便什么时候都行”没有看懂"),
        ("昨天下午3点", "“昨天下午3点”已经过去了"),
        ("明天下午3点", "至少提前3天"),
        (typed(10, "晚上11点"), "不在宣讲时间内（08:00到21:00之间开始）"),
    ]:
        reply = send_text("lina", answer).text
        assert expected in reply and "请再发一次希望的时间" in reply, reply
    mixed = send_text("lina", f"明天下午3点，{typed(11)}").text
    assert show(at(11, 15)) in mixed and "至少提前3天，未采用" in mixed
    assert mixed.endswith(texts.ASK_AUDIENCE)


def test_audience_deviations(app: Flask, menu, send_text):
    """Are 0, an absurd number and words re-asked, and 约40人 accepted?"""
    walk_to(send_text, "audience")
    assert send_text("lina", "0").text == texts.AUDIENCE_ZERO
    assert send_text("lina", "100000").text == texts.AUDIENCE_TOO_MANY.format(max=2000)
    assert send_text("lina", "很多人").text == texts.AUDIENCE_NOT_NUMBER
    assert send_text("lina", "约40人").text == texts.ASK_MODE
    assert "40人" in send_text("lina", "线上直播").text
    send_text("lina", "确认")
    [row] = orders(app)
    assert (row.audience, row.mode, row.address) == (40, "live", "")


def test_mode_deviations_for_an_offline_only_topic(app: Flask, menu, send_text):
    """Live refused for an offline-only topic; missing and short addresses re-asked."""
    walk_to(send_text, "mode", topic="2")
    assert send_text("lina", "线上").text == texts.MODE_PROBLEMS["live_not_offered"]
    assert send_text("lina", "线下").text == texts.MODE_PROBLEMS["address_missing"]
    assert "地址“XX路”太短了" in send_text("lina", "线下：XX路").text
    summary = send_text("lina", "新吴区XX路8号二楼").text
    assert "线下 新吴区XX路8号二楼" in summary
    send_text("lina", "确认")
    [row] = orders(app)
    assert (row.mode, row.address, row.topic_id) == ("offline", "新吴区XX路8号二楼",
                                                     menu["local-memory"])


def test_live_only_topic_skips_the_mode_question(app: Flask, menu, send_text):
    """Does a live-only topic say so and go straight to the summary?"""
    walk_to(send_text, "audience", topic="3")
    reply = send_text("lina", "25").text
    assert reply.startswith(texts.LIVE_ONLY) and "方式：线上直播" in reply
    assert send_text("lina", "好").text == texts.CONFIRM_ASK_AGAIN
    send_text("lina", "确认")
    assert [r.mode for r in orders(app)] == ["live"]


def test_only_contacts_order_for_their_own_organisation(app: Flask, menu, send_text, people):
    """Is a plain member refused, and is the order's organisation the contact's grant?"""
    role = NO_PERMISSION.format(role="党组织书记/联络员")
    for words in ("点单", "我的点单", "取消点单 1"):
        assert send_text("zhangwei", words).text == role
    with app.app_context():  # 王芳 also belongs to 华芯, but acts only for 锡东
        member = db.session.get(Member, people["other"].id)
        huaxin = ensure_organization("华芯微电子党支部")
        member.memberships.append(Membership(organization=huaxin))
        db.session.commit()
    assert send_text("wangfang", "点单").text.startswith("宣讲菜单：")
    send_text("wangfang", "1")
    send_text("wangfang", typed(10))
    send_text("wangfang", "30")
    assert "锡东精密机械党支部" in send_text("wangfang", "线上").text
    send_text("wangfang", "确认")
    [row] = orders(app)
    assert row.organization_id == org_id(app, "锡东精密机械党支部")


def test_contact_of_several_organisations_is_asked_which(app: Flask, menu, send_text, people):
    """Does a contact acting for two organisations choose one first, here by a part of its
    name (anything that names neither, or both, asked again)?"""
    with app.app_context():
        grant_role(db.session.get(Member, people["contact"].id), "contact",
                   ensure_organization("新吴物流党支部"))
        db.session.commit()
    asked = send_text("lina", "点单").text
    assert "1. 华芯微电子党支部" in asked and "2. 新吴物流党支部" in asked
    assert send_text("lina", "锡东").text == roster_texts.ORG_ASK_AGAIN
    assert send_text("lina", "党支部").text == roster_texts.ORG_AMBIGUOUS.format(
        count=2, typed="党支部")
    assert send_text("lina", "5").text == roster_texts.ORG_OUT_OF_RANGE.format(number=5, count=2)
    assert send_text("lina", "新吴").text.startswith("宣讲菜单：")
    send_text("lina", "1")
    send_text("lina", typed(10))
    send_text("lina", "40")
    send_text("lina", "线上")
    send_text("lina", "确认")
    [row] = orders(app)
    assert row.organization_id == org_id(app, "新吴物流党支部")


def test_retried_and_double_confirm_make_one_order(app: Flask, menu, send_text, sim, sandbox):
    """Is 确认 delivered twice (same MsgId) one order, and a later 确认 harmless?"""
    walk_to(send_text, "confirm")
    first = sim.text("lina", "确认", msg_id=880_000_001).text
    again = sim.text("lina", "确认", msg_id=880_000_001).text
    assert first == again and first.startswith("已提交点单 DD-")
    assert send_text("lina", "确认").text == NOTHING_TO_CONFIRM
    assert len(orders(app)) == 1
    assert len(sandbox.state.inbox_since("chenjing")) == 1


def make_order(app: Flask, contact: Member, org: str, topic_id: int, status: str,
               lecturer: Member | None = None) -> tuple[int, str]:
    """An order in `status` (with a lecture when a lecturer is given): (id, number)."""
    with app.app_context():
        now = datetime.now(UTC)
        row = LectureOrder(organization_id=org_id(app, org), contact_id=contact.id,
                           topic_id=topic_id, slots=[at(10, 15).astimezone(UTC).isoformat()],
                           audience=30, address="三楼会议室", status=status, created_at=now)
        db.session.add(row)
        db.session.flush()
        if lecturer is not None:
            db.session.add(Lecture(order_id=row.id, topic_id=topic_id, lecturer_id=lecturer.id,
                                   starts_at=at(10, 15), ends_at=at(10, 16),
                                   checkin_code="123456"))
        db.session.commit()
        return row.id, row.number


def test_my_orders(app: Flask, menu, send_text, people):
    """Does 我的点单 list only the organisation's orders, with lecturer and time once sent?"""
    assert send_text("lina", "我的点单").text == texts.MINE_NONE
    _, pending = make_order(app, people["contact"], "华芯微电子党支部", menu["red-boat"],
                            OrderStatus.PENDING)
    _, sent = make_order(app, people["contact"], "华芯微电子党支部", menu["local-memory"],
                         OrderStatus.DISPATCHED, people["lecturer"])
    _, foreign = make_order(app, people["other"], "锡东精密机械党支部", menu["red-boat"],
                            OrderStatus.PENDING)
    listing = send_text("lina", "我的点单").text
    assert f"· {pending}《从红船到复兴号》待受理" in listing
    assert f"· {sent}《家门口的红色印记》已派单，讲师刘洋，{show(at(10, 15))}" in listing
    assert foreign not in listing and listing.endswith(texts.MINE_FOOT)


def test_cancel_order(app: Flask, menu, send_text, people, sandbox):
    """Pending and dispatched orders cancel; confirmed, other organisations' and repeats not."""
    pending_id, pending = make_order(app, people["contact"], "华芯微电子党支部",
                                     menu["red-boat"], OrderStatus.PENDING)
    _, sent = make_order(app, people["contact"], "华芯微电子党支部", menu["local-memory"],
                         OrderStatus.DISPATCHED, people["lecturer"])
    _, confirmed = make_order(app, people["contact"], "华芯微电子党支部", menu["red-boat"],
                              OrderStatus.CONFIRMED, people["lecturer2"])
    _, foreign = make_order(app, people["other"], "锡东精密机械党支部", menu["red-boat"],
                            OrderStatus.PENDING)
    assert send_text("lina", "取消点单").text == texts.CANCEL_USAGE
    assert send_text("lina", f"取消点单 {pending_id}").text == texts.CANCELLED.format(
        number=pending, title="《从红船到复兴号》")
    assert send_text("lina", f"取消点单 {pending}").text == texts.CANCEL_ALREADY.format(
        number=pending)
    assert send_text("lina", f"取消点单 {sent.lower()}").text.startswith("已取消点单")
    assert send_text("lina", f"取消点单 {confirmed}").text == texts.CANCEL_CONFIRMED.format(
        number=confirmed)
    assert "讲师已确认，如需取消请联系党委" in texts.CANCEL_CONFIRMED
    assert send_text("lina", f"取消点单 {foreign}").text == texts.CANCEL_NOT_FOUND.format(
        number=foreign)
    assert [r.status for r in orders(app)] == ["cancelled", "cancelled", "confirmed", "pending"]
    assert "已由李娜取消" in inbox(sandbox, "chenjing")
    assert f"点单 {sent}" in inbox(sandbox, "liuyang") and not inbox(sandbox, "zhaolei")
    with app.app_context():
        audited = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "order.cancelled")).all()
        assert [(a.actor, a.target) for a in audited] == [("lina", pending), ("lina", sent)]


def test_topics_sync_is_exact_and_idempotent(app: Flask, people, tmp_path: Path):
    """Does a sync add, then change nothing, then follow edits and retire what is gone?"""
    with app.app_context():
        path = write_menu(tmp_path)
        assert str(sync_topics(path)) == "added 3, updated 0, unchanged 0, deactivated 0"
        assert str(sync_topics(path)) == "added 0, updated 0, unchanged 3, deactivated 0"
        edited = MENU_YAML.split("\n\n")[:2]
        edited[1] = edited[1].replace("[liuyang, zhaolei]", "[zhaolei]").replace("60", "75")
        assert str(sync_topics(write_menu(tmp_path, "\n\n".join(edited)))) == \
            "added 0, updated 1, unchanged 1, deactivated 1"
        db.session.commit()
        topics = {t.slug: t for t in db.session.scalars(select(Topic))}
        local = topics["local-memory"]
        assert local.minutes == 75 and [link.member.userid for link in local.lecturers] == \
            ["zhaolei"]
        assert topics["pioneers-live"].active is False and topics["red-boat"].active


def test_topics_sync_reports_problems_with_lines(app: Flask, people, tmp_path: Path):
    """Are bad fields and unusable lecturers reported by line, with nothing written?"""
    bad = MENU_YAML.replace("minutes: 90", "minutes: 5").replace(
        "modes: [offline]", "modes: [boat]")
    bad += "- slug: pioneers-live\n  title: 重复\n  category: 理论\n  minutes: 30\n" \
           "  modes: [live]\n  lecturers: [zhaolei]\n- slug: extra\n  title: 额外\n" \
           "  colour: red\n"
    runner = app.test_cli_runner()
    result = runner.invoke(args=["topics", "sync", "--file", str(write_menu(tmp_path, bad))])
    assert result.exit_code == 1
    for expected in ("topics.yaml:5: minutes: 5 is not a whole number from 15 to 240",
                     "topics.yaml:13: modes: must be a non-empty list of offline, live",
                     "topics.yaml:22: duplicate slug 'pioneers-live' (also on line 16)",
                     "topics.yaml:28: missing field 'category'",
                     "topics.yaml:30: unknown field 'colour'", "nothing was written"):
        assert expected in result.output, result.output
    with app.app_context():
        assert db.session.scalars(select(Topic)).all() == []
    roster = MENU_YAML.replace("[zhaolei]", "[zhaolei, nobody]")
    roster += "- slug: extra\n  title: 额外\n  category: 理论\n  minutes: 30\n" \
              "  modes: [live]\n  lecturers: [zhangwei]\n"
    result = runner.invoke(args=["topics", "sync", "--file", str(write_menu(tmp_path, roster))])
    assert result.exit_code == 1
    assert "topics.yaml:21: lecturer 'nobody' is not in the roster" in result.output
    assert "topics.yaml:27: 'zhangwei' does not hold the lecturer role" in result.output
    with app.app_context():
        assert db.session.scalars(select(Topic)).all() == []
    ok = runner.invoke(args=["topics", "sync", "--file", str(write_menu(tmp_path))])
    assert ok.exit_code == 0 and "added 3" in ok.output
    listed = runner.invoke(args=["topics", "list"])
    assert "red-boat: 《从红船到复兴号》 党史, 90 min, offline/live; lecturers: liuyang" \
        in listed.output


def test_shipped_menu_is_valid_and_uses_demo_lecturers(app: Flask):
    """Does content/topics.yaml load, cover the five categories, and name demo lecturers?"""
    entries = load_topics(TOPICS_FILE)
    assert len(entries) >= 10
    assert {e.category for e in entries} == {"理论", "党史", "党纪", "企业党建", "先进典型"}
    lecturers = {p.userid for p in demo_committee().people if "lecturer" in p.roles}
    assert {u for e in entries for u in e.lecturers} <= lecturers
    with pytest.raises(TopicsError):
        load_topics(TOPICS_FILE.with_name("no-such-topics.yaml"))


def test_days_ahead_count_from_the_committees_today(app: Flask, menu, send_text, travel):
    """At 07:30 on 1 January in Shanghai (31 December in UTC), is 1月3日 too soon for three
    days' notice and 1月4日 just enough, and is 下周三 next week's Wednesday?"""
    travel("2027-01-01 07:30")
    walk_to(send_text, "slots")
    assert "至少提前3天" in send_text("lina", "1月3日下午3点").text
    reply = send_text("lina", "1月4日下午3点，下周三上午").text
    assert "1月4日（周一）15:00" in reply and "1月6日（周三）09:00" in reply
    assert reply.endswith(texts.ASK_AUDIENCE)
