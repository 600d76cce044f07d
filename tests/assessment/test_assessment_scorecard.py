"""考核: a built quarter's scorecards equal the hand-computed values; a changed weight changes
the ranking as computed; what lowers a card and what would raise it; quarter edges on the
committee's clock; a contact reads only their own organisation's card (chat and console), and
the ranking's export and the rules are admins'."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook
from sqlalchemy import select

from assessment import scorecard
from assessment.scorecard import RuleError
from content import assessment_texts as at
from models import (
    AuditEntry,
    Book,
    BookDistribution,
    CheckIn,
    CheckInStatus,
    Lecture,
    LectureOrder,
    MeetingKind,
    Member,
    OrderStatus,
    OrgMeeting,
    Participation,
    QiangguoReport,
    Rating,
    Reflection,
    ReflectionStatus,
    Topic,
    db,
)
from tests.console_helpers import login_as, post
from tests.helpers import SHANGHAI

pytestmark = pytest.mark.clock


def sh(text: str) -> datetime:
    """A Shanghai wall time as UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=SHANGHAI).astimezone(UTC)


@dataclass
class Quarter:
    """The organisations and members of the built quarter (2026 Q3)."""

    here: int  # 华芯党支部: 4 members
    other: int  # 远景党支部: 2 members
    office: int  # 党委办公室: the admin alone
    people: dict[str, int]


@pytest.fixture
def quarter(app: Flask, make_member: Any, travel: Any) -> Quarter:
    """2026 Q3 (1 Jul – 30 Sep, Shanghai), seen on 10 Oct 2026.

    华芯 (ca, a1, a2, a3): a1 and a2 took part (a2 at 23:30 on 30 Sep), a3 only on 1 Oct;
    one 支部党员大会 with check-in, ca, a1, a2 present; a1 wrote two reflections; a1 reported
    学习强国; its book was confirmed. 远景 (cb, b1): both took part; a lecture it ordered was
    held and rated 4; its book is not confirmed. 党委办公室 (adm): nothing."""
    travel("2026-10-10 10:00")
    app.config["MEETING_REQUIREMENTS"] = "assembly=quarter,lesson=none,committee=none,group=none"
    people = {}
    for userid, org, roles in (("ca", "华芯党支部", ("contact",)), ("a1", "华芯党支部", ()),
                               ("a2", "华芯党支部", ()), ("a3", "华芯党支部", ()),
                               ("cb", "远景党支部", ("contact",)), ("b1", "远景党支部", ()),
                               ("adm", "党委办公室", ("admin",)), ("lect", None, ("lecturer",))):
        people[userid] = make_member(userid, userid, org=org, roles=roles).id
    with app.app_context():
        def org_of(userid: str) -> int:
            member = db.session.get(Member, people[userid])
            return member.main_organization.id

        here, other, office = org_of("a1"), org_of("b1"), org_of("adm")
        for userid, moment in (("a1", "2026-07-15 10:00"), ("a2", "2026-09-30 23:30"),
                               ("a3", "2026-10-01 00:10"), ("cb", "2026-08-02 09:00"),
                               ("b1", "2026-08-03 09:00")):
            db.session.add(Participation(member_id=people[userid], organization_id=org_of(userid),
                                         kind="reflection", source=f"t:{userid}",
                                         occurred_at=sh(moment)))
        meeting = OrgMeeting(organization_id=here, kind=MeetingKind.ASSEMBLY, topic="党员大会",
                             starts_at=sh("2026-08-10 14:00"), ends_at=sh("2026-08-10 16:00"),
                             checkin_code="111111", recorded_by_id=people["ca"])
        db.session.add(meeting)
        db.session.flush()
        for userid in ("ca", "a1", "a2"):
            db.session.add(CheckIn(member_id=people[userid], meeting_id=meeting.id,
                                   status=CheckInStatus.PRESENT))
        for number in range(2):
            db.session.add(Reflection(member_id=people["a1"], text="体会", word_count=2,
                                      status=ReflectionStatus.SUBMITTED,
                                      submitted_at=sh(f"2026-09-0{number + 1} 10:00")))
        db.session.add(Reflection(member_id=people["a2"], text="草稿",
                                  status=ReflectionStatus.DRAFT))
        topic = Topic(slug="q3-topic", title="新时代", minutes=90, modes=["offline"])
        db.session.add(topic)
        db.session.flush()
        order = LectureOrder(organization_id=other, contact_id=people["cb"], topic_id=topic.id,
                             status=OrderStatus.RATED, audience=20)
        db.session.add(order)
        db.session.flush()
        db.session.add_all([
            Lecture(order_id=order.id, topic_id=topic.id, lecturer_id=people["lect"],
                    starts_at=sh("2026-09-01 14:00"), ends_at=sh("2026-09-01 15:30"),
                    checkin_code="222222", accepted_at=sh("2026-08-20 10:00")),
            Rating(order_id=order.id, contact_id=people["cb"], score=4),
            QiangguoReport(member_id=people["a1"], organization_id=here, week=date(2026, 8, 3),
                           score=900, reported_at=sh("2026-08-05 20:00")),
        ])
        book = Book(title="学习用书", copies=10, created_by="test")
        db.session.add(book)
        db.session.flush()
        db.session.add_all([
            BookDistribution(book_id=book.id, organization_id=here, copies=4,
                             sent_on=date(2026, 8, 1), confirmed_at=sh("2026-08-05 09:00"),
                             created_by="test"),
            BookDistribution(book_id=book.id, organization_id=other, copies=2,
                             sent_on=date(2026, 9, 20), created_by="test"),
        ])
        db.session.commit()
    return Quarter(here, other, office, people)


