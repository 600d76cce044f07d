"""Who may act through a chat event: every acting event tried by every role.

The sibling of test_authorization_matrix (commands): the same seven senders (a plain member, a
contact of this organisation, a contact of another organisation, a lecturer, an admin, a
stranger and a member who left) send each event that reaches a handler:

    subscribe, enter_agent             the welcome (handlers/help.py)
    card accept / card decline         template_card_event on a lecture order dispatched to the
                                       lecturer (handlers/dispatch.py on_card)
    card quiz                          template_card_event on a 每日答题 card (key quiz:…; handlers/
                                       quiz.py on_card): one's own card only
    card book                          template_card_event on a 学习用书 receipt card (key book:…;
                                       handlers/books.py on_card): the organisation's contact only
    scan of a lecture's / a meeting's  scancode_waitmsg and scancode_push of the printed QR
    QR code                            code (handlers/checkin.py scan)

10 events x 7 roles = 70 cells, plus a second lecturer tapping both card buttons (2 cells).
Each cell asserts the reply and the rows: the order's state and the check-ins actually written,
not only the text. The rules: any active member may check in to a lecture; only members of the
meeting's organisation to its meeting; only the lecturer it was dispatched to may answer a
card; strangers get the roster refusal and members who left the inactive text, always.
Note: WeCom shows no passive reply to template_card_event or scancode_push (docs/wecom.md
§2), so a stranger's or left member's refusal to those two is computed but never seen.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

import clock
from books import records
from bot.jobs import enqueue_deliveries
from bot.outbox import Outbox
from bot.router import Events
from content import book_texts, checkin_texts, dispatch_texts, quiz_texts, texts
from content.meeting_texts import KIND_NAMES
from lectures import dispatching
from models import (
    BookDistribution,
    CheckIn,
    Lecture,
    LectureOrder,
    Member,
    MemberStatus,
    OrderStatus,
    OrgMeeting,
    Participation,
    ParticipationKind,
    QuizKind,
    Topic,
    TopicLecturer,
    db,
    utcnow,
)
from quizzes.bank import QuestionDraft, create_question
from sandbox.server import SandboxServer
from tests.helpers import written
from tests.pioneer.chat_roles import BOOKKEEPING, CH, EVERYONE, SENDERS, A, L, M

LECTURE_CODE, MEETING_CODE, DISPATCHED_CODE = "604512", "715623", "826734"
STRANGER, LEFT, OTHER_LECTURER = "stranger9", "u_left", "u_lect2"
IN_ORG = frozenset({M, CH, L, A})  # the members of 本党支部 (the contact of 另一党支部 is not)
REASON = "当天已有安排"
MEETING_WHAT = checkin_texts.MEETING_WHAT.format(kind=KIND_NAMES["lesson"], title="《党课》")

# event -> roles whose sender gets it done (the rest are refused and nothing is written)
EVENT_TABLE: dict[str, frozenset[str]] = {
    "subscribe": EVERYONE,
    "enter_agent": EVERYONE,
    "card_accept": frozenset({L}),
    "card_decline": frozenset({L}),
    "card_quiz": EVERYONE,
    "card_book": frozenset({CH}),
    "scan_lecture_waitmsg": EVERYONE,
    "scan_lecture_push": EVERYONE,
    "scan_meeting_waitmsg": IN_ORG,
    "scan_meeting_push": IN_ORG,
}
ROW_EVENT = {  # row -> the WeCom event it sends
    "subscribe": "subscribe", "enter_agent": "enter_agent",
    "card_accept": "template_card_event", "card_decline": "template_card_event",
    "card_quiz": "template_card_event:quiz", "card_book": "template_card_event:book",
    "scan_lecture_waitmsg": "scancode_waitmsg", "scan_lecture_push": "scancode_push",
    "scan_meeting_waitmsg": "scancode_waitmsg", "scan_meeting_push": "scancode_push",
}


@pytest.fixture
def world(app: Flask, make_member) -> dict[str, Any]:
    """The seven senders and a second lecturer; an order of 本党支部 dispatched to the lecturer
    (not yet answered), a lecture and a meeting of 本党支部 open for check-in now."""
    users = {role: make_member(f"u_{role}", org=org, roles=grants).userid
             for role, (org, grants) in SENDERS.items()}
    left = make_member(LEFT, org="本党支部")
    make_member(OTHER_LECTURER, org="讲师团", roles=("lecturer",))
    with app.app_context():
        db.session.get(Member, left.id).status = MemberStatus.LEFT
        lecturer = db.session.scalars(select(Member).where(Member.userid == users[L])).one()
        contact = db.session.scalars(select(Member).where(Member.userid == users[CH])).one()
        org = contact.main_organization
        topic = Topic(slug="events-topic", title="新时代的伟大变革", minutes=90, modes=["offline"])
        topic.lecturers = [TopicLecturer(member_id=lecturer.id)]
        now = utcnow()
        later, running = now + timedelta(days=10), now - timedelta(minutes=10)

        def order(status: str, starts: Any) -> LectureOrder:
            return LectureOrder(organization=org, contact_id=contact.id, topic=topic,
                                audience=40, slots=[starts.astimezone(UTC).isoformat()],
                                address="张江路88号", status=status, created_at=now,
                                updated_at=now)

        dispatched = order(OrderStatus.DISPATCHED, later)
        card_lecture = Lecture(order=dispatched, topic=topic, lecturer_id=lecturer.id,
                               starts_at=later, ends_at=later + timedelta(hours=2),
                               place="张江路88号", checkin_code=DISPATCHED_CODE)
        confirmed = order(OrderStatus.CONFIRMED, running)
        lecture = Lecture(order=confirmed, topic=topic, lecturer_id=lecturer.id,
                          starts_at=running, ends_at=running + timedelta(hours=2),
                          place="张江路88号", checkin_code=LECTURE_CODE,
                          accepted_at=running - timedelta(days=1))
        meeting = OrgMeeting(organization_id=org.id, kind="lesson", topic="党课",
                             starts_at=running, ends_at=running + timedelta(hours=2),
                             checkin_code=MEETING_CODE, recorded_by_id=contact.id)
        db.session.add_all([topic, card_lecture, lecture, meeting])
        db.session.commit()
        return {"users": users, "order": dispatched.id, "number": dispatched.number,
                "task": dispatching.task_id(dispatched, card_lecture), "org": org.name,
                "lecture_qr": f"pioneer-checkin:L{lecture.id}:{LECTURE_CODE}",
                "meeting_qr": f"pioneer-checkin:M{meeting.id}:{MEETING_CODE}"}


def _scan(sim, userid: str, event: str, result: str):
    """A scan with the menu's button: the ScanCodeInfo WeCom sends, holding the QR's text."""
    inner = sim.inner(userid, "event", {"Event": event, "EventKey": "scan_checkin"})
    info = (f"<ScanCodeInfo><ScanType><![CDATA[qrcode]]></ScanType>"
            f"<ScanResult><![CDATA[{result}]]></ScanResult></ScanCodeInfo>")
    return sim.deliver(inner.replace("<AgentID>", info + "<AgentID>"))


def _tap(sim, world: dict[str, Any], userid: str, action: str):
    """A tap on the dispatch card's 接单 / 拒单 button."""
    return sim.event(userid, "template_card_event", f"{action}:{world['order']}",
                     TaskId=world["task"], CardType="button_interaction")


