"""Reading time: the reading page's heartbeats, sessions closed by a gap, the minimum before
读完了 counts, hours credited as the time read (capped), and beats that are not the member's."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from models import (
    Material,
    MaterialKind,
    MaterialRead,
    Member,
    Participation,
    ReadingSession,
    db,
)
from sandbox.server import SandboxServer
from study import reading
from tests.helpers import SHANGHAI
from tests.study_helpers import sign_in, token_for

START = datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI)


class Clock:
    """The reading pages' now, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The server's clock of the reading endpoints, set by the test."""
    clock = Clock()
    monkeypatch.setattr(reading, "utcnow", clock)
    return clock


def make_material(app: Flask, slug: str, minutes: int = 8) -> int:
    """A material with a body, of `minutes` minutes; its id."""
    with app.app_context():
        row = Material(slug=slug, title=f"材料{slug}", kind=MaterialKind.ARTICLE, body="正文",
                       published_on=date(2026, 7, 1), minutes=minutes, active=True, tags=[])
        db.session.add(row)
        db.session.commit()
        return row.id


def page_form(page: TestResponse) -> dict[str, str]:
    """The reading page's csrf and stamp (what its script sends with every beat)."""
    assert page.status_code == 200
    return dict(re.findall(r'name="(csrf|stamp)" value="([^"]+)"',
                           page.get_data(as_text=True)))


