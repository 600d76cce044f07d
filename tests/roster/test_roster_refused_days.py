"""A stranger's refusals: the reply every time, one record per person per committee day."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError

import clock
from bot.extensions import redis_store
from content import texts
from handlers import members
from handlers.members import refused_seen_key
from models import ProcessedMessage, RefusedUser, db
from tests.helpers import sql_statements

STRANGER = "stranger_days"


def refused(app: Flask) -> dict[str, tuple[int, date, date]]:
    """userid -> (days counted, committee day of first_at, committee day of last_at)."""
    with app.app_context():
        rows = db.session.scalars(select(RefusedUser)).all()
        return {r.userid: (r.attempts, clock.today(r.first_at), clock.today(r.last_at))
                for r in rows}


def processed(app: Flask, userid: str = STRANGER) -> int:
    """Processed records of this sender's messages."""
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProcessedMessage)
                                 .where(ProcessedMessage.userid == userid)) or 0


def test_two_messages_the_same_day_write_once(app: Flask, send_text, travel):
    """Does the day's second message get the same refusal and write nothing, not even a
    processed record?"""
    travel("2027-03-01 10:00")
    first = send_text(STRANGER, "你好")
    assert (first.status, first.text) == (200, texts.NOT_IN_ROSTER)
    assert refused(app) == {STRANGER: (1, date(2027, 3, 1), date(2027, 3, 1))}
    assert processed(app) == 1
    with app.app_context():
        noted_at = db.session.scalars(select(RefusedUser.last_at)).one()
    travel("2027-03-01 18:30")
    for text in ("在吗", "学习"):
        again = send_text(STRANGER, text)
        assert (again.status, again.text) == (200, texts.NOT_IN_ROSTER)
    assert refused(app) == {STRANGER: (1, date(2027, 3, 1), date(2027, 3, 1))}
    assert processed(app) == 1
    with app.app_context():
        assert db.session.scalars(select(RefusedUser.last_at)).one() == noted_at


def test_the_next_committee_day_writes_again(app: Flask, send_text, travel):
    """At Shanghai midnight a new day is counted; at 08:01 (the UTC date turns) it is not."""
    travel("2027-03-01 23:59", tick=False)
    assert send_text(STRANGER, "你好").text == texts.NOT_IN_ROSTER
    travel("2027-03-02 00:01", tick=False)
    assert send_text(STRANGER, "你好").text == texts.NOT_IN_ROSTER
    assert refused(app) == {STRANGER: (2, date(2027, 3, 1), date(2027, 3, 2))}
    assert processed(app) == 2
    for moment in ("2027-03-02 07:59", "2027-03-02 08:01", "2027-03-02 23:59"):
        travel(moment, tick=False)
        assert send_text(STRANGER, "在吗").text == texts.NOT_IN_ROSTER
    assert refused(app) == {STRANGER: (2, date(2027, 3, 1), date(2027, 3, 2))}
    assert processed(app) == 2
    travel("2027-03-05 09:00", tick=False)  # days between are not counted
    send_text(STRANGER, "还是不行吗")
    assert refused(app) == {STRANGER: (3, date(2027, 3, 1), date(2027, 3, 5))}


def test_redis_forgetting_the_day_counts_it_once(app: Flask, send_text, travel):
    """When the day's Redis mark is gone (a flush, a failover) and the worker that answers
    never saw it, is the day still counted once?"""
    travel("2027-03-01 10:00", tick=False)
    send_text(STRANGER, "你好")
    with app.app_context():
        assert redis_store.client.delete(refused_seen_key(STRANGER, date(2027, 3, 1))) == 1
    members._NOTED.clear()  # another worker process: it has remembered nothing
    travel("2027-03-01 11:00", tick=False)
    with sql_statements(app) as seen:
        assert send_text(STRANGER, "在吗").text == texts.NOT_IN_ROSTER
    [read] = [s for s in seen if "refused_users" in s]  # the row is read to tell the day apart
    assert read.lstrip().startswith("SELECT")
    assert refused(app) == {STRANGER: (1, date(2027, 3, 1), date(2027, 3, 1))}
    assert processed(app) == 1  # nothing changed, so nothing was recorded


