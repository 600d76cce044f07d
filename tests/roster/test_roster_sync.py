"""Does `roster sync` make the roster match WeCom: add, rename, move, leave, come back?"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from bot.extensions import redis_store
from models import AuditEntry, Member, MemberStatus, Organization, db
from roster.sync import RosterSync, SyncError
from sandbox.server import SandboxServer
from tests.helpers import written


@pytest.fixture
def sync(app: Flask, sandbox: SandboxServer):
    """Run one sync inside the app; returns its summary. Waits are recorded, not slept."""
    waits: list[float] = []

    def run(max_waits: int = 3):
        with app.app_context():
            runner = RosterSync(app.extensions["pioneer_wecom"], redis_store.client,
                                rate_wait_s=7, max_waits=max_waits, sleep=waits.append)
            return runner.run()

    run.waits = waits
    return run


def member(app: Flask, userid: str) -> Member:
    """A member as stored, detached."""
    with app.app_context():
        found = db.session.scalars(select(Member).where(Member.userid == userid)).one()
        found.main_organization  # load before detaching  # noqa: B018
        db.session.expunge_all()
        return found


def test_first_sync_adds_everyone(app: Flask, sandbox: SandboxServer, sync):
    """Does the first sync add every department and member, one user/list per department?"""
    summary = sync()
    assert summary.organizations["added"] == 4
    assert summary.members["added"] == 5
    assert len(sandbox.state.calls_to("department/list")) == 1
    assert len(sandbox.state.calls_to("user/list")) == 4
    assert summary.api_calls == 5
    lina = member(app, "lina")
    assert lina.main_organization.name == "华芯微电子党支部"
    with app.app_context():
        assert db.session.scalars(select(AuditEntry)).one().action == "roster.sync"


def test_second_sync_changes_nothing(app: Flask, sync):
    """Is a second run a no-op: nothing written, everyone unchanged?"""
    sync()
    before = written(app)
    summary = sync()
    assert summary.members == {"unchanged": 5} and not summary.changed
    assert written(app) == before


def test_rename_move_leave_and_return(app: Flask, sandbox: SandboxServer, sync):
    """Are a rename, a move, a leaver and a returner each recognised?"""
    sync()
    state = sandbox.state
    state.users["zhangwei"]["name"] = "张伟伟"
    state.users["wangfang"]["department"] = [4, 3]
    state.users["wangfang"]["main_department"] = 4
    del state.users["liuyang"]
    summary = sync()
    assert summary.members["updated"] == 1 and summary.members["moved"] == 1
    assert summary.members["left"] == 1 and summary.members["unchanged"] == 2
    assert member(app, "zhangwei").name == "张伟伟"
    assert member(app, "wangfang").main_organization.name == "新吴物流党支部"
    gone = member(app, "liuyang")
    assert gone.status == MemberStatus.LEFT and gone.left_on is not None
    state.add_user("liuyang", "刘洋", department=[4])
    summary = sync()
    assert summary.members["returned"] == 1
    assert member(app, "liuyang").status == MemberStatus.ACTIVE


def test_disabled_and_left_status_from_wecom(app: Flask, sandbox: SandboxServer, sync):
    """Are WeCom's status 2 (disabled) and 5 (left) kept as such?"""
    sandbox.state.users["zhangwei"]["status"] = 2
    sandbox.state.users["lina"]["status"] = 5
    sync()
    assert member(app, "zhangwei").status == MemberStatus.DISABLED
    assert member(app, "lina").status == MemberStatus.LEFT


def test_departments_renamed_and_closed(app: Flask, sandbox: SandboxServer, sync):
    """Is a renamed department updated, and a vanished one closed but kept?"""
    sync()
    sandbox.state.departments[2]["name"] = "华芯微电子联合党支部"
    for user in sandbox.state.users.values():
        user["department"] = [d for d in user["department"] if d != 3] or [1]
        user["main_department"] = user["department"][0]
    del sandbox.state.departments[3]
    summary = sync()
    assert summary.organizations["updated"] == 1 and summary.organizations["closed"] == 1
    with app.app_context():
        closed = db.session.scalars(select(Organization).where(Organization.wecom_dept_id == 3))
        assert closed.one().active is False


def test_rate_limit_mid_sync_waits_and_finishes(app: Flask, sandbox: SandboxServer, sync):
    """Does a 45009 in the middle make the sync wait and carry on to the same result?"""
    sync_calls = sandbox.state.calls_to
    sandbox.state.fail_next("user/list", 45009)
    summary = sync()
    assert sync.waits == [7]
    assert summary.members["added"] == 5
    assert len(sync_calls("user/list")) == 5  # the refused call, then one per department


def test_interrupted_sync_resumes(app: Flask, sandbox: SandboxServer, sync):
    """When WeCom keeps refusing, does the sync stop cleanly and the next run resume?"""
    sync()
    sandbox.state.add_user("newbie", "新人", department=[4])
    calls_before = len(sandbox.state.calls_to("user/list"))
    # let two departments through, then refuse
    original = app.extensions["pioneer_wecom"].call
    count = {"n": 0}

    def flaky(fn):
        count["n"] += 1
        if count["n"] == 4:
            from bot.wecom import WeComUnavailable

            raise WeComUnavailable(-1, "busy")
        return original(fn)

    app.extensions["pioneer_wecom"].call = flaky
    with pytest.raises(SyncError, match="resume"):
        sync(max_waits=0)
    app.extensions["pioneer_wecom"].call = original
    summary = sync()
    assert summary.resumed
    assert summary.members["added"] == 1
    assert len(sandbox.state.calls_to("user/list")) - calls_before == 4  # none fetched twice


def test_two_syncs_never_overlap(app: Flask, sync):
    """Is a second sync refused while one holds the lock?"""
    with app.app_context():
        redis_store.client.set("pioneer:roster-sync:lock", "1")
    with pytest.raises(SyncError, match="another roster sync"):
        sync()


def test_sync_cli_prints_summary(app: Flask):
    """Does `roster sync` print the summary line?"""
    result = app.test_cli_runner().invoke(args=["roster", "sync"])
    assert result.exit_code == 0, result.output
    assert "added 5" in result.output and "WeCom API calls: 5" in result.output
