"""Trainings as admins run them: creating one (and refusing bad fields), enrolling from a
pasted list (all or none), taking an enrolment back before any attendance, scheduling sessions
with their check-in codes, and the demo's year."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask
from sqlalchemy import func, select

from checkins.checkin import check_in, of_activity
from content import training_texts as texts
from models import (
    Activity,
    CheckIn,
    Member,
    MemberStatus,
    Participation,
    ParticipationKind,
    Training,
    TrainingKind,
    db,
    find_member,
)
from roster.demo import seed_demo
from tests.trainings.training_helpers import (
    add_session,
    audits,
    enrol,
    enrolled,
    make_training,
    sessions,
    shanghai,
    tables,
)
from trainings import demo, figures, manage
from trainings.manage import EnrolProblems, TrainingError


@pytest.fixture
def people(make_member) -> dict[str, Member]:
    """Two 张伟 in different organisations, 李娜, 王芳 and a member who left."""
    built = {"zw1": make_member("zw1", "张伟", org="华芯党支部"),
             "zw2": make_member("zw2", "张伟", org="远景党支部"),
             "lina": make_member("lina", "李娜", org="华芯党支部"),
             "wangfang": make_member("wangfang", "王芳", org="远景党支部"),
             "gone": make_member("gone", "钱七", org="华芯党支部")}
    return built


def _leave(app: Flask, userid: str) -> None:
    with app.app_context():
        member = find_member(userid)
        assert member is not None
        member.status = MemberStatus.LEFT
        db.session.commit()


def test_create_is_audited(app: Flask):
    """Is a training written with its fields and one audit entry?"""
    training_id = make_training(app, kind="lecturers", title=" 第一期  红色讲师培训班 ",
                                planned=4, hours=2.5)
    with app.app_context():
        training = db.session.get(Training, training_id)
        assert (training.kind, training.title, training.planned_sessions,
                float(training.session_hours)) == ("lecturers", "第一期 红色讲师培训班", 4, 2.5)
    assert audits(app) == [("c-admin", "training.create", f"training:{training_id}")]


@pytest.mark.parametrize(("fields", "reason"), [
    ({"hours": 0}, "hours"),
    ({"hours": -2}, "hours"),
    ({"hours": 9}, "hours"),  # above the ledger's cap of a training session (8)
    ({"hours": None}, "hours"),
    ({"planned": 0}, "planned"),
    ({"planned": None}, "planned"),
    ({"ends_on": date(2026, 4, 30)}, "dates_order"),
    ({"starts_on": None}, "dates"),
    ({"title": "  "}, "title_empty"),
    ({"title": "班" * 201}, "title_long"),
    ({"kind": "party"}, "kind"),
    ({"place": "地" * 101}, "place_long"),
])
def test_bad_fields_write_nothing(app: Flask, fields, reason):
    """Hours ≤ 0 (or above the cap), no sessions planned, an end before the start, no title,
    an unknown kind: is each refused with its reason (a Chinese text) and nothing written?"""
    values = {"kind": "workers", "title": "党务工作者培训班", "planned": 2, "hours": 3.0,
              "starts_on": date(2026, 5, 1), "ends_on": date(2026, 5, 31), "place": "", **fields}
    before = tables(app)
    with app.app_context(), pytest.raises(TrainingError) as caught:
        manage.create_training(values["kind"], values["title"], values["planned"],
                               values["hours"], values["starts_on"], values["ends_on"],
                               values["place"], "c-admin")
    assert caught.value.reason == reason and caught.value.text()
    assert tables(app) == before


def test_enrol_names_and_userids(app: Flask, people):
    """Are names and userids (commas, spaces, new lines) enrolled once each, with one audit
    entry, and members enrolled before reported rather than doubled?"""
    training_id = make_training(app)
    assert enrol(app, training_id, "李娜，zw1\n王芳 李娜") == ["lina", "zw1", "wangfang"]
    with app.app_context():
        training = manage.find(training_id)
        again = manage.enrol(training, "lina zw2", "c-admin", shanghai("2026-05-01 09:00"))
        db.session.commit()
        assert [m.userid for m in again.new] == ["zw2"]
        assert [m.userid for m in again.already] == ["lina"]
    assert enrolled(app, training_id) == ["lina", "zw1", "wangfang", "zw2"]
    assert [a[1] for a in audits(app)] == ["training.create", "training.enrol", "training.enrol"]


def test_bad_names_enrol_nobody(app: Flask, people):
    """An unknown name, an ambiguous one and a member who left: are all three listed (the
    ambiguous with both userids) and nobody enrolled, not even the good names?"""
    _leave(app, "gone")
    training_id = make_training(app)
    before = tables(app)
    with app.app_context(), pytest.raises(EnrolProblems) as caught:
        manage.enrol(manage.find(training_id), "李娜 张伟 赵无名 gone", "c-admin",
                     shanghai("2026-05-01 09:00"))
    problems = caught.value
    assert problems.unknown == ["赵无名"] and problems.inactive == ["gone"]
    assert [m.userid for m in problems.ambiguous["张伟"]] == ["zw1", "zw2"]
    lines = problems.lines()
    assert texts.NAME_UNKNOWN.format(name="赵无名") in lines
    assert any("zw1" in line and "zw2" in line for line in lines)
    assert tables(app) == before


@pytest.mark.parametrize(("typed", "reason"), [("", "names_empty"), (" ，\n", "names_empty"),
                                                ("x " * 201, "names_many")])
def test_empty_or_long_list(app: Flask, people, typed, reason):
    """Is an empty list, or one past the limit, refused with its reason?"""
    training_id = make_training(app)
    with app.app_context(), pytest.raises(TrainingError) as caught:
        manage.enrol(manage.find(training_id), typed if reason == "names_empty" else " ".join(
            f"u{n}" for n in range(manage.MAX_ENROL + 1)), "c-admin",
            shanghai("2026-05-01 09:00"))
    assert caught.value.reason == reason


def test_sessions_get_codes_and_defaults(app: Flask):
    """Is a session an activity of kind training with no organisation, a six-digit code, the
    default title 第N场 and the training's place, audited?"""
    training_id = make_training(app, title="入党积极分子培训班", kind="activists")
    first, code = add_session(app, training_id, "2026-05-10 09:00", "2026-05-10 12:00")
    second, other = add_session(app, training_id, "2026-05-17 09:00", "2026-05-17 12:00",
                                title="党章学习")
    rows = sessions(app, training_id)
    assert [r["title"] for r in rows] == ["入党积极分子培训班 第1场", "入党积极分子培训班 党章学习"]
    assert all(r["kind"] == "training" and r["organization_id"] is None
               and r["place"] == "党群服务中心" for r in rows)
    assert len(code) == 6 and code.isdigit() and code != other
    assert [a[1] for a in audits(app)][-2:] == ["training.session", "training.session"]
    assert first != second