def test_a_process_that_noted_the_day_asks_nobody_again(app: Flask, send_text, travel):
    """Once a worker has noted (or seen noted) a stranger's day, do its later refusals that day
    read neither the database nor the Redis mark, and does the next day still count?"""
    travel("2027-03-01 10:00", tick=False)
    send_text(STRANGER, "你好")
    with app.app_context():  # gone from Redis: only the process's memory can skip the read
        redis_store.client.delete(refused_seen_key(STRANGER, date(2027, 3, 1)))
    travel("2027-03-01 22:00", tick=False)
    with sql_statements(app) as seen:
        assert send_text(STRANGER, "在吗").text == texts.NOT_IN_ROSTER
    assert [s for s in seen if "refused_users" in s] == []
    with app.app_context():
        assert not redis_store.client.exists(refused_seen_key(STRANGER, date(2027, 3, 1)))
    travel("2027-03-02 09:00", tick=False)
    assert send_text(STRANGER, "早").text == texts.NOT_IN_ROSTER
    assert refused(app) == {STRANGER: (2, date(2027, 3, 1), date(2027, 3, 2))}


def test_admins_still_see_who_when_and_how_many_days(app: Flask, make_member, send_text,
                                                     travel):
    """Do 未登记 and `roster refused` list each stranger with the days, first and last seen?"""
    travel("2027-03-01 09:15", tick=False)
    send_text(STRANGER, "你好")
    send_text("stranger_once", "学习")
    travel("2027-03-02 20:40", tick=False)
    send_text(STRANGER, "在吗")
    send_text(STRANGER, "有人吗")
    admin = make_member("boss", roles=("admin",))
    listing = send_text(admin, "未登记").text
    assert texts.REFUSED_HEAD.format(count=2) in listing
    assert (f"{STRANGER}：2天发过消息，首次 3月1日 09:15，最近一天 3月2日 20:40"
            in listing)
    assert "stranger_once：1天发过消息，首次 3月1日 09:15，最近一天 3月1日 09:15" in listing
    assert listing.index(STRANGER) < listing.index("stranger_once")  # latest day first
    output = app.test_cli_runner().invoke(args=["roster", "refused"]).output
    assert (f"{STRANGER}\t2 days\tfirst 2027-03-01 09:15 CST\tlast 2027-03-02 20:40 CST"
            in output)
    assert "stranger_once\t1 day\tfirst 2027-03-01 09:15 CST\tlast 2027-03-01 09:15 CST" in output


def test_a_refusal_whose_write_failed_is_noted_on_the_retry(app: Flask, client, sim, travel):
    """When the day's first refusal cannot be written (the database drops it), is no mark left,
    so WeCom's retry of the same message notes the day?"""
    travel("2027-03-01 10:00", tick=False)
    envelope = sim.envelope(sim.inner(STRANGER, "text", {"Content": "你好", "MsgId": 27001}))
    with app.app_context():
        engine = db.engine

    def fail(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "refused_users" in statement and not statement.lstrip().startswith("SELECT"):
            raise OperationalError(statement, {}, ConnectionResetError("dropped (injected)"))

    event.listen(engine, "before_cursor_execute", fail)
    try:
        assert client.post("/wecom/callback", query_string=envelope[0],
                           data=envelope[1]).status_code == 503
    finally:
        event.remove(engine, "before_cursor_execute", fail)
    with app.app_context():
        assert not redis_store.client.exists(refused_seen_key(STRANGER, date(2027, 3, 1)))
    assert refused(app) == {}
    retried = client.post("/wecom/callback", query_string=envelope[0], data=envelope[1])
    assert retried.status_code == 200
    assert sim.open_reply(retried.data)["Content"] == texts.NOT_IN_ROSTER
    assert refused(app) == {STRANGER: (1, date(2027, 3, 1), date(2027, 3, 1))}
    with app.app_context():
        assert redis_store.client.exists(refused_seen_key(STRANGER, date(2027, 3, 1)))
