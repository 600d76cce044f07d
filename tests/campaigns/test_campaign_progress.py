"""Campaign requirements (campaign require/hours/show) and progress (冬训进度)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

import clock
from campaigns import progress
from campaigns.campaigns import create_campaign
from content import participation_texts as texts
from models import (
    Campaign,
    CheckIn,
    Lecture,
    LectureOrder,
    MaterialRead,
    Member,
    OrderStatus,
    Organization,
    Participation,
    Reflection,
    Topic,
    db,
)
from participation.ledger import record
from roster.demo import named_committee, seed_roster
from tests.helpers import written
from tests.study_helpers import make_library

NAME = "2026年冬训"


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    """The named committee, the small library, a confirmed lecture and a running campaign
    for 华芯 (张伟, 李娜) and 锡东 (王芳)."""
    today = clock.today()
    ids: dict[str, Any] = dict(make_library(app))
    with app.app_context():
        seed_roster(named_committee())
        people = {m.userid: m.id for m in db.session.scalars(select(Member))}
        ids.update(people)
        topic = Topic(slug="red-boat", title="从红船到复兴号")
        db.session.add(topic)
        db.session.flush()
        starts = datetime.now(UTC) - timedelta(days=2)
        lecture = Lecture(topic_id=topic.id, lecturer_id=people["liuyang"], starts_at=starts,
                          ends_at=starts + timedelta(hours=2), checkin_code="123456",
                          accepted_at=starts - timedelta(days=5))
        early = Lecture(topic_id=topic.id, lecturer_id=people["liuyang"],
                        starts_at=starts - timedelta(days=90),
                        ends_at=starts - timedelta(days=90, hours=-2), checkin_code="654321",
                        accepted_at=starts - timedelta(days=95))
        db.session.add_all([lecture, early])
        create_campaign("test", NAME, "winter_training", today - timedelta(days=10),
                        today + timedelta(days=60),
                        {"kind": "orgs", "values": ["华芯微电子党支部", "锡东精密机械党支部"]})
        db.session.commit()
        ids.update(lecture=lecture.id, early=early.id, topic=topic.id)
    return ids


def _cli(app: Flask, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["campaign", *args])


def _require_all(app: Flask, world: dict[str, Any]) -> None:
    for args in (("--material", "shoudaoren"), ("--material", "zhangcheng"),
                 ("--lecture", str(world["lecture"])), ("--reflections", "2")):
        result = _cli(app, "require", NAME, *args)
        assert result.exit_code == 0, result.output
    assert _cli(app, "hours", NAME, "4").exit_code == 0


def _finish(member_id: int, material_id: int, when: datetime) -> None:
    db.session.add(MaterialRead(member_id=member_id, material_id=material_id,
                                first_opened_at=when, last_opened_at=when, completed_at=when))


def _reflect(member_id: int, when: datetime, status: str = "submitted") -> None:
    reflection = Reflection(member_id=member_id, status=status, submitted_at=when,
                            created_at=when, updated_at=when, text="心得")
    db.session.add(reflection)
    db.session.flush()
    record(member_id, "reflection", f"reflection:{reflection.id}", when)


def _do_everything(world: dict[str, Any], userid: str) -> None:
    """Both materials finished, checked in at the lecture, two reflections: 4 hours."""
    now = datetime.now(UTC)
    member_id = world[userid]
    _finish(member_id, world["shoudaoren"], now - timedelta(days=400))  # before: still counts
    _finish(member_id, world["zhangcheng"], now)
    db.session.add(CheckIn(member_id=member_id, lecture_id=world["lecture"]))
    record(member_id, "lecture", f"lecture:{world['lecture']}", now - timedelta(days=2))
    _reflect(member_id, now - timedelta(days=1))
    _reflect(member_id, now - timedelta(hours=1))


def test_require_hours_and_show(app: Flask, world: dict[str, Any]) -> None:
    """Do require and hours add the items (audited), and does show list them with progress?"""
    _require_all(app, world)
    shown = _cli(app, "show", NAME)
    assert shown.exit_code == 0, shown.output
    assert "required study hours in the period: 4" in shown.output
    assert "material 守岛人" in shown.output and "material 学习党章" in shown.output
    assert f"lecture {world['lecture']} 从红船到复兴号（" in shown.output
    assert "2 reflection(s)" in shown.output
    assert "progress: 3 members, 0 done (0%), 0 in progress, 3 not started" in shown.output
    assert "华芯微电子党支部\t0/2 done" in shown.output
    with app.app_context():
        actions = [a for a, in db.session.execute(
            select(db.text("action")).select_from(db.text("audit_entries")))]
        assert actions.count("campaign.require") == 4 and "campaign.hours" in actions
        campaign = db.session.scalars(select(Campaign)).one()
        assert campaign.required_hours == 4.0
        item_id = progress.campaign_items(campaign)[0].id
    removed = _cli(app, "unrequire", NAME, str(item_id))
    assert removed.exit_code == 0 and "removed item" in removed.output
    assert "material 守岛人" not in _cli(app, "show", NAME).output


@pytest.mark.parametrize(("args", "message"), [
    (("--material", "nope"), "no material 'nope'"),
    (("--material", "shoudao"), "no material 'shoudao'; did you mean: shoudaoren?"),
    (("--lecture", "999"), "no lecture 999"),
    (("--reflections", "0"), "at least 1"),
    (("--reflections", "-2"), "at least 1"),
    ((), "exactly one"),
    (("--material", "shoudaoren", "--reflections", "1"), "exactly one"),
])
def test_bad_requirements_are_refused(app: Flask, world: dict[str, Any], args: tuple[str, ...],
                                      message: str) -> None:
    """Is each bad requirement refused in plain English, with nothing written?"""
    before = written(app)
    result = _cli(app, "require", NAME, *args)
    assert result.exit_code == 1 and message in result.output
    assert written(app) == before


def test_a_misspelt_campaign_names_the_closest(app: Flask, world: dict[str, Any]) -> None:
    """Does each campaign command refuse an unknown name, naming the closest campaign?"""
    before = written(app)
    for args in (("show", "2026冬训"), ("hours", "2026冬训", "4"),
                 ("require", "2026冬训", "--reflections", "1"), ("unrequire", "2026冬训", "1")):
        result = _cli(app, *args)
        assert result.exit_code != 0
        assert (f"no campaign '2026冬训' (see `campaign list`); did you mean: {NAME}?"
                in result.output), result.output
    assert written(app) == before


def test_lectures_outside_the_period_or_unconfirmed_and_repeats_are_refused(
        app: Flask, world: dict[str, Any]) -> None:
    """Are a lecture outside the period, an unconfirmed one and a repeated item refused?"""
    outside = _cli(app, "require", NAME, "--lecture", str(world["early"]))
    assert outside.exit_code == 1 and "outside 2026年冬训" in outside.output
    with app.app_context():
        order = LectureOrder(organization_id=db.session.scalar(select(Organization.id).limit(1)),
                             contact_id=world["lina"], topic_id=world["topic"],
                             status=OrderStatus.DISPATCHED, audience=30, slots=[],
                             mode="offline")
        db.session.add(order)
        db.session.flush()
        db.session.get(Lecture, world["lecture"]).order_id = order.id
        db.session.commit()
    unconfirmed = _cli(app, "require", NAME, "--lecture", str(world["lecture"]))
    assert unconfirmed.exit_code == 1 and "not confirmed" in unconfirmed.output
    with app.app_context():
        lecture = db.session.get(Lecture, world["lecture"])
        lecture.order.status = OrderStatus.CONFIRMED
        lecture.accepted_at = None  # 接单 never happened
        db.session.commit()
    assert "not confirmed" in _cli(app, "require", NAME, "--lecture", str(world["lecture"])).output
    assert _cli(app, "require", NAME, "--reflections", "1").exit_code == 0
    again = _cli(app, "require", NAME, "--reflections", "3")
    assert again.exit_code == 1 and "already requires reflections" in again.output
    assert _cli(app, "require", NAME, "--material", "shoudaoren").exit_code == 0
    twice = _cli(app, "require", NAME, "--material", "shoudaoren")
    assert twice.exit_code == 1 and "already requires material" in twice.output
    for args, message in ((("hours", NAME, "--", "-1"), "between 0 and 500"),
                          (("hours", NAME, "501"), "between 0 and 500"),
                          (("show", "没有的活动"), "no campaign"),
                          (("unrequire", NAME, "999"), "has no item 999")):
        result = _cli(app, *args)
        assert result.exit_code != 0 and message in result.output, result.output


def test_member_progress_item_by_item(app: Flask, world: dict[str, Any]) -> None:
    """Does each item count only what the rules say (finished, checked in, in the period)?"""
    _require_all(app, world)
    now = datetime.now(UTC)
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        zhang, wang = world["zhangwei"], world["wangfang"]
        # 王芳: opened one material without finishing, a reflection before the campaign,
        # a returned one inside it; the lecture through its ledger row only.
        db.session.add(MaterialRead(member_id=wang, material_id=world["shoudaoren"]))
        _reflect(wang, now - timedelta(days=30))
        _reflect(wang, now, status="returned")
        record(wang, "lecture", f"lecture:{world['lecture']}", now)
        _do_everything(world, "zhangwei")
        db.session.commit()
        found = progress.progress(campaign, [zhang, wang, world["lina"]])
        assert [i.have for i in found[wang].items] == [0, 0, 1, 0]
        assert found[wang].hours == 3.0  # the lecture and the returned reflection's ledger rows
        assert found[wang].status == progress.Status.IN_PROGRESS
        assert [i.done for i in found[zhang].items] == [True] * 4
        assert (found[zhang].hours, found[zhang].status) == (4.0, progress.Status.DONE)
        assert found[world["lina"]].status == progress.Status.NOT_STARTED
        campaign.required_hours = 4.5
        assert progress.member_progress(campaign, zhang).status == progress.Status.IN_PROGRESS


def test_progress_in_chat_for_member_contact_and_admin(app: Flask, world: dict[str, Any],
                                                       send_text: Any) -> None:
    """Does a member see their items, a contact their organisation, an admin every one's?"""
    _require_all(app, world)
    with app.app_context():
        db.session.add(MaterialRead(member_id=world["wangfang"], material_id=world["zhangcheng"],
                                    completed_at=datetime.now(UTC)))
        db.session.commit()
    wang = send_text("wangfang", "冬训进度").text
    assert f"「{NAME}」" in wang and "我的进度：进行中" in wang
    assert "✔ 读完：学习党章" in wang and "○ 读完：守岛人" in wang
    assert "○ 参加宣讲：从红船到复兴号（" in wang
    assert "○ 提交心得2篇（已交0篇）" in wang and "○ 活动期间学时0/4" in wang
    lina = send_text("lina", "冬训进度").text
    assert "我的进度：未开始" in lina
    assert "华芯微电子党支部：2人，完成0人，进行中0人，未开始2人" in lina
    assert "未开始：张伟、李娜" in lina
    admin = send_text("chenjing", "冬训进度").text
    assert "我的进度" not in admin  # not in the audience
    assert "全党委（2个党组织）：3人，完成0人（0%），进行中1人，未开始2人" in admin
    assert admin.index("华芯微电子党支部 0%（0/2）") < admin.index("锡东精密机械党支部 0%（0/1）")
    outsider = send_text("liuyang", "冬训进度").text
    assert outsider == texts.PROGRESS_NOT_IN.format(name=NAME)


