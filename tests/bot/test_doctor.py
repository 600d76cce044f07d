"""`flask --app wsgi doctor`: one line per check, what is wrong and how to fix it."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from flask import Flask
from sqlalchemy import text

from bot import doctor
from models import db
from sandbox.server import SandboxServer


def _by_name(app: Flask, **kwargs: Any) -> dict[str, doctor.Check]:
    with app.app_context():
        return {check.name: check for check in doctor.run_checks(app)}


def _unreachable(url: str, **kwargs: Any) -> requests.Response:
    raise requests.ConnectionError("refused")


def test_healthy_services_pass_and_demo_settings_warn(app: Flask,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.requests, "get", _unreachable)
    checks = _by_name(app)
    assert checks["token"].status == "ok"
    assert checks["settings"].status == "warn" and "SECRET_KEY" in checks["settings"].message
    assert "WECOM_API_BASE" in checks["settings"].message
    if app.config["TEST_BACKEND"] == "services":
        assert checks["database"].status == "ok" and "PostgreSQL" in checks["database"].message
        assert checks["redis"].status == "ok"
        assert checks["workers"].status == "fail" and "rq worker" in checks["workers"].message
    else:
        assert checks["database"].status == "warn" and "SQLite" in checks["database"].message
        assert checks["redis"].status == "warn"
    # The app verifies its own echostr; PUBLIC_URL is not reachable from the test.
    assert checks["callback"].status == "warn" and "PUBLIC_URL" in checks["callback"].message


def test_public_url_that_verifies_is_ok(app: Flask) -> None:
    client = app.test_client()

    def through_app(url: str, params: dict[str, str], timeout: float) -> Any:
        answer = client.get("/wecom/callback", query_string=params)
        response = requests.Response()
        response.status_code, response._content = answer.status_code, answer.data
        return response

    with app.app_context():
        check = doctor.check_callback(app, probe=through_app)
    assert check.status == "ok" and "/wecom/callback" in check.message


def test_wrong_secret_names_the_setting(app: Flask, sandbox: SandboxServer) -> None:
    sandbox.state.fail_next("gettoken", 40001, errmsg="invalid credential")
    with app.app_context():
        check = doctor.check_token(app)
    assert check.status == "fail" and "WECOM_SECRET" in check.message


def test_unreachable_wecom_says_so(app: Flask) -> None:
    app.config["WECOM_API_BASE"] = "http://127.0.0.1:9/cgi-bin/"
    with app.app_context():
        from bot import services
        services.init_clients(app)
        check = doctor.check_token(app)
    assert check.status == "fail" and "not reachable" in check.message


def test_wrong_token_fails_the_callback_check(app: Flask) -> None:
    with app.app_context():
        from bot import services
        good = app.config["WECOM_TOKEN"]
        app.config["WECOM_TOKEN"] = "someone-elses-token"  # signs with a token the app lacks
        try:
            check = doctor.check_callback(app, probe=_unreachable)
        finally:
            app.config["WECOM_TOKEN"] = good
            services.init_clients(app)
    assert check.status == "fail" and "WECOM_TOKEN" in check.message


def test_old_schema_says_to_upgrade(app: Flask) -> None:
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = '0007'"))
        db.session.commit()
        try:
            check = doctor.check_database(app)
        finally:
            from alembic.script import ScriptDirectory

            from bot import MIGRATIONS_DIR
            head = ScriptDirectory(MIGRATIONS_DIR).get_current_head()
            db.session.execute(text(f"UPDATE alembic_version SET version_num = '{head}'"))
            db.session.commit()
    assert check.status == "fail" and "db upgrade" in check.message


def test_unreachable_redis_and_database_fail_with_a_fix(app: Flask) -> None:
    import redis

    app.config["REDIS_URL"] = "redis://127.0.0.1:9/0"
    app.extensions["pioneer_redis"] = redis.Redis.from_url(app.config["REDIS_URL"],
                                                           socket_connect_timeout=0.5)
    with app.app_context():
        check = doctor.check_redis(app)
    assert check.status == "fail" and "start Redis or fix REDIS_URL" in check.message


def test_cli_exits_1_and_prints_one_line_per_check(app: Flask,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor.requests, "get", _unreachable)
    result = app.test_cli_runner().invoke(args=["doctor"])
    lines = result.output.strip().splitlines()
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert [line.split()[1] for line in lines[:6]] == [
        "settings", "database", "redis", "token", "callback", "workers"]
    if app.config["TEST_BACKEND"] == "services":
        assert result.exit_code == 1 and "check(s) failed" in result.output
    else:
        assert result.exit_code == 0


def test_an_account_named_like_the_demos_is_disabled_and_fails(app: Flask) -> None:
    """Is a console account named demo-admin (its name and an old password are public)
    disabled by the doctor, audited, and reported as a FAIL that says what to do?"""
    from console.accounts import create_admin
    from models import AuditEntry, ConsoleAccount

    with app.app_context():
        create_admin("demo-admin", "pioneer-demo-console", "test")  # the old README login
        create_admin("ops", "a-long-real-password", "test")
        db.session.commit()
        check = doctor.check_accounts(app)
        assert check.status == "fail" and "demo-admin" in check.message
        assert "disabled now: demo-admin" in check.message and "create-admin" in check.message
        accounts = {a.username: a.active for a in db.session.query(ConsoleAccount)}
        assert accounts == {"demo-admin": False, "ops": True}
        assert db.session.query(AuditEntry).filter_by(
            action="console.account.disable", target="demo-admin").count() == 1
        again = doctor.check_accounts(app)
        assert again.status == "fail" and "already disabled" in again.message


def test_accounts_ok_and_a_demo_database_is_named(app: Flask) -> None:
    """With no demo-like account the check is ok; on a database the demo marked, a warning?"""
    from bot.demo_data import mark_demo

    with app.app_context():
        assert doctor.check_accounts(app).status == "ok"
        mark_demo()
        db.session.commit()
        check = doctor.check_accounts(app)
        assert check.status == "warn" and "the demo's" in check.message
