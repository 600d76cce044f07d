"""The year's other records in the annual report: a year built to chosen figures (books,
screenings, hall visits, trainings, publicity, awards, committee and ordered lectures, 学习强国,
三会一课, a campaign, the lecturer pool), and the .xlsx and the .docx stating exactly those
figures — under a frozen clock just past the year's edge, where a record at 23:30 in Shanghai on
31 December counts in that year and one at 00:10 on 1 January in the next."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

import clock
from content import report_texts as texts
from models import (
    Activity,
    Award,
    Book,
    BookDistribution,
    Campaign,
    CampaignItem,
    CheckIn,
    HallSlot,
    Lecture,
    LectureOrder,
    LiveSession,
    Material,
    MaterialRead,
    Member,
    MemberStatus,
    OrgMeeting,
    Publication,
    QiangguoReport,
    RoleGrant,
    Topic,
    Training,
    TrainingEnrolment,
    VisitBooking,
    db,
)
from report import figures, wording
from roster.manage import ensure_organization

EVE = (2026, 12, 31, 23, 30)  # 23:30 on 31 December in Shanghai: still 2026
NEW_YEAR = (2027, 1, 1, 0, 10)  # ten minutes into 2027 in Shanghai


def sh(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A wall time in Shanghai, as the UTC instant the records store."""
    return clock.wall(date(year, month, day), hour, minute)


@pytest.fixture
def world(app: Flask, make_member: Any, travel: Any) -> dict[str, int]:
    """Three organisations, five counted members, one who left, two lecturers, and a year of
    every record, built under a clock frozen at 00:30 on 1 January 2027 in Shanghai."""
    travel("2027-01-01 00:30", tick=False)
    with app.app_context():
        for name, kind in (("甲党支部", "foreign"), ("乙党支部", "private"), ("丙党支部", "state")):
            ensure_organization(name, kind)
        db.session.commit()
    people = {
        "a1": make_member("a1", "甲一", org="甲党支部", roles=("contact",)),
        "a2": make_member("a2", "甲二", org="甲党支部"),
        "a3": make_member("a3", "甲三", org="甲党支部"),
        "b1": make_member("b1", "乙一", org="乙党支部"),
        "b2": make_member("b2", "乙二", org="乙党支部"),
        "c1": make_member("c1", "丙一", org="丙党支部"),
        "l1": make_member("l1", "讲师甲", org=None, roles=("lecturer",)),
        "l2": make_member("l2", "讲师乙", org=None, roles=("lecturer",)),
    }
    ids = {key: member.id for key, member in people.items()}
    with app.app_context():
        ids.update({name: ensure_organization(name).id for name in ("甲党支部", "乙党支部",
                                                                    "丙党支部")})
        db.session.get(Member, ids["a3"]).status = MemberStatus.LEFT
        for grant in db.session.scalars(select(RoleGrant).where(RoleGrant.role == "lecturer")):
            grant.batch = 1 if grant.member_id == ids["l1"] else 2
        films = _books_and_films(ids)
        _screenings(ids, films)
        _hall(ids)
        _trainings(ids)
        _publicity_and_awards(ids)
        _lectures(ids)
        _standing(ids, films)
        db.session.commit()
    return ids


def _present(activity: Activity, *members: int, status: str = "present") -> None:
    db.session.flush()
    db.session.add_all([CheckIn(member_id=m, activity_id=activity.id, status=status)
                        for m in members])


def _activity(kind: str, start: datetime, org: int | None = None, **extra: Any) -> Activity:
    activity = Activity(kind=kind, title=extra.pop("title", kind), organization_id=org,
                        starts_at=start, ends_at=start + timedelta(hours=2), created_by="test",
                        **extra)
    db.session.add(activity)
    return activity