def _totals(year: int = 2026, number: int = 3) -> dict[int, float]:
    return {row.card.organization_id: row.card.total
            for row in scorecard.ranking(scorecard.cards(year, number))}


def test_the_quarter_equals_the_hand_computed_cards(app: Flask, quarter: Quarter) -> None:
    """华芯: 13.89 + 20 + 10 + 0 + 9.375 + 0 + 2.08 + 5 of 95 applicable = 63.5; 远景: 25 + 0 +
    0 + 10 + 4.44 + 0 + 0 + 0 of 90 = 43.8; 党委办公室 0 of 80; in that order."""
    with app.app_context():
        ranked = scorecard.ranking(scorecard.cards(2026, 3))
        assert [(r.rank, r.card.organization_id, r.card.total) for r in ranked] == [
            (1, quarter.here, 63.5), (2, quarter.other, 43.8), (3, quarter.office, 0.0)]
        here = {line.measure: line for line in ranked[0].card.lines}
        assert ranked[0].card.members == 4
        assert (here["participation"].count.count, here["participation"].count.base) == (2, 4)
        assert here["meetings"].value == 1.0
        assert here["attendance"].value == 0.75
        assert here["reflections"].value == 0.5
        assert here["qiangguo"].value == 0.25
        assert here["books"].value == 1.0
        assert here["ratings"].value is None and not here["ratings"].applies
        other = {line.measure: line for line in ranked[1].card.lines}
        assert other["lectures"].value == 1.0 and other["ratings"].value == 4.0
        assert other["attendance"].value is None and other["books"].value == 0.0
        assert here["participation"].needed == 2  # ceil(0.9 × 4) − 2


def test_a_changed_weight_changes_the_ranking(app: Flask, quarter: Quarter) -> None:
    """Participation weighed 60 and meetings 0: 华芯 59.79 of 110 = 54.4, 远景 74.44 of 105 =
    70.9 — 远景 first; back to the defaults, 华芯 first again. Both changes audited."""
    with app.app_context():
        scorecard.set_rule("adm", "participation", 0.9, 60)
        scorecard.set_rule("adm", "meetings", 1.0, 0)
        db.session.commit()
        ranked = scorecard.ranking(scorecard.cards(2026, 3))
        assert [(r.card.organization_id, r.card.total) for r in ranked[:2]] == [
            (quarter.other, 70.9), (quarter.here, 54.4)]
        scorecard.reset_rule("adm", "participation")
        scorecard.reset_rule("adm", "meetings")
        db.session.commit()
        assert _totals()[quarter.here] == 63.5
        actions = db.session.scalars(select(AuditEntry.action)).all()
        assert actions.count("assessment.rule") == 2 and actions.count("assessment.rule_reset") == 2


@pytest.mark.parametrize(("measure", "target", "weight", "reason"), [
    ("participation", 0, 10, "bad_target"), ("participation", 0.9, -1, "bad_weight"),
    ("participation", 0.9, 101, "bad_weight"), ("ratings", 6, 5, "bad_rating_target"),
    ("nothing", 1, 1, "unknown_measure"), ("quiz", float("nan"), 1, "bad_target"),
])
def test_bad_rules_are_refused(app: Flask, measure: str, target: float, weight: float,
                               reason: str) -> None:
    """A target ≤ 0, a weight outside 0–100, a rating target above 5, an unknown measure."""
    with app.app_context():
        with pytest.raises(RuleError) as refused:
            scorecard.set_rule("adm", measure, target, weight)
        assert refused.value.reason == reason and refused.value.text()
        db.session.rollback()
        assert not db.session.scalars(select(AuditEntry)).all()


def test_the_quarter_is_cut_on_the_committees_clock(app: Flask, quarter: Quarter) -> None:
    """a3's participation at 00:10 on 1 Oct (16:10 UTC on 30 Sep) is Q4's, a2's at 23:30 on 30
    Sep is Q3's."""
    with app.app_context():
        q4 = {line.measure: line for line in next(
            c for c in scorecard.cards(2026, 4) if c.organization_id == quarter.here).lines}
        assert (q4["participation"].count.count, q4["participation"].count.base) == (1, 4)