def _order(app: Flask, world: dict[str, Any]) -> tuple[str, str, bool]:
    """The dispatched order's status and reason, and whether its lecture is accepted."""
    with app.app_context():
        order = db.session.get(LectureOrder, world["order"])
        lecture = order.lecture
        return order.status, order.reason or "", bool(lecture and lecture.accepted_at)


def _checked_in(app: Flask) -> set[tuple[str, str]]:
    """(userid, lecture or meeting) of every check-in row."""
    with app.app_context():
        return {(row.member.userid, "lecture" if row.lecture_id else "meeting")
                for row in db.session.scalars(select(CheckIn))}


def _last_push(sandbox: SandboxServer, userid: str) -> str:
    """The last text pushed by message/send to the user (a card tap's answer goes that way)."""
    pushed = [m["content"]["content"] for m in sandbox.state.inbox_since(userid)
              if m["msgtype"] == "text"]
    return pushed[-1] if pushed else ""


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """The tables whose row counts moved, the exactly-once processed records aside."""
    return {name for name in after if after[name] != before.get(name)} - BOOKKEEPING


def test_every_event_handler_has_a_row(app: Flask):
    """Does the table cover every event the router gives a handler of its own?"""
    router = app.extensions["pioneer_pipeline"].router
    names = {name for route in router.routes if isinstance(route, Events)
             for name in route.handlers}
    system = {"change_contact"}  # from WeCom itself (FromUserName sys), no member's role
    assert sorted(names - system - set(ROW_EVENT.values())) == [], "add rows for these events"
    assert set(ROW_EVENT.values()) <= names and set(ROW_EVENT) == set(EVENT_TABLE)