def _books_and_films(ids: dict[str, int]) -> dict[str, Material]:
    outline, novel = Book(title="学习纲要", copies=20, created_by="test"), Book(
        title="党史", copies=10, created_by="test")
    db.session.add_all([outline, novel])
    db.session.flush()

    def send(book: Book, org: str, copies: int, sent: date, confirmed: bool,
             given: int | None = None) -> None:
        db.session.add(BookDistribution(
            book_id=book.id, organization_id=ids[org], copies=copies, sent_on=sent,
            confirmed_at=sh(2026, 12, 1) if confirmed else None, members_given=given,
            created_by="test"))

    send(outline, "甲党支部", 3, date(2026, 3, 1), True, 2)
    send(outline, "乙党支部", 2, date(2026, 3, 1), True)
    send(outline, "丙党支部", 1, date(2026, 3, 2), False)
    send(novel, "甲党支部", 9, date(2025, 12, 31), True, 9)  # last year's
    send(novel, "乙党支部", 4, date(2026, 12, 31), True, 1)
    films = {slug: Material(slug=slug, title=title, kind=kind, published_on=date(2025, 1, 1))
             for slug, title, kind in (("island", "守岛人", "film"), ("lake", "长津湖", "film"),
                                       ("essay", "学习文章", "article"))}
    db.session.add_all(films.values())
    db.session.flush()
    db.session.add_all([
        MaterialRead(member_id=ids["b2"], material_id=films["lake"].id,
                     first_opened_at=sh(2026, 4, 1), last_opened_at=sh(2026, 4, 1)),
        # opened last year, finished this year: seen this year
        MaterialRead(member_id=ids["a2"], material_id=films["island"].id,
                     first_opened_at=sh(2025, 11, 1), last_opened_at=sh(2026, 1, 5),
                     completed_at=sh(2026, 1, 5)),
        MaterialRead(member_id=ids["c1"], material_id=films["essay"].id,  # no film
                     first_opened_at=sh(2026, 4, 1), last_opened_at=sh(2026, 4, 1),
                     completed_at=sh(2026, 4, 1)),
        MaterialRead(member_id=ids["b1"], material_id=films["lake"].id,  # last year's
                     first_opened_at=sh(2025, 4, 1), last_opened_at=sh(2025, 4, 1)),
    ])
    return films


def _screenings(ids: dict[str, int], films: dict[str, Material]) -> None:
    island, lake = films["island"].id, films["lake"].id
    kind = "screening"
    _present(_activity(kind, sh(2026, 5, 10), ids["甲党支部"], material_id=island), ids["a1"])
    _present(_activity(kind, sh(2026, 5, 11), ids["甲党支部"], material_id=island), ids["a2"],
             status="leave")
    _present(_activity(kind, sh(*EVE), ids["乙党支部"], material_id=island), ids["b1"])
    _present(_activity(kind, sh(2026, 7, 1), ids["丙党支部"], title="红色记忆"), ids["c1"],
             status="leave")
    _present(_activity(kind, sh(2026, 6, 1), ids["丙党支部"], material_id=lake,
                       cancelled_at=sh(2026, 5, 30)), ids["c1"])
    _present(_activity(kind, sh(*NEW_YEAR), ids["丙党支部"], material_id=lake), ids["c1"])
    _present(_activity(kind, sh(2025, 6, 1), ids["丙党支部"], material_id=lake), ids["c1"])


def _hall(ids: dict[str, int]) -> None:
    def visit(start: datetime, org: str, size: int, status: str = "confirmed",
              guests: int = 0, present: tuple[str, ...] = (), cancelled: bool = False) -> None:
        slot = HallSlot(starts_at=start, ends_at=start + timedelta(hours=2), capacity=50,
                        booked=size, created_by="test")
        activity = _activity("visit", start, ids[org], guests=guests,
                             cancelled_at=start if cancelled else None)
        db.session.add(slot)
        _present(activity, *(ids[k] for k in present))
        db.session.add(VisitBooking(slot_id=slot.id, organization_id=ids[org], group_size=size,
                                    status=status, booked_by="test",
                                    activity_id=activity.id if status == "confirmed" else None))

    visit(sh(2026, 4, 10, 9), "甲党支部", 20, guests=10, present=("a1", "a2"))
    visit(sh(*EVE), "乙党支部", 8, guests=5, present=("b1",))
    visit(sh(2026, 5, 1, 9), "丙党支部", 6, status="declined")
    visit(sh(2026, 6, 1, 9), "丙党支部", 6, guests=3, present=("c1",), cancelled=True)
    visit(sh(*NEW_YEAR), "丙党支部", 6, guests=7, present=("c1",))


def _trainings(ids: dict[str, int]) -> None:
    def training(kind: str, hours: float, enrolled: tuple[str, ...],
                 sessions: list[tuple[datetime, tuple[str, ...], bool]]) -> None:
        row = Training(kind=kind, title=f"{kind}培训班", session_hours=hours,
                       starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31), created_by="test")
        db.session.add(row)
        db.session.flush()
        db.session.add_all([TrainingEnrolment(training_id=row.id, member_id=ids[k],
                                              enrolled_by="test") for k in enrolled])
        for start, present, cancelled in sessions:
            _present(_activity("training", start, training_id=row.id,
                               cancelled_at=start if cancelled else None),
                     *(ids[k] for k in present))

    training("lecturers", 3.0, ("a1", "b1"), [(sh(2026, 3, 1), ("a1", "b1"), False),
                                             (sh(2026, 3, 8), ("a1",), False)])
    training("workers", 2.0, ("b2", "c1"), [(sh(2026, 9, 1), ("b2",), False),
                                           (sh(2026, 9, 8), ("c1",), True)])
    training("activists", 1.5, ("c1",), [(sh(*EVE), ("c1",), False)])
    training("activists", 1.5, ("a2",), [(sh(2025, 9, 1), ("a2",), False)])  # last year's


