"""Who did it, on console pages: a member's name for a stored userid, a local account or the
command line said as such, anything else as stored."""

from __future__ import annotations

from typing import Any

from flask import Flask, g

from console.names import who
from content import console_texts as t
from tests.helpers import sql_statements


def test_a_stored_actor_is_shown_as_a_person_reads_it(app: Flask, make_member: Any) -> None:
    """Is a userid shown as the member's name, a local account and the CLI as such, an unknown
    actor as stored and nothing as empty?"""
    make_member("n-admin", "管理员甲", roles=("admin",))
    with app.test_request_context():
        assert who("n-admin") == "管理员甲"
        assert who("console:root-admin") == t.ACTOR_LOCAL.format(name="root-admin")
        assert who("cli:ops") == t.ACTOR_CLI.format(name="ops")
        assert who("gone-user") == "gone-user"
        assert who(None) == who("") == ""


def test_a_name_is_read_once_per_request(app: Flask, make_member: Any) -> None:
    """Does a page listing one actor many times ask the database once?"""
    make_member("n-admin", "管理员甲", roles=("admin",))
    with app.test_request_context(), sql_statements(app) as statements:
        assert [who("n-admin") for _ in range(5)] == ["管理员甲"] * 5
        assert len(statements) == 1
        assert g.actor_names == {"n-admin": "管理员甲"}