def test_completion_is_recorded_once(app: Flask, world: dict[str, Any], send_text: Any) -> None:
    """Is one CAMPAIGN_ITEM participation written when all is done, however often it is seen?"""
    _require_all(app, world)
    with app.app_context():
        _do_everything(world, "zhangwei")
        db.session.commit()
    first = send_text("zhangwei", "冬训进度").text
    assert "我的进度：已全部完成" in first and texts.AWARDED in first
    again = send_text("zhangwei", "冬训进度").text
    assert "已全部完成" in again and texts.AWARDED not in again
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        assert progress.settle(campaign, datetime.now(UTC)) == 0
        rows = db.session.scalars(select(Participation).where(
            Participation.kind == "campaign_item")).all()
        assert [(r.member_id, r.source, r.points, r.hours) for r in rows] == [
            (world["zhangwei"], f"campaign:{campaign.id}", 3, 1.0)]
        # The completion's own hour does not count towards the campaign's hours.
        assert progress.member_progress(campaign, world["zhangwei"]).hours == 4.0
    lina = send_text("lina", "冬训进度").text
    assert "完成1人" in lina and "未开始：李娜" in lina


def test_the_tick_settles_members_who_never_look(app: Flask, world: dict[str, Any]) -> None:
    """Does the campaign tick record completions of members who never open 冬训进度?"""
    _require_all(app, world)
    with app.app_context():
        _do_everything(world, "zhangwei")
        db.session.commit()
    with app.app_context():
        assert progress.campaign_tick() == 1
        assert progress.campaign_tick() == 0
        assert db.session.scalar(select(func.count(Participation.id)).where(
            Participation.kind == "campaign_item")) == 1