def _publicity_and_awards(ids: dict[str, int]) -> None:
    for platform, level, outlet, day in (
            ("qiangguo_province", "province", "", date(2026, 2, 1)),
            ("qiangguo_province", "province", "", date(2026, 12, 31)),
            ("qiangguo_city", "city", "", date(2026, 6, 1)),
            ("newspaper", "city", "无锡日报", date(2026, 7, 1)),
            ("website", "national", "人民网", date(2026, 8, 1)),
            ("qiangguo_city", "city", "", date(2025, 12, 31)),
            ("qiangguo_city", "city", "", date(2027, 1, 1))):
        db.session.add(Publication(title=f"{platform} {day}", platform=platform, level=level,
                                   outlet=outlet, published_on=day, created_by="test"))
    for year, kind, org, member, published in (
            (2026, "excellent_branch", "甲党支部", None, True),
            (2026, "advanced_collective", "甲党支部", None, False),
            (2026, "advanced_collective", "乙党支部", None, False),
            (2026, "study_star", None, "a1", True),
            (2026, "study_model", None, "b1", False),
            (2026, "study_model", None, "b2", False),
            (2025, "study_star", None, "c1", True)):
        subject = f"org:{ids[org]}" if org else f"member:{ids[member]}"
        db.session.add(Award(year=year, kind=kind, subject=subject,
                             organization_id=ids[org] if org else None,
                             member_id=ids[member] if member else None, decided_by="test",
                             published_at=sh(2026, 12, 20) if published else None))


def _lectures(ids: dict[str, int]) -> None:
    _present(_activity("lecture", sh(2026, 10, 1), title="党史宣讲", speaker="外请专家",
                       guests=30), ids["a1"], ids["b1"], ids["c1"])
    _present(_activity("lecture", sh(*EVE), title="年终宣讲"), ids["a2"])
    _present(_activity("lecture", sh(2026, 11, 1), cancelled_at=sh(2026, 10, 30)), ids["a1"])
    topic = Topic(slug="t1", title="党史")
    db.session.add(topic)
    db.session.flush()
    done = LectureOrder(organization_id=ids["乙党支部"], contact_id=ids["a1"], topic_id=topic.id,
                        status="completed", created_at=sh(2026, 5, 1))
    waiting = LectureOrder(organization_id=ids["甲党支部"], contact_id=ids["a1"],
                           topic_id=topic.id, status="pending", created_at=sh(2026, 11, 1))
    db.session.add_all([done, waiting])
    db.session.flush()
    for order_id, start, present in ((done.id, sh(2026, 5, 10), ("b1", "b2")),
                                     (None, sh(2026, 9, 1), ("a1",))):
        lecture = Lecture(order_id=order_id, topic_id=topic.id, lecturer_id=ids["l1"],
                          starts_at=start, ends_at=start + timedelta(hours=2),
                          checkin_code="123456")
        db.session.add(lecture)
        db.session.flush()
        db.session.add_all([CheckIn(member_id=ids[k], lecture_id=lecture.id) for k in present])
    db.session.add(LiveSession(title="直播", starts_at=sh(2026, 6, 1), viewers=40,
                               imported_by="test"))


def _standing(ids: dict[str, int], films: dict[str, Material]) -> None:
    for member, week in (("a1", date(2026, 1, 5)), ("b1", date(2026, 1, 5)),
                         ("a1", date(2026, 12, 28)), ("c1", date(2025, 12, 29))):
        db.session.add(QiangguoReport(member_id=ids[member], week=week))
    # 丙 holds every required meeting of 2026 (8 a quarter by default), the last at 23:30 on
    # 31 December; 甲 one 党课, and one more ten minutes into 2027.
    for month in range(1, 13):
        last = month == 12
        for kind in ("committee", "group"):
            start = sh(*EVE) if last and kind == "group" else sh(2026, month, 10)
            db.session.add(_meeting(ids["丙党支部"], kind, start, ids["c1"]))
        if month % 3 == 1:
            for kind in ("assembly", "lesson"):
                db.session.add(_meeting(ids["丙党支部"], kind, sh(2026, month, 15), ids["c1"]))
    db.session.add(_meeting(ids["甲党支部"], "lesson", sh(2026, 6, 1), ids["a1"]))
    db.session.add(_meeting(ids["甲党支部"], "assembly", sh(*NEW_YEAR), ids["a1"]))
    campaign = Campaign(name="2026年冬训", starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31),
                        audience={"kind": "orgs", "values": [ids["甲党支部"], ids["丙党支部"]]},
                        created_by="test")
    db.session.add(campaign)
    db.session.flush()
    db.session.add(CampaignItem(campaign_id=campaign.id, kind="material",
                                material_id=films["essay"].id))


