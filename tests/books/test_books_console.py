"""The console's 学习用书 pages: admins register and distribute (one-time form keys: a double
submit writes once), see every distribution and the unconfirmed ones with the days since they
were sent; a contact sees only their organisations' and confirms and reports for them, another
organisation's book is 404 and its distribution 403; bad input answered, nothing written."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

import clock
from books import receipts
from models import db, utcnow
from tests.books.book_helpers import (
    HUAXIN,
    XIDONG,
    XINWU,
    add_book,
    audits,
    cards,
    distribution,
    org_id,
    send,
)
from tests.console_helpers import login_as, post
from tests.helpers import written

pytestmark = pytest.mark.clock

FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


def _client(app: Flask, sandbox, userid: str) -> FlaskClient:
    client = app.test_client()
    assert login_as(client, sandbox, userid).status_code == 303
    return client


def _key(client: FlaskClient, path: str) -> str:
    found = FORM_KEY.search(client.get(path).get_data(as_text=True))
    assert found
    return found.group(1)


def _changed(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in after if after[name] != before.get(name)} - {"redis_keys"}


def test_admin_registers_once_and_distributes(app: Flask, people, sandbox):
    """Does the admin's 登记 create one book for two submits of one form, and 寄出 send it to
    the chosen organisations once (the contacts get their cards), audited?"""
    admin = _client(app, sandbox, "chenjing")
    key = _key(admin, "/console/books")
    form = {"form_key": key, "title": "《中国共产党简史》", "publisher": "人民出版社",
            "copies": "100"}
    first = post(admin, "/console/books", form)
    assert first.status_code == 303 and "/console/books/1" in first.headers["Location"]
    assert post(admin, "/console/books", form).status_code == 303
    assert [a[1] for a in audits(app)] == ["book.create"]
    page = admin.get("/console/books/1").get_data(as_text=True)
    assert "中国共产党简史" in page and "库存100册" in page
    key = _key(admin, "/console/books/1")
    send_form = {"form_key": key, "target": "list", "orgs": [org_id(app, HUAXIN),
                                                             org_id(app, XIDONG)],
                 "copies_each": "20", "sent_on": clock.today(utcnow()).isoformat()}
    assert post(admin, "/console/books/1/distribute", send_form).status_code == 303
    assert post(admin, "/console/books/1/distribute", send_form).status_code == 303
    assert [a[1] for a in audits(app)] == ["book.create", "book.distribute"]
    assert len(cards(sandbox, "lina")) == 1 and len(cards(sandbox, "wangqiang")) == 1
    page = admin.get("/console/books/1").get_data(as_text=True)
    assert HUAXIN in page and XIDONG in page and "剩余60册" in page


@pytest.mark.parametrize(("form", "shown"), [
    ({"copies_each": "50"}, "库存不够：要发100册，剩余只有80册。"),
    ({"copies_each": "-1"}, "册数不能是负数。"),
    ({"copies_each": "abc"}, "不是整数"),
    ({"orgs": [999]}, "有选定的党组织不存在或已停用"),
    ({"sent_on": "2999-01-01"}, "寄出日期不能晚于今天"),
    ({"sent_on": "garbage"}, "请填写寄出日期"),
    ({"orgs": "already"}, "已发放过这本书"),
])
def test_bad_distribution_forms(app: Flask, people, sandbox, form: dict, shown: str):
    """Are more copies than left, negative or garbage copies, an unknown organisation, a date
    in the future or garbage, and an organisation given before each answered in Chinese on
    the page (400), nothing written?"""
    book_id = add_book(app, copies=100)
    send(app, book_id, [XINWU], copies_each=20)
    admin = _client(app, sandbox, "chenjing")
    orgs = form.get("orgs", [org_id(app, HUAXIN), org_id(app, XIDONG)])
    if orgs == "already":
        orgs = [org_id(app, XINWU)]
    data = {"form_key": _key(admin, f"/console/books/{book_id}"), "target": "list",
            "copies_each": "10", "sent_on": clock.today(utcnow()).isoformat(), **form,
            "orgs": orgs}
    before = written(app)
    response = post(admin, f"/console/books/{book_id}/distribute", data)
    assert response.status_code == 400
    assert shown in response.get_data(as_text=True)
    assert _changed(before, written(app)) == set()


@pytest.mark.parametrize(("copies", "shown"), [("-3", "册数不能是负数。"), ("x", "不是整数")])
def test_bad_book_form(app: Flask, people, sandbox, copies: str, shown: str):
    """Is a book with bad copies answered on the page (400) with the typed title kept?"""
    admin = _client(app, sandbox, "chenjing")
    before = written(app)
    response = post(admin, "/console/books", {"form_key": _key(admin, "/console/books"),
                                              "title": "党章", "copies": copies})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and shown in text and 'value="党章"' in text
    assert _changed(before, written(app)) == set()


def test_contact_scope(app: Flask, people, sandbox):
    """Does 李娜 (华芯) see only 华芯's distribution, get 404 for a book sent only to 锡东, 403
    for 锡东's distribution (nothing written), and confirm and report 华芯's in the console?"""
    both = add_book(app, title="中国共产党简史")
    only_xidong = add_book(app, title="党章")
    [huaxin, xidong] = send(app, both, [HUAXIN, XIDONG])
    send(app, only_xidong, [XIDONG])
    lina = _client(app, sandbox, "lina")
    listing = lina.get("/console/books").get_data(as_text=True)
    assert f'id="distribution-{huaxin}"' in listing
    assert f'id="distribution-{xidong}"' not in listing and "《党章》" not in listing
    assert lina.get(f"/console/books/{only_xidong}").status_code == 404
    assert lina.get("/console/books/999").status_code == 404
    detail = lina.get(f"/console/books/{both}").get_data(as_text=True)
    assert HUAXIN in detail and XIDONG not in detail and "book-distribute-form" not in detail
    before = written(app)
    assert post(lina, f"/console/books/distributions/{xidong}/confirm").status_code == 403
    assert post(lina, f"/console/books/distributions/{xidong}/given",
                {"members_given": "1"}).status_code == 403
    assert post(lina, f"/console/books/{both}/distribute", {}).status_code == 403
    assert post(lina, "/console/books", {}).status_code == 403
    assert _changed(before, written(app)) == set()
    assert post(lina, f"/console/books/distributions/{huaxin}/confirm").status_code == 303
    assert post(lina, f"/console/books/distributions/{huaxin}/confirm").status_code == 303
    row = distribution(app, huaxin)
    assert row["confirmed_by_id"] == people["lina"].id and row["confirmed_by_actor"] == "lina"
    too_many = post(lina, f"/console/books/distributions/{huaxin}/given",
                    {"members_given": "9"}, follow_redirects=True).get_data(as_text=True)
    assert "不能超过4人" in too_many and distribution(app, huaxin)["members_given"] is None
    post(lina, f"/console/books/distributions/{huaxin}/given", {"members_given": "4"})
    assert distribution(app, huaxin)["members_given"] == 4
    assert [a[1] for a in audits(app) if a[1] != "book.create" and a[1] != "book.distribute"] == [
        "book.confirm", "book.members_given"]


def test_admin_cannot_confirm_for_an_organisation(app: Flask, people, sandbox):
    """Is an admin (no contact of 华芯) refused 403 on 确认收到, nothing written?"""
    [huaxin] = send(app, add_book(app), [HUAXIN])
    admin = _client(app, sandbox, "chenjing")
    assert post(admin, f"/console/books/distributions/{huaxin}/confirm").status_code == 403
    assert distribution(app, huaxin)["confirmed_at"] is None


def test_unconfirmed_filter_with_days(app: Flask, people, sandbox, travel):
    """Does 未确认 list the distributions not confirmed, oldest first, with the days since
    they were sent (the committee's days) and the overdue mark from 7 days; and the year
    filter leave out last year's distributions (the book registered this year stays listed)?"""
    travel("2026-03-02 10:00", tick=False)
    old = add_book(app, title="去年的书")
    [last_year_row] = send(app, old, [HUAXIN], sent_on=date(2025, 12, 30))
    book_id = add_book(app, title="中国共产党简史")
    [huaxin, xidong] = send(app, book_id, [HUAXIN, XIDONG], sent_on=date(2026, 2, 20))
    [xinwu] = send(app, add_book(app, title="党章"), [XINWU], sent_on=date(2026, 3, 1))
    with app.app_context():
        receipts.confirm(receipts.find(xidong), None, "wangqiang", utcnow())
        db.session.commit()
    travel("2026-03-02 23:30", tick=False)  # 15:30 UTC: still the 2nd in Shanghai
    admin = _client(app, sandbox, "chenjing")
    page = admin.get("/console/books?status=unconfirmed&year=2026").get_data(as_text=True)
    assert f'id="distribution-{huaxin}" class="behind"' in page and "10天" in page
    assert f'id="distribution-{xinwu}"' in page and "1天" in page
    assert f'id="distribution-{xidong}"' not in page
    assert f'id="distribution-{last_year_row}"' not in page  # sent in 2025
    assert page.index(f'id="distribution-{huaxin}"') < page.index(f'id="distribution-{xinwu}"')
    assert "未确认（2）" in page and "已确认（1）" in page
    last_year = admin.get("/console/books?year=2025").get_data(as_text=True)
    assert f'id="distribution-{last_year_row}"' in last_year and "《党章》" not in last_year