def test_no_campaign_and_no_requirements(app: Flask, world: dict[str, Any],
                                         send_text: Any) -> None:
    """Does 冬训进度 say when nothing runs, and when a campaign has no requirements yet?"""
    assert texts.PROGRESS_NO_ITEMS in send_text("zhangwei", "冬训进度").text
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        campaign.starts_on = campaign.ends_on = date(2020, 1, 1)
        db.session.commit()
    assert send_text("zhangwei", "冬训进度").text == texts.PROGRESS_NONE


def test_demo_participation(app: Flask) -> None:
    """Does the demo seed a ledger that matches its totals, and the 冬训 campaign, once?"""
    from participation.ledger import rebuild_totals
    from participation.standing import standing
    from pioneer.demo_participation import LECTURE_TOPIC, seed_participation
    from study.library import sync_library

    today = date(2026, 11, 22)
    with app.app_context():
        seed_roster(named_committee())
        sync_library()
        db.session.add(Topic(slug=LECTURE_TOPIC, title="从红船到复兴号", minutes=90))
        db.session.commit()
        rows = seed_participation(today)
        assert rows == db.session.scalar(select(func.count(Participation.id))) > 0
        assert seed_participation(today) == 0
        campaign = db.session.scalars(select(Campaign)).one()
        assert (campaign.name, campaign.starts_on, campaign.ends_on) == (
            NAME, date(2026, 11, 1), date(2027, 2, 28))
        assert [i.kind for i in progress.campaign_items(campaign)] == [
            "material", "material", "lecture", "reflection"]
        people = {m.userid: m.id for m in db.session.scalars(select(Member))}
        before = {p: standing(people[p], 2026).points for p in people}
        rebuild_totals(2026)  # the bulk write kept the totals the ledger gives
        assert {p: standing(people[p], 2026).points for p in people} == before
        found = progress.progress(campaign, list(people.values()))
        assert found[people["zhangwei"]].status == progress.Status.DONE
        assert found[people["lina"]].status == progress.Status.IN_PROGRESS
        assert found[people["wangfang"]].status == progress.Status.NOT_STARTED
        assert db.session.scalar(select(func.count(CheckIn.id))) == 2