def _meeting(org: int, kind: str, start: datetime, by: int) -> OrgMeeting:
    return OrgMeeting(organization_id=org, kind=kind, topic=kind, starts_at=start,
                      ends_at=start + timedelta(hours=1), recorded_by_id=by)


FIGURES: dict[str, Any] = {
    "book_titles": 2, "book_distributions": 4, "book_organizations": 3,
    "book_confirmed_organizations": 2, "book_unconfirmed": 1, "book_copies": 10,
    "book_members_given": 3, "book_members_covered": 4,
    "all_lectures": 4, "all_lecture_attendances": 37, "committee_lectures": 2,
    "committee_lecture_checkins": 4, "committee_lecture_guests": 30,
    "committee_lecture_attendances": 34, "orders": 2, "ordered_lectures": 1,
    "ordered_attendances": 2, "live_sessions": 1, "live_viewers": 40,
    "screenings": 4, "films": 2, "screening_attendances": 2, "film_library_members": 2,
    "film_members": 4, "film_coverage": "80.0%",
    "hall_visits": 2, "hall_member_visitors": 3, "hall_guests": 15, "hall_visitors": 18,
    "hall_booked_size": 28,
    "trainings": 3, "trainings_lecturers": 1, "trainings_workers": 1, "trainings_activists": 1,
    "training_sessions": 4, "training_attendances": 5, "training_attendees": 4,
    "training_hours": 12.5, "lecturers_trained": 2,
    "publications": 5, "pub_qiangguo_province": 2, "pub_qiangguo_city": 1, "pub_newspaper": 1,
    "pub_website": 1, "pub_tv": 0, "pub_outlets": "无锡日报、人民网",
    "award_excellent_branch": 1, "award_advanced_collective": 2, "award_study_star": 1,
    "award_study_model": 2, "awards_published": 2,
    # 52 weeks (5 January to 28 December), 3 reports of 5 counted members
    "qiangguo_weeks": 52, "qiangguo_average": 0.1, "qiangguo_average_share": "1.2%",
    "qiangguo_reporters": 2, "qiangguo_never": 3, "qiangguo_never_share": "60.0%",
    "meeting_quarters": 4, "meeting_organizations": 3, "meeting_complete": 1, "campaigns": 1,
    "lecturer_pool": 2, "lecturer_batches": 2, "counted_members": 5,
}
PARAGRAPHS = [
    "学习用书发放覆盖2家党组织4名党员；另有1份发放尚未确认签收；开展宣讲4场次，参加37人次；"
    "其中党委组织宣讲2场次，参加34人次；红色直播间宣讲1次，受众40人次；"
    "通过点单进企业宣讲1次，受众2人次；组织观看《守岛人》《红色记忆》等教育片4次，党员覆盖率80.0%；"
    "学习强国省级平台发布2篇，市级平台发布1篇；在无锡日报、人民网等媒体刊登2篇；"
    "学习强国每周自报覆盖率平均1.2%，60.0%的党员全年未自报。",
    "政治生活馆接待参访2场，18人次；举办红色讲师培训班1期，培训红色讲师2名；"
    "开展党务工作者和入党积极分子培训班2次；红色讲师队伍共2人；"
    "1家党组织三会一课按要求全部召开（共3家，统计4个季度）。",
    "选树1家优秀党支部；1名党员为“学习达人”；评选学习先进集体2家；学习标兵2人。",
    "主题活动完成情况：2026年冬训对象党员3人，已完成1人（33.3%）。",
]


def _definitions() -> dict[str, tuple[str, str]]:
    return {key: (label, how) for _section, rows in texts.RECORD_SECTIONS
            for key, label, how in rows}