def test_matrix_size_is_reported():
    """Is the size stated in the docstring the real one?"""
    assert f"{len(EVENT_TABLE)} events x 7 roles = {len(EVENT_TABLE) * 7} cells" in __doc__


def _refused_last(world: dict[str, Any], allowed: frozenset[str]) -> list[tuple[str, str]]:
    """(role, userid), the refused roles first: their tries must find the record untouched."""
    users = world["users"]
    return sorted(users.items(), key=lambda item: item[0] in allowed)


@pytest.mark.parametrize("event", ["subscribe", "enter_agent"])
def test_welcome_by_every_role(app: Flask, sim, world: dict[str, Any], event: str):
    """Is every active member welcomed by name, the stranger refused (and noted), the member
    who left told the account is inactive, and nothing written for any of them?"""
    for role, userid in world["users"].items():
        before = written(app)
        delivery = sim.event(userid, event)
        assert delivery.status == 200, (event, role)
        welcomed = delivery.text == texts.WELCOME.format(name=userid)
        assert welcomed == (role in EVENT_TABLE[event]), (event, role, delivery.text)
        assert _changed(before, written(app)) == set(), (event, role)
    for userid, refusal, notes in ((LEFT, texts.MEMBER_INACTIVE, set()),
                                   (STRANGER, texts.NOT_IN_ROSTER, {"refused_users"})):
        before = written(app)
        assert sim.event(userid, event).text == refusal, (event, userid)
        assert _changed(before, written(app)) <= notes, (event, userid)


def test_card_accept_by_every_role(app: Flask, sim, sandbox: SandboxServer,
                                   world: dict[str, Any]):
    """Does only the lecturer the order was dispatched to confirm it by the card, while every
    other role (and a second lecturer) is told it is not theirs and the order stays put?"""
    allowed = EVENT_TABLE["card_accept"]
    untouched = (OrderStatus.DISPATCHED, "", False)
    refused = [*(u for r, u in _refused_last(world, allowed) if r not in allowed),
               OTHER_LECTURER]
    for userid in refused:
        before = written(app)
        assert _tap(sim, world, userid, "accept").status == 200, userid
        assert _last_push(sandbox, userid) == dispatch_texts.NOT_YOURS, userid
        assert _changed(before, written(app)) == {"outbound_messages"}, userid
        assert _order(app, world) == untouched, userid
    _refuse_strangers(app, sim, world, "accept", untouched)
    [lecturer] = [world["users"][r] for r in allowed]
    _tap(sim, world, lecturer, "accept")
    assert _last_push(sandbox, lecturer).startswith(f"已接单 {world['number']}")
    assert _order(app, world) == (OrderStatus.CONFIRMED, "", True)