def test_a_contact_outside_the_audience_is_told_so(app: Flask, world: dict[str, Any],
                                                   send_text: Any) -> None:
    """Does a contact whose organisation the campaign is not for get a plain answer?"""
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        campaign.audience = {"kind": "orgs", "values": ["锡东精密机械党支部"]}
        db.session.commit()
    assert send_text("lina", "冬训进度").text == texts.PROGRESS_NOT_IN.format(name=NAME)
    assert "锡东精密机械党支部 0%（0/1）" in send_text("chenjing", "冬训进度").text


@pytest.mark.parametrize(("now", "running"), [
    ("2026-12-31 23:59", False), ("2027-01-01 00:01", True), ("2027-01-01 07:59", True),
    ("2027-01-31 23:59", True), ("2027-02-01 00:01", False), ("2027-02-01 07:59", False),
])
def test_the_campaign_window_is_the_committees_days(app: Flask, world: dict[str, Any],
                                                    send_text: Any, travel: Any, now: str,
                                                    running: bool) -> None:
    """Does a campaign from 1 to 31 January run from Shanghai's midnight to Shanghai's
    midnight, not from 08:00 to 08:00 (the UTC days)?"""
    with app.app_context():
        campaign = db.session.scalars(select(Campaign)).one()
        campaign.starts_on, campaign.ends_on = date(2027, 1, 1), date(2027, 1, 31)
        db.session.commit()
    travel(now)
    reply = send_text("zhangwei", "冬训进度").text
    assert (reply != texts.PROGRESS_NONE) is running, reply
