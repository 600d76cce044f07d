"""Is the demo committee realistic, reproducible, and the same in WeCom and the roster?"""

from __future__ import annotations

from collections import Counter

from flask import Flask
from sqlalchemy import func, select

from bot.extensions import redis_store
from models import Member, Organization, RoleGrant, db
from roster.demo import demo_committee, generate, seed_demo
from roster.sync import RosterSync
from sandbox.seed import seed_directory
from sandbox.server import SandboxServer


def test_generated_twice_is_identical():
    """Does the same seed give the same committee?"""
    assert generate() == generate()


def test_committee_is_realistic():
    """Are there dozens of organisations of each kind, hundreds of members, and each role?"""
    committee = demo_committee()
    kinds = Counter(o.kind for o in committee.orgs)
    assert all(count >= 24 for count in kinds.values()) and len(kinds) == 4
    assert len(committee.people) >= 300
    roles = Counter(r for p in committee.people for r in p.roles)
    assert roles["contact"] >= len(committee.orgs) - 1
    assert roles["lecturer"] >= 10 and roles["admin"] >= 3
    assert len({p.userid for p in committee.people}) == len(committee.people)
    assert len({o.name for o in committee.orgs}) == len(committee.orgs)


def test_sync_of_the_demo_directory_matches_seed(app: Flask, sandbox: SandboxServer):
    """After `demo seed`, does a sync from the sandbox's directory find nothing to change?"""
    seed_directory(sandbox.state, demo_committee())
    with app.app_context():
        seed_demo()
        summary = RosterSync(app.extensions["pioneer_wecom"], redis_store.client).run()
        assert not summary.changed
        assert summary.members["unchanged"] == len(demo_committee().people)
        assert db.session.scalar(select(func.count()).select_from(Organization)) == len(
            demo_committee().orgs)
        assert db.session.scalar(select(func.count()).select_from(Member)) == len(
            demo_committee().people)
        assert db.session.scalar(select(func.count()).select_from(RoleGrant)) == sum(
            len(p.roles) for p in demo_committee().people)