def test_a_quarter_to_come_or_malformed_is_refused(app: Flask, quarter: Quarter) -> None:
    """"2027-Q1" on 10 Oct 2026 is still to come; "2026Q5" is no quarter; "" is this one."""
    with app.app_context():
        now = sh("2026-10-10 10:00")
        assert scorecard.parse_quarter("", now) == (2026, 4)
        assert scorecard.parse_quarter(" 2026-q3 ", now) == (2026, 3)
        for text, reason in (("2027-Q1", "future_quarter"), ("2026Q5", "bad_quarter")):
            with pytest.raises(RuleError) as refused:
                scorecard.parse_quarter(text, now)
            assert refused.value.reason == reason


def test_a_contact_reads_their_own_card_in_chat(app: Flask, quarter: Quarter,
                                                send_text: Any) -> None:
    """ca gets 华芯's card with its place, each measure and what would raise it, nothing of
    远景; a plain member is not offered it."""
    text = send_text("ca", "考核 2026-Q3").text
    assert text.startswith("华芯党支部 2026年第3季度考核：63.5分，第1名（共3个党组织）")
    assert "参学率：50.0%（目标90.0%" in text and "再有2名党员参学即可达标" in text
    assert "远景" not in text
    assert "第2名（共3个党组织）" in send_text("cb", "考核 2026-Q3").text
    assert at.ERRORS["bad_quarter"] in send_text("ca", "考核 明年").text
    assert "63.5" not in send_text("a1", "考核 2026-Q3").text


def test_the_console_shows_a_contact_only_their_own(app: Flask, quarter: Quarter,
                                                    sandbox: Any) -> None:
    """A contact: their own row and card, another organisation's card 404, the export and the
    rules 403. An admin: every row, the .xlsx holding the ranking and the rules."""
    contact = app.test_client()
    login_as(contact, sandbox, "ca")
    page = contact.get("/console/assessment?quarter=2026-Q3").get_data(as_text=True)
    assert f'id="assessment-org-{quarter.here}"' in page
    assert f'id="assessment-org-{quarter.other}"' not in page and "远景" not in page
    card = contact.get(f"/console/assessment/orgs/{quarter.here}?quarter=2026-Q3")
    assert card.status_code == 200
    assert re.search(r'id="assessment-total">63.5<', card.get_data(as_text=True))
    assert contact.get(f"/console/assessment/orgs/{quarter.other}").status_code == 404
    assert contact.get("/console/assessment.xlsx").status_code == 403
    assert contact.get("/console/assessment/rules").status_code == 403
    admin = app.test_client()
    login_as(admin, sandbox, "adm")
    page = admin.get("/console/assessment?quarter=2026-Q3").get_data(as_text=True)
    assert f'id="assessment-org-{quarter.other}"' in page
    sheet = load_workbook(io.BytesIO(admin.get("/console/assessment.xlsx?quarter=2026-Q3")
                                     .get_data())).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert [(row[0], row[1], row[4]) for row in rows] == [
        (1, "华芯党支部", 63.5), (2, "远景党支部", 43.8), (3, "党委办公室", 0.0)]


def test_an_admin_sets_a_weight_in_the_console(app: Flask, quarter: Quarter,
                                               sandbox: Any) -> None:
    """Targets of percent measures are typed in percent; a bad weight is said beside the
    field (422) and nothing changes; the saved rule reorders the ranking."""
    admin = app.test_client()
    login_as(admin, sandbox, "adm")
    refused = post(admin, "/console/assessment/rules/participation",
                   {"target": "90", "weight": "abc"})
    assert refused.status_code == 422
    shown = refused.get_data(as_text=True)
    assert at.ERRORS["bad_weight"].format(name="参学率", most=100) in shown
    row = shown.split('id="assessment-rule-participation"')[1].split("</tr>")[0]
    assert 'name="target"' in row and 'value="90"' in row  # typed, not the rule in force
    assert 'name="weight"' in row and 'value="abc"' in row
    assert post(admin, "/console/assessment/rules/participation",
                {"target": "90", "weight": "60"}).status_code == 303
    assert post(admin, "/console/assessment/rules/meetings",
                {"target": "100", "weight": "0"}).status_code == 303
    with app.app_context():
        rules = scorecard.rules()
        assert (rules["participation"].target, rules["participation"].weight) == (0.9, 60)
        assert _totals()[quarter.other] == 70.9


def test_trend_over_four_quarters(app: Flask, quarter: Quarter) -> None:
    """Q4 2025 – Q3 2026: nothing before Q3, then the card's total."""
    with app.app_context():
        trend = scorecard.trend(2026, 3, organization_ids=[quarter.here])
        assert trend == {quarter.here: [0.0, 0.0, 0.0, 63.5]}
        assert scorecard.quarters_back(2026, 1, 2) == [(2025, 4), (2026, 1)]