@pytest.mark.parametrize(("starts", "ends", "reason"), [
    ("2026-05-10 12:00", "2026-05-10 09:00", "session_order"),
    ("2026-05-10 09:00", "2026-05-10 09:00", "session_order"),
    ("2026-04-30 09:00", "2026-04-30 12:00", "session_outside"),
    ("2026-05-31 23:00", "2026-06-01 01:00", "session_outside"),  # ends past the last day
])
def test_bad_sessions_write_nothing(app: Flask, starts, ends, reason):
    """An end not after the start, a day outside the training's dates (in Shanghai): is each
    refused with its reason and nothing written?"""
    training_id = make_training(app)
    before = tables(app)
    with app.app_context(), pytest.raises(TrainingError) as caught:
        manage.add_session(manage.find(training_id), "", shanghai(starts), shanghai(ends), "",
                           "c-admin", shanghai("2026-04-01 09:00"))
    assert caught.value.reason == reason
    assert tables(app) == before


def test_session_on_the_first_day_just_after_midnight(app: Flask):
    """A session at 00:30 on the first day (16:30 UTC the day before): is it inside?"""
    training_id = make_training(app)
    add_session(app, training_id, "2026-05-01 00:30", "2026-05-01 02:00")
    assert len(sessions(app, training_id)) == 1


def test_unenrol_only_before_attendance(app: Flask, people):
    """Is an enrolment taken back while the member has no check-in, and refused once they
    have one (nothing written)?"""
    training_id = make_training(app)
    enrol(app, training_id, "lina wangfang")
    session_id, _ = add_session(app, training_id, "2026-05-10 09:00", "2026-05-10 12:00")
    with app.app_context():
        training = manage.find(training_id)
        activity = db.session.get(Activity, session_id)
        lina, wangfang = find_member("lina"), find_member("wangfang")
        check_in(lina, of_activity(activity), shanghai("2026-05-10 09:05"), None)
        db.session.commit()
        manage.unenrol(training, wangfang.id, "c-admin")
        db.session.commit()
        with pytest.raises(TrainingError) as caught:
            manage.unenrol(training, lina.id, "c-admin")
        assert caught.value.reason == "attended"
        db.session.rollback()
        with pytest.raises(TrainingError) as missing:
            manage.unenrol(training, wangfang.id, "c-admin")
        assert missing.value.reason == "not_enrolled"
    assert enrolled(app, training_id) == ["lina"]
    assert audits(app)[-1][1] == "training.unenrol"


