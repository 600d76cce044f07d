"""Are members served from the cache, and is the cache never stale after a roster change?"""

from __future__ import annotations

import re

from flask import Flask

from content import texts
from tests.helpers import sql_statements


def test_read_only_request_runs_no_sql_once_cached(app: Flask, make_member, send_text):
    """After the first request, does 帮助 run without a single SQL statement?"""
    member = make_member("zhangsan", "张三")
    send_text(member, "帮助")
    with sql_statements(app) as seen:
        assert "先锋学习助手" in send_text(member, "帮助").text
        assert "张三" in send_text(member, "我的信息").text  # memberships load lazily
    assert not any(s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for s in seen)
    assert not any(re.search(r"FROM members\b", s) for s in seen)


def test_role_granted_is_seen_at_once(app: Flask, make_member, send_text):
    """Does a role granted by command apply to the very next message?"""
    member = make_member("zhangsan")
    assert "管理员" in send_text(member, "未登记").text  # refused: not an admin (and cached)
    app.test_cli_runner().invoke(args=["roles", "grant", "zhangsan", "admin"])
    assert send_text(member, "未登记").text == texts.REFUSED_NONE


def test_member_who_leaves_is_refused_at_once(app: Flask, make_member, send_text, sim):
    """Is a member removed in WeCom refused on their next message, despite the cache?"""
    member = make_member("zhangsan")
    send_text(member, "帮助")
    sim.change_contact("delete_user", UserID="zhangsan")
    assert send_text(member, "帮助").text == texts.MEMBER_INACTIVE


def test_new_member_after_refusal(app: Flask, make_member, send_text):
    """Is someone refused, then added to the roster, served on their next message?"""
    assert send_text("latecomer", "帮助").text == texts.NOT_IN_ROSTER
    make_member("latecomer")
    assert "先锋学习助手" in send_text("latecomer", "帮助").text


def test_a_stranger_writing_again_runs_no_sql(app: Flask, make_member, send_text):
    """Someone not in the roster is remembered as such for the roster's version: their next
    message the same day runs no SQL at all (no lookup, no write), and the refusal is the
    same; adding them bumps the version, so they are served at once (test above)."""
    make_member("someone")  # a roster, so the version is set
    assert send_text("stranger-x", "帮助").text == texts.NOT_IN_ROSTER
    with sql_statements(app) as seen:
        assert send_text("stranger-x", "你好").text == texts.NOT_IN_ROSTER
    assert seen == []


def test_views_are_parsed_once_per_content(monkeypatch):
    """Is a view read again from the same bytes the same view, one from changed bytes (a role
    granted) the new one, and are the views kept bounded?"""
    from bot import member_cache
    from bot.member_cache import MemberView

    monkeypatch.setattr(member_cache, "_VIEWS", {})
    monkeypatch.setattr(member_cache, "VIEWS_KEPT", 2)
    plain = MemberView(7, "lina", "李娜", "active", frozenset({"member"}))
    contact = MemberView(7, "lina", "李娜", "active", frozenset({"member", "contact"}))
    first = MemberView.loads(plain.dumps())
    assert first == plain and MemberView.loads(plain.dumps()) is first
    assert MemberView.loads(contact.dumps()) == contact
    gone = MemberView(8, "zhangwei", "张伟", "left", frozenset())
    assert MemberView.loads(gone.dumps()) == gone
    assert len(member_cache._VIEWS) <= 2
    assert MemberView.loads(plain.dumps()) == plain
