"""Do members, strangers and menu clicks get the right answers?"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from content import texts
from models import Member, MemberStatus, OutboundMessage, db


def test_help_lists_commands(make_member, send_text):
    """Does 帮助 list what the bot can do?"""
    delivery = send_text(make_member("zhangsan"), "帮助")
    assert "我的信息" in delivery.text and "取消" in delivery.text


def test_menu_click_and_keyword_reach_the_same_handler(make_member, sim, send_text):
    """Does a click on the help button answer exactly like typing 帮助?"""
    member = make_member("zhangsan")
    assert sim.click(member.userid, "help").text == send_text(member, "帮助").text


def test_welcome_on_subscribe_and_enter_agent(make_member, sim):
    """Is a member greeted by name when they open the app?"""
    member = make_member("zhangsan", "张三")
    for event in ("subscribe", "enter_agent"):
        assert "张三同志" in sim.event(member.userid, event).text


def test_whoami_shows_organisation_and_roles(make_member, send_text):
    """Does 我的信息 show the member's organisation and roles?"""
    member = make_member("lina", "李娜", org="华芯微电子党支部", roles=("contact",))
    text = send_text(member, "我的信息").text
    assert "华芯微电子党支部" in text and "联络员" in text


def test_stranger_gets_one_polite_refusal(app: Flask, sim):
    """Does someone not in the roster get the refusal and nothing else?"""
    for delivery in (sim.text("nobody", "帮助"), sim.event("nobody", "enter_agent")):
        assert delivery.text == texts.NOT_IN_ROSTER
    with app.app_context():
        assert db.session.scalars(select(Member)).all() == []


def test_member_who_left_is_refused(app: Flask, make_member, send_text):
    """Is a member marked as left refused politely?"""
    make_member("gone")
    with app.app_context():
        member = db.session.scalars(select(Member).where(Member.userid == "gone")).one()
        member.status = MemberStatus.LEFT
        db.session.commit()
    assert send_text("gone", "帮助").text == texts.MEMBER_INACTIVE


def test_unknown_text_gets_fallback(make_member, send_text):
    """Is a greeting answered by name with a pointer to 帮助, and a question the library cannot
    answer with an honest "not found" (问答, handlers/answers.py)?"""
    member = make_member("zhangsan", "张三")
    assert send_text(member, "你好").text == texts.GREETING.format(name="张三")
    assert send_text(member, "天气怎么样").text.startswith("学习资料里没有找到")


def test_every_incoming_type_is_answered(make_member, sim):
    """Do image, voice, video, location, link, view, scan, LOCATION and unknown types get 200?"""
    userid = make_member("zhangsan").userid
    deliveries = [
        sim.message(userid, "image", PicUrl="http://x/p.jpg", MediaId="m1"),
        sim.message(userid, "voice", MediaId="m2", Format="amr"),
        sim.message(userid, "video", MediaId="m3", ThumbMediaId="t3"),
        sim.message(userid, "location", Location_X="31.5", Location_Y="120.3", Scale=15,
                    Label="无锡"),
        sim.message(userid, "link", Title="t", Description="d", Url="http://x", PicUrl=""),
        sim.message(userid, "file", MediaId="m4"),
        sim.event(userid, "view", "http://example.com"),
        sim.event(userid, "scancode_waitmsg", "scan", ScanCodeInfo=""),
        sim.event(userid, "LOCATION", Latitude="31.5", Longitude="120.3", Precision="30"),
        sim.event(userid, "unsubscribe"),
        sim.event(userid, "template_card_event", "btn", TaskId="t1", CardType="button"),
    ]
    for delivery in deliveries:
        assert delivery.statuses == [200]
    assert deliveries[0].text == texts.FALLBACK_IMAGE  # what an image is for, not "text only"
    assert deliveries[1].text == texts.FALLBACK_NON_TEXT


def test_change_contact_from_wecom_is_accepted(app: Flask, sim):
    """Is a change_contact event (from 'sys') accepted with an empty 200, once?"""
    delivery = sim.change_contact("create_user", UserID="newbie", Name="新人", Department="2")
    assert delivery.statuses == [200] and delivery.reply is None


def test_long_reply_is_split_and_the_rest_pushed(app: Flask, make_member, sim, sandbox):
    """Is a reply over 2048 bytes split: the first part passive, the rest via message/send?"""
    from bot.replies import Text
    from bot.router import Route

    class Long(Route):
        name = "long"

        def match(self, ctx):
            return (lambda c: Text("很长的一行。\n" * 400)) if ctx.text == "长" else None

    app.extensions["pioneer_pipeline"].router.routes.insert(0, Long())
    member = make_member("zhangsan")
    delivery = sim.text(member.userid, "长")
    assert len(delivery.text.encode()) <= 2048
    pushed = sandbox.state.inbox_since(member.userid)
    assert pushed and all(len(m["content"]["content"].encode()) <= 2048 for m in pushed)
    total = delivery.text + "\n" + "\n".join(m["content"]["content"] for m in pushed)
    assert total.count("很长的一行。") == 400
    with app.app_context():
        rows = db.session.scalars(select(OutboundMessage)).all()
        assert rows and all(row.status == "sent" for row in rows)


def test_news_reply_reaches_the_member(app: Flask, make_member, sim):
    """Is a news reply encrypted, signed and readable by the member's client?"""
    from bot.replies import Article, News
    from bot.router import Route

    class Reading(Route):
        name = "reading"

        def match(self, ctx):
            return (lambda c: News((Article("学习材料", "摘要", "http://x/1"),))) \
                if ctx.text == "读" else None

    app.extensions["pioneer_pipeline"].router.routes.insert(0, Reading())
    delivery = sim.text(make_member("zhangsan").userid, "读")
    assert delivery.reply["MsgType"] == "news"
    assert delivery.reply["Articles"][0]["Title"] == "学习材料"