def test_every_record_figure_of_the_year(app: Flask, world: dict[str, int]) -> None:
    """Is every figure counted from its records, the year's only, 23:30 on 31 December in and
    00:10 on 1 January out?"""
    with app.app_context():
        built = figures.build(2026)
    found = {**built.figures, **built.records.figures, **built.standing.figures}
    assert {key: found[key] for key in FIGURES} == FIGURES
    assert set(FIGURES) == set(_definitions())  # every figure the sheet shows is asserted
    films = [(f.title, f.screenings, f.attendances, f.library) for f in built.records.films]
    assert films == [("守岛人", 3, 2, 1), ("红色记忆", 1, 0, 0), ("长津湖", 0, 0, 1)]
    assert [(t.kind, t.trainings, t.sessions, t.attendances, t.attendees, t.hours)
            for t in built.records.trainings] == [
        ("workers", 1, 1, 1, 1, 2.0), ("activists", 1, 1, 1, 1, 1.5),
        ("lecturers", 1, 2, 3, 2, 9.0)]
    assert {a.kind: (a.count, a.published, a.names) for a in built.records.awards} == {
        "excellent_branch": (1, 1, ("甲党支部",)),
        "advanced_collective": (2, 0, ("甲党支部", "乙党支部")),
        "study_star": (1, 1, ("甲一",)), "study_model": (2, 0, ("乙一", "乙二"))}
    assert {m.name: (m.met, m.needed, m.complete) for m in built.standing.meetings} == {
        "甲党支部": (1, 32, False), "乙党支部": (0, 32, False), "丙党支部": (32, 32, True)}
    assert built.standing.batches == {1: 1, 2: 1}


def test_the_next_year_gets_what_happened_after_midnight(app: Flask,
                                                         world: dict[str, int]) -> None:
    """Are the records ten minutes into 2027 counted in 2027 (and only there)?"""
    with app.app_context():
        built = figures.build(2027)
    found = {**built.records.figures, **built.standing.figures}
    assert (found["screenings"], found["screening_attendances"]) == (1, 1)
    assert (found["hall_visits"], found["hall_visitors"]) == (1, 8)
    assert (found["publications"], found["pub_qiangguo_city"]) == (1, 1)
    assert (found["trainings"], found["committee_lectures"], found["book_distributions"]) == (
        0, 0, 0)
    assert found["meeting_quarters"] == 0 and found["qiangguo_weeks"] == 0


def test_the_workbook_and_the_document_state_the_figures(app: Flask, world: dict[str, int],
                                                         tmp_path: Path) -> None:
    """Does `report annual` write the .docx beside the .xlsx and .md, the workbook's 年度工作
    sheet every figure with its definition, and the .docx the committee's sentences?"""
    result = app.test_cli_runner().invoke(args=["report", "annual", "--year", "2026",
                                                "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    xlsx, docx = tmp_path / "年度参学报告-2026.xlsx", tmp_path / "年度参学报告-2026.docx"
    assert str(docx) in result.output and (tmp_path / "年度参学报告-2026.md").exists()

    sheet = [[v if v is not None else "" for v in row]
             for row in load_workbook(xlsx)["年度工作"].iter_rows(values_only=True)]
    assert sheet[2][:3] == list(texts.RECORDS_HEADER)
    block = sheet[3:sheet.index(["", "", ""] + [""] * (len(sheet[0]) - 3))]
    stated = {row[0]: (row[1], row[2]) for row in block if row[1] != ""}  # not section heads
    assert len(stated) == len(FIGURES)
    definitions = _definitions()
    for key, value in FIGURES.items():
        label, how = definitions[key]
        assert stated[label] == (value, how), key
    assert ["守岛人", 3, 2, 1] in [row[:4] for row in sheet]
    assert ["学习先进集体", 2, 0, "甲党支部、乙党支部"] in [row[:4] for row in sheet]

    document = Document(str(docx))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "2026年度理论武装和阵地建设工作情况"
    body = paragraphs[2:2 + len(PARAGRAPHS)]
    assert body == PARAGRAPHS
    label, how = definitions["film_coverage"]
    assert f"{label}：80.0%（{how}）" in paragraphs


def test_a_zero_clause_is_left_out_and_a_zero_figure_stated(app: Flask, travel: Any) -> None:
    """With only a city-level publication, is every clause gated on zero left out, and the
    province's zero stated beside the city's one?"""
    travel("2026-12-20 10:00", tick=False)
    with app.app_context():
        db.session.add(Publication(title="一篇", platform="qiangguo_city", level="city",
                                   published_on=date(2026, 3, 1), created_by="test"))
        db.session.commit()
        text = wording.paragraphs(figures.build(2026))
    assert text == ["学习强国省级平台发布0篇，市级平台发布1篇。"]