def test_listing_counts_per_training(app: Flask, people):
    """Does the list count enrolments, sessions, check-ins (人次) and attendees (人) per
    training, and filter by year and kind?"""
    training_id = make_training(app)
    make_training(app, kind="lecturers", title="去年的讲师班", starts_on=date(2025, 5, 1),
                  ends_on=date(2025, 5, 2))
    enrol(app, training_id, "lina wangfang zw1")
    ids = [add_session(app, training_id, f"2026-05-{d} 09:00", f"2026-05-{d} 12:00")[0]
           for d in (10, 17)]
    with app.app_context():
        for session_id, userids in zip(ids, (("lina", "wangfang"), ("lina",)), strict=True):
            target = of_activity(db.session.get(Activity, session_id))
            for userid in userids:
                check_in(find_member(userid), target, target.starts_at, None)
        db.session.commit()
        rows = figures.listing(2026)
        assert [(r.enrolled, r.sessions, r.checkins, r.attendees) for r in rows] == [(3, 2, 3, 2)]
        assert figures.listing(2026, TrainingKind.LECTURERS) == []
        assert [r.training.title for r in figures.listing(2025)] == ["去年的讲师班"]


def test_demo_year(app: Flask):
    """On the demo roster: two 红色讲师 trainings and three of each other kind, enrolments,
    sessions, check-ins credited as training hours — most of the enrolled, not all?"""
    with app.app_context():
        seed_demo()
        rows = demo.seed_demo_year(date(2026, 12, 6))
        db.session.commit()
        assert rows > 0
        kinds = dict(db.session.execute(select(Training.kind, func.count(Training.id))
                                        .group_by(Training.kind)).all())
        assert kinds == {"lecturers": 2, "workers": 3, "activists": 3}
        listed = figures.listing(2026)
        assert all(r.enrolled and r.sessions == r.training.planned_sessions for r in listed)
        possible = sum(r.enrolled * r.sessions for r in listed)
        checkins = sum(r.checkins for r in listed)
        assert 0.5 * possible < checkins < possible
        assert 0 < sum(r.attendees for r in listed) < sum(r.enrolled for r in listed)
        assert db.session.scalar(select(func.count(CheckIn.id))) == checkins
        credited = db.session.execute(select(func.count(Participation.id),
                                             func.sum(Participation.hours)).where(
            Participation.kind == ParticipationKind.TRAINING)).one()
        assert credited[0] == checkins and float(credited[1]) > checkins  # 2 or 3 hours each
        assert demo.seed_demo_year(date(2026, 12, 6)) == 0  # once per database


def test_cli_lists_the_year(app: Flask, people):
    """Does `flask training list --year` print each training with its counts, and say so when
    the year has none?"""
    training_id = make_training(app)
    enrol(app, training_id, "lina wangfang")
    add_session(app, training_id, "2026-05-10 09:00", "2026-05-10 12:00")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["training", "list", "--year", "2026"])
    assert result.exit_code == 0, result.output
    assert (f"training:{training_id} [workers] 党务工作者培训班 2026-05-01..2026-05-31: "
            "1/3 sessions, 2 enrolled, 0 check-ins, 0 attendees") in result.output
    empty = runner.invoke(args=["training", "list", "--year", "2031"])
    assert empty.exit_code == 0 and "no trainings in 2031" in empty.output


def test_long_titles_fit_the_session(app: Flask):
    """A training title of 200 characters and a session name of 100: does the session's
    title fit its column (cut at 200), and is a longer session name refused?"""
    training_id = make_training(app, title="班" * 200)
    add_session(app, training_id, "2026-05-10 09:00", "2026-05-10 12:00", title="场" * 100)
    assert sessions(app, training_id)[0]["title"] == "班" * 200
    with app.app_context(), pytest.raises(TrainingError) as caught:
        manage.add_session(manage.find(training_id), "场" * 101, shanghai("2026-05-11 09:00"),
                           shanghai("2026-05-11 10:00"), "", "c-admin",
                           shanghai("2026-05-01 09:00"))
    assert caught.value.reason == "title_long"
