"""Who may use which chat command: every command of the router tried by every role.

The table below is the specification: command name -> the roles that get the feature. Every
command registered in `pioneer/routing.py` is tried, by its first keyword and by its menu click, by
seven senders: a plain member, a contact of this organisation, a contact of another
organisation, a lecturer, an admin, a stranger (not in the roster) and a member who left.
54 commands x 7 roles = 378 cells, each sent twice (keyword and click): 756 callbacks per
backend. A command added to the router without a row here fails `test_every_command_has_a_row`.

Allowed: the router picked the command's own handler and it answered. Refused: the
one refusal text for the command's role, and nothing written but the message's processed record.
Strangers get the one roster refusal (and a note for admins); members who left get the
inactive text. Scoped actions that name another organisation's records (12 rows: 代签, 签到码 x2,
强国汇总, 撤回, 取消群发, 待审心得, 取消点单, 评单, 人数, 接单, 拒单) are in
`test_scoped_actions_refuse_other_organisations`. Note: 群发 and its companions pass the
router for contacts, and the broadcast handler then refuses them unless BROADCAST_CONTACTS is on
(off by default), so "allowed" there means the broadcast feature itself answered.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask

from bot.router import Match
from content import (
    broadcast_texts,
    checkin_texts,
    dispatch_texts,
    followup_texts,
    lecture_texts,
    qiangguo_texts,
    review_texts,
    texts,
)
from models import (
    Broadcast,
    Lecture,
    LectureOrder,
    Member,
    MemberStatus,
    OrderStatus,
    Reflection,
    db,
    utcnow,
)
from pioneer.routing import build_flows, build_router
from tests.console_helpers import build_world
from tests.helpers import written
from tests.pioneer.chat_roles import BOOKKEEPING, CH, CO, CONTACTS, EVERYONE, SENDERS, STAFF, A, L

# command name -> roles whose sender gets the feature (the rest get the refusal)
TABLE: dict[str, frozenset[str]] = {
    "help": EVERYONE,
    "confirm": EVERYONE,
    "study": EVERYONE,
    "series": EVERYONE,
    "search": EVERYONE,
    "my_study": EVERYONE,
    "write_reflection": EVERYONE,
    "resume_reflection": EVERYONE,
    "my_reflections": EVERYONE,
    "revise_reflection": EVERYONE,
    "order_lecture": CONTACTS,
    "my_orders": CONTACTS,
    "cancel_order": CONTACTS,
    "hall_book": CONTACTS,
    "hall_mine": CONTACTS,
    "hall_cancel": CONTACTS,
    "rate_lecture": CONTACTS,
    "lecture_attendance": frozenset({L}),
    "lecturer_apply": EVERYONE,
    "dispatch_orders": frozenset({A}),
    "accept_lecture": frozenset({L}),
    "decline_lecture": frozenset({L}),
    "my_lectures": frozenset({L}),
    "review_reflections": STAFF,
    "broadcast": STAFF,
    "broadcast_list": STAFF,
    "broadcast_recall": STAFF,
    "broadcast_cancel": STAFF,
    "checkin": EVERYONE,
    "proxy_checkin": STAFF,
    "leave": EVERYONE,
    "checkin_code": frozenset({L, CH, CO, A}),
    "record_meeting": CONTACTS,
    "meeting_list": CONTACTS,
    "organize_screening": CONTACTS,
    "participation_rate": STAFF,
    "non_participants": CONTACTS,
    "assessment_card": CONTACTS,
    "my_points": EVERYONE,
    "leaderboard": EVERYONE,
    "points_rules": EVERYONE,
    "campaign_progress": EVERYONE,
    "qiangguo_report": EVERYONE,
    "qiangguo_summary": STAFF,
    "daily_quiz": EVERYONE,
    "campaign_quiz": EVERYONE,
    "quiz_board": EVERYONE,
    "questions_mine": EVERYONE,
    "confirm_books": CONTACTS,
    "books_given": CONTACTS,
    "my_trainings": EVERYONE,
    "ask": EVERYONE,
    "whoami": EVERYONE,
    "refused": frozenset({A}),
}


COMMANDS = build_router(build_flows()).commands()


@pytest.fixture
def routed(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[Match]:
    """Every match the app's router makes, in order (to see which handler answered)."""
    router = app.extensions["pioneer_pipeline"].router
    matches: list[Match] = []
    original = router.route

    def record(ctx: Any) -> Match:
        match = original(ctx)
        matches.append(match)
        return match

    monkeypatch.setattr(router, "route", record)
    return matches


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in after if after[name] != before.get(name)} - BOOKKEEPING


def _refusal(command: Any) -> str:
    return texts.NO_PERMISSION.format(role="或".join(texts.ROLE_NAMES.get(r, r)
                                                     for r in command.roles))


@pytest.fixture
def senders(app: Flask, make_member) -> dict[str, str]:
    """One sender per role (plus one who left); their userids."""
    made = {role: make_member(f"u_{role}", org=org, roles=grants).userid
            for role, (org, grants) in SENDERS.items()}
    left = make_member("u_left", org="本党支部")
    with app.app_context():
        db.session.get(Member, left.id).status = MemberStatus.LEFT
        db.session.commit()
    return made


def test_every_command_has_a_row():
    """Does the table name exactly the router's commands (a new command without a row fails)?"""
    names = [c.name for c in COMMANDS]
    assert len(names) == len(set(names))
    assert sorted(set(names) - set(TABLE)) == [], "add these commands to TABLE"
    assert sorted(set(TABLE) - set(names)) == [], "these rows name no command"


