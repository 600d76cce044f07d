"""Test fixtures: one app per test, on SQLite + in-process Redis, and on PostgreSQL + Redis
when PIONEER_TEST_DATABASE_URL and PIONEER_TEST_REDIS_URL point at them (as .ci/run does).
Every test that takes `app` runs once per backend."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from bot import create_app
from bot.extensions import redis_store
from bot.sandbox.server import SandboxServer
from bot.sandbox.simulator import Delivery, FlaskTransport, MemberSimulator
from bot.sandbox.state import SANDBOX_AGENT_ID, SANDBOX_CORP_ID, SANDBOX_SECRET, SandboxState
from models import Base, Member, db
from roster.demo import named_committee, seed_directory
from roster.manage import add_member, ensure_organization

AES_KEY = base64.b64encode(b"pioneer-test-key-32-bytes-long!!").decode()[:43]
TOKEN = "pioneer-test-token"

SERVICES_DB = os.environ.get("PIONEER_TEST_DATABASE_URL")
SERVICES_REDIS = os.environ.get("PIONEER_TEST_REDIS_URL")
BACKENDS = ["embedded"] + (["services"] if SERVICES_DB and SERVICES_REDIS else [])

_migrated: set[str] = set()


@pytest.fixture(scope="session")
def sandbox() -> Iterator[SandboxServer]:
    """One WeCom sandbox server for the session; its state is reset for every test."""
    server = SandboxServer(SandboxState())
    server.start()
    yield server
    server.stop()


def _backend_config(backend: str, tmp_root: str) -> dict[str, Any]:
    if backend == "services":
        return {"DATABASE_URL": SERVICES_DB, "REDIS_URL": SERVICES_REDIS}
    return {"DATABASE_URL": f"sqlite:///{tmp_root}/pioneer-test.db", "REDIS_URL": None}


def _reset_database(backend: str) -> None:
    """Empty every table and restart the ids. DELETE, children first, is much faster than
    TRUNCATE on PostgreSQL for the few rows a test leaves (TRUNCATE rewrites each table)."""
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(table.delete())
    if backend == "services":  # SQLite's ids start again at 1 by themselves
        db.session.execute(text("SELECT setval(c.oid, 1, false) FROM pg_class c "
                                "WHERE c.relkind = 'S'"))
    db.session.commit()


@pytest.fixture(params=BACKENDS)
def app(request: pytest.FixtureRequest, sandbox: SandboxServer,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on one backend, schema migrated, tables and Redis emptied, sandbox reset."""
    backend = request.param
    root = str(tmp_path_factory.getbasetemp())
    sleeps: list[float] = []
    app = create_app({
        "TESTING": True,
        "WECOM_CORP_ID": SANDBOX_CORP_ID,
        "WECOM_AGENT_ID": str(SANDBOX_AGENT_ID),
        "WECOM_SECRET": SANDBOX_SECRET,
        "WECOM_TOKEN": TOKEN,
        "WECOM_AES_KEY": AES_KEY,
        "WECOM_API_BASE": sandbox.base_url,
        "WECOM_MAX_CLOCK_SKEW": "300",
        "WECOM_SLEEP": sleeps.append,
        "SECRET_KEY": "test",
        "RQ_INLINE": True,
        **_backend_config(backend, root),
    })
    app.config["TEST_SLEEPS"] = sleeps
    app.config["TEST_BACKEND"] = backend
    with app.app_context():
        if backend not in _migrated:
            if backend == "services":
                db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
                db.session.commit()
            upgrade()
            _migrated.add(backend)
        _reset_database(backend)
        redis_store.client.flushdb()
    sandbox.state.reset()
    seed_directory(sandbox.state, named_committee())
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def sim(client: FlaskClient) -> MemberSimulator:
    """The member simulator, posting to the app through the test client."""
    return MemberSimulator(FlaskTransport(client), TOKEN, AES_KEY, SANDBOX_CORP_ID,
                           SANDBOX_AGENT_ID)


@pytest.fixture
def make_member(app: Flask, sandbox: SandboxServer) -> Any:
    """Builder: make_member("zhangsan", org="华芯党支部", roles=("contact",)); also in WeCom."""

    def build(userid: str, name: str | None = None, org: str | None = "测试党支部",
              roles: tuple[str, ...] = ()) -> Member:
        with app.app_context():
            orgs = [ensure_organization(org)] if org else []
            member = add_member(userid, name or userid, orgs, roles)
            db.session.commit()
            db.session.refresh(member)
            db.session.expunge(member)
        sandbox.state.add_user(userid, name or userid)
        return member

    return build


@pytest.fixture
def send_text(sim: MemberSimulator) -> Any:
    """Builder: send_text(member_or_userid, "帮助") -> Delivery."""

    def send(member: Member | str, content: str) -> Delivery:
        userid = member if isinstance(member, str) else member.userid
        return sim.text(userid, content)

    return send