def test_card_decline_by_every_role(app: Flask, sim, sandbox: SandboxServer,
                                    world: dict[str, Any]):
    """Does only the dispatched lecturer's 拒单 tap (then the reason typed) put the order back,
    while the others' taps are refused and their typed reason declines nothing?"""
    allowed = EVENT_TABLE["card_decline"]
    untouched = (OrderStatus.DISPATCHED, "", False)
    refused = [*(u for r, u in _refused_last(world, allowed) if r not in allowed),
               OTHER_LECTURER]
    for userid in refused:
        before = written(app)
        _tap(sim, world, userid, "decline")
        assert _last_push(sandbox, userid) == dispatch_texts.NOT_YOURS, userid
        assert _changed(before, written(app)) == {"outbound_messages"}, userid
        assert sim.text(userid, REASON).text != dispatch_texts.DECLINED.format(
            number=world["number"]), userid
        assert _order(app, world) == untouched, userid
    _refuse_strangers(app, sim, world, "decline", untouched)
    [lecturer] = [world["users"][r] for r in allowed]
    _tap(sim, world, lecturer, "decline")
    assert _last_push(sandbox, lecturer) == dispatch_texts.ASK_DECLINE_REASON.format(
        number=world["number"])
    assert _order(app, world) == untouched  # asked for the reason: nothing decided yet
    assert sim.text(lecturer, REASON).text == dispatch_texts.DECLINED.format(
        number=world["number"])
    assert _order(app, world) == (OrderStatus.PENDING, REASON, False)


def _refuse_strangers(app: Flask, sim, world: dict[str, Any], action: str,
                      untouched: tuple[str, str, bool]) -> None:
    """The member who left and the stranger tap the card: refused, the order untouched."""
    for userid, refusal, notes in ((LEFT, texts.MEMBER_INACTIVE, set()),
                                   (STRANGER, texts.NOT_IN_ROSTER, {"refused_users"})):
        before = written(app)
        assert _tap(sim, world, userid, action).text == refusal, (action, userid)
        assert _changed(before, written(app)) <= notes, (action, userid)
        assert _order(app, world) == untouched, (action, userid)


SCANS: list[tuple[str, str, str]] = [  # (row, event, what the QR code names)
    ("scan_lecture_waitmsg", "scancode_waitmsg", "lecture"),
    ("scan_lecture_push", "scancode_push", "lecture"),
    ("scan_meeting_waitmsg", "scancode_waitmsg", "meeting"),
    ("scan_meeting_push", "scancode_push", "meeting"),
]


@pytest.mark.parametrize(("row", "event", "target"), SCANS, ids=[s[0] for s in SCANS])
def test_scan_by_every_role(app: Flask, sim, world: dict[str, Any], row: str, event: str,
                            target: str):
    """Does a scan of the printed QR code check in exactly the roles of the row (a lecture:
    every active member; a meeting: its organisation's members), refuse the rest with the
    reason, and never check in the member who left or the stranger?"""
    allowed = EVENT_TABLE[row]
    qr = world[f"{target}_qr"]
    for role, userid in _refused_last(world, allowed):
        before = written(app)
        delivery = _scan(sim, userid, event, qr)
        assert delivery.status == 200, (row, role)
        if role in allowed:
            assert delivery.text.startswith("签到成功"), (row, role, delivery.text)
            assert (userid, target) in _checked_in(app), (row, role)
        else:
            assert delivery.text == checkin_texts.ERRORS["not_in_org"].format(
                what=MEETING_WHAT, organization=world["org"]), (row, role)
            assert _changed(before, written(app)) == set(), (row, role)
    for userid, refusal, notes in ((LEFT, texts.MEMBER_INACTIVE, set()),
                                   (STRANGER, texts.NOT_IN_ROSTER, {"refused_users"})):
        before = written(app)
        assert _scan(sim, userid, event, qr).text == refusal, (row, userid)
        assert _changed(before, written(app)) <= notes, (row, userid)
    assert _checked_in(app) == {(world["users"][r], target) for r in allowed}, row


def _quiz_card(sandbox: SandboxServer, userid: str) -> dict[str, Any]:
    """The one quiz card the member got (its first button, 对, is the right answer)."""
    [card] = [m for m in sandbox.state.inbox_since(userid) if m["msgtype"] == "template_card"]
    return card