def test_matrix_size_is_reported():
    """Is the size stated in the docstring the real one (commands x 7 senders)?"""
    assert f"{len(COMMANDS)} commands x 7 roles = {len(COMMANDS) * 7} cells" in __doc__


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_command_by_every_role(app: Flask, sim, senders: dict[str, str], routed: list[Match],
                               command: Any):
    """Does each role get the feature or the refusal, by keyword and by menu click?"""
    allowed = TABLE[command.name]
    for role, userid in senders.items():
        for how, send in (("keyword", lambda u: sim.text(u, command.keywords[0])),
                          ("click", lambda u: sim.click(u, command.name))):
            before = written(app)
            delivery = send(userid)
            cell = f"{command.name} by {role} ({how})"
            assert delivery.status == 200, cell
            if role in allowed:
                assert routed[-1].handler is command.handler, cell
                assert delivery.text != _refusal(command), cell
            else:
                assert delivery.text == _refusal(command), cell
                assert _changed(before, written(app)) == set(), cell
            sim.text(userid, "取消")  # end any conversation the feature opened
    for userid, refusal, notes in (("u_left", texts.MEMBER_INACTIVE, set()),
                                   ("stranger9", texts.NOT_IN_ROSTER, {"refused_users"})):
        for send in (lambda u: sim.text(u, command.keywords[0]),
                     lambda u: sim.click(u, command.name)):
            before = written(app)
            delivery = send(userid)
            assert (delivery.status, delivery.text) == (200, refusal), (command.name, userid)
            assert _changed(before, written(app)) <= notes, (command.name, userid)


# -- scoped actions: the role is right, the record belongs to someone else ---------------------

SCOPED_CODE = "482913"


@pytest.fixture
def scoped(app: Flask, make_member, sandbox) -> dict[str, str]:
    """build_world (two organisations, a reflection in the first) plus a lecture of the first
    organisation's order by one lecturer, running now, a second lecturer, and a broadcast
    scheduled by the first organisation's contact (contacts' broadcasting switched on).
    The numbers the rows use, by name."""
    world = build_world(app, make_member)
    app.config["BROADCAST_CONTACTS"] = True  # contacts may broadcast (off by default)
    make_member("c-lect2", "讲师庚", org="讲师团", roles=("lecturer",))
    with app.app_context():
        order = db.session.get(LectureOrder, world.order_id)
        order.status = OrderStatus.CONFIRMED
        starts = utcnow() - timedelta(minutes=10)
        lecture = Lecture(order=order, topic=order.topic, lecturer_id=world.lecturer_id,
                          starts_at=starts, ends_at=starts + timedelta(hours=2), place="张江路88号",
                          expected_audience=40, checkin_code=SCOPED_CODE,
                          accepted_at=starts - timedelta(days=1))
        broadcast = Broadcast(sender=world.contact_here, content_kind="text",
                              payload={"msgtype": "text", "text": {"content": "明天开会"}},
                              audience={"kind": "org", "org_id": world.org_here},
                              send_at=utcnow() + timedelta(hours=5))
        db.session.add_all([lecture, broadcast])
        db.session.commit()
        return {"order": order.number, "broadcast": broadcast.number,
                "reflection": db.session.get(Reflection, world.reflection_id).number}


# (sender, message with {placeholders}, the refusal (the reply's end), same placeholders)
SCOPED: list[tuple[str, str, str]] = [
    ("c-other", "代签 {code} 党员丁", checkin_texts.PROXY_NOT_YOURS.format(name="党员丁")),
    ("c-other", "签到码 {order}", checkin_texts.CODE_NOT_YOURS.format(reference="{order}")),
    ("c-lect2", "签到码 {order}", checkin_texts.CODE_NOT_YOURS.format(reference="{order}")),
    ("c-other", "强国汇总 华芯党支部", qiangguo_texts.NOT_YOUR_ORG.format(orgs="远景党支部")),
    ("c-other", "撤回 {broadcast}", broadcast_texts.NOT_YOURS.format(number="{broadcast}")),
    ("c-other", "取消群发 {broadcast}", broadcast_texts.NOT_YOURS.format(number="{broadcast}")),
    ("c-other", "待审心得 {reflection}",
     review_texts.OUT_OF_SCOPE.format(number="{reflection}")),
    ("c-other", "取消点单 {order}", lecture_texts.CANCEL_NOT_FOUND.format(number="{order}")),
    ("c-other", "评单 {order} 5", followup_texts.ERRORS["not_your_order"].format(
        number="{order}")),
    ("c-lect2", "人数 {order} 30", followup_texts.ERRORS["not_your_lecture"].format(
        number="{order}")),
    ("c-lect2", "接单 {order}", dispatch_texts.NOT_YOURS),
    ("c-lect2", "拒单 {order} 时间冲突", dispatch_texts.NOT_YOURS),
]


@pytest.mark.parametrize(("sender", "message", "refusal"), SCOPED,
                         ids=[f"{s}:{m.split()[0]}" for s, m, _ in SCOPED])
def test_scoped_actions_refuse_other_organisations(app: Flask, sim, scoped: dict[str, str],
                                                   sender: str, message: str, refusal: str):
    """Does an action on another organisation's (or lecturer's, or sender's) record get its
    refusal and write nothing, while the record's own contact or lecturer is not refused?"""
    numbers = {**scoped, "code": SCOPED_CODE}
    before = written(app)
    delivery = sim.text(sender, message.format(**numbers))
    assert delivery.status == 200
    assert delivery.text.endswith(refusal.format(**numbers)), delivery.text
    assert _changed(before, written(app)) == set()
    rightful = {"c-other": "c-here", "c-lect2": "c-lect"}[sender]  # the same record is theirs
    assert not sim.text(rightful, message.format(**numbers)).text.endswith(
        refusal.format(**numbers))
