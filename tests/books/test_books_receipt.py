"""The receipt in chat: the card's 确认收到 confirms once (a double tap and a second contact
get 已于…确认), 确认收书 lists and confirms by number, and the members given (the step after a
confirmation, or 发放人数) never more than the organisation's active members."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from content import book_texts as texts
from models import Member, MemberStatus, db
from tests.books.book_helpers import (
    HUAXIN,
    XIDONG,
    add_book,
    audits,
    button,
    cards,
    distribution,
    send,
    texts_of,
)
from tests.helpers import written


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in after if after[name] != before.get(name)} - {"redis_keys"}


def test_tap_confirms_once(app: Flask, people, sim, sandbox):
    """Does a tap on 确认收到 confirm the receipt (who, when), ask for the members given, and
    do a double tap and the second contact's tap each get 已于…由李娜确认, one confirmation and
    one audit row in all?"""
    [dist_id] = send(app, add_book(app), [HUAXIN])
    card = cards(sandbox, "lina")[0]
    delivery = sim.tap("lina", card, button(card), create_time=1_900_000_000)
    assert delivery.status == 200 and delivery.reply is None  # answered by message/send
    answer = texts_of(sandbox, "lina")[-1]
    assert answer.startswith("已确认华芯微电子党支部收到《中国共产党简史》10册")
    assert "最多4人" in answer  # 华芯 has four active members
    first = distribution(app, dist_id)
    lina = people["lina"]
    assert first["confirmed_by_id"] == lina.id and first["confirmed_at"] is not None
    sim.tap("lina", card, button(card), create_time=1_900_000_001)  # a double tap
    other = cards(sandbox, "zhoumin")[0]
    sim.tap("zhoumin", other, button(other))
    for userid in ("lina", "zhoumin"):
        again = texts_of(sandbox, userid)[-1]
        assert again.startswith(f"{HUAXIN}的《中国共产党简史》已于") and "由李娜确认" in again
    assert distribution(app, dist_id)["confirmed_at"] == first["confirmed_at"]
    assert distribution(app, dist_id)["confirmed_by_id"] == lina.id
    assert [a for a in audits(app) if a[1] == "book.confirm"] == [
        ("lina", "book.confirm", f"book:{first['book_id']}:org:{first['organization_id']}")]


def test_members_given_after_the_tap(app: Flask, people, sim, sandbox, send_text):
    """After the tap, is a number (4 or 4人) the members given; more than the active members,
    negative or garbage answered clearly (asked again, nothing recorded); then it ends?"""
    [dist_id] = send(app, add_book(app), [HUAXIN])
    card = cards(sandbox, "lina")[0]
    sim.tap("lina", card, button(card))
    assert "不能超过4人" in send_text("lina", "5").text
    assert "不能是负数" in send_text("lina", "-1").text
    assert "“很多”不是人数" in send_text("lina", "很多").text
    assert distribution(app, dist_id)["members_given"] is None
    assert send_text("lina", "4人").text == texts.GIVEN_SAVED.format(
        org=HUAXIN, book="《中国共产党简史》", count=4)
    assert distribution(app, dist_id)["members_given"] == 4
    reply = send_text("lina", "3").text  # the conversation ended: not a step any more
    assert distribution(app, dist_id)["members_given"] == 4 and "发放人数" not in reply


def test_bound_is_active_members(app: Flask, people, send_text):
    """Does a member who left lower the bound (three active in 华芯 then)?"""
    [dist_id] = send(app, add_book(app), [HUAXIN])
    with app.app_context():
        db.session.scalar(select(Member).where(Member.userid == "sunli")).status = (
            MemberStatus.LEFT)
        db.session.commit()
    send_text("lina", f"确认收书 {dist_id}")
    assert "不能超过3人" in send_text("lina", "4").text
    assert "已记录" in send_text("lina", "3").text


def test_typed_confirm_lists_and_confirms(app: Flask, people, send_text, sandbox):
    """Does 确认收书 list the contact's unconfirmed books (not another organisation's), and
    确认收书 <编号> confirm one; another organisation's number refused, an unknown one too?"""
    book_id = add_book(app)
    [huaxin, xidong] = send(app, book_id, [HUAXIN, XIDONG])
    listing = send_text("lina", "确认收书").text
    assert listing.startswith(texts.PENDING_HEAD.format(count=1))
    assert f"编号{huaxin} 华芯微电子党支部" in listing and XIDONG not in listing
    before = written(app)
    assert send_text("lina", f"确认收书 {xidong}").text == texts.NOT_YOURS.format(number=xidong)
    assert send_text("lina", "确认收书 99999").text.startswith("没有找到编号为“99999”")
    assert _changed(before, written(app)) <= {"processed_messages"}
    assert distribution(app, xidong)["confirmed_at"] is None
    reply = send_text("lina", f"确认收书 编号{huaxin}").text
    assert reply.startswith("已确认华芯微电子党支部收到")
    send_text("lina", "跳过")
    assert send_text("lina", "确认收书").text == texts.NONE_PENDING
    assert send_text("zhoumin", f"确认收书 {huaxin}").text.startswith(
        "华芯微电子党支部的《中国共产党简史》已于")