def test_card_quiz_by_every_role(app: Flask, sim, sandbox: SandboxServer,
                                 world: dict[str, Any]):
    """Does every active member answer their own quiz card (right, one point), while a tap on
    another member's card is refused with nothing scored, and the member who left and the
    stranger get their refusals?"""
    with app.app_context():
        create_question(QuestionDraft(QuizKind.JUDGE, "党章是党的根本大法。", ("对", "错"), "A",
                                      "党章是党的根本大法。", None, None), "test", utcnow())
        db.session.commit()
    users = world["users"]
    allowed = EVENT_TABLE["card_quiz"]
    for userid in users.values():
        sim.text(userid, "答题")
    cards = {role: _quiz_card(sandbox, userid) for role, userid in users.items()}
    roles = list(users)
    for index, (role, userid) in enumerate(users.items()):
        other = cards[roles[index - 1]]
        before = written(app)
        key = other["content"]["button_list"][0]["key"]
        sim.tap(userid, other, key)
        assert _last_push(sandbox, userid) == quiz_texts.NOT_YOURS, role
        assert _changed(before, written(app)) == {"outbound_messages"}, role
        sim.tap(userid, cards[role], cards[role]["content"]["button_list"][0]["key"])
        assert _last_push(sandbox, userid).startswith("✅ 回答正确！+1分") == (role in allowed)
    for userid, refusal, notes in ((LEFT, texts.MEMBER_INACTIVE, set()),
                                   (STRANGER, texts.NOT_IN_ROSTER, {"refused_users"})):
        before = written(app)
        card = cards[roles[0]]
        assert sim.tap(userid, card, card["content"]["button_list"][0]["key"]).text == refusal
        assert _changed(before, written(app)) <= notes, userid
    with app.app_context():
        scored = db.session.scalars(select(Participation.member_id).where(
            Participation.kind == ParticipationKind.QUIZ)).all()
    assert len(scored) == len(allowed)


def test_card_book_by_every_role(app: Flask, sim, sandbox: SandboxServer,
                                 world: dict[str, Any]):
    """Does only the contact of 本党支部 confirm the receipt of the books sent there, by the
    card's button, while everyone else who taps it (a forwarded card) is refused with nothing
    recorded, and the member who left and the stranger get their refusals?"""
    with app.app_context():
        now = utcnow()
        book = records.create_book("中国共产党简史", "", 20, "", "test", now)
        org = db.session.scalars(select(Member).where(
            Member.userid == world["users"][CH])).one().main_organization
        done = records.distribute(book, [org], 10, clock.today(now), "test", now,
                                  clock.today(now), Outbox(db.session))
        db.session.commit()
        distribution_id = done.rows[0].id
        enqueue_deliveries(done.outbound_ids)
    [card] = [m for m in sandbox.state.inbox_since(world["users"][CH])
              if m["msgtype"] == "template_card"]
    key = card["content"]["button_list"][0]["key"]
    allowed = EVENT_TABLE["card_book"]

    def confirmed() -> bool:
        with app.app_context():
            return db.session.get(BookDistribution, distribution_id).confirmed_at is not None

    for role, userid in _refused_last(world, allowed):
        before = written(app)
        sim.tap(userid, card, key)
        if role in allowed:
            assert confirmed() and _last_push(sandbox, userid).startswith("已确认"), role
        else:
            assert _last_push(sandbox, userid) == book_texts.NOT_YOURS.format(
                number=distribution_id), role
            assert _changed(before, written(app)) == {"outbound_messages"}, role
            assert not confirmed(), role
    for userid, refusal, notes in ((LEFT, texts.MEMBER_INACTIVE, set()),
                                   (STRANGER, texts.NOT_IN_ROSTER, {"refused_users"})):
        before = written(app)
        assert sim.tap(userid, card, key).text == refusal
        assert _changed(before, written(app)) <= notes, userid