class Reader:
    """One reading page open in a browser: beats with its own sequence numbers."""

    def __init__(self, client: FlaskClient, token: str, form: dict[str, str],
                 clock: Clock) -> None:
        self.client, self.token, self.form, self.clock, self.seq = client, token, form, clock, 0

    def beat(self, after_s: float = 0, resume: bool = False, seq: int | None = None) -> Any:
        """Move the clock on by after_s, then beat; the response."""
        self.clock.now += timedelta(seconds=after_s)
        if seq is None:
            self.seq += 1
            seq = self.seq
        data = {**self.form, "seq": str(seq), **({"resume": "1"} if resume else {})}
        return self.client.post(f"/r/{self.token}/beat", data=data)

    def read_for(self, seconds: int, every: int = 15) -> None:
        """Beat every `every` seconds for `seconds` (a first, resume beat starts it)."""
        assert self.beat(resume=True).status_code == 200
        for _ in range(seconds // every):
            assert self.beat(every).status_code == 200

    def done(self) -> TestResponse:
        """Press 读完了."""
        return self.client.post(f"/r/{self.token}/done", data=self.form)


def open_page(app: Flask, client: FlaskClient, sandbox: SandboxServer, clock: Clock,
              material_id: int, userid: str = "zhangsan") -> Reader:
    """Sign in and open the member's link to the material."""
    token = token_for(app, material_id, userid)
    page = client.get(f"/r/{token}")
    if page.status_code == 302:  # not signed in yet on this client
        page = sign_in(client, sandbox, token, userid)
    return Reader(client, token, page_form(page), clock)


def read_row(app: Flask, material_id: int, userid: str = "zhangsan") -> MaterialRead:
    """The member's read of the material."""
    with app.app_context():
        row = db.session.scalars(select(MaterialRead).join(
            Member, Member.id == MaterialRead.member_id).where(
            MaterialRead.material_id == material_id, Member.userid == userid)).one()
        db.session.expunge(row)
        return row


def completed_rows(app: Flask) -> list[tuple[str, float, int]]:
    """(source, hours, points) of every material_completed ledger row, by id."""
    with app.app_context():
        return [(r.source, float(r.hours), int(r.points)) for r in db.session.scalars(
            select(Participation).where(Participation.kind == "material_completed")
            .order_by(Participation.id))]


def sessions(app: Flask) -> list[tuple[int, int]]:
    """(seconds, beats) of every reading session, by id."""
    with app.app_context():
        return [(s.seconds, s.beats) for s in db.session.scalars(
            select(ReadingSession).order_by(ReadingSession.id))]


def test_a_read_shorter_than_the_minimum_earns_nothing(app: Flask, client: FlaskClient,
                                                       sandbox: SandboxServer, make_member: Any,
                                                       now: Clock) -> None:
    """An 8-minute material needs 4 minutes: after 3 is 读完了 refused, saying what is left?"""
    make_member("zhangsan")
    material_id = make_material(app, "short")
    page = open_page(app, client, sandbox, now, material_id)
    page.read_for(180)
    answer = page.done()
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "还没有读完" in text
    assert "需阅读满4分钟" in text and "已阅读3分钟" in text and "还需约1分钟" in text
    assert read_row(app, material_id).completed_at is None
    assert read_row(app, material_id).seconds_spent == 180
    assert completed_rows(app) == []
    page.read_for(60)  # one more minute: the minimum is reached
    assert "已记录" in page.done().get_data(as_text=True)
    assert completed_rows(app) == [(f"material:{material_id}", 0.07, 2)]  # 4 minutes read


def read_rows(app: Flask) -> list[tuple[str, int]]:
    """(source, points) of every material_read (阅读) ledger row, by id."""
    with app.app_context():
        return [(r.source, int(r.points)) for r in db.session.scalars(
            select(Participation).where(Participation.kind == "material_read")
            .order_by(Participation.id))]


def test_reading_counts_only_after_time_on_the_page(app: Flask, client: FlaskClient,
                                                    sandbox: SandboxServer, make_member: Any,
                                                    now: Clock) -> None:
    """Does an open earn nothing, 15 s of beats neither, and the beat reaching 30 s record
    阅读 with its point, once, however long the member reads on or reopens it?"""
    make_member("zhangsan")
    material_id = make_material(app, "timed")
    page = open_page(app, client, sandbox, now, material_id)
    assert read_row(app, material_id).opens == 1 and read_rows(app) == []
    page.read_for(15)
    assert read_rows(app) == []
    assert page.beat(15).status_code == 200  # 30 s in view
    assert read_rows(app) == [(f"material:{material_id}", 1)]
    page.read_for(60)
    open_page(app, client, sandbox, now, material_id).read_for(45)
    assert read_rows(app) == [(f"material:{material_id}", 1)]


def test_a_link_elsewhere_counts_its_open_without_points(app: Flask, client: FlaskClient,
                                                         sandbox: SandboxServer,
                                                         make_member: Any) -> None:
    """A material that is only a link to its source cannot be timed: is its first open the
    participation, with 0 points, and a second open nothing more?"""
    make_member("zhangsan")
    with app.app_context():
        row = Material(slug="link", title="外链材料", kind=MaterialKind.ARTICLE, body="",
                       source_url="https://www.12371.cn/a.html", published_on=date(2026, 7, 1),
                       minutes=5, active=True, tags=[])
        db.session.add(row)
        db.session.commit()
        material_id = row.id
    token = token_for(app, material_id, "zhangsan")
    answer = sign_in(client, sandbox, token, "zhangsan")
    assert answer.status_code == 302 and answer.headers["Location"].startswith("https://www.12371")
    assert client.get(f"/r/{token}").status_code == 302
    assert read_rows(app) == [(f"material:{material_id}", 0)]
    assert read_row(app, material_id).opens == 2


def test_the_page_says_how_long_is_left(app: Flask, client: FlaskClient, sandbox: SandboxServer,
                                        make_member: Any, now: Clock) -> None:
    """Does the page state the rule, and each beat answer the time read and still needed?"""
    make_member("zhangsan")
    material_id = make_material(app, "hint", minutes=10)
    token = token_for(app, material_id, "zhangsan")
    html = sign_in(client, sandbox, token, "zhangsan").get_data(as_text=True)
    assert "本篇阅读满5分钟后点击“读完了”即记入学时" in html and "还需约5分钟" in html
    assert "/r/static/reading.js" in html and f'data-beat-url="/r/{token}/beat"' in html
    page = Reader(client, token, page_form(client.get(f"/r/{token}")), now)
    page.read_for(120)
    answer = page.beat(15).get_json()
    assert answer["seconds"] == 135 and answer["needed"] == 300
    assert answer["progress"] == "已阅读2分钟，还需约3分钟"
    assert client.get("/r/static/reading.js").status_code == 200


def test_a_long_read_is_capped_per_beat_and_in_hours(app: Flask, client: FlaskClient,
                                                     sandbox: SandboxServer, make_member: Any,
                                                     now: Clock) -> None:
    """Does a beat count at most its interval and slack, and a two-hour read credit only the
    kind's 0.5 hours?"""
    make_member("zhangsan")
    material_id = make_material(app, "long", minutes=30)
    page = open_page(app, client, sandbox, now, material_id)
    page.read_for(2 * 3600, every=15)
    assert page.beat(170).get_json()["counted"] == 20  # a late beat: 15 s + 5 s slack at most
    assert read_row(app, material_id).seconds_spent == 2 * 3600 + 20
    assert "已记录，学习时长 120 分钟" in page.done().get_data(as_text=True)
    assert completed_rows(app) == [(f"material:{material_id}", 0.5, 2)]


def test_two_reads_the_same_day_respect_the_daily_hours_cap(
        app: Flask, client: FlaskClient, sandbox: SandboxServer, make_member: Any,
        now: Clock) -> None:
    """With 0.75 hours a day for 读完, is the second half-hour read cut to 0.25 hours, and the
    next day's read credited in full again?"""
    app.config.update(PARTICIPATION_DAILY_HOURS_CAPS="material_completed=0.75",
                      PARTICIPATION_READING_BEAT_S="60")
    make_member("zhangsan")
    first, second, third = (make_material(app, slug, minutes=40) for slug in "abc")
    for material_id in (first, second):
        page = open_page(app, client, sandbox, now, material_id)
        page.read_for(1800, every=60)
        assert "已记录" in page.done().get_data(as_text=True)
        now.now += timedelta(minutes=10)
    now.now = START + timedelta(days=1)
    page = open_page(app, client, sandbox, now, third)
    page.read_for(1800, every=60)
    page.done()
    assert completed_rows(app) == [(f"material:{first}", 0.5, 2),
                                   (f"material:{second}", 0.25, 2),
                                   (f"material:{third}", 0.5, 2)]


def test_a_beat_after_a_long_gap_starts_a_new_session(app: Flask, client: FlaskClient,
                                                      sandbox: SandboxServer, make_member: Any,
                                                      now: Clock) -> None:
    """Is the gap not counted, the session closed, and a new one started by the next beat?"""
    make_member("zhangsan")
    material_id = make_material(app, "gap")
    page = open_page(app, client, sandbox, now, material_id)
    page.read_for(60)
    late = page.beat(10 * 60).get_json()  # ten minutes of silence, then a beat
    assert late["counted"] == 0 and late["seconds"] == 60
    assert page.beat(15).get_json()["counted"] == 15
    assert sessions(app) == [(60, 5), (15, 2)]
    assert read_row(app, material_id).seconds_spent == 75


def test_a_retried_or_resumed_beat_counts_nothing(app: Flask, client: FlaskClient,
                                                  sandbox: SandboxServer, make_member: Any,
                                                  now: Clock) -> None:
    """Is a beat sent twice (same number) counted once, and a resume beat after the page was
    hidden counted as nothing?"""
    make_member("zhangsan")
    material_id = make_material(app, "retry")
    page = open_page(app, client, sandbox, now, material_id)
    page.read_for(30)
    assert page.beat(10).get_json()["counted"] == 10
    assert page.beat(5, seq=page.seq).get_json()["counted"] == 0  # the same beat again
    assert page.beat(1, seq=1).get_json()["counted"] == 0  # an old one, late
    assert page.beat(100, resume=True).get_json()["counted"] == 0  # back in view
    assert read_row(app, material_id).seconds_spent == 40


def test_two_pages_share_one_clock(app: Flask, client: FlaskClient, sandbox: SandboxServer,
                                   make_member: Any, now: Clock) -> None:
    """Do two materials beating in two tabs count the wall-clock time once between them?"""
    make_member("zhangsan")
    one, two = make_material(app, "one"), make_material(app, "two")
    first = open_page(app, client, sandbox, now, one)
    second = Reader(client, token_for(app, two, "zhangsan"),
                    page_form(client.get(f"/r/{token_for(app, two, 'zhangsan')}")), now)
    first.beat(resume=True)
    second.beat(resume=True)
    for _ in range(8):  # each tab beats every 15 s, the other 7.5 s later
        first.beat(7.5)
        second.beat(7.5)
    total = read_row(app, one).seconds_spent + read_row(app, two).seconds_spent
    assert total == 120  # two minutes went by, not four


def test_forged_or_another_members_beats_are_refused(app: Flask, client: FlaskClient,
                                                     sandbox: SandboxServer, make_member: Any,
                                                     now: Clock) -> None:
    """Are a forged stamp, a missing CSRF token, another member's link, another page's stamp
    and a bad beat number refused, counting nothing?"""
    make_member("zhangsan")
    make_member("lisi")
    material_id = make_material(app, "mine")
    page = open_page(app, client, sandbox, now, material_id)
    page.beat(resume=True)
    form, token = page.form, page.token
    assert client.post(f"/r/{token}/beat", data={**form, "seq": "2",
                                                 "stamp": form["stamp"][:-3] + "abc"}
                       ).status_code == 400
    assert client.post(f"/r/{token}/beat", data={"stamp": form["stamp"],
                                                 "seq": "2"}).status_code == 400
    assert client.post(f"/r/{token}/beat", data={**form, "seq": "-1"}).status_code == 400
    other = app.test_client()  # lisi, signed in on his own phone, sends zhangsan's beat
    lisi = page_form(sign_in(other, sandbox, token_for(app, material_id, "lisi"), "lisi"))
    now.now += timedelta(seconds=15)
    assert other.post(f"/r/{token}/beat", data={**form, "seq": "2"}).status_code == 400
    assert other.post(f"/r/{token}/beat", data={**form, "csrf": lisi["csrf"],
                                                "seq": "2"}).status_code == 403
    lisi_token = token_for(app, material_id, "lisi")  # his own link with zhangsan's stamp
    assert other.post(f"/r/{lisi_token}/beat", data={**form, "csrf": lisi["csrf"],
                                                     "seq": "2"}).status_code == 400
    assert app.test_client().post(f"/r/{token}/beat",
                                  data={**form, "seq": "2"}).status_code == 400
    assert read_row(app, material_id).seconds_spent == 0
    assert sessions(app) == [(0, 1)]