def test_given_command(app: Flask, people, send_text):
    """发放人数 before any receipt, with one confirmed book (人数 alone), with two (asks which),
    with 编号 and 人数 (corrected later, audited with before and after)."""
    first = add_book(app, title="中国共产党简史")
    second = add_book(app, title="习近平新时代中国特色社会主义思想学习纲要")
    [one] = send(app, first, [HUAXIN])
    [two] = send(app, second, [HUAXIN])
    assert send_text("lina", "发放人数 3").text == texts.GIVEN_NONE
    assert send_text("lina", f"发放人数 {one} 3").text == texts.GIVEN_NOT_CONFIRMED.format(
        number=one, book="《中国共产党简史》")
    send_text("lina", f"确认收书 {one}")
    send_text("lina", "跳过")
    assert "已发给3名党员" in send_text("lina", "发放人数 3").text
    send_text("lina", f"确认收书 {two}")
    send_text("lina", "跳过")
    assert "已发给2名党员" in send_text("lina", "发放人数 2").text  # the one not reported
    assert send_text("lina", "发放人数 1").text.startswith("请指明是哪一项学习用书")
    changed = send_text("lina", f"发放人数 {one} 4").text
    assert changed == texts.GIVEN_CHANGED.format(org=HUAXIN, book="《中国共产党简史》",
                                                 before=3, count=4)
    assert "不能超过4人" in send_text("lina", f"发放人数 {one} 40").text
    assert "不能是负数" in send_text("lina", f"发放人数 {one} -2").text
    assert send_text("wangqiang", f"发放人数 {one} 1").text == texts.NOT_YOURS.format(number=one)
    assert (distribution(app, one)["members_given"], distribution(app, two)["members_given"]) == (
        4, 2)
    assert [a[1] for a in audits(app, "book.members_given")] == ["book.members_given"] * 3


def test_plain_member_cannot_confirm_by_card(app: Flask, people, sim, sandbox):
    """Is a tap on a contact's card forwarded to a plain member refused, nothing recorded?"""
    [dist_id] = send(app, add_book(app), [HUAXIN])
    card = cards(sandbox, "lina")[0]
    sim.tap("zhangwei", card, button(card))
    assert texts_of(sandbox, "zhangwei")[-1] == texts.NOT_YOURS.format(number=dist_id)
    assert distribution(app, dist_id)["confirmed_at"] is None


def test_help_lists_commands_for_contacts_only(app: Flask, people, send_text, sandbox):
    """Does 帮助 name 确认收书 and 发放人数 for a contact and not for a plain member (a long
    help's overflow comes by message/send)?"""
    for userid in ("lina", "zhangwei"):
        reply = send_text(userid, "帮助").text
        shown = reply + "".join(texts_of(sandbox, userid))
        assert (texts.CONFIRM_SUMMARY in shown) is (userid == "lina")
        assert (texts.GIVEN_SUMMARY in shown) is (userid == "lina")
